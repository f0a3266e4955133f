// The HTTP probe against real fixture apps: it sends the traffic itself and counts what comes back.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DEFAULT_JUDGE_CONFIG, HttpProbeProvider, judge, type Observation, observe } from '@deploy-actions/analysis';
import { freePort, startFixtureApp } from '../../../scripts/lib/services.mjs';

type App = Awaited<ReturnType<typeof startFixtureApp>>;

describe('HttpProbeProvider', () => {
  let good: App;
  let broken: App;
  beforeAll(async () => {
    [good, broken] = await Promise.all([
      startFixtureApp({ version: 'v1', latencyMs: 20 }),
      startFixtureApp({ version: 'v2', errorRate: 1 }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([good?.stop(), broken?.stop()]);
  });

  test('counts requests, 5xx and latency for each side, and the judge stops the broken canary', async () => {
    const probe = new HttpProbeProvider({
      canaryUrl: `${broken.url}/api/items`,
      baselineUrl: `${good.url}/api/items`,
      ratePerSecond: 20,
    });
    const start = Date.now();
    const observations: Observation[] = [];
    try {
      probe.start();
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 250));
        observations.push(await observe(probe, { start, end: Date.now() }));
        if (judge(observations, DEFAULT_JUDGE_CONFIG, Date.now()).outcome === 'fail') break;
      }
    } finally {
      await probe.close();
    }
    const verdict = judge(observations, DEFAULT_JUDGE_CONFIG, Date.now());
    expect(verdict.outcome).toBe('fail');
    const last = observations.at(-1)!;
    if (!('sample' in last)) throw new Error(last.error);
    expect(last.sample.canary.errors).toBe(last.sample.canary.requests);
    expect(last.sample.baseline.errors).toBe(0);
    expect(last.sample.baseline.latencyMs.p50).toBeGreaterThanOrEqual(15);
    expect(last.sample.queries.find((q) => q.side === 'canary' && q.metric === 'errors')).toEqual({
      side: 'canary',
      metric: 'errors',
      query: `GET ${broken.url}/api/items at 20 req/s: 5xx, resets and timeouts`,
      value: last.sample.canary.errors,
    });
  });

  test('a side that refuses connections counts as failing; passwords in URLs never reach the query text', async () => {
    const port = await freePort();
    const probe = new HttpProbeProvider({
      canaryUrl: `http://user:hunter2-secret@127.0.0.1:${port}/`,
      baselineUrl: `${good.url}/health`,
      ratePerSecond: 20,
      timeoutMs: 1000,
    });
    probe.start();
    await new Promise((r) => setTimeout(r, 600));
    await probe.close();
    const sample = await probe.sample({ start: 0, end: Date.now() });
    expect(sample.canary.requests).toBeGreaterThanOrEqual(5);
    expect(sample.canary.errors).toBe(sample.canary.requests);
    expect(sample.canary.latencyMs.p95).toBeUndefined();
    expect(sample.baseline.errors).toBe(0);
    expect(JSON.stringify(sample.queries)).not.toContain('hunter2-secret');
    // Closed: no more traffic is sent.
    const after = (await probe.sample({ start: 0, end: Date.now() })).canary.requests;
    await new Promise((r) => setTimeout(r, 200));
    expect((await probe.sample({ start: 0, end: Date.now() })).canary.requests).toBe(after);
  });

  test('counts answers slower than the latency limit from its own timings, and the judge names the exact bound', async () => {
    const slow = await startFixtureApp({ version: 'v3' });
    await slow.setKnobs({ slowRate: 0.5, slowMs: 300 });
    const probe = new HttpProbeProvider({
      canaryUrl: `${slow.url}/api/items`,
      baselineUrl: `${good.url}/api/items`,
      ratePerSecond: 20,
      slowerThanMs: 250,
    });
    const start = Date.now();
    const observations: Observation[] = [];
    const config = { ...DEFAULT_JUDGE_CONFIG, maxLatencyMs: { p95: 250 } };
    try {
      probe.start();
      for (let i = 0; i < 40; i++) {
        await new Promise((r) => setTimeout(r, 250));
        observations.push(await observe(probe, { start, end: Date.now() }));
        if (judge(observations, config, Date.now()).outcome === 'fail') break;
      }
    } finally {
      await probe.close();
      await slow.stop();
    }
    const verdict = judge(observations, config, Date.now());
    expect(verdict).toMatchObject({ outcome: 'fail', check: 'latency-limit' });
    expect(verdict.reason).toMatch(
      /^canary: \d+ of \d+ requests \(.*\) slower than 250 ms, above the 5.00 % a p95 limit of 250 ms allows/,
    );
    const last = observations.at(-1)!;
    if (!('sample' in last)) throw new Error(last.error);
    expect(last.sample.canary.slow!.slow).toBeGreaterThan(0);
    expect(last.sample.baseline.slow).toEqual({ slow: 0, timed: last.sample.baseline.requests, boundMs: 250 });
  }, 30_000);
});
