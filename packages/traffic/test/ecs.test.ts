// The ECS target through the real AWS SDK clients (ecs-sdk.ts) against a fake of ECS (JSON 1.1) and
// ELBv2 (query protocol) that checks SigV4 and simulates the scheduler (test/fakes/ecs.mjs).
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { MemoryLogger } from '@deploy-actions/core';
import { startFakeEcs } from '../../../test/fakes/ecs.mjs';
import { EcsTarget } from '../src/ecs';
import { releaseTrouble } from '../src/readback';
import { sdkEcsApi } from '../src/ecs-sdk';

let aws: Awaited<ReturnType<typeof startFakeEcs>>;
const saved = { ...process.env };
let n = 0;
beforeAll(async () => {
  aws = await startFakeEcs({ readyDelayMs: 50 });
  Object.assign(process.env, aws.env);
});
afterAll(async () => {
  process.env = saved;
  await aws?.stop();
});

const V1 = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop@sha256:1111';
const V2 = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop@sha256:2222';
const V3 = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop@sha256:3333';
async function setup(
  release = { image: V2, version: 'v2' },
  options: { listener?: boolean; readyTimeoutMs?: number; apiDeadlineMs?: number; container?: string } = {},
) {
  const log = new MemoryLogger();
  const name = `shop${++n}`;
  const { rule, stableTg, canaryTg } = aws.addService({ name, image: V1, desiredCount: 4, listener: options.listener });
  const api = await sdkEcsApi({ region: 'eu-west-1', log, apiDeadlineMs: options.apiDeadlineMs });
  const make = (r = release) =>
    new EcsTarget({
      api,
      cluster: 'prod',
      service: name,
      container: options.container,
      listenerArn: rule,
      stableTargetGroupArn: stableTg,
      canaryTargetGroupArn: canaryTg,
      release: r,
      readyTimeoutMs: options.readyTimeoutMs ?? 5_000,
      log,
      pollIntervalMs: 50,
    });
  const image = (service: string) =>
    aws.taskDefinition(aws.service('prod', service).taskDefinition).containerDefinitions[0].image;
  const writes = () =>
    aws.calls.filter(
      (c) => /^(Register|Create|Update|Modify)/.test(c.operation) && JSON.stringify(c.input).includes(name),
    ).length;
  return { name, rule, stableTg, canaryTg, make, image, log, writes };
}
const signal = () => new AbortController().signal;

test('a rollout: a new revision on a canary service, weighted target groups, promotion moves the stable service', async () => {
  const { name, rule, stableTg, canaryTg, make, image } = await setup();
  const t = make();
  await t.deployCanary(signal());
  const canary = aws.service('prod', `${name}-canary`);
  expect(canary.loadBalancers).toEqual([{ targetGroupArn: canaryTg, containerName: 'app', containerPort: 8080 }]);
  // The stable service's placement, network and health settings, not its load balancer.
  expect(canary).toMatchObject({
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    networkConfiguration: aws.service('prod', name).networkConfiguration,
    healthCheckGracePeriodSeconds: 30,
    enableExecuteCommand: true,
    propagateTags: 'SERVICE',
    enableECSManagedTags: true,
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
  });
  // Only the image changed: roles, sizes and the sidecar are the stable revision's.
  const revision = aws.taskDefinition(canary.taskDefinition);
  expect(canary.taskDefinition).toMatch(new RegExp(`task-definition/${name}:2$`));
  expect(revision.containerDefinitions.map((c: { image: string }) => c.image)).toEqual([
    V2,
    'amazon/aws-for-fluent-bit:2.32',
  ]);
  const { taskDefinitionArn: _a, revision: _r, registeredAt: _t, containerDefinitions: _c, ...rest } = revision;
  const {
    taskDefinitionArn: _a1,
    revision: _r1,
    registeredAt: _t1,
    containerDefinitions: _c1,
    ...restStable
  } = aws.taskDefinition(`${name}:1`);
  expect(rest).toEqual(restStable);
  expect(rest.taskRoleArn).toMatch(/role\/shop\d+-task$/);
  expect(aws.weights(rule)).toEqual({ [stableTg]: 100, [canaryTg]: 0 });
  await t.setWeight(25, signal());
  expect(aws.weights(rule)).toEqual({ [stableTg]: 75, [canaryTg]: 25 });
  expect(aws.service('prod', `${name}-canary`).desiredCount).toBe(1);
  await t.setWeight(50, signal());
  expect(aws.service('prod', `${name}-canary`).desiredCount).toBe(2);
  // Right after setWeight the canary's tasks run: a step never starts on a count that lags.
  expect(await make().describe()).toEqual({
    stable: { image: V1 },
    canary: { image: V2, weight: 50, instances: { ready: 2, desired: 2, noun: 'tasks', shareWhenNoneReady: 'errors' } },
  });
  await t.promote(signal());
  expect(image(name)).toBe(V2);
  expect(aws.weights(rule)).toEqual({ [stableTg]: 100, [canaryTg]: 0 });
  expect(aws.service('prod', `${name}-canary`).desiredCount).toBe(0);
  expect(await make().describe()).toEqual({ stable: { image: V2 } });

  // The next release reuses the canary service, scaled up from 0.
  const next = make({ image: V3, version: 'v3' });
  await next.deployCanary(signal());
  expect(aws.service('prod', `${name}-canary`)).toMatchObject({
    desiredCount: 1,
    taskDefinition: expect.stringMatching(new RegExp(`${name}:3$`)),
  });
  expect(
    aws.calls.filter((c) => c.operation === 'CreateService' && c.input.serviceName === `${name}-canary`),
  ).toHaveLength(1);
});

