import { describe, expect, test } from '@jest/globals';
import {
  DEFAULT_JUDGE_CONFIG,
  type JudgeConfig,
  judge,
  type LatencyPercentiles,
  type MetricSample,
  type Observation,
  type QueryRecord,
} from '@deploy-actions/analysis';

const START = 1_700_000_000_000;

/** A fake clock for the judge: every observation and verdict is stamped START + seconds. */
const at = (seconds: number): number => START + seconds * 1000;

interface SideSpec {
  requests: number;
  errors: number;
  latencyMs?: LatencyPercentiles;
}

function sample(seconds: number, canary: SideSpec, baseline: SideSpec): Observation {
  const queries: QueryRecord[] = [];
  for (const [side, spec] of [
    ['canary', canary],
    ['baseline', baseline],
  ] as const) {
    queries.push(
      { side, metric: 'requests', query: `http_requests_total{track="${side}"}`, value: spec.requests },
      { side, metric: 'errors', query: `http_requests_total{track="${side}",code=~"5.."}`, value: spec.errors },
      { side, metric: 'p95', query: `histogram_quantile(0.95, ...{track="${side}"}...)`, value: spec.latencyMs?.p95 },
    );
  }
  const s: MetricSample = {
    at: at(seconds),
    canary: { requests: canary.requests, errors: canary.errors, latencyMs: canary.latencyMs ?? { p95: 40 } },
    baseline: { requests: baseline.requests, errors: baseline.errors, latencyMs: baseline.latencyMs ?? { p95: 40 } },
    queries,
  };
  return { at: s.at, sample: s };
}

const config = (overrides: Partial<JudgeConfig> = {}): JudgeConfig => ({ ...DEFAULT_JUDGE_CONFIG, ...overrides });

describe('judge: errors against the baseline', () => {
  test('a canary failing 10x more often than its baseline fails, citing the exact queries and values', () => {
    const observations = [
      sample(30, { requests: 60, errors: 0 }, { requests: 540, errors: 2 }),
      sample(50, { requests: 100, errors: 6 }, { requests: 900, errors: 4 }),
    ];
    const verdict = judge(observations, config(), at(50));
    expect(verdict.outcome).toBe('fail');
    expect(verdict.check).toBe('errors-vs-baseline');
    expect(verdict.reason).toMatch(/canary errors 6\/100 .* vs baseline 4\/900/);
    expect(verdict.evidence).toEqual([
      { side: 'canary', metric: 'errors', query: 'http_requests_total{track="canary",code=~"5.."}', value: 6 },
      { side: 'canary', metric: 'requests', query: 'http_requests_total{track="canary"}', value: 100 },
      { side: 'baseline', metric: 'errors', query: 'http_requests_total{track="baseline",code=~"5.."}', value: 4 },
      { side: 'baseline', metric: 'requests', query: 'http_requests_total{track="baseline"}', value: 900 },
    ]);
    expect(verdict.stats!.pValue).toBeLessThanOrEqual(verdict.stats!.alpha);
    // P(Bin(10, 0.1) ≥ 6): 6 of the 10 errors on a side with a tenth of the traffic.
    expect(verdict.stats!.pValue).toBeCloseTo(1.469e-4, 7);
    expect(verdict.reason).toContain('P = 1.5e-4, at or under the P = 1.7e-4 allowed at 6 errors');
    expect(verdict.at).toBe(at(50));
  });

  test('a canary erring like its baseline passes once the minimum sample is in', () => {
    const verdict = judge(
      [sample(150, { requests: 300, errors: 2 }, { requests: 2700, errors: 15 })],
      config(),
      at(150),
    );
    expect(verdict.outcome).toBe('pass');
    expect(verdict.check).toBe('all');
    expect(verdict.reason).toBe(
      'canary within limits after 300 requests: errors 2/300 (0.67 %) vs baseline 15/2700 (0.56 %), chance of such a split if it were as good P = 0.52 (fails only from 3 errors), p95 40 ms vs 40 ms',
    );
    expect(verdict.evidence.length).toBe(6);
  });

  test('a canary that errs more than its baseline is not passed on too little data', () => {
    const observations = [
      sample(9, { requests: 90, errors: 0 }, { requests: 90, errors: 0 }),
      sample(10, { requests: 100, errors: 4 }, { requests: 100, errors: 0 }),
    ];
    const verdict = judge(observations, config(), at(10));
    expect(verdict).toMatchObject({ outcome: 'inconclusive', check: 'errors-vs-baseline' });
    expect(verdict.reason).toBe(
      'inconclusive, canary error rate 4.00 % so far is above the 2.00 % a pass allows, not yet significantly worse than the baseline',
    );
    const fewer = judge(
      [observations[0]!, sample(10, { requests: 100, errors: 1 }, { requests: 100, errors: 0 })],
      config(),
      at(10),
    );
    expect(fewer).toMatchObject({
      outcome: 'inconclusive',
      check: 'errors-vs-baseline',
      need: { requests: 490, etaMs: 49_000 },
    });
    // Checked independently: P(X ≤ 6 | n = 590, p = 0.02) = 0.0495, and 0.0501 at n = 589.
    expect(fewer.reason).toBe(
      'inconclusive, need 490 more canary requests (~49.0s at current traffic); to be 95 % sure the error rate (1.00 % so far) is under 2.00 %',
    );
  });

  test('one stray error early is not enough to abort', () => {
    const verdict = judge([sample(5, { requests: 10, errors: 1 }, { requests: 90, errors: 0 })], config(), at(5));
    expect(verdict.outcome).toBe('inconclusive');
    expect(verdict.check).toBe('sample-size');
  });

  test('a canary that fails outright is stopped after a handful of requests, before the minimum sample', () => {
    const verdict = judge([sample(3, { requests: 6, errors: 6 }, { requests: 54, errors: 0 })], config(), at(3));
    expect(verdict.outcome).toBe('fail');
  });

  test('the same observations, config and time give the same verdict', () => {
    const observations = [
      sample(10, { requests: 20, errors: 1 }, { requests: 180, errors: 1 }),
      sample(20, { requests: 40, errors: 2 }, { requests: 360, errors: 1 }),
    ];
    expect(judge(observations, config(), at(20))).toEqual(judge(observations, config(), at(20)));
  });
});

