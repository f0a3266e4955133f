import { describe, expect, test } from '@jest/globals';
import { type Clock, MemoryLogger } from '@deploy-actions/core';
import { type Judge, type RolloutPlan, type RolloutTarget, runRollout, type StepVerdict } from '../src/rollout';
import { validateWeights } from '../src/weights';

function fakeClock(): Clock {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      now += ms;
    },
  };
}

/** Records every traffic move; weight is the canary share the target would be serving. */
function fakeTarget(fail: Partial<Record<'deploy' | 'setWeight' | 'promote' | 'abort', Error>> = {}) {
  const calls: string[] = [];
  let weight = 0;
  const target: RolloutTarget & { calls: string[]; weight: () => number } = {
    calls,
    weight: () => weight,
    async deployCanary() {
      calls.push('deploy');
      if (fail.deploy) throw fail.deploy;
    },
    async setWeight(w) {
      calls.push(`weight ${w}`);
      if (fail.setWeight) throw fail.setWeight;
      weight = w;
    },
    async promote() {
      calls.push('promote');
      if (fail.promote) throw fail.promote;
      weight = 100;
    },
    async abort() {
      calls.push('abort');
      if (fail.abort) throw fail.abort;
      weight = 0;
    },
  };
  return target;
}

const verdict = (
  kind: StepVerdict['kind'],
  reason: string = kind,
  canaryRequests = 100,
  canaryFailures = 0,
): StepVerdict => ({ kind, reason, canaryRequests, canaryFailures });
const always =
  (v: StepVerdict): Judge =>
  async () =>
    v;
const plan = (over: Partial<RolloutPlan> = {}): RolloutPlan => ({
  weights: [10, 25, 50, 100],
  fromStep: 0,
  deploy: true,
  stepDurationMs: 60_000,
  intervalMs: 5_000,
  progressDeadlineMs: 30 * 60_000,
  dryRun: false,
  ...over,
});

describe('runRollout', () => {
  test('a healthy canary goes through every step, each lasting its minimum, then is promoted', async () => {
    const target = fakeTarget();
    const steps: number[] = [];
    const result = await runRollout(target, always(verdict('pass', 'error rate 0.1% vs 0.2%')), plan(), {
      log: new MemoryLogger(),
      clock: fakeClock(),
      events: { onStep: (s) => steps.push(s.weight) },
    });
    expect(result).toMatchObject({ result: 'promoted', weight: 100, canaryRequests: 100 });
    expect(target.calls).toEqual(['deploy', 'weight 10', 'weight 25', 'weight 50', 'promote']);
    expect(steps).toEqual([10, 25, 50]);
    expect(result.decisionMs).toBe(3 * 60_000);
  });

  test('a failing verdict aborts at once, with the reason that decided', async () => {
    const target = fakeTarget();
    let calls = 0;
    const judge: Judge = async (step) =>
      step.weight === 25 && ++calls === 2 ? verdict('fail', 'errors: canary 9/60 vs baseline 1/540') : verdict('pass');
    const result = await runRollout(target, judge, plan(), { log: new MemoryLogger(), clock: fakeClock() });
    expect(result).toMatchObject({ result: 'aborted', reason: 'errors: canary 9/60 vs baseline 1/540', weight: 25 });
    expect(target.calls).toEqual(['deploy', 'weight 10', 'weight 25', 'abort']);
    expect(target.weight()).toBe(0);
    expect(result.decisionMs).toBe(60_000 + 2 * 5_000);
  });

  test('inconclusive keeps the step going; the progress deadline aborts', async () => {
    const target = fakeTarget();
    const result = await runRollout(
      target,
      always(verdict('inconclusive', 'need 40 more canary requests (~20s at current traffic)')),
      plan({ progressDeadlineMs: 120_000 }),
      {
        log: new MemoryLogger(),
        clock: fakeClock(),
      },
    );
    expect(result.result).toBe('aborted');
    expect(result.reason).toBe(
      'no decision within the progress deadline of 2m at 10%: need 40 more canary requests (~20s at current traffic)',
    );
    expect(target.calls.at(-1)).toBe('abort');
  });

  test('pauses after the approval step, and a later job resumes from the next step without redeploying', async () => {
    const first = fakeTarget();
    const paused = await runRollout(first, always(verdict('pass')), plan({ pauseAt: 25 }), {
      log: new MemoryLogger(),
      clock: fakeClock(),
    });
    expect(paused).toMatchObject({ result: 'paused', stepIndex: 1, weight: 25 });
    expect(first.calls).toEqual(['deploy', 'weight 10', 'weight 25']);
    const second = fakeTarget();
    const resumed = await runRollout(
      second,
      always(verdict('pass')),
      plan({ fromStep: paused.stepIndex + 1, deploy: false }),
      { log: new MemoryLogger(), clock: fakeClock() },
    );
    expect(resumed.result).toBe('promoted');
    expect(second.calls).toEqual(['weight 50', 'promote']);
  });

  test('dry run reports what the judge would do and never aborts', async () => {
    const target = fakeTarget();
    const result = await runRollout(target, always(verdict('fail', 'p95 1400ms > 1000ms')), plan({ dryRun: true }), {
      log: new MemoryLogger(),
      clock: fakeClock(),
    });
    expect(result.result).toBe('promoted');
    expect(target.calls).not.toContain('abort');
    expect(result.shadowFailures[0]).toBe('step 10%: p95 1400ms > 1000ms');
  });

  test('a cancelled job puts traffic back on stable', async () => {
    const target = fakeTarget();
    const controller = new AbortController();
    const judge: Judge = async (step) => {
      if (step.weight === 25) controller.abort(new Error('job cancelled (SIGINT)'));
      return verdict('pass');
    };
    const result = await runRollout(target, judge, plan(), {
      log: new MemoryLogger(),
      clock: fakeClock(),
      signal: controller.signal,
    });
    expect(result).toMatchObject({ result: 'aborted', reason: 'job cancelled (SIGINT)' });
    expect(target.calls.at(-1)).toBe('abort');
    expect(target.weight()).toBe(0);
  });

  test('a target error mid-rollout aborts and fails the step', async () => {
    const target = fakeTarget({ promote: new Error('slot swap not verified') });
    await expect(
      runRollout(target, always(verdict('pass')), plan(), { log: new MemoryLogger(), clock: fakeClock() }),
    ).rejects.toThrow('rollout failed and traffic is back on stable: slot swap not verified');
    expect(target.calls.at(-1)).toBe('abort');
  });

  test('failing to put traffic back is a loud failure, never a quiet abort', async () => {
    const target = fakeTarget({ abort: new Error('admin socket gone') });
    await expect(
      runRollout(target, always(verdict('fail', 'error rate 12%')), plan(), {
        log: new MemoryLogger(),
        clock: fakeClock(),
      }),
    ).rejects.toThrow(
      'ROLLBACK FAILED: traffic may still reach the canary. Aborting because error rate 12%, then putting traffic back on stable failed: admin socket gone',
    );
  });
});

describe('validateWeights', () => {
  test.each([
    [[10, 25, 50, 100], undefined],
    [[100], undefined],
    [[50, 25, 100], 'steps must increase (50 then 25)'],
    [[10, 50], 'the last step must be 100 (promotion)'],
    [[0, 100], 'step 0 is not a whole percentage from 1 to 100'],
    [[10, 150], 'step 150 is not a whole percentage from 1 to 100'],
    [[], 'no steps'],
  ])('%j', (weights, problem) => expect(validateWeights(weights)).toBe(problem));
});