test('the read-back counts the canary service running tasks: a crash, or a desired count of 0, with a weight fails the step', async () => {
  const { name, make } = await setup();
  await make().deployCanary(signal());
  await make().setWeight(50, signal());
  const expected = { canaryImage: V2, stableImage: V1, weight: 50 };
  const calls = aws.calls.length;
  expect(await releaseTrouble(make(), expected, signal())).toBeUndefined();
  // The count comes with the DescribeServices the read-back already made: no call more per interval.
  expect(aws.calls.slice(calls).map((c) => c.operation)).not.toContain('DescribeTargetHealth');
  aws.crashTasks('prod', `${name}-canary`);
  expect(await releaseTrouble(make(), expected, signal())).toBe(
    'the canary has no ready tasks (0 of 2) while it takes 50 % of traffic; they crashed or fail their readiness checks, so its share of users gets errors from the router',
  );
  // Someone set another rollout's canary service to 0 tasks (the console, a scaling policy), and the scheduler has settled.
  const other = await setup();
  await other.make().deployCanary(signal());
  await other.make().setWeight(50, signal());
  Object.assign(aws.service('prod', `${other.name}-canary`), { desiredCount: 0, runningCount: 0 });
  expect(await releaseTrouble(other.make(), expected, signal())).toMatch(
    /^the canary has no tasks \(scaled to 0\) while it takes 50 % of traffic; another tool or an autoscaler scaled it down,/,
  );
});

test("a listener's default action splits traffic the same way", async () => {
  const { rule, stableTg, canaryTg, make } = await setup(undefined, { listener: true });
  const t = make();
  await t.deployCanary(signal());
  await t.setWeight(10, signal());
  expect(aws.weights(rule)).toEqual({ [stableTg]: 90, [canaryTg]: 10 });
  expect(aws.calls.filter((c) => c.input.ListenerArn === rule).map((c) => c.operation)).toEqual([
    'ModifyListener',
    'ModifyListener',
  ]);
  await t.abort();
  expect(aws.weights(rule)).toEqual({ [stableTg]: 100, [canaryTg]: 0 });
});

test('abort from a fresh target puts all traffic on stable and the canary at 0 tasks', async () => {
  const { name, rule, stableTg, canaryTg, make } = await setup();
  await make().deployCanary(signal());
  await make().setWeight(50, signal());
  await make().abort();
  expect(aws.weights(rule)).toEqual({ [stableTg]: 100, [canaryTg]: 0 });
  expect(aws.service('prod', `${name}-canary`).desiredCount).toBe(0);
  expect(await make().describe()).toEqual({ stable: { image: V1 } });
});

test("a task that cannot pull its image fails the wait at once with ECS's reason", async () => {
  const broken = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop@sha256:nope';
  aws.neverReady(broken);
  const { name, rule, stableTg, make, image } = await setup({ image: broken, version: 'v3' });
  await expect(make().deployCanary(signal())).rejects.toThrow(
    new RegExp(
      `^${name}-canary: task \\w+ of ${name}:\\d+ stopped: CannotPullContainerError: pull image manifest has been retried`,
    ),
  );
  expect(aws.weights(rule)[stableTg]).toBe(100);
  expect(image(name)).toBe(V1);
});