describe('judge: not enough data is never a pass', () => {
  test('says how many more canary requests it needs and how long they take at the current rate', () => {
    const observations = [
      sample(0, { requests: 0, errors: 0 }, { requests: 0, errors: 0 }),
      sample(10, { requests: 20, errors: 0 }, { requests: 180, errors: 0 }),
    ];
    const verdict = judge(observations, config({ minRequests: 100 }), at(10));
    expect(verdict.outcome).toBe('inconclusive');
    expect(verdict.need).toEqual({ requests: 80, etaMs: 40_000 });
    expect(verdict.reason).toBe(
      'inconclusive, need 80 more canary requests (~40.0s at current traffic); 20 of 100 so far',
    );
  });

  test('without canary traffic it says so instead of guessing a time', () => {
    const verdict = judge([sample(10, { requests: 0, errors: 0 }, { requests: 200, errors: 0 })], config(), at(10));
    expect(verdict.outcome).toBe('inconclusive');
    expect(verdict.need).toEqual({ requests: 100, etaMs: undefined });
    expect(verdict.reason).toMatch(/no canary traffic seen yet/);
  });

  test('missing latency data is inconclusive', () => {
    const verdict = judge(
      [sample(100, { requests: 200, errors: 0, latencyMs: {} }, { requests: 1800, errors: 0, latencyMs: { p95: 30 } })],
      config(),
      at(60),
    );
    expect(verdict.outcome).toBe('inconclusive');
    expect(verdict.reason).toMatch(/no p95 latency/);
  });
});

