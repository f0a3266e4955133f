// What only the ECS target has, end to end through the committed canary-deploy and auto-rollback
// bundles against the ECS/ELBv2 fake (the shared canary and rollback scenarios run on ECS in
// platforms.test.ts): its inputs' errors, AWS credentials missing from the job, a listener's default
// action as the traffic split, failed ELB health checks, and rollback to a revision whose old tasks
// ECS still lists as stopped.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { runStep } from '../../scripts/lib/local-runner.mjs';
import { startFixtureApp } from '../../scripts/lib/services.mjs';
import { startFakeEcs } from '../fakes/ecs.mjs';
import { startFakeGitHub } from '../fakes/github.mjs';

const V1 = 'registry.example/acme/shop@sha256:1111111111111111111111111111111111111111111111111111111111111111';
const V2 = 'registry.example/acme/shop@sha256:2222222222222222222222222222222222222222222222222222222222222222';
const V3 = 'registry.example/acme/shop@sha256:3333333333333333333333333333333333333333333333333333333333333333';

type App = Awaited<ReturnType<typeof startFixtureApp>>;
let stableApp: App;
let canaryApp: App;
let github: Awaited<ReturnType<typeof startFakeGitHub>>;
let aws: Awaited<ReturnType<typeof startFakeEcs>>;
beforeAll(async () => {
  [stableApp, canaryApp, github, aws] = await Promise.all([
    startFixtureApp({ version: 'v1' }),
    startFixtureApp({ version: 'v2' }),
    startFakeGitHub(),
    startFakeEcs(),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([stableApp?.stop(), canaryApp?.stop(), github?.stop(), aws?.stop()]);
});

let n = 0;
function service(options: { listener?: boolean } = {}) {
  const name = `store${++n}`;
  const made = aws.addService({ name, image: V1, desiredCount: 2, listener: options.listener });
  const inputs = {
    environment: `production-ecs-${n}`,
    target: 'ecs',
    'ecs-cluster': 'prod',
    'ecs-service': name,
    [options.listener ? 'ecs-listener-arn' : 'ecs-listener-rule-arn']: made.rule,
    'ecs-stable-target-group-arn': made.stableTg,
    'ecs-canary-target-group-arn': made.canaryTg,
  };
  const image = (svc: string) =>
    aws.taskDefinition(aws.service('prod', svc).taskDefinition).containerDefinitions[0].image;
  const calls = () => aws.calls.filter((c) => JSON.stringify(c.input).includes(name)).length;
  return { name, made, inputs, image, calls };
}
const env = (extra: Record<string, string> = {}) => ({
  GITHUB_TOKEN: github.token,
  GITHUB_API_URL: github.url,
  ...aws.env,
  ...extra,
});
const canary = (inputs: Record<string, string>, extra: Record<string, string> = {}, environment = env()) =>
  runStep('canary-deploy', 'main', {
    inputs: {
      ...inputs,
      image: V2,
      version: 'v2',
      steps: '50,100',
      'step-duration': '1s',
      interval: '500ms',
      'min-requests': '10',
      'metrics-grace': '1s',
      metrics: 'http-probe',
      'probe-canary-url': `${canaryApp.url}/api/items`,
      'probe-baseline-url': `${stableApp.url}/api/items`,
      'probe-rate': '40',
      'progress-deadline': '60s',
      'health-timeout': '20s',
      ...extra,
    },
    env: environment,
    timeoutMs: 120_000,
  });
const errors = (step: Awaited<ReturnType<typeof runStep>>) =>
  step.annotations.filter((a) => a.level === 'error').map((a) => a.message);

test('bad ECS inputs are one line naming the input; nothing is called', async () => {
  const { inputs, made, calls } = service();
  const cases: Array<[Record<string, string>, RegExp]> = [
    [
      { 'ecs-listener-rule-arn': '' },
      /^Input 'ecs-listener-rule-arn': is required for target ecs\. Fix: give the ALB listener rule/,
    ],
    [
      { 'ecs-listener-arn': made.rule.replace('listener-rule/', 'listener/').replace(/\/[^/]+$/, '') },
      /^Input 'ecs-listener-arn': cannot be given with ecs-listener-rule-arn/,
    ],
    [
      { 'ecs-listener-rule-arn': made.stableTg },
      /^Input 'ecs-listener-rule-arn': '.*targetgroup.*' is not a listener rule ARN\. Fix: give the listener-rule ARN/,
    ],
    [
      { 'ecs-canary-target-group-arn': made.stableTg },
      /^Input 'ecs-canary-target-group-arn': is the stable target group/,
    ],
    [
      { 'aws-region': 'us-east-1' },
      /^Input 'ecs-stable-target-group-arn': is in eu-west-1 but the region is us-east-1/,
    ],
    [{ 'aws-region': 'Ireland' }, /^Input 'aws-region': 'Ireland' is not an AWS region/],
    [{ 'ecs-cluster': '' }, /^Input 'ecs-cluster': is required for target ecs/],
  ];
  for (const [change, error] of cases) {
    const step = await canary({ ...inputs, ...change });
    expect(step.exitCode).toBe(1);
    expect(errors(step)).toEqual([expect.stringMatching(error)]);
  }
  const noRegion = await canary(inputs, {}, env({ AWS_REGION: '', AWS_DEFAULT_REGION: '' }));
  expect(errors(noRegion)).toEqual([
    expect.stringMatching(/^Input 'aws-region': is required for target ecs \(no AWS_REGION in the environment\)/),
  ]);
  expect(calls()).toBe(0);
  expect(github.deployments.filter((d) => d.environment === inputs.environment)).toEqual([]);
}, 120_000);

test('no AWS credentials in the job is one line saying how to get them; nothing moves', async () => {
  const { inputs, calls } = service();
  const step = await canary(
    inputs,
    {},
    env({
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: '',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    }),
  );
  expect(step.exitCode).toBe(1);
  expect(errors(step)).toEqual([
    expect.stringMatching(
      /^no AWS credentials for ecs:DescribeServices: .*run aws-actions\/configure-aws-credentials earlier in this job/,
    ),
  ]);
  expect(calls()).toBe(0);
}, 60_000);

test("a listener's default action carries the split; promotion moves the stable service", async () => {
  const { name, made, inputs, image } = service({ listener: true });
  const step = await canary(inputs);
  expect(errors(step)).toEqual([]);
  expect(step.outputs.result).toBe('promoted');
  expect(image(name)).toBe(V2);
  expect(aws.weights(made.rule)).toEqual({ [made.stableTg]: 100, [made.canaryTg]: 0 });
  expect(aws.service('prod', `${name}-canary`).desiredCount).toBe(0);
  // Traffic moved on the listener: 50 % at step 1, back to the stable group after promotion.
  const weights = aws.calls
    .filter((c) => c.operation === 'ModifyListener' && c.input.ListenerArn === made.rule)
    .map((c) => Number(c.input['DefaultActions.member.1.ForwardConfig.TargetGroups.member.2.Weight']));
  expect(weights).toEqual([0, 50, 0]);
}, 120_000);

test('tasks failing ELB health checks stop the rollout with that reason; stable keeps all traffic', async () => {
  const { name, made, inputs, image } = service();
  const sick = 'registry.example/acme/shop@sha256:5555555555555555555555555555555555555555555555555555555555555555';
  aws.neverReady(sick, `Task failed ELB health checks in (target-group ${made.canaryTg})`, 'ServiceSchedulerInitiated');
  const step = await canary(inputs, { image: sick, version: 'v5' });
  expect(step.exitCode).toBe(1);
  expect(errors(step).join('\n')).toMatch(
    new RegExp(`${name}-canary: task \\w+ of ${name}:2 stopped: Task failed ELB health checks in \\(target-group`),
  );
  expect(image(name)).toBe(V1);
  expect(aws.weights(made.rule)).toEqual({ [made.stableTg]: 100, [made.canaryTg]: 0 });
  expect(aws.service('prod', `${name}-canary`).desiredCount).toBe(0);
}, 120_000);

test('auto-rollback goes back to the previous task definition, whose replaced tasks ECS still lists as stopped', async () => {
  const { name, made, inputs, image } = service();
  const good = await canary(inputs);
  expect(good.outputs.result).toBe('promoted');
  const bad = await canary(inputs, { image: V3, version: 'v3' });
  expect(bad.outputs.result).toBe('promoted');
  expect(image(name)).toBe(V3);
  const rollback = await runStep('auto-rollback', 'main', {
    inputs: {
      ...inputs,
      trigger: 'failure',
      reason: 'error rate 12 % after promotion',
      'verify-url': `${stableApp.url}/health`,
    },
    env: env(),
  });
  expect(errors(rollback)).toEqual([]);
  expect(rollback.outputs).toMatchObject({ 'rolled-back': 'true', 'restored-version': 'v2', 'failed-version': 'v3' });
  // The revision that ran v2 before (its replaced tasks listed as stopped), not a new one.
  expect(aws.service('prod', name).taskDefinition).toMatch(new RegExp(`task-definition/${name}:2$`));
  expect(image(name)).toBe(V2);
  expect(aws.calls.filter((c) => c.operation === 'RegisterTaskDefinition' && c.input.family === name)).toHaveLength(2);
  expect(aws.calls.some((c) => c.operation === 'DescribeTasks')).toBe(true);
  expect(aws.weights(made.rule)).toEqual({ [made.stableTg]: 100, [made.canaryTg]: 0 });
}, 240_000);
