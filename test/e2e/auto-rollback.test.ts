// End-to-end: the committed dist/auto-rollback bundle on real HAProxy, Prometheus, fixture apps and
// PostgreSQL, with GitHub and a Slack-compatible webhook faked.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runStep } from '../../scripts/lib/local-runner.mjs';
import { repoRoot } from '../../scripts/lib/actions.mjs';
import { freePort, startHaproxy, startLoadGenerator, startPostgres } from '../../scripts/lib/services.mjs';
import { startFakeGitHub } from '../fakes/github.mjs';
import { startFakeWebhook } from '../fakes/webhook.mjs';
import { seedRelease, type SeededRelease } from '../support/deployments';
import { slotWeights, startSlotStack, type Slot, type SlotStack } from '../support/haproxy';

let stack: SlotStack;
let github: Awaited<ReturnType<typeof startFakeGitHub>>;
let webhook: Awaited<ReturnType<typeof startFakeWebhook>>;
let load: ReturnType<typeof startLoadGenerator>;
let envCount = 0;

beforeAll(async () => {
  stack = await startSlotStack({ serving: 'green', scrapeIntervalMs: 500 });
  [github, webhook] = await Promise.all([startFakeGitHub(), startFakeWebhook()]);
  load = startLoadGenerator({ targets: [{ url: stack.proxy.url, weight: 1 }], ratePerSecond: 50 });
}, 60_000);
afterAll(async () => {
  await load?.stop();
  await Promise.all([stack?.stop(), github?.stop(), webhook?.stop()]);
});

/** Records a deployment in the fake GitHub the way canary-deploy would have. */
const seed = (
  environment: string,
  version: string,
  slot: Slot,
  state: SeededRelease['state'],
  payload: Record<string, unknown> = {},
) =>
  seedRelease(github, { environment, version, image: `registry.local/shop@sha256:${version}`, slot, state, payload });

const base = { target: 'haproxy', 'health-timeout': '10s' };
const rollback = (inputs: Record<string, string>, socket = stack.proxy.socket) =>
  runStep('auto-rollback', 'main', {
    inputs: { ...base, 'haproxy-socket': socket, ...inputs },
    env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url },
    timeoutMs: 120_000,
  });

beforeEach(async () => {
  await stack.reset({ errorRate: 0 });
  webhook.bodies.length = 0;
});

