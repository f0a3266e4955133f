import { describe, expect, test } from '@jest/globals';
import { DeadlineError, PermanentError } from '@deploy-actions/core';
import { changedWeights, releaseDrift, releaseTrouble, slotDrift } from '../src/readback';
import type { CanaryInstances, ReleaseState, ReleaseTarget } from '../src/rollout';

const V1 = 'ghcr.io/acme/shop@sha256:1111';
const V2 = 'ghcr.io/acme/shop@sha256:2222';
const V3 = 'ghcr.io/acme/shop@sha256:3333';
const expected = { canaryImage: V2, stableImage: V1, weight: 25 };

describe('weights read back', () => {
  test('all as set: nothing to say; any one changed: every reading with what was set', () => {
    expect(
      changedWeights([
        { name: 'blue', weight: 50, set: 50 },
        { name: 'green', weight: 50, set: 50 },
      ]),
    ).toBeUndefined();
    expect(
      changedWeights([
        { name: 'blue', weight: 100, set: 50 },
        { name: 'green', weight: 50, set: 50 },
      ]),
    ).toBe('blue 100 (set to 50), green 50 (set to 50)');
    expect(changedWeights([{ name: 'canary', weight: 24, set: 25 }], ' %')).toBe('canary 24 % (set to 25 %)');
  });

  test('slots: the reason names the change and the likely cause', () => {
    expect(
      slotDrift([
        { name: 'blue', weight: 1, set: 50 },
        { name: 'green', weight: 1, set: 50 },
      ]),
    ).toBe(
      "the target's weights changed under the rollout: blue 1 (set to 50), green 1 (set to 50); a reload without a state file, or another tool, reset them, so the canary is not getting the traffic being judged",
    );
    expect(slotDrift([{ name: 'green', weight: 50, set: 50 }])).toBeUndefined();
  });
});

describe('release targets read back', () => {
  const state = (over: Partial<ReleaseState> = {}): ReleaseState => ({
    stable: { image: V1 },
    canary: { image: V2, weight: 25 },
    ...over,
  });

  test('exactly what the step set passes', () => {
    expect(releaseDrift(expected, state())).toBeUndefined();
  });

  test('a weight off by one is drift: no platform rounds what the targets write', () => {
    expect(releaseDrift(expected, state({ canary: { image: V2, weight: 24 } }))).toBe(
      'the target changed under the rollout: canary 24 % (set to 25 %); another deploy or tool changed it, so the canary is not getting the traffic being judged',
    );
    expect(releaseDrift(expected, state({ canary: { image: V2, weight: 0 } }))).toMatch(
      /^the target changed under the rollout: canary 0 % \(set to 25 %\);/,
    );
  });

  test('a canary that is gone says so, with a stable change too', () => {
    expect(releaseDrift(expected, { stable: { image: V1 } })).toBe(
      'the canary is gone from the target under the rollout (set to 25 %); another deploy or tool removed it, so no canary is getting the traffic being judged',
    );
    expect(releaseDrift(expected, { stable: { image: V3 } })).toMatch(
      /^the canary is gone from the target under the rollout \(set to 25 %\), and stable runs .*3333, not .*1111 as when the rollout started;/,
    );
  });

  test('another release on the canary, or another stable, is named with what it should be', () => {
    expect(releaseDrift(expected, state({ canary: { image: V3, weight: 25 } }))).toBe(
      `the target changed under the rollout: the canary runs ${V3}, not the release being rolled out (${V2}); another deploy or tool changed it, so what is judged is not this release`,
    );
    expect(releaseDrift(expected, state({ stable: { image: V3 } }))).toBe(
      `the target changed under the rollout: stable runs ${V3}, not ${V1} as when the rollout started; another deploy or tool changed it, so the baseline is not the version the canary would replace`,
    );
  });

  test('every change at once is every change in the reason', () => {
    expect(releaseDrift(expected, { stable: { image: V2 }, canary: { image: V3, weight: 50 } })).toBe(
      `the target changed under the rollout: canary 50 % (set to 25 %); the canary runs ${V3}, not the release being rolled out (${V2}); stable runs ${V2}, not ${V1} as when the rollout started; another deploy or tool changed it, so the canary is not getting the traffic being judged and what is judged is not this release and the baseline is not the version the canary would replace`,
    );
  });
});

