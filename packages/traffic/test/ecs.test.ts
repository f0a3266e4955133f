// The ECS target through the real AWS SDK clients (ecs-sdk.ts) against a fake of ECS (JSON 1.1) and
// ELBv2 (query protocol) that checks SigV4 and simulates the scheduler (test/fakes/ecs.mjs).
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { MemoryLogger } from '@deploy-actions/core';
import { startFakeEcs } from '../../../test/fakes/ecs.mjs';
import { EcsTarget } from '../src/ecs';
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
async function setup(release = { image: V2, version: 'v2' }, log = new MemoryLogger()) {
  const name = `shop${++n}`;
  const { rule, stableTg, canaryTg } = aws.addService({ name, image: V1, desiredCount: 4 });
  const api = await sdkEcsApi('eu-west-1');
  const make = () => new EcsTarget({ api, cluster: 'prod', service: name, listenerArn: rule, stableTargetGroupArn: stableTg, canaryTargetGroupArn: canaryTg, release, readyTimeoutMs: 5_000, log, pollIntervalMs: 50 });
  const image = (service: string) => aws.taskDefinition(aws.service('prod', service).taskDefinition).containerDefinitions[0].image;
  return { name, rule, stableTg, canaryTg, make, image, log };
}
const signal = () => new AbortController().signal;

test('a rollout: a new revision on a canary service, weighted target groups, promotion moves the stable service', async () => {
  const { name, rule, stableTg, canaryTg, make, image } = await setup();
  const t = make();
  await t.deployCanary(signal());
  const canary = aws.service('prod', `${name}-canary`);
  expect(canary.loadBalancers).toEqual([{ targetGroupArn: canaryTg, containerName: 'app', containerPort: 8080 }]);
  expect(canary.taskDefinition).toMatch(new RegExp(`task-definition/${name}:2$`));
  expect(aws.taskDefinition(canary.taskDefinition).containerDefinitions.map((c: { image: string }) => c.image)).toEqual([V2, 'amazon/aws-for-fluent-bit:2.32']);
  expect(aws.weights(rule)).toEqual({ [stableTg]: 100, [canaryTg]: 0 });
  await t.setWeight(25, signal());
  expect(aws.weights(rule)).toEqual({ [stableTg]: 75, [canaryTg]: 25 });
  expect(aws.service('prod', `${name}-canary`).desiredCount).toBe(1);
  await t.setWeight(50, signal());
  expect(aws.service('prod', `${name}-canary`).desiredCount).toBe(2);
  expect(await make().describe()).toEqual({ stable: { image: V1 }, canary: { image: V2, weight: 50 } });
  await t.promote(signal());
  expect(image(name)).toBe(V2);
  expect(aws.weights(rule)).toEqual({ [stableTg]: 100, [canaryTg]: 0 });
  expect(aws.service('prod', `${name}-canary`).desiredCount).toBe(0);
  expect(await make().describe()).toEqual({ stable: { image: V2 } });
});

test('abort from a fresh target puts all traffic on stable and the canary at 0 tasks', async () => {
  const { name, rule, stableTg, canaryTg, make } = await setup();
  await make().deployCanary(signal());
  await make().setWeight(50, signal());
  await make().abort();
  expect(aws.weights(rule)).toEqual({ [stableTg]: 100, [canaryTg]: 0 });
  expect(aws.service('prod', `${name}-canary`).desiredCount).toBe(0);
});

test('a task that cannot pull its image fails the wait at once with ECS\'s reason', async () => {
  aws.neverReady('123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop@sha256:nope');
  const { name, rule, stableTg, make } = await setup({ image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop@sha256:nope', version: 'v3' });
  await expect(make().deployCanary(signal())).rejects.toThrow(new RegExp(`${name}-canary: task \\w+ of ${name}:\\d+ stopped: CannotPullContainerError: pull image manifest has been retried`));
  expect(aws.weights(rule)[stableTg]).toBe(100);
});

test('throttling and 5xx on both APIs are retried by the SDK; expired credentials are one clear error', async () => {
  const { make, rule, canaryTg } = await setup();
  aws.failNext('ecs', 2, 400);
  aws.failNext('elb', 1, 400);
  aws.failNext('ecs', 1, 500);
  const t = make();
  await t.deployCanary(signal());
  await t.setWeight(25, signal());
  expect(aws.weights(rule)[canaryTg]).toBe(25);
  expect(aws.calls.filter((c) => c.status >= 400).map((c) => `${c.api}:${c.status}`)).toEqual(expect.arrayContaining(['ecs:400', 'elb:400', 'ecs:500']));
  aws.expire(); // the last test: the fake stays expired
  await expect(make().describe()).rejects.toThrow(/AWS rejected the credentials for ecs:DescribeServices \(ExpiredTokenException: The security token included in the request is expired\).*configure-aws-credentials/);
});
