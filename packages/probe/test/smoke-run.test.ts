import { describe, expect, test } from '@jest/globals';
import { type Clock, MemoryLogger } from '@deploy-actions/core';
import { runSmoke, percentile } from '../src/smoke/run';
import { junitXml, summaryMarkdown, failureAnnotations } from '../src/smoke/report';
import type { CheckOutcome, SmokeCheck, StepOutcome } from '../src/smoke/model';

function fakeClock(): Clock {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
}

const ok = (durationMs = 10): StepOutcome => ({
  request: 'GET http://svc/health',
  status: 200,
  durationMs,
  assertions: [{ source: 'HTTP 200', ok: true }],
});
const refused: StepOutcome = {
  request: 'GET http://svc/health',
  error: 'ECONNREFUSED',
  retryable: true,
  assertions: [],
};
const unavailable: StepOutcome = {
  request: 'GET http://svc/health',
  status: 503,
  durationMs: 2,
  retryable: true,
  assertions: [{ source: 'HTTP 200', ok: false, expected: '200', actual: '503' }],
};
const wrongBody: StepOutcome = {
  request: 'GET http://svc/health',
  status: 200,
  durationMs: 5,
  line: 3,
  assertions: [{ line: 6, source: 'jsonpath "$.status" == "ok"', ok: false, expected: '"ok"', actual: '"degraded"' }],
};

function scripted(name: string, outcomes: StepOutcome[][], file?: string): SmokeCheck & { calls: number } {
  const check = {
    name,
    file,
    calls: 0,
    async run(): Promise<CheckOutcome> {
      const steps = outcomes[Math.min(check.calls, outcomes.length - 1)]!;
      check.calls++;
      return { steps };
    },
  };
  return check;
}

const base = { readyTimeoutMs: 30_000, readyIntervalMs: 500, flakeBudget: 0, parallelism: 4 };

describe('runSmoke', () => {
  test('waits through refused connections and 503s, then asserts once', async () => {
    const check = scripted('health', [[refused], [refused], [unavailable], [ok()]]);
    const report = await runSmoke([check], { ...base, clock: fakeClock(), log: new MemoryLogger() });
    expect(report.passed).toBe(true);
    expect(report.results[0]).toMatchObject({ status: 'passed', attempts: 1 });
    expect(report.results[0]!.readyAfterMs).toBeGreaterThan(0);
    expect(check.calls).toBe(4);
  });

  test('a service that never becomes ready fails at the deadline with the last cause', async () => {
    const check = scripted('health', [[refused]]);
    const report = await runSmoke([check], {
      ...base,
      readyTimeoutMs: 10_000,
      clock: fakeClock(),
      log: new MemoryLogger(),
    });
    expect(report.passed).toBe(false);
    expect(report.results[0]!.reason).toBe('not ready within 10.0s: GET http://svc/health: ECONNREFUSED');
  });

  test('an assertion failure once ready is final without a flake budget', async () => {
    const check = scripted('health', [[wrongBody], [ok()]]);
    const report = await runSmoke([check], { ...base, clock: fakeClock(), log: new MemoryLogger() });
    expect(check.calls).toBe(1);
    expect(report.results[0]).toMatchObject({
      status: 'failed',
      reason: 'GET http://svc/health: jsonpath "$.status" == "ok": expected "ok", actual "degraded"',
    });
    expect(report.failedCount).toBe(1);
  });

  test('the flake budget is shared across checks and marks re-run passes as flaky', async () => {
    const a = scripted('a', [[wrongBody], [ok()]]);
    const b = scripted('b', [[wrongBody], [ok()]]);
    const report = await runSmoke([a, b], {
      ...base,
      flakeBudget: 1,
      parallelism: 1,
      clock: fakeClock(),
      log: new MemoryLogger(),
    });
    expect(report.results.map((r) => r.status)).toEqual(['flaky', 'failed']);
    expect(report.flakyCount).toBe(1);
    expect(report.passed).toBe(false);
  });

  test('zero assertions executed is a failure, not a pass', async () => {
    const check = scripted('empty', [[{ request: 'GET http://svc/', status: 200, durationMs: 1, assertions: [] }]]);
    const report = await runSmoke([check], { ...base, clock: fakeClock(), log: new MemoryLogger() });
    expect(report.passed).toBe(false);
    expect(report.problem).toBe('no assertion was executed, so nothing was verified');
  });

  test('runs at most `parallelism` checks at once', async () => {
    let running = 0;
    let peak = 0;
    const checks: SmokeCheck[] = Array.from({ length: 10 }, (_, i) => ({
      name: `c${i}`,
      async run() {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return { steps: [ok()] };
      },
    }));
    const report = await runSmoke(checks, { ...base, parallelism: 3, log: new MemoryLogger() });
    expect(report.passed).toBe(true);
    expect(peak).toBe(3);
  });

  test('p95 over every request of the final runs', async () => {
    const checks = Array.from({ length: 20 }, (_, i) => scripted(`c${i}`, [[ok(i + 1)]]));
    const report = await runSmoke(checks, { ...base, clock: fakeClock(), log: new MemoryLogger() });
    expect(report.p95Ms).toBe(19);
    expect(percentile([], 95)).toBeUndefined();
  });
});

describe('reports', () => {
  test('summary, annotations and JUnit carry expected vs actual, escaped', async () => {
    const failing = scripted('flow <login & order>', [[ok(), wrongBody]], 'smoke/flow.hurl');
    const passing = scripted('health', [[ok()]]);
    const report = await runSmoke([failing, passing], { ...base, clock: fakeClock(), log: new MemoryLogger() });
    const summary = summaryMarkdown(report);
    expect(summary).toContain('### Smoke test: ❌ failed');
    expect(summary).toContain(
      '| flow <login & order> | ❌ failed | 10 ms | GET http://svc/health: jsonpath "$.status" == "ok": expected "ok", actual "degraded" | smoke/flow.hurl:6 |',
    );
    expect(failureAnnotations(report)).toEqual([
      {
        message:
          'flow <login & order>: GET http://svc/health: jsonpath "$.status" == "ok": expected "ok", actual "degraded"',
        file: 'smoke/flow.hurl',
        line: 6,
        title: 'Smoke check failed',
      },
    ]);
    const xml = junitXml(report);
    expect(xml).toContain('<testsuite name="smoke-test" tests="2" failures="1"');
    expect(xml).toContain('<testcase name="flow &lt;login &amp; order&gt;" classname="smoke/flow.hurl"');
    expect(xml).toContain(
      '<failure message="GET http://svc/health: jsonpath &quot;$.status&quot; == &quot;ok&quot;: expected &quot;ok&quot;, actual &quot;degraded&quot;"',
    );
  });
});