describe('judge: metrics source outages fail closed', () => {
  const good = sample(0, { requests: 0, errors: 0 }, { requests: 0, errors: 0 });
  test('within the grace period the verdict waits', () => {
    const verdict = judge(
      [good, { at: at(30), error: 'prometheus: ECONNREFUSED' }],
      config({ metricsGraceMs: 60_000 }),
      at(30),
    );
    expect(verdict).toMatchObject({ outcome: 'inconclusive', check: 'metrics-source' });
    expect(verdict.reason).toMatch(/ECONNREFUSED/);
  });

  test('past the grace period it is a failure', () => {
    const verdict = judge(
      [good, { at: at(30), error: 'x' }, { at: at(61), error: 'prometheus: ECONNREFUSED' }],
      config({ metricsGraceMs: 60_000 }),
      at(61),
    );
    expect(verdict).toMatchObject({ outcome: 'fail', check: 'metrics-source' });
    expect(verdict.reason).toMatch(
      /failing for 1m1s, longer than the 1m grace period \(fail closed\): prometheus: ECONNREFUSED/,
    );
  });

  test("while the source is down the router's own counts still judge errors; healthy ones wait", () => {
    const routed = (canaryErrors: number) => ({
      at: at(20),
      source: { canary: 'HAProxy show stat green', baseline: 'HAProxy show stat blue' },
      canary: { requests: 40, errors: canaryErrors },
      baseline: { requests: 360, errors: 1 },
    });
    const down = (canaryErrors: number) =>
      judge(
        [good, { at: at(20), error: 'prometheus: ECONNREFUSED', router: routed(canaryErrors) }],
        config({ metricsGraceMs: 60_000 }),
        at(20),
      );
    const failing = down(4);
    expect(failing).toMatchObject({ outcome: 'fail', check: 'errors-vs-baseline' });
    expect(failing.reason).toBe(
      'canary errors: HAProxy show stat green 4/40 failed (10.0 %) vs HAProxy show stat blue 1/360 (0.28 %): chance of such a split if it were as good P = 4.6e-4, at or under the P = 1.0e-3 allowed at 4 errors, counted by the router while the metrics source is down (prometheus: ECONNREFUSED)',
    );
    // 4 of the 5 errors on a tenth of the traffic: P(Bin(5, 0.1) ≥ 4) = 5·0.1⁴·0.9 + 0.1⁵ = 4.6e-4.
    expect(down(0)).toMatchObject({ outcome: 'inconclusive', check: 'metrics-source' });
    expect(down(2)).toMatchObject({ outcome: 'inconclusive', check: 'metrics-source' });
  });

  test('a source that never answered fails after the grace period too', () => {
    expect(judge([{ at: at(0), error: 'down' }], config({ metricsGraceMs: 10_000 }), at(11)).outcome).toBe('fail');
    expect(judge([], config(), at(0)).outcome).toBe('inconclusive');
  });

  test('a last sample older than the grace period is no basis for a verdict', () => {
    const verdict = judge(
      [sample(100, { requests: 200, errors: 0 }, { requests: 1800, errors: 3 })],
      config({ metricsGraceMs: 60_000 }),
      at(161),
    );
    expect(verdict).toMatchObject({ outcome: 'fail', check: 'metrics-source' });
    expect(verdict.reason).toMatch(/failing for 1m1s.*no sample since the last one$/);
  });

  test('a source that recovers is judged on its new sample', () => {
    const verdict = judge(
      [good, { at: at(30), error: 'x' }, sample(100, { requests: 200, errors: 0 }, { requests: 1800, errors: 3 })],
      config(),
      at(90),
    );
    expect(verdict.outcome).toBe('pass');
  });
});

describe('judge: absolute limits', () => {
  test('error rate over 5 % fails even when the baseline is as bad', () => {
    const verdict = judge(
      [sample(60, { requests: 100, errors: 20 }, { requests: 900, errors: 180 })],
      config(),
      at(60),
    );
    expect(verdict).toMatchObject({ outcome: 'fail', check: 'error-rate-limit' });
    expect(verdict.evidence.map((q) => `${q.side}.${q.metric}=${q.value}`)).toEqual([
      'canary.errors=20',
      'canary.requests=100',
      'baseline.errors=180',
      'baseline.requests=900',
    ]);
    expect(verdict.reason).toContain('baseline also failing 20.0 % (180/900) in the same window — likely shared');
  });

  test('an error rate just above the limit without significance is inconclusive, not a pass', () => {
    const verdict = judge([sample(60, { requests: 100, errors: 6 }, { requests: 900, errors: 54 })], config(), at(60));
    expect(verdict).toMatchObject({ outcome: 'inconclusive', check: 'errors-vs-baseline' });
    expect(verdict.reason).toMatch(/6.00 % so far is above the 5.00 % a pass allows/);
  });

  test('p95 over 1 s fails', () => {
    const verdict = judge(
      [
        sample(
          60,
          { requests: 120, errors: 0, latencyMs: { p95: 1200 } },
          { requests: 1080, errors: 0, latencyMs: { p95: 1100 } },
        ),
      ],
      config(),
      at(60),
    );
    expect(verdict).toMatchObject({ outcome: 'fail', check: 'latency-limit' });
    expect(verdict.reason).toBe('canary p95 latency 1200 ms is over the 1000 ms limit');
  });
});