test('tasks failing ELB health checks fail the wait with that reason', async () => {
  const unhealthy = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop@sha256:sick';
  aws.neverReady(
    unhealthy,
    'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-canary/1)',
    'ServiceSchedulerInitiated',
  );
  const { make } = await setup({ image: unhealthy, version: 'v4' });
  await expect(make().deployCanary(signal())).rejects.toThrow(
    /stopped: Task failed ELB health checks in \(target-group/,
  );
});

test("a deployment that never places a task fails at its deadline with ECS's last event", async () => {
  const stuck = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop@sha256:stuck';
  aws.stall(stuck);
  const { name, make } = await setup({ image: stuck, version: 'v5' }, { readyTimeoutMs: 600 });
  await expect(make().deployCanary(signal())).rejects.toThrow(
    new RegExp(
      `^${name}-canary was not stable on ${name}:2 within 600ms \\(0/1 running\\); last event: .*unable to place a task. Reason: Capacity is unavailable`,
    ),
  );
});

test('a cancelled wait ends with the cancellation, not the deadline', async () => {
  const stuck = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop@sha256:stuck2';
  aws.stall(stuck);
  const { make } = await setup({ image: stuck, version: 'v6' }, { readyTimeoutMs: 60_000 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('the job was cancelled')), 300);
  await expect(make().deployCanary(controller.signal)).rejects.toThrow('the job was cancelled');
});

test('rollback after a promotion goes back to the previous revision; tasks the scheduler stopped before are not failures', async () => {
  const { name, rule, stableTg, canaryTg, make, image } = await setup();
  const t = make();
  await t.deployCanary(signal());
  await t.setWeight(50, signal());
  await t.promote(signal());
  expect(image(name)).toBe(V2);
  // ECS lists the tasks that promotion replaced (of revision 1) as stopped for an hour.
  expect(aws.calls.some((c) => c.operation === 'DescribeTasks' && c.status === 200)).toBe(true);
  await make().rollbackTo({ image: V1, version: 'v1' }, signal());
  expect(aws.service('prod', name).taskDefinition).toMatch(new RegExp(`${name}:1$`));
  expect(aws.weights(rule)).toEqual({ [stableTg]: 100, [canaryTg]: 0 });
  expect(await make().describe()).toEqual({ stable: { image: V1 } });

  // An image no revision runs gets a new revision.
  await make().rollbackTo({ image: V3, version: 'v3' }, signal());
  expect(aws.service('prod', name).taskDefinition).toMatch(new RegExp(`${name}:3$`));
  expect(image(name)).toBe(V3);
});

test('an unknown container is a clear error before anything is written', async () => {
  const { make, writes } = await setup(undefined, { container: 'web' });
  await expect(make().deployCanary(signal())).rejects.toThrow(
    /task definition shop\d+ has no container 'web' \(it has app, log-router\)/,
  );
  expect(writes()).toBe(1); // the weights set to 100/0 before the revision is read
});

test('throttling, 5xx and dropped connections on both APIs are retried and logged', async () => {
  const { make, rule, canaryTg, log } = await setup();
  aws.failNext('ecs', 2, 400);
  aws.failNext('elb', 1, 400);
  aws.failNext('ecs', 1, 500);
  aws.failNext('elb', 1, 503);
  aws.failNext('ecs', 1, 'reset');
  const t = make();
  await t.deployCanary(signal());
  await t.setWeight(25, signal());
  expect(aws.weights(rule)[canaryTg]).toBe(25);
  const retries = log.records.filter((r) => /retrying in/.test(r.message)).map((r) => r.message);
  expect(retries).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^ecs:\w+: ThrottlingException \(HTTP 400\): Rate exceeded; retrying in/),
      expect.stringMatching(/^elasticloadbalancing:\w+: Throttling \(HTTP 400\): Rate exceeded; retrying in/),
      expect.stringMatching(/^ecs:\w+: ServerException \(HTTP 500\)/),
      expect.stringMatching(/^elasticloadbalancing:\w+: InternalFailure \(HTTP 503\)/),
      expect.stringMatching(/^ecs:\w+: .*(ECONNRESET|EPIPE|socket hang up)/),
    ]),
  );
  expect(retries).toHaveLength(6);
});

test('an API that keeps throttling gives up at its deadline with the last error', async () => {
  const { make } = await setup(undefined, { apiDeadlineMs: 1_000 });
  aws.failNext('ecs', 1_000, 400);
  await expect(make().describe()).rejects.toThrow(
    /^ecs:DescribeServices still failing after \d+ attempt\(s\) in \d+ms: ecs:DescribeServices: ThrottlingException \(HTTP 400\): Rate exceeded$/,
  );
  aws.clearFaults();
});