describe('auto-rollback', () => {
  test('a bad version caught in the watch window is rolled back to the warm previous slot, recorded and announced', async () => {
    const env = `prod-${++envCount}`;
    const good = await seed(env, 'v1', 'blue', 'success');
    const bad = await seed(env, 'v2', 'green', 'success');
    await stack.green.setKnobs({ errorRate: 0.5 });
    const step = await rollback({
      environment: env,
      trigger: 'watch',
      'watch-duration': '30s',
      interval: '500ms',
      'prometheus-url': stack.prometheus.url,
      'canary-selector': 'slot="green"',
      'baseline-selector': 'slot="blue"',
      'min-requests': '20',
      'notify-webhook': webhook.url,
      'verify-url': `${stack.proxy.url}/health`,
    });
    expect(step.log).not.toContain('::error');
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ 'rolled-back': 'true', 'restored-version': 'v1', 'failed-version': 'v2' });
    expect(step.outputs.reason).toMatch(/^v2 breached during the watch window: canary error rate/);
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
    expect(github.statesOf(bad).at(-1)).toBe('failure');
    const restored = Number(step.outputs['deployment-id']);
    expect(github.statesOf(restored)).toEqual(['in_progress', 'success']);
    expect(github.deployments.find((d) => d.id === restored)?.payload).toMatchObject({
      version: 'v1',
      rollbackOf: bad,
      targetState: { slot: 'blue' },
    });
    expect(good).toBeLessThan(bad);
    expect(webhook.bodies).toHaveLength(1);
    expect(webhook.bodies[0].text).toContain(`Rolled back ${env} to v1`);
    expect(JSON.stringify(webhook.bodies[0].blocks)).toContain('v2 (registry.local/shop@sha256:v2)');
    expect(step.log.includes('hooksecret0123456789')).toBe(false);
  }, 120_000);

  test('a version that holds up during the watch window is left alone', async () => {
    const env = `prod-${++envCount}`;
    await seed(env, 'v1', 'blue', 'success');
    await seed(env, 'v2', 'green', 'success');
    const step = await rollback({
      environment: env,
      trigger: 'watch',
      'watch-duration': '3s',
      interval: '500ms',
      'prometheus-url': stack.prometheus.url,
      'canary-selector': 'slot="green"',
      'baseline-selector': 'slot="blue"',
    });
    expect(step.exitCode).toBe(0);
    expect(step.outputs['rolled-back']).toBe('false');
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 0, green: 100 });
  }, 60_000);

  test('after a failed smoke test it rolls back; after a passing one it does nothing; running twice leaves one rollback', async () => {
    const env = `prod-${++envCount}`;
    await seed(env, 'v1', 'blue', 'success');
    const bad = await seed(env, 'v2', 'green', 'success');
    const passed = await rollback({ environment: env, trigger: 'smoke-test', 'smoke-passed': 'true' });
    expect(passed.outputs['rolled-back']).toBe('false');
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 0, green: 100 });
    const failed = await rollback({
      environment: env,
      trigger: 'smoke-test',
      'smoke-passed': 'false',
      'smoke-reason': 'HTTP 200: expected 200, actual 502',
    });
    expect(failed.outputs).toMatchObject({
      'rolled-back': 'true',
      'restored-version': 'v1',
      reason: 'smoke test failed: HTTP 200: expected 200, actual 502',
    });
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
    const again = await rollback({ environment: env, trigger: 'smoke-test', 'smoke-passed': 'false' });
    expect(again.exitCode).toBe(0);
    expect(again.outputs['rolled-back']).toBe('false');
    expect(again.log).toContain('already rolled back');
    expect(github.deployments.filter((d) => d.environment === env)).toHaveLength(3);
    expect(github.statesOf(bad).at(-1)).toBe('failure');
  }, 60_000);

  test('a manual rollback to an older version that is no longer running deploys it to the free slot first', async () => {
    const port = await freePort();
    const lone = await startHaproxy({
      slots: [
        { name: 'blue', address: `127.0.0.1:${stack.blue.port}`, weight: 100 },
        { name: 'green', address: `127.0.0.1:${port}` },
      ],
    });
    const pidFile = join(repoRoot, '.tmp', `rollback-${port}.pid`);
    try {
      const env = `prod-${++envCount}`;
      await seed(env, 'v0', 'blue', 'success');
      await seed(env, 'v1', 'green', 'success');
      await seed(env, 'v3', 'blue', 'success');
      const step = await rollback(
        {
          environment: env,
          trigger: 'manual',
          version: 'v0',
          reason: 'v3 corrupts carts',
          'deploy-command': `sh -c "mkdir -p .tmp; node test/fixtures/app.mjs --port ${port} --version {{version}} >/dev/null 2>&1 & echo $! > ${pidFile}"`,
        },
        lone.socket,
      );
      expect(step.log).not.toContain('::error');
      expect(step.outputs).toMatchObject({
        'rolled-back': 'true',
        'restored-version': 'v0',
        reason: 'v3 corrupts carts',
      });
      expect(await slotWeights(lone.socket)).toEqual({ blue: 0, green: 100 });
      const { version } = (await (await fetch(`${lone.url}/version`)).json()) as { version: string };
      expect(version).toBe('v0');
    } finally {
      if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8')));
      await lone.stop();
    }
  }, 60_000);

  test('with no earlier good deployment it fails clearly and touches nothing', async () => {
    const env = `prod-${++envCount}`;
    await seed(env, 'v2', 'green', 'success');
    const step = await rollback({ environment: env, trigger: 'failure' });
    expect(step.exitCode).toBe(1);
    expect(step.annotations.at(-1)?.message).toBe(
      `no earlier successful deployment of ${env} to roll back to; nothing was changed. Pass \`version\` to choose one`,
    );
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 0, green: 100 });
  });

  test('a password in the reason reaches neither GitHub, the webhook, the outputs nor the log', async () => {
    const env = `prod-${++envCount}`;
    await seed(env, 'v1', 'blue', 'success');
    await seed(env, 'v2', 'green', 'success');
    const password = 'L3ak-pw&<77>';
    const sent = github.requests.length;
    const step = await rollback({
      environment: env,
      trigger: 'manual',
      reason: `v2 fails against https://ci:${password}@db.internal.example/ <!channel>`,
      'notify-webhook': webhook.url,
    });
    expect(step.exitCode).toBe(0);
    const bodies = JSON.stringify(github.requests.slice(sent).map((r) => r.body));
    expect(bodies).toContain('https://ci:***@db.internal.example/');
    for (const [where, text] of Object.entries({
      github: bodies,
      webhook: JSON.stringify(webhook.bodies),
      outputs: JSON.stringify(step.outputs),
      log: step.log,
      summary: step.summary,
    })) {
      expect(`${where}: ${text.includes(password) || text.includes(JSON.stringify(password).slice(1, -1))}`).toBe(
        `${where}: false`,
      );
    }
    expect(JSON.stringify(webhook.bodies)).not.toContain('<!channel>');
  }, 60_000);

  test('a target that fails to switch is a loud failure, and the notification says so', async () => {
    const env = `prod-${++envCount}`;
    await seed(env, 'v1', 'blue', 'success');
    const bad = await seed(env, 'v2', 'green', 'success');
    const step = await rollback(
      { environment: env, trigger: 'failure', 'notify-webhook': webhook.url },
      '/nonexistent/admin.sock',
    );
    expect(step.exitCode).toBe(1);
    expect(step.annotations.at(-1)?.message).toMatch(
      /^ROLLBACK FAILED: could not restore v1 on prod-\d+: HAProxy runtime API at \/nonexistent\/admin\.sock is not reachable/,
    );
    expect(webhook.bodies[0].text).toMatch(/Rollback of prod-\d+ FAILED/);
    expect(github.statesOf(bad).at(-1)).toBe('failure');
    expect(step.summary).toContain('🚨 Rollback');
  });

  test('a restored version that fails verify-url is a loud failure; the check carries none of the Hurl engine', async () => {
    const env = `prod-${++envCount}`;
    await seed(env, 'v1', 'blue', 'success');
    const bad = await seed(env, 'v2', 'green', 'success');
    const step = await rollback({
      environment: env,
      trigger: 'failure',
      'verify-url': `${stack.proxy.url}/not-there`,
      'notify-webhook': webhook.url,
    });
    expect(step.exitCode).toBe(1);
    expect(step.annotations.at(-1)?.message).toBe(
      `ROLLBACK FAILED: could not restore v1 on ${env}: verification failed: GET ${stack.proxy.url}/not-there: HTTP 2xx: expected 2xx, actual 404`,
    );
    expect(github.statesOf(bad).at(-1)).toBe('failure');
    expect(webhook.bodies[0].text).toMatch(/Rollback of prod-\d+ FAILED/);
    // The URL check is core's request plus the smoke runner (a string only the runner has), not the
    // Hurl engine: no chunk holds json-p3, tough-cookie, parse5, xpath or @xmldom/xmldom.
    const dist = join(repoRoot, 'dist', 'auto-rollback');
    const chunksWith = (marker: string): string[] =>
      readdirSync(dist).filter((f) => f.endsWith('.js') && readFileSync(join(dist, f), 'utf8').includes(marker));
    expect(chunksWith('no assertion was executed, so nothing was verified')).toHaveLength(1);
    const engine = [
      'JSONPathSyntaxError',
      'Cookie has domain set to a public suffix',
      'missing-doctype',
      'XPathParser',
      '[xmldom ',
    ];
    expect(engine.map((marker) => `${marker}: ${chunksWith(marker).join(', ')}`)).toEqual(
      engine.map((marker) => `${marker}: `),
    );
  }, 60_000);

  test('migrates the database down to the schema the restored version recorded', async () => {
    const db = await startPostgres();
    try {
      const workspace = mkdtempSync(join(tmpdir(), 'rb-ws-'));
      mkdirSync(join(workspace, 'migrations'));
      const files: Record<string, string> = {
        '0001_users.up.sql': 'create table users (id int);',
        '0001_users.down.sql': 'drop table users;',
        '0002_carts.up.sql': 'create table carts (id int);',
        '0002_carts.down.sql': 'drop table carts;',
      };
      for (const [name, sql] of Object.entries(files)) writeFileSync(join(workspace, 'migrations', name), sql);
      const migrate = await runStep('run-migrations', 'main', {
        inputs: { 'database-url': db.url },
        cwd: workspace,
        env: { GITHUB_WORKSPACE: workspace },
      });
      expect(migrate.outputs['version-after']).toBe('0002');
      const env = `prod-${++envCount}`;
      await seed(env, 'v1', 'blue', 'success', { schemaVersion: '0001' });
      await seed(env, 'v2', 'green', 'success', { schemaVersion: '0002' });
      const step = await runStep('auto-rollback', 'main', {
        inputs: {
          ...base,
          'haproxy-socket': stack.proxy.socket,
          environment: env,
          trigger: 'failure',
          'migrate-down': 'true',
          'database-url': db.url,
        },
        cwd: workspace,
        env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url, GITHUB_WORKSPACE: workspace },
      });
      expect(step.log).not.toContain('::error');
      expect(step.summary).toContain('Schema: migrated down 0002 → 0001 (1 undone)');
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      expect((await client.query("select to_regclass('carts') as c, to_regclass('users') as u")).rows).toEqual([
        { c: null, u: 'users' },
      ]);
      await client.end();
      expect(step.log.includes(db.password)).toBe(false);
    } finally {
      await db.stop();
    }
  }, 90_000);
});

describe('bad input', () => {
  test.each([
    [
      'smoke trigger without the smoke result',
      { environment: 'x', trigger: 'smoke-test' },
      /^Input 'smoke-passed': is '' for trigger smoke-test/,
    ],
    [
      'migrate-down without a database',
      { environment: 'x', 'migrate-down': 'true' },
      /^Input 'database-url': is required with migrate-down/,
    ],
    [
      'unknown trigger',
      { environment: 'x', trigger: 'always' },
      /^Input 'trigger': 'always' is not one of failure, smoke-test, watch, manual/,
    ],
  ])('%s', async (_name, inputs, message) => {
    const before = github.requests.length;
    const step = await rollback(inputs as Record<string, string>);
    expect(step.exitCode).toBe(1);
    expect(step.annotations[0]!.message).toMatch(message);
    expect(github.requests.length).toBe(before);
  });
});