describe('judge: latency against the baseline', () => {
  const judgeLatency = (canaryP95: number, baselineP95: number) =>
    judge(
      [
        sample(
          100,
          { requests: 200, errors: 0, latencyMs: { p95: canaryP95 } },
          { requests: 1800, errors: 0, latencyMs: { p95: baselineP95 } },
        ),
      ],
      config(),
      at(100),
    );

  test('within the tolerance (25 % + 25 ms) passes', () => {
    expect(judgeLatency(150, 100).outcome).toBe('pass');
  });

  test('beyond it fails with both values as evidence', () => {
    const verdict = judgeLatency(151, 100);
    expect(verdict).toMatchObject({ outcome: 'fail', check: 'latency-vs-baseline' });
    expect(verdict.evidence.map((q) => q.value)).toEqual([151, 100]);
  });
});

describe('judge: blast radius and shadow mode', () => {
  test('fails when the canary costs more failed requests beyond the baseline rate than the budget', () => {
    const observations = [sample(300, { requests: 600, errors: 7 }, { requests: 5400, errors: 27 })];
    expect(judge(observations, config(), at(150)).outcome).toBe('pass');
    const verdict = judge(observations, config({ blastRadius: 3 }), at(150));
    expect(verdict).toMatchObject({ outcome: 'fail', check: 'blast-radius' });
    expect(verdict.stats!.excessErrors).toBeCloseTo(4, 9);
    expect(verdict.reason).toBe(
      "canary cost 4.0 failed requests beyond the baseline's error rate, over the blast-radius budget of 3",
    );
  });

  test('shadow mode reports the failure but never fails', () => {
    const observations = [sample(50, { requests: 100, errors: 6 }, { requests: 900, errors: 4 })];
    const verdict = judge(observations, config({ shadow: true }), at(50));
    expect(verdict.outcome).toBe('pass');
    expect(verdict.shadowed?.check).toBe('errors-vs-baseline');
    expect(verdict.reason).toMatch(/^shadow mode, not enforced: canary errors 6\/100/);
  });
});