test('each step changes only the forward weights: an authenticate action before it and target group stickiness stay', async () => {
  const { rule, stableTg, canaryTg, make } = await setup();
  const oidc = {
    Type: 'authenticate-oidc',
    Order: 1,
    AuthenticateOidcConfig: {
      Issuer: 'https://login.example.com',
      AuthorizationEndpoint: 'https://login.example.com/authorize',
      TokenEndpoint: 'https://login.example.com/token',
      UserInfoEndpoint: 'https://login.example.com/userinfo',
      ClientId: 'shop',
      ClientSecret: 'oidc-client-secret',
      SessionCookieName: 'AWSELBAuthSessionCookie',
      Scope: 'openid',
      SessionTimeout: 604800,
      OnUnauthenticatedRequest: 'authenticate',
      AuthenticationRequestExtraParams: { prompt: 'login' },
    },
  };
  const stickiness = { Enabled: true, DurationSeconds: 3600 };
  aws.setActions(rule, [
    oidc,
    {
      Type: 'forward',
      Order: 2,
      TargetGroupArn: stableTg,
      ForwardConfig: {
        TargetGroups: [{ TargetGroupArn: stableTg, Weight: 1 }],
        TargetGroupStickinessConfig: stickiness,
      },
    },
  ]);
  const { ClientSecret: _secret, ...publicOidc } = oidc.AuthenticateOidcConfig;
  const expected = (stable: number, canary: number) => [
    { ...oidc, AuthenticateOidcConfig: publicOidc },
    {
      Type: 'forward',
      Order: 2,
      ForwardConfig: {
        TargetGroups: [
          { TargetGroupArn: stableTg, Weight: stable },
          { TargetGroupArn: canaryTg, Weight: canary },
        ],
        TargetGroupStickinessConfig: stickiness,
      },
    },
  ];
  const t = make();
  await t.deployCanary(signal());
  expect(aws.actions(rule)).toEqual(expected(100, 0));
  await t.setWeight(25, signal());
  expect(aws.actions(rule)).toEqual(expected(75, 25));
  await make().abort();
  expect(aws.actions(rule)).toEqual(expected(100, 0));
  expect(aws.weights(rule)).toEqual({ [stableTg]: 100, [canaryTg]: 0 });
});

test("a listener's default actions keep their authenticate-cognito action too", async () => {
  const { rule, stableTg, canaryTg, make } = await setup(undefined, { listener: true });
  const cognito = {
    Type: 'authenticate-cognito',
    Order: 10,
    AuthenticateCognitoConfig: {
      UserPoolArn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc',
      UserPoolClientId: 'client',
      UserPoolDomain: 'shop-auth',
      OnUnauthenticatedRequest: 'deny',
    },
  };
  aws.setActions(rule, [
    cognito,
    { Type: 'forward', Order: 20, ForwardConfig: { TargetGroups: [{ TargetGroupArn: stableTg, Weight: 1 }] } },
  ]);
  const t = make();
  await t.deployCanary(signal());
  await t.setWeight(10, signal());
  expect(aws.actions(rule)).toEqual([
    cognito,
    {
      Type: 'forward',
      Order: 20,
      ForwardConfig: {
        TargetGroups: [
          { TargetGroupArn: stableTg, Weight: 90 },
          { TargetGroupArn: canaryTg, Weight: 10 },
        ],
        TargetGroupStickinessConfig: { Enabled: false },
      },
    },
  ]);
});

test('missing credentials and expired ones are one clear line', async () => {
  const { make, writes } = await setup();
  const keys = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  delete process.env.AWS_ACCESS_KEY_ID;
  delete process.env.AWS_SECRET_ACCESS_KEY;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_CONFIG_FILE = '/nonexistent';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent';
  try {
    const api = await sdkEcsApi({ region: 'eu-west-1', log: new MemoryLogger() });
    await expect(api.describeService('prod', 'shop')).rejects.toThrow(
      /^no AWS credentials for ecs:DescribeServices: .*run aws-actions\/configure-aws-credentials/,
    );
  } finally {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: keys.id, AWS_SECRET_ACCESS_KEY: keys.secret });
  }
  aws.expire(); // the last test: the fake stays expired
  const error = await make()
    .describe()
    .catch((e: Error) => e);
  expect(String((error as Error).message)).toMatch(
    /^AWS rejected the credentials for ecs:DescribeServices \(ExpiredTokenException: The security token included in the request is expired\).*configure-aws-credentials/,
  );
  expect((error as Error).message).not.toContain('\n');
  expect(writes()).toBe(0);
});
