// The real stack: two fixture apps scraped by Prometheus every second, steady traffic split between
// them, and the Prometheus provider + judge deciding from what Prometheus answers.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { InputError } from '@deploy-actions/core';
import {
  DEFAULT_JUDGE_CONFIG,
  judge,
  type JudgeConfig,
  type Observation,
  observe,
  PrometheusProvider,
  type Verdict,
} from '@deploy-actions/analysis';
import { freePort, startFixtureApp, startLoadGenerator, startPrometheus } from '../../../scripts/lib/services.mjs';

type Started<T extends (...args: never[]) => unknown> = Awaited<ReturnType<T>>;

const selectors = { canarySelector: 'track="canary"', baselineSelector: 'track="baseline"' };

/** Samples every second and judges until a verdict other than inconclusive, or the time runs out. */
async function analyse(
  provider: PrometheusProvider,
  config: JudgeConfig,
  maxSeconds: number,
): Promise<{ verdict: Verdict; observations: Observation[] }> {
  const start = Date.now();
  const observations: Observation[] = [];
  let verdict: Verdict | undefined;
  for (let i = 0; i < maxSeconds; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    observations.push(await observe(provider, { start, end: Date.now() }));
    verdict = judge(observations, config, Date.now());
    if (verdict.outcome !== 'inconclusive') break;
  }
  return { verdict: verdict!, observations };
}

