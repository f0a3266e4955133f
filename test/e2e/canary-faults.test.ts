// End-to-end fault scenarios for canary-deploy on the real stack: HAProxy 2.6 (master-worker, runtime
// API, health checks every 200 ms), Prometheus scraping every second, two fixture apps, and steady
// load through the proxy from a client that records which version answered each request. Each test
// judges what users saw, not only what the action says.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { runStep } from '../../scripts/lib/local-runner.mjs';
import { readFileSync, rmSync } from 'node:fs';
import { startFixtureApp, startLoadGenerator } from '../../scripts/lib/services.mjs';
import { haproxyCommand, slotWeights, startNginxOnSlots, startSlotStack, type SlotStack } from '../support/haproxy';
import { startServer } from '../support/servers';

let stack: SlotStack;
let load: ReturnType<typeof startLoadGenerator>;

beforeAll(async () => {
  stack = await startSlotStack({ serving: 'blue', trackLabels: true, scrapeIntervalMs: 1000 });
  load = startLoadGenerator({ targets: [{ url: stack.proxy.url, weight: 1 }], ratePerSecond: 30 });
}, 60_000);
afterAll(async () => {
  await load?.stop();
  await stack?.stop();
});

/** Starts green again on its port when a test stopped it, and waits until HAProxy sees it up. */
async function greenRunning(): Promise<void> {
  const alive = await fetch(`${stack.green.url}/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (!alive) stack.green = await startFixtureApp({ version: 'v2', port: stack.green.port });
  for (let i = 0; i < 100; i++) {
    const stat = await haproxyCommand(stack.proxy.socket, 'show stat');
    if (stat.split('\n').some((line) => line.startsWith('app,green,') && line.includes(',UP,'))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeEach(async () => {
  await greenRunning();
  await stack.reset({ errorRate: 0, latencyMs: 0, slowRate: 0 });
}, 30_000);

const base = {
  environment: 'staging',
  image: 'registry.local/shop@sha256:2b2b',
  version: 'v2',
  target: 'haproxy',
  'stable-slot': 'blue',
  steps: '20,100',
  'step-duration': '3s',
  interval: '1s',
  'min-requests': '20',
  'metrics-grace': '5s',
  'progress-deadline': '90s',
  'canary-selector': 'slot="{{canary-slot}}"',
  'baseline-selector': 'slot="{{stable-slot}}"',
  'baseline-lookback': '0',
  'health-timeout': '5s',
  'record-deployment': 'false',
};

type Step = Awaited<ReturnType<typeof runStep>>;
interface Run {
  step: Step;
  /** What the client got while the action ran, from its start to its end. */
  answers: ReturnType<typeof load.answers>;
}

async function canary(inputs: Record<string, string>, onLine?: (line: string) => void): Promise<Run> {
  const started = Date.now();
  const step = await runStep('canary-deploy', 'main', {
    inputs: { ...base, 'haproxy-socket': stack.proxy.socket, 'prometheus-url': stack.prometheus.url, ...inputs },
    timeoutMs: 150_000,
    onLine,
  });
  const ended = Date.now();
  return { step, answers: load.answers().filter((a) => a.at >= started && a.at <= ended) };
}

const fromCanary = (run: Run) => run.answers.filter((a) => a.version === 'v2');

describe('canary-deploy judges only evidence that is real, fresh and about the canary', () => {
  test('weights reset by a reload are caught at the next interval, with what changed; nothing is promoted', async () => {
    let reloaded: Promise<void> | undefined;
    const run = await canary({ steps: '50,100', 'step-duration': '20s' }, (line) => {
      if (!reloaded && /step 1\/2: 50%/.test(line)) reloaded = stack.proxy.reload();
    });
    await reloaded;
    expect(reloaded).toBeDefined();
    expect(run.step.outputs.result).toBe('aborted');
    expect(run.step.outputs.reason).toMatch(/the target's weights changed under the rollout: .*green 0 \(set to 50\)/);
    expect(run.step.exitCode).toBe(1);
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
    // Users: the canary never had more than its step's share (the old worker keeps the weights it
    // had for the connections it still serves; the runtime API reaches only the new one).
    expect(fromCanary(run).length).toBeLessThan(run.answers.length * 0.65);
  }, 180_000);

  test('a reload with the state file keeps the weights: the rollout goes on through the counter reset and promotes', async () => {
    let reloaded: Promise<void> | undefined;
    let weightsAfterReload: Promise<Record<string, number>> | undefined;
    let run: Run;
    try {
      run = await canary(
        { steps: '50,100', 'step-duration': '12s', 'haproxy-state-file': stack.proxy.stateFile },
        (line) => {
          if (!reloaded && /step 1\/2: 50%/.test(line))
            reloaded = new Promise((r) => setTimeout(r, 2000)).then(() => stack.proxy.reload());
          if (reloaded && !weightsAfterReload)
            weightsAfterReload = reloaded.then(() => slotWeights(stack.proxy.socket));
        },
      );
    } finally {
      // Later tests reload expecting the configuration's weights, as without a state file.
      rmSync(stack.proxy.stateFile, { force: true });
    }
    expect(reloaded).toBeDefined();
    // The new worker read the weights back from the state file (its show stat counters began again at 0).
    expect(await weightsAfterReload).toEqual({ blue: 50, green: 50 });
    // The reason is part of the object so a failure shows it.
    expect({ result: run.step.outputs.result, reason: run.step.outputs.reason }).toMatchObject({ result: 'promoted' });
    expect(run.step.exitCode).toBe(0);
    expect(run.step.log).not.toMatch(/fail \(/);
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 0, green: 100 });
    // Users: the canary took about half the traffic during the step, across the reload.
    expect(fromCanary(run).length).toBeGreaterThan(run.answers.length * 0.3);
  }, 180_000);

  test('selectors that match no series stop the rollout before any traffic moves, naming the selector', async () => {
    const baseline = await canary({ 'baseline-selector': 'slot="blu"' });
    expect(baseline.step.exitCode).toBe(1);
    expect(baseline.step.annotations.at(-1)?.message).toMatch(
      /^Input 'baseline-selector': 'slot="blu"' matches no series in Prometheus/,
    );
    const canaryRun = await canary({ 'canary-selector': 'slot="{{canary-slot}}",version="v9"' });
    expect(canaryRun.step.exitCode).toBe(1);
    expect(canaryRun.step.annotations.at(-1)?.message).toMatch(
      /Input 'canary-selector': 'slot="green",version="v9"' matches no series in Prometheus \(count\(\{slot="green",version="v9"\}\) is empty\) with the canary deployed/,
    );
    for (const run of [baseline, canaryRun]) expect(fromCanary(run)).toHaveLength(0);
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
  }, 180_000);

  test('a query that finds no canary series fails closed, and the failures users saw are counted by the router', async () => {
    await stack.green.setKnobs({ errorRate: 0.5 });
    // A custom query on a metric the app does not have: Prometheus answers, with nothing.
    const missing = (extra: string) => `sum(increase(app_requests_missing_total{ {{selector}}${extra} }[{{window}}]))`;
    const run = await canary({
      queries: `requests: ${missing('')}\nerrors: ${missing(', code=~"5.."')}`,
      'blast-radius': '1000',
      'step-duration': '60s',
    });
    expect(run.step.outputs.result).toBe('aborted');
    expect(run.step.outputs.reason).toMatch(
      /^no canary series: sum\(increase\(app_requests_missing_total\{ slot="green" \}\[\d+s\]\)\) matched nothing .* after the canary got traffic, while the router sent it \d+ requests \(\d+ failed\)/,
    );
    const failedForUsers = fromCanary(run).filter((a) => a.status >= 500).length;
    const reported = Number(run.step.outputs['failed-canary-requests']);
    expect(failedForUsers).toBeGreaterThan(0);
    expect(reported).toBeGreaterThanOrEqual(Math.floor(failedForUsers / 2));
    expect(reported).toBeLessThanOrEqual(failedForUsers + 3);
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
  }, 180_000);

  test('health checks are not counted as canary traffic', async () => {
    let promotedAt = Infinity;
    const run = await canary({ 'router-counters': 'false' }, (line) => {
      if (/promoting the canary to stable/.test(line)) promotedAt = Math.min(promotedAt, Date.now());
    });
    expect(run.step.outputs.result).toBe('promoted');
    const judged = Number(run.step.outputs['requests-judged']);
    const served = fromCanary(run).filter((a) => a.at < promotedAt).length;
    // HAProxy checks /health 5 times a second; counted, they would add about as many as users sent.
    expect(judged).toBeGreaterThanOrEqual(20);
    expect(judged).toBeLessThanOrEqual(served + 3);
  }, 180_000);

  test('a canary killed by its deploy command gets no traffic: a check older than the deploy does not vouch for it', async () => {
    const run = await canary({ 'deploy-command': `kill ${stack.green.pid}` });
    expect(run.step.exitCode).toBe(1);
    expect(run.step.annotations.at(-1)?.message).toMatch(
      /rollout failed and traffic is back on stable: slot green did not pass HAProxy's health checks/,
    );
    expect(fromCanary(run)).toHaveLength(0);
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
  }, 180_000);

  test('a canary that goes DOWN during a step aborts the rollout', async () => {
    let stopped: Promise<void> | undefined;
    const run = await canary({ steps: '50,100', 'step-duration': '30s' }, (line) => {
      if (!stopped && /step 1\/2: 50%/.test(line)) stopped = stack.green.stop();
    });
    await stopped;
    expect(run.step.outputs.result).toBe('aborted');
    expect(run.step.outputs.reason).toMatch(/canary slot green is DOWN/);
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
  }, 180_000);

  test("a canary failing while Prometheus is down is stopped on the router's counts, not after the grace period", async () => {
    await stack.green.setKnobs({ errorRate: 0.5 });
    // Prometheus behind a switch: it answers until the step begins, then every query gets a 503.
    let down = false;
    const prometheus = await startServer(async (req, res) => {
      if (down) {
        res.writeHead(503);
        res.end('Service Unavailable');
        return;
      }
      const upstream = await fetch(`${stack.prometheus.url}${req.url ?? '/'}`);
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(await upstream.text());
    });
    try {
      const run = await canary(
        { steps: '50,100', 'step-duration': '60s', 'metrics-grace': '60s', 'prometheus-url': prometheus.url },
        (line) => {
          if (/step 1\/2: 50%/.test(line)) down = true;
        },
      );
      expect(down).toBe(true);
      expect(run.step.outputs.result).toBe('aborted');
      expect(run.step.outputs.reason).toMatch(
        /^canary errors: HAProxy show stat green \d+\/\d+ failed .* vs HAProxy show stat blue .*, counted by the router while the metrics source is down \(.*503/,
      );
      expect(run.step.exitCode).toBe(1);
      expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
      // Users: far fewer failed canary requests than the grace period's worth (60 s of 15 canary req/s,
      // half failing: 450). Each sample first spends the provider's 5 s of retries on Prometheus's 503s,
      // so the count depends on the machine's pace; a quarter of the grace period's worth is the bound.
      const gracePeriodWorth = 60 * 30 * 0.5 * 0.5;
      expect(fromCanary(run).filter((a) => a.status >= 500).length).toBeLessThan(gracePeriodWorth / 4);
    } finally {
      await prometheus.close();
    }
  }, 180_000);

  test('a shared outage aborts with the baseline named as failing too', async () => {
    await Promise.all([stack.blue.setKnobs({ errorRate: 0.2 }), stack.green.setKnobs({ errorRate: 0.2 })]);
    const run = await canary({});
    expect(run.step.outputs.result).toBe('aborted');
    expect(run.step.outputs.reason).toMatch(
      /above the 5.00 % limit .*; baseline also failing \d+\.\d %.* — likely shared/,
    );
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
  }, 180_000);

  test('10 % of canary requests over 1 s is caught after a few slow requests, with the bucket bound', async () => {
    await stack.green.setKnobs({ slowRate: 0.1, slowMs: 1200 });
    const run = await canary({ 'step-duration': '60s', 'max-p95': '1s' });
    expect(run.step.outputs.result).toBe('aborted');
    expect(run.step.outputs.reason).toMatch(/slower than 1000 ms/);
    const slowServed = fromCanary(run).filter((a) => a.ms > 1000).length;
    expect(slowServed).toBeGreaterThan(0);
    expect(slowServed).toBeLessThanOrEqual(20);
  }, 180_000);

  test('Prometheus counting traffic the router did not send the canary aborts the rollout', async () => {
    // job="app" matches both apps: Prometheus then counts the stable version's requests as the canary's.
    const run = await canary({ 'canary-selector': 'job="app"', 'step-duration': '30s' });
    expect(run.step.outputs.result).toBe('aborted');
    expect(run.step.outputs.reason).toMatch(
      /the router and the metrics source disagree about the canary: HAProxy show stat green counts/,
    );
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
  }, 180_000);
});

describe('canary-deploy on nginx: slot health without nginx health checks', () => {
  let nginx: Awaited<ReturnType<typeof startNginxOnSlots>>;
  beforeAll(async () => {
    nginx = await startNginxOnSlots(stack);
  });
  afterAll(async () => {
    await nginx?.stop();
  });

  test('a canary whose health path stops answering during a step aborts the rollout', async () => {
    let stopped: Promise<void> | undefined;
    const run = await canary({ ...nginx.inputs, steps: '50,100', 'step-duration': '30s' }, (line) => {
      if (!stopped && /step 1\/2: 50%/.test(line)) stopped = stack.green.stop();
    });
    await stopped;
    expect(run.step.outputs.result).toBe('aborted');
    expect(run.step.outputs.reason).toMatch(
      /^canary slot green is unhealthy during the step: http:\/\/127\.0\.0\.1:\d+\/health: /,
    );
    expect(readFileSync(nginx.upstreamFile, 'utf8')).toMatch(
      new RegExp(`server 127\\.0\\.0\\.1:${stack.green.port} down;`),
    );
  }, 180_000);
});
