// End-to-end: the committed dist/canary-deploy bundle on the real stack — two fixture app versions
// behind HAProxy, Prometheus scraping both, steady load through the proxy — with GitHub faked.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { runStep } from '../../scripts/lib/local-runner.mjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { startLoadGenerator, startPrometheus } from '../../scripts/lib/services.mjs';
import { startFakeGitHub } from '../fakes/github.mjs';
import { slotWeights, startNginxOnSlots, startSlotStack, type SlotStack } from '../support/haproxy';

let stack: SlotStack;
let github: Awaited<ReturnType<typeof startFakeGitHub>>;
let load: ReturnType<typeof startLoadGenerator>;

beforeAll(async () => {
  stack = await startSlotStack({ serving: 'blue', trackLabels: true, scrapeIntervalMs: 500 });
  github = await startFakeGitHub();
  load = startLoadGenerator({ targets: [{ url: stack.proxy.url, weight: 1 }], ratePerSecond: 60 });
}, 60_000);
afterAll(async () => {
  await load?.stop();
  await Promise.all([stack?.stop(), github?.stop()]);
});

beforeEach(() => stack.reset({ errorRate: 0, latencyMs: 0 }));

const base = {
  environment: 'staging',
  image: 'registry.local/shop@sha256:2b2b',
  version: 'v2',
  target: 'haproxy',
  steps: '20,50,100',
  'step-duration': '3s',
  interval: '1s',
  'min-requests': '20',
  'metrics-grace': '2s',
  'progress-deadline': '60s',
  'canary-selector': 'track="canary"',
  'baseline-selector': 'track="stable"',
  'health-timeout': '10s',
};
const canary = (inputs: Record<string, string>, extra: Parameters<typeof runStep>[2] = {}) =>
  runStep('canary-deploy', 'main', {
    inputs: { ...base, 'haproxy-socket': stack.proxy.socket, 'prometheus-url': stack.prometheus.url, ...inputs },
    env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url },
    timeoutMs: 120_000,
    ...extra,
  });

describe('canary-deploy on HAProxy with Prometheus', () => {
  test('a healthy canary goes through every step and is promoted; the deployment records it', async () => {
    const step = await canary({ 'schema-version': '0002' });
    expect(step.log).not.toMatch(/::error/);
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ result: 'promoted' });
    expect(Number(step.outputs['requests-judged'])).toBeGreaterThanOrEqual(20);
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 0, green: 100 });
    const id = Number(step.outputs['deployment-id']);
    expect(github.statesOf(id)[0]).toBe('in_progress');
    expect(github.statesOf(id).at(-1)).toBe('success');
    expect(github.deployments.find((d) => d.id === id)?.payload).toMatchObject({
      image: base.image,
      version: 'v2',
      schemaVersion: '0002',
      target: 'haproxy',
      targetState: { stableSlot: 'blue', canarySlot: 'green' },
    });
    expect(step.summary).toContain('✅ promoted');
    expect(step.summary).toContain('xychart-beta');
  }, 120_000);

  test('an error regression is aborted quickly, with the query and value that decided', async () => {
    await stack.green.setKnobs({ errorRate: 0.4 });
    // Selected by slot: the placeholders name this rollout's canary (green) and stable (blue) slots.
    const step = await canary({
      'canary-selector': 'slot="{{canary-slot}}"',
      'baseline-selector': 'slot="{{ stable-slot }}"',
    });
    expect(step.exitCode).toBe(1);
    expect(step.outputs.result).toBe('aborted');
    expect(Number(step.outputs['decision-time'])).toBeLessThan(30);
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
    expect(step.summary).toContain('❌ aborted');
    expect(step.summary).toMatch(/http_requests_total/);
    expect(step.summary).toContain('slot="green"');
    expect(github.statesOf(Number(step.outputs['deployment-id'])).at(-1)).toBe('failure');
  }, 120_000);

  test('a latency-only regression is aborted', async () => {
    await stack.green.setKnobs({ latencyMs: 400 });
    const step = await canary({ 'max-p95': '1s', 'latency-tolerance': '25' });
    expect(step.outputs.result).toBe('aborted');
    expect(step.outputs.reason).toMatch(/p95|latency/i);
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
  }, 120_000);

  test('a metrics source that goes down mid-rollout aborts it (fail closed)', async () => {
    const doomed = await startPrometheus({
      targets: [
        { address: `127.0.0.1:${stack.blue.port}`, labels: { track: 'stable' } },
        { address: `127.0.0.1:${stack.green.port}`, labels: { track: 'canary' } },
      ],
      scrapeIntervalMs: 500,
    });
    let stopped: Promise<void> | undefined;
    const step = await canary(
      { 'prometheus-url': doomed.url, 'step-duration': '30s' },
      {
        onLine: (line) => {
          if (!stopped && /step 1\/3: 20%/.test(line)) stopped = doomed.stop();
        },
      },
    );
    await stopped;
    expect(step.outputs.result).toBe('aborted');
    expect(step.outputs.reason).toMatch(/prometheus/i);
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
  }, 120_000);

  test('a rollout paused for approval is promoted by a later job', async () => {
    const start = await canary({ action: 'start', 'pause-at': '50' });
    expect(start.exitCode).toBe(0);
    expect(start.outputs.result).toBe('paused');
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 50, green: 50 });
    const id = Number(start.outputs['deployment-id']);
    expect(github.statesOf(id).at(-1)).toBe('in_progress');
    const promote = await canary({ action: 'promote', image: '' });
    expect(promote.exitCode).toBe(0);
    expect(promote.outputs).toMatchObject({ result: 'promoted', 'deployment-id': String(id) });
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 0, green: 100 });
    expect(github.statesOf(id).at(-1)).toBe('success');
  }, 120_000);

  test('a missing HAProxy socket is a clear error before any traffic moves or anything is recorded', async () => {
    const before = github.deployments.length;
    const step = await canary({ 'haproxy-socket': '/nonexistent/admin.sock' });
    expect(step.exitCode).toBe(1);
    expect(step.annotations.at(-1)?.message).toContain(
      'HAProxy runtime API at /nonexistent/admin.sock is not reachable (ENOENT)',
    );
    expect(github.deployments.length).toBe(before);
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
  }, 60_000);

  test('a cancelled job puts traffic back on stable itself', async () => {
    let cancelled = false;
    const step = await canary(
      { 'step-duration': '30s' },
      {
        onLine: (line, control) => {
          if (!cancelled && /step 1\/3: 20%/.test(line)) {
            cancelled = true;
            setTimeout(control.cancel, 1500);
          }
        },
      },
    );
    expect(cancelled).toBe(true);
    expect(step.outputs.result).toBe('aborted');
    expect(step.outputs.reason).toMatch(/job cancelled/);
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
  }, 120_000);

  test('a job that dies mid-step is cleaned up by the post step', async () => {
    let killed = false;
    const main = await canary(
      { 'step-duration': '30s' },
      {
        onLine: (line, control) => {
          if (!killed && /step 1\/3: 20%/.test(line)) {
            killed = true;
            control.kill();
          }
        },
      },
    );
    expect(main.signal).toBe('SIGKILL');
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 80, green: 20 });
    const post = await runStep('canary-deploy', 'post', {
      inputs: { ...base, 'haproxy-socket': stack.proxy.socket, 'prometheus-url': stack.prometheus.url },
      state: main.state,
      env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url },
    });
    expect(post.exitCode).toBe(0);
    expect(post.log).toContain('all traffic is back on the stable version');
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
  }, 120_000);
});