describe('Prometheus provider and judge on the real stack', () => {
  let baseline: Started<typeof startFixtureApp>;
  let healthyCanary: Started<typeof startFixtureApp>;
  let badCanary: Started<typeof startFixtureApp>;
  let quietCanary: Started<typeof startFixtureApp>;
  let prometheus: Started<typeof startPrometheus>;

  beforeAll(async () => {
    [baseline, healthyCanary, badCanary] = await Promise.all([
      startFixtureApp({ version: 'v1' }),
      startFixtureApp({ version: 'v2' }),
      startFixtureApp({ version: 'v3', errorRate: 0.04 }),
    ]);
    quietCanary = await startFixtureApp({ version: 'v4' });
    prometheus = await startPrometheus({
      targets: [
        { address: `127.0.0.1:${baseline.port}`, labels: { track: 'baseline' } },
        { address: `127.0.0.1:${healthyCanary.port}`, labels: { track: 'healthy' } },
        { address: `127.0.0.1:${badCanary.port}`, labels: { track: 'canary' } },
        { address: `127.0.0.1:${quietCanary.port}`, labels: { track: 'quiet' } },
      ],
      scrapeIntervalMs: 1000,
    });
  });

  afterAll(async () => {
    await Promise.all([
      prometheus?.stop(),
      baseline?.stop(),
      healthyCanary?.stop(),
      badCanary?.stop(),
      quietCanary?.stop(),
    ]);
  });

  test('detects the canary that fails 4 % of requests against a clean baseline, with the exact PromQL and whole counts as evidence', async () => {
    const load = startLoadGenerator({
      targets: [
        { url: badCanary.url, weight: 1 },
        { url: baseline.url, weight: 1 },
      ],
      ratePerSecond: 20,
    });
    try {
      const provider = new PrometheusProvider({ url: prometheus.url, ...selectors });
      await provider.validate();
      const { verdict } = await analyse(provider, DEFAULT_JUDGE_CONFIG, 120);
      expect(verdict.outcome).toBe('fail');
      expect(verdict.check).toBe('errors-vs-baseline');
      const errors = verdict.evidence.find((q) => q.side === 'canary' && q.metric === 'errors')!;
      expect(errors.query).toBe('http_requests_total{track="canary",code=~"5.."}');
      expect(Number.isInteger(errors.value)).toBe(true);
      expect(errors.value).toBeGreaterThan(0);
      // Prometheus lags the load generator by a scrape at most: never more errors than were served.
      expect(errors.value!).toBeLessThanOrEqual(load.counts()[badCanary.url]!.errors);
    } finally {
      await load.stop();
    }
    // The analysis may take its full 120 s: at an even split with no baseline history the test needs
    // about 17 canary errors (0.5^x under the bar spent at x), some 45 s at this traffic.
  }, 150_000);

  test('passes a healthy canary once the minimum sample is in, with latency percentiles from the histogram', async () => {
    const load = startLoadGenerator({
      targets: [
        { url: healthyCanary.url, weight: 1 },
        { url: baseline.url, weight: 1 },
      ],
      ratePerSecond: 40,
    });
    try {
      const provider = new PrometheusProvider({
        url: prometheus.url,
        canarySelector: 'track="healthy"',
        baselineSelector: 'track="baseline"',
      });
      const { verdict, observations } = await analyse(provider, { ...DEFAULT_JUDGE_CONFIG, minRequests: 60 }, 60);
      expect(observations.some((o) => 'sample' in o && o.sample.canary.requests < 60)).toBe(true);
      expect(verdict.outcome).toBe('pass');
      expect(verdict.stats!.canary.latencyMs.p95).toBeGreaterThan(0);
      expect(verdict.stats!.canary.latencyMs.p95).toBeLessThan(1000);
      expect(verdict.evidence.find((q) => q.metric === 'p95' && q.side === 'canary')!.query).toBe(
        `histogram_quantile(0.95, sum by (le) (increase(http_request_duration_seconds_bucket{ track="healthy" }[${verdict.evidence.find((q) => q.metric === 'p95')!.query.match(/\[(\d+s)\]/)![1]}])))`,
      );
    } finally {
      await load.stop();
    }
  });

  test('a query Prometheus cannot parse is bad input; a custom query replaces the built-in one', async () => {
    const bad = new PrometheusProvider({
      url: prometheus.url,
      ...selectors,
      queries: { errors: 'sum(increase(http_requests_total{ {{selector}} }[{{window}}])) +' },
      inputName: 'query-errors',
    });
    await expect(bad.validate()).rejects.toThrow(InputError);
    await expect(bad.validate()).rejects.toThrow(
      /^Input 'query-errors': Prometheus rejects the query sum\(increase\(http_requests_total\{ track="canary" \}\[60s\]\)\) \+: .*Fix: correct the PromQL$/,
    );
    const custom = new PrometheusProvider({
      url: prometheus.url,
      ...selectors,
      queries: { requests: 'sum(increase(http_requests_total{ {{selector}} }[{{window}}]))' },
    });
    const observation = await observe(custom, { start: Date.now() - 30_000, end: Date.now() });
    expect(
      'sample' in observation &&
        observation.sample.queries.find((q) => q.side === 'canary' && q.metric === 'requests')!.query,
    ).toBe('sum(increase(http_requests_total{ track="canary" }[30s]))');
  });

  test('a metrics source that is down fails closed after the grace period', async () => {
    const provider = new PrometheusProvider({
      url: `http://127.0.0.1:${await freePort()}`,
      ...selectors,
      timeoutMs: 1000,
    });
    const start = Date.now();
    const observation = await observe(provider, { start, end: start });
    expect('error' in observation && observation.error).toMatch(/^prometheus: .*ECONNREFUSED/);
    expect(judge([observation], { ...DEFAULT_JUDGE_CONFIG, metricsGraceMs: 5_000 }, start + 1_000).outcome).toBe(
      'inconclusive',
    );
    expect(judge([observation], { ...DEFAULT_JUDGE_CONFIG, metricsGraceMs: 5_000 }, start + 6_000)).toMatchObject({
      outcome: 'fail',
      check: 'metrics-source',
    });
  });

  test('health checks are left out, slow requests are counted at the bucket of the limit, selectors must match series', async () => {
    const provider = new PrometheusProvider({
      url: prometheus.url,
      canarySelector: 'track="quiet"',
      baselineSelector: 'track="baseline"',
      excludePaths: ['/health'],
      slowerThanMs: 1000,
    });
    await provider.validate();
    await provider.validateCanary();
    const start = Date.now();
    await provider.sample({ start, end: start });
    const get = (path: string) => fetch(`${quietCanary.url}${path}`).then((r) => r.arrayBuffer());
    await Promise.all(Array.from({ length: 10 }, () => get('/health')));
    await Promise.all(Array.from({ length: 10 }, () => get('/api/items')));
    await quietCanary.setKnobs({ slowRate: 1, slowMs: 1100 });
    await Promise.all(Array.from({ length: 4 }, () => get('/api/items')));
    await quietCanary.setKnobs({ slowRate: 0 });
    await new Promise((r) => setTimeout(r, 2500)); // two scrapes
    const sample = await provider.sample({ start, end: Date.now() });
    expect(sample.canary).toMatchObject({ requests: 14, errors: 0, slow: { slow: 4, timed: 14, boundMs: 1000 } });
    expect(sample.canary.series).toBeGreaterThan(0);
    expect(sample.canary.observedAt).toBeGreaterThan(start);
    expect(sample.queries.find((q) => q.side === 'canary' && q.metric === 'requests')?.query).toBe(
      'http_requests_total{track="quiet",path!~"/health"}',
    );
    expect(sample.queries.find((q) => q.side === 'canary' && q.metric === 'slow')?.query).toBe(
      'http_request_duration_seconds_count{track="quiet",path!~"/health"} - http_request_duration_seconds_bucket{track="quiet",path!~"/health",le="1"}',
    );

    const nowhere = new PrometheusProvider({
      url: prometheus.url,
      canarySelector: 'track="nowhere"',
      baselineSelector: 'track="baseline"',
    });
    await expect(nowhere.validateCanary()).rejects.toThrow(
      /^Input 'canary-selector': 'track="nowhere"' matches no series in Prometheus \(count\(\{track="nowhere"\}\) is empty\) with the canary deployed/,
    );
    await expect(nowhere.validateCanary()).rejects.toBeInstanceOf(InputError);
  }, 60_000);
});