describe('a canary with traffic and no ready instances', () => {
  const pods = (ready: number, desired = 2): CanaryInstances => ({
    ready,
    desired,
    noun: 'pods',
    shareWhenNoneReady: 'errors',
  });
  const canary = (instances: CanaryInstances | undefined, weight = 25): ReleaseState => ({
    stable: { image: V1 },
    canary: { image: V2, weight, ...(instances ? { instances } : {}) },
  });

  test('none ready while it takes traffic fails at once, saying where its share goes', () => {
    expect(releaseDrift(expected, canary(pods(0)))).toBe(
      'the canary has no ready pods (0 of 2) while it takes 25 % of traffic; they crashed or fail their readiness checks, so its share of users gets errors from the router',
    );
    expect(releaseDrift(expected, canary({ ready: 0, desired: 0, noun: 'tasks', shareWhenNoneReady: 'errors' }))).toBe(
      'the canary has no tasks (scaled to 0) while it takes 25 % of traffic; another tool or an autoscaler scaled it down, so its share of users gets errors from the router',
    );
    expect(releaseDrift(expected, canary({ ...pods(0), shareWhenNoneReady: 'stable' }))).toBe(
      'the canary has no ready pods (0 of 2) while it is set to take 25 % of traffic; they crashed or fail their readiness checks, so the Service sends that share to stable and the canary is not getting the traffic being judged',
    );
  });

  test('some ready is a rollout in progress, not a failure', () => {
    expect(releaseDrift(expected, canary(pods(1)))).toBeUndefined();
    expect(releaseDrift(expected, canary(pods(1, 3)))).toBeUndefined();
  });

  test('a platform that reports no count (Cloud Run scales to zero) is not judged on it', () => {
    expect(releaseDrift(expected, canary(undefined))).toBeUndefined();
  });

  test('a canary with no share has no users to fail; a change of weight is named first', () => {
    expect(releaseDrift({ ...expected, weight: 0 }, canary(pods(0), 0))).toBeUndefined();
    expect(releaseDrift(expected, canary(pods(0), 0))).toMatch(
      /^the target changed under the rollout: canary 0 % \(set to 25 %\);[^;]*$/,
    );
    expect(releaseDrift(expected, canary(pods(0), 50))).toMatch(
      /^the target changed under the rollout: canary 50 % \(set to 25 %\); .*; and the canary has no ready pods \(0 of 2\) while it takes 50 % of traffic;/,
    );
  });
});

describe('releaseTrouble', () => {
  const target = (describe: () => Promise<ReleaseState>): ReleaseTarget => ({
    kind: 'release',
    describe,
    reportedWeight: (percent) => percent,
    deployCanary: () => Promise.reject(new Error('not in this test')),
    setWeight: () => Promise.reject(new Error('not in this test')),
    promote: () => Promise.reject(new Error('not in this test')),
    abort: () => Promise.reject(new Error('not in this test')),
    rollbackTo: () => Promise.reject(new Error('not in this test')),
  });

  test('reads the target and compares', async () => {
    const signal = new AbortController().signal;
    const reads: Array<AbortSignal | undefined> = [];
    const t = target(async (s?: AbortSignal) => {
      reads.push(s);
      return { stable: { image: V1 }, canary: { image: V2, weight: 10 } };
    });
    expect(await releaseTrouble(t, expected, signal)).toMatch(/canary 10 % \(set to 25 %\)/);
    expect(await releaseTrouble(t, { ...expected, weight: 10 }, signal)).toBeUndefined();
    expect(reads).toEqual([signal, signal]); // a cancelled job stops the read and its retries
  });

  test('a read that fails after the target gave up retrying fails the step closed, with the cause', async () => {
    const signal = new AbortController().signal;
    const outage = target(() =>
      Promise.reject(
        new DeadlineError('Cloud Run get service shop still failing after 9 attempt(s) in 118000ms: HTTP 503'),
      ),
    );
    expect(await releaseTrouble(outage, expected, signal)).toBe(
      "could not read the target back during the step (Cloud Run get service shop still failing after 9 attempt(s) in 118000ms: HTTP 503), so the canary's share of traffic is unknown; failing closed",
    );
    const expired = target(() => Promise.reject(new PermanentError('the cluster rejected the credentials (401)')));
    expect(await releaseTrouble(expired, expected, signal)).toMatch(
      /rejected the credentials \(401\)\), so the canary/,
    );
  });

  test('a cancelled job is not a read-back failure: its error goes on', async () => {
    const controller = new AbortController();
    const cancelled = new Error('the job was cancelled');
    controller.abort(cancelled);
    await expect(
      releaseTrouble(
        target(() => Promise.reject(cancelled)),
        expected,
        controller.signal,
      ),
    ).rejects.toBe(cancelled);
  });
});