describe('judge: evidence that is fresh and about the canary', () => {
  const withSeries = (o: Observation, canarySeries: number): Observation =>
    'sample' in o ? { ...o, sample: { ...o.sample, canary: { ...o.sample.canary, series: canarySeries } } } : o;

  test('a step passes only on requests that arrived during it', () => {
    const stepStart = sample(60, { requests: 281, errors: 0 }, { requests: 2000, errors: 0 });
    const frozen = sample(90, { requests: 281, errors: 0 }, { requests: 2600, errors: 0 });
    const verdict = judge([stepStart, frozen], config(), at(90), { stepStartedAt: at(60) });
    expect(verdict).toMatchObject({ outcome: 'inconclusive', check: 'sample-size' });
    expect(verdict.reason).toContain('0 of 100 in this step (281 since the canary started)');
    const fresh = sample(90, { requests: 420, errors: 0 }, { requests: 2600, errors: 0 });
    expect(judge([stepStart, fresh], config(), at(90), { stepStartedAt: at(60) }).outcome).toBe('pass');
  });

  test('no canary series after the grace period fails closed, naming the query', () => {
    const empty = withSeries(sample(40, { requests: 0, errors: 0 }, { requests: 900, errors: 2 }), 0);
    const early = judge([empty], config({ metricsGraceMs: 30_000 }), at(20), { trafficSince: at(0) });
    expect(early.outcome).toBe('inconclusive');
    expect(early.reason).toContain('no canary series matched yet');
    const late = judge([empty], config({ metricsGraceMs: 30_000 }), at(40), { trafficSince: at(0) });
    expect(late).toMatchObject({ outcome: 'fail', check: 'canary-series' });
    expect(late.reason).toContain(
      'http_requests_total{track="canary"} matched nothing 40.0s after the canary got traffic',
    );
  });

  test('the router seeing no canary traffic either is no traffic, not a missing series', () => {
    const empty = withSeries(sample(40, { requests: 0, errors: 0 }, { requests: 900, errors: 2 }), 0);
    const router = {
      at: at(40),
      source: { canary: 'HAProxy show stat green', baseline: 'HAProxy show stat blue' },
      canary: { requests: 0, errors: 0 },
      baseline: { requests: 900, errors: 2 },
    };
    const verdict = judge([{ ...empty, router }], config({ metricsGraceMs: 30_000 }), at(40), { trafficSince: at(0) });
    expect(verdict.outcome).toBe('inconclusive');
  });

  test("the blast radius counts the router's failures when the metrics source saw fewer", () => {
    const observed = sample(30, { requests: 40, errors: 0 }, { requests: 400, errors: 0 });
    const router = {
      at: at(30),
      source: { canary: 'HAProxy show stat green', baseline: 'HAProxy show stat blue' },
      canary: { requests: 40, errors: 25 },
      baseline: { requests: 400, errors: 0 },
    };
    const verdict = judge([{ ...observed, router }], config({ blastRadius: 20 }), at(30));
    expect(verdict.stats?.failures).toBe(25);
    expect(verdict.outcome).toBe('fail');
  });

  test('router and metrics source disagreeing twice in a row fails closed', () => {
    const scraped = (seconds: number, requests: number): Observation => {
      const o = sample(seconds, { requests, errors: 0 }, { requests: 4000, errors: 0 });
      if ('sample' in o) Object.assign(o.sample.canary, { series: 2, observedAt: at(seconds) });
      return o;
    };
    const reading = (seconds: number, routed: number): Observation => ({
      ...scraped(seconds, routed * 30),
      router: {
        at: at(seconds),
        source: { canary: 'HAProxy show stat green', baseline: 'HAProxy show stat blue' },
        canary: { requests: routed, errors: 0 },
        baseline: { requests: 4000, errors: 0 },
      },
    });
    const once = judge([reading(10, 4)], config(), at(10));
    expect(once.check).not.toBe('router-agreement');
    const twice = judge([reading(10, 4), reading(20, 6)], config(), at(20));
    expect(twice).toMatchObject({ outcome: 'fail', check: 'router-agreement' });
    expect(twice.reason).toContain(
      'HAProxy show stat green counts 6 requests by the last scrape, the metrics source 180',
    );
    expect(twice.reason).toContain('health checks');
    // Before the canary's series are first scraped, the grace period decides, not this comparison.
    const unscraped = (seconds: number): Observation => {
      const o = reading(seconds, 12);
      if ('sample' in o) Object.assign(o.sample.canary, { requests: 0, series: 0, observedAt: undefined });
      return o;
    };
    expect(judge([unscraped(1), unscraped(2)], config(), at(2)).check).not.toBe('router-agreement');
  });

  test('a baseline whose error rate just rose is judged on the window, not diluted by the lookback', () => {
    const observation = sample(60, { requests: 200, errors: 16 }, { requests: 12_000, errors: 95 });
    if ('sample' in observation) observation.sample.baseline.inWindow = { requests: 1000, errors: 71 };
    const verdict = judge([observation], config(), at(60));
    expect(verdict.reason).toContain('baseline also failing 7.10 % (71/1000) in the same window — likely shared');
    expect(verdict.outcome).not.toBe('pass');
  });

  test('slow requests are judged like errors, with the exact bucket bound in the reason', () => {
    const observation = sample(20, { requests: 60, errors: 0 }, { requests: 540, errors: 0 });
    if ('sample' in observation) {
      observation.sample.canary.slow = { slow: 15, timed: 60, boundMs: 1000 };
      observation.sample.baseline.slow = { slow: 0, timed: 540, boundMs: 1000 };
    }
    const verdict = judge([observation], config(), at(20));
    expect(verdict).toMatchObject({ outcome: 'fail', check: 'latency-limit' });
    expect(verdict.reason).toContain(
      'canary: 15 of 60 requests (25.0 %) slower than 1000 ms, above the 5.00 % a p95 limit of 1000 ms allows',
    );
  });

  test('a bucket above the limit is named as such', () => {
    const observation = sample(20, { requests: 60, errors: 0 }, { requests: 540, errors: 0 });
    if ('sample' in observation) {
      observation.sample.canary.slow = { slow: 5, timed: 60, boundMs: 2500 };
      observation.sample.baseline.slow = { slow: 0, timed: 540, boundMs: 2500 };
    }
    const verdict = judge([observation], config(), at(20));
    expect(verdict.check).toBe('latency-vs-baseline');
    expect(verdict.reason).toContain(
      "slower than 2500 ms (the histogram's first bucket bound at or above the 1000 ms limit)",
    );
  });
});