describe('canary-deploy on nginx', () => {
  let nginx: Awaited<ReturnType<typeof startNginxOnSlots>>;
  let nginxLoad: ReturnType<typeof startLoadGenerator>;
  let initial: string;
  beforeAll(async () => {
    nginx = await startNginxOnSlots(stack);
    initial = readFileSync(nginx.upstreamFile, 'utf8');
    nginxLoad = startLoadGenerator({ targets: [{ url: nginx.url, weight: 1 }], ratePerSecond: 60 });
  });
  afterAll(async () => {
    await nginxLoad?.stop();
    await nginx?.stop();
  });
  beforeEach(() => writeFileSync(nginx.upstreamFile, initial));
  const viaNginx = (inputs: Record<string, string> = {}) =>
    canary({ ...nginx.inputs, 'record-deployment': 'false', ...inputs });
  const servers = () =>
    readFileSync(nginx.upstreamFile, 'utf8')
      .split('\n')
      .filter((l) => /^\s*server /.test(l))
      .map((l) => l.replace(/#.*/, '').trim());

  test('a healthy canary is promoted', async () => {
    const step = await viaNginx();
    expect(step.exitCode).toBe(0);
    expect(step.outputs.result).toBe('promoted');
    expect(servers()).toEqual([
      `server 127.0.0.1:${stack.blue.port} down;`,
      `server 127.0.0.1:${stack.green.port} weight=100;`,
    ]);
  }, 120_000);

  test('an error regression is aborted and nginx is back on stable', async () => {
    await stack.green.setKnobs({ errorRate: 0.4 });
    const step = await viaNginx();
    expect(step.outputs.result).toBe('aborted');
    expect(servers()).toEqual([
      `server 127.0.0.1:${stack.blue.port} weight=100;`,
      `server 127.0.0.1:${stack.green.port} down;`,
    ]);
  }, 120_000);
});

describe('bad input: one line, exit 1, nothing touched', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['steps out of order', { steps: '50,25,100' }, /^Input 'steps': steps must increase \(50 then 25\)/],
    ['steps over 100', { steps: '10,150' }, /^Input 'steps': step 150 is not a whole percentage from 1 to 100/],
    ['unknown target', { target: 'k8s' }, /^Input 'target': 'k8s' is not one of haproxy, nginx, command/],
    [
      'unparsable query',
      { queries: 'errors: sum(rate(http_requests_total{code=~"5.."}[{{window}}]' },
      /^Input 'queries': the errors query cannot be parsed/,
    ],
    [
      'a health-check path that is not a path',
      { 'health-check-paths': '/health,ready' },
      /^Input 'health-check-paths': 'ready' is not a request path/,
    ],
    [
      'a path label that is not a label name',
      { 'path-label': 'http.path' },
      /^Input 'path-label': 'http\.path' is not a Prometheus label name/,
    ],
    [
      'pause at a weight that is not a step',
      { action: 'start', 'pause-at': '30' },
      /^Input 'pause-at': 30 is not one of the steps 20, 50, 100/,
    ],
  ];
  test.each(cases)('%s', async (_name, inputs, message) => {
    const before = github.requests.length;
    const step = await canary(inputs);
    expect(step.exitCode).toBe(1);
    expect(step.stdout.split('\n').filter((l) => l.startsWith('::error'))).toHaveLength(1);
    expect(step.annotations[0]!.message).toMatch(message);
    expect(github.requests.length).toBe(before);
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
  });
});
