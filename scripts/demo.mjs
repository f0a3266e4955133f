#!/usr/bin/env node
// The local end-to-end demo: the deploy pipeline of .github/workflows/deploy.yml, run on this machine
// through the committed action bundles (as the runner runs them) against real servers:
//   build-push-image (buildah → a local docker-registry with TLS and a password)
//   → run-migrations (PostgreSQL) → canary-deploy (HAProxy, judged from Prometheus, under steady load)
//   → smoke-test (a Hurl flow through HAProxy) → auto-rollback when anything failed.
// GitHub's deployments API is the only fake (test/fakes/github.mjs).
//
//   node scripts/demo.mjs              v1 serving, then release v2 (healthy: promoted)
//   node scripts/demo.mjs --bad        then v3, whose writes fail: the smoke flow catches it, auto-rollback restores v2
//   node scripts/demo.mjs --bad=errors then v3 fails 40 % of requests: the canary judge aborts it at the first step
//
// After each release a row gives the workflow's `result`, derived by deploy.yml's own Result step
// from what these steps reported.
//
// It prints a report and leaves each step's job summary and log in demo-output/<time>/ (or under
// $DEMO_OUTPUT_DIR).
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './lib/actions.mjs';
import { createBuildahEnv } from './lib/buildah.mjs';
import { runAction } from './lib/local-runner.mjs';
import { runWorkflowStep } from './lib/workflow-runner.mjs';
import {
  freePort,
  startHaproxy,
  startLoadGenerator,
  startPostgres,
  startPrometheus,
  startRegistry,
} from './lib/services.mjs';
import { startFakeGitHub } from '../test/fakes/github.mjs';

const badArg = process.argv.slice(2).find((a) => a.startsWith('--bad'));
const bad =
  badArg === undefined
    ? undefined
    : badArg === '--bad' || badArg === '--bad=writes'
      ? 'writes'
      : badArg === '--bad=errors'
        ? 'errors'
        : usage(`unknown ${badArg}`);
for (const arg of process.argv.slice(2)) if (arg !== badArg) usage(`unknown argument ${arg}`);

const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
const out = join(process.env.DEMO_OUTPUT_DIR ?? join(repoRoot, 'demo-output'), stamp);
const demoDir = join(out, 'state');
mkdirSync(join(out, 'summaries'), { recursive: true });
mkdirSync(join(out, 'logs'), { recursive: true });
mkdirSync(join(demoDir, 'certs'), { recursive: true });

/** @type {Array<{ release: string, step: string, result: string, seconds: string, detail: string }>} */
const rows = [];
/** The id each demo step has in deploy.yml's deploy job, for the steps context its Result step reads. */
const workflowStepIds = {
  'run-migrations': 'migrate',
  'canary-deploy': 'canary',
  'smoke-test': 'smoke',
  'auto-rollback': 'rollback',
};
/** The steps context of the release being deployed, as the runner would hold it. */
let workflowSteps = {};
let stepNumber = 0;
const started = Date.now();
const cleanups = [];
/** Lines printed under the report's table. */
const notes = [];
let exitCode = 0;

try {
  say('starting the local stack: docker-registry, PostgreSQL, HAProxy, Prometheus, buildah storage, fake GitHub API');
  const buildah = createBuildahEnv();
  cleanups.push(() => buildah.cleanup());
  const [registry, postgres, github] = await Promise.all([startRegistry(), startPostgres(), startFakeGitHub()]);
  cleanups.push(
    () => registry.stop(),
    () => postgres.stop(),
    () => github.stop(),
  );
  const ports = { blue: await freePort(), green: await freePort() };
  const address = (slot) => `127.0.0.1:${ports[slot]}`;
  writeFileSync(join(demoDir, 'slots.json'), JSON.stringify(ports));
  writeFileSync(
    join(demoDir, 'auth.json'),
    JSON.stringify({
      auths: { [registry.host]: { auth: Buffer.from(`${registry.username}:${registry.password}`).toString('base64') } },
    }),
    { mode: 0o600 },
  );
  copyFileSync(join(registry.dir, 'cert.pem'), join(demoDir, 'certs', 'ca.crt'));
  cleanups.push(stopSlots);
  const proxy = await startHaproxy({
    slots: [
      { name: 'blue', address: address('blue'), weight: 100 },
      { name: 'green', address: address('green'), weight: 0 },
    ],
  });
  cleanups.push(() => proxy.stop());
  const prometheus = await startPrometheus({
    targets: ['blue', 'green'].map((slot) => ({ address: address(slot), labels: { slot } })),
    scrapeIntervalMs: 500,
    allUp: false,
  });
  cleanups.push(() => prometheus.stop());

  const env = { ...buildah.env, DEMO_DIR: demoDir, GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url };
  const image = `${registry.host}/demo/shop`;
  const deployCommand = `${process.execPath} ${join(repoRoot, 'scripts', 'demo', 'slot.mjs')} {{slot}} {{image}}`;
  const target = {
    target: 'haproxy',
    'haproxy-socket': proxy.socket,
    slots: 'blue,green',
    'deploy-command': deployCommand,
    'health-timeout': '30s',
  };
  let stable = 'blue';

  // v1 is what production runs before the demo: built, pushed and started in the blue slot directly.
  const v1 = await build('v1', workspace('v1', ['0001']), {});
  const bootstrap = await step('v1', 'deploy to blue', async () => {
    execFileSync(process.execPath, [join(repoRoot, 'scripts', 'demo', 'slot.mjs'), 'blue', v1], {
      env: { ...process.env, ...env },
      stdio: 'pipe',
    });
    await waitFor(async () => (await versionAt(proxy.url)) === 'v1', 30_000, 'v1 to answer through HAProxy');
    return { result: 'serving', detail: `blue slot, ${proxy.url}` };
  });
  if (!bootstrap.ok) throw new Error('v1 did not start in the blue slot');
  const load = startLoadGenerator({ targets: [{ url: proxy.url, weight: 1 }], ratePerSecond: 40 });
  cleanups.push(() => load.stop());

  await release('v2', ['0001', '0002'], {});
  if (bad)
    await release('v3', ['0001', '0002', '0003'], bad === 'writes' ? { WRITE_ERROR_RATE: '1' } : { ERROR_RATE: '0.4' });

  const seen = new Set();
  for (let i = 0; i < 20; i++) seen.add(await versionAt(proxy.url));
  const counts = Object.values(load.counts())[0];
  const expected = 'v2';
  if (seen.size !== 1 || !seen.has(expected)) exitCode = 1;
  report(
    `Serving now: ${[...seen].join(', ')} (20 requests through HAProxy; ${expected} expected). Background load: ${counts.requests} requests, ${counts.errors} failed.`,
  );

  /** One pass of the deploy workflow for a release, then its `result` as deploy.yml's Result step derives it. */
  async function release(version, migrations, buildArgs) {
    workflowSteps = {};
    await deployRelease(version, migrations, buildArgs);
    const failed = Object.values(workflowSteps).some((s) => s.outcome === 'failure');
    const verdict = await runWorkflowStep('.github/workflows/deploy.yml', 'deploy', 'result', {
      steps: workflowSteps,
      status: failed ? 'failure' : 'success',
    });
    rows.push({
      release: version,
      step: 'workflow result',
      result: verdict.outputs.result ?? 'FAILED',
      seconds: '',
      detail: `deploy.yml's \`result\` output; the job ${verdict.outcome === 'success' ? 'passes' : 'fails'}`,
    });
  }

  /** The deploy job's steps for a release; auto-rollback runs when a step failed, as `if: failure()` does. */
  async function deployRelease(version, migrations, buildArgs) {
    const dir = workspace(version, migrations);
    const ref = await build(version, dir, buildArgs);
    const migrate = await step(
      version,
      'run-migrations',
      () => action('run-migrations', dir, { 'database-url': postgres.url, migrations: 'migrations' }),
      (s) => ({
        result: s.exitCode === 0 ? `applied ${s.outputs.applied || 0}` : 'FAILED',
        detail: `schema ${s.outputs['version-before'] || 'none'} → ${s.outputs['version-after'] || '?'}`,
      }),
    );
    // As deploy.yml: no canary started, no deployment recorded, nothing of this run to undo.
    if (!migrate.ok) return;
    const canarySlot = stable === 'blue' ? 'green' : 'blue';
    const canary = await step(
      version,
      'canary-deploy',
      () =>
        action('canary-deploy', dir, {
          ...target,
          environment: 'production',
          image: ref,
          version,
          steps: '20,50,100',
          'step-duration': '5s',
          interval: '1s',
          'min-requests': '30',
          'metrics-grace': '5s',
          'progress-deadline': '2m',
          'prometheus-url': prometheus.url,
          'canary-selector': 'slot="{{canary-slot}}"',
          'baseline-selector': 'slot="{{stable-slot}}"',
          'record-deployment': 'true',
          'environment-url': proxy.url,
          'schema-version': migrate.step.outputs['version-after'],
        }),
      (s) => ({
        result: s.outputs.result || 'FAILED',
        detail: `${s.outputs.reason || firstError(s)}; ${s.outputs['requests-judged'] || 0} canary requests judged, ${s.outputs['failed-canary-requests'] || 0} failed${s.outputs['decision-time'] ? `, decided in ${s.outputs['decision-time']} s` : ''}`,
      }),
    );
    // As deploy.yml: an abort has already put all traffic back on stable, so nothing is rolled back;
    // a canary that failed otherwise after recording its deployment is.
    if (!canary.ok)
      return canary.step?.outputs.result === 'aborted' || !canary.step?.outputs['deployment-id']
        ? undefined
        : rollback(version, dir, {
            trigger: 'failure',
            reason: `canary failed: ${firstError(canary.step)}`,
          });
    stable = canarySlot;
    const smoke = await step(
      version,
      'smoke-test',
      () =>
        action('smoke-test', dir, {
          spec: 'smoke.hurl',
          variables: `base_url=${proxy.url}`,
          'ready-timeout': '30s',
          // Reports are written inside the workspace (the action refuses other places); kept with the logs below.
          'junit-report': 'smoke-junit.xml',
        }),
      (s) => ({
        result:
          s.outputs.passed === 'true'
            ? `passed ${s.outputs.total} flow(s)`
            : `FAILED ${s.outputs.failed || '?'} of ${s.outputs.total || '?'}`,
        detail: s.outputs.reason || `p95 ${s.outputs['p95-latency-ms']} ms`,
      }),
    );
    if (existsSync(join(dir, 'smoke-junit.xml')))
      copyFileSync(join(dir, 'smoke-junit.xml'), join(out, 'logs', `${version}-smoke-junit.xml`));
    if (!smoke.ok) {
      const rolled = await rollback(version, dir, {
        trigger: 'smoke-test',
        'smoke-passed': smoke.step.outputs.passed || 'false',
        'smoke-reason': smoke.step.outputs.reason || firstError(smoke.step),
      });
      if (rolled.ok) stable = canarySlot === 'blue' ? 'green' : 'blue';
    }
  }

  async function rollback(version, dir, inputs) {
    return step(
      version,
      'auto-rollback',
      () =>
        action('auto-rollback', dir, {
          ...target,
          environment: 'production',
          'verify-url': `${proxy.url}/health`,
          ...inputs,
        }),
      (s) => ({
        result: s.outputs['rolled-back'] === 'true' ? 'rolled back' : s.exitCode === 0 ? 'nothing to do' : 'FAILED',
        detail:
          s.outputs['rolled-back'] === 'true'
            ? `${s.outputs['failed-version']} → ${s.outputs['restored-version']}: ${s.outputs.reason}`
            : s.outputs.reason || firstError(s),
      }),
    );
  }

  async function build(version, dir, buildArgs) {
    const built = await step(
      version,
      'build-push-image',
      () =>
        action(
          'build-push-image',
          dir,
          {
            images: image,
            tags: `type=raw,value=${version}`,
            flavor: 'latest=false',
            context: 'app',
            builder: 'buildah',
            cache: 'none',
            'build-args': Object.entries({ APP_VERSION: version, ...buildArgs })
              .map(([k, v]) => `${k}=${v}`)
              .join('\n'),
            username: registry.username,
            password: registry.password,
            'registry-ca-file': join(registry.dir, 'cert.pem'),
          },
          { GITHUB_EVENT_PATH: eventFile(version) },
        ),
      (s) => ({ result: s.outputs.built === 'true' ? 'pushed' : 'FAILED', detail: s.outputs.image || firstError(s) }),
    );
    if (!built.ok) throw new Error(`building ${version} failed; see ${built.logFile}`);
    return built.step.outputs.image;
  }

  function action(name, cwd, inputs, extraEnv = {}) {
    return runAction(name, { inputs, env: { ...env, ...extraEnv }, cwd, timeoutMs: 300_000 });
  }
} catch (error) {
  exitCode = 1;
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : error}`);
} finally {
  for (const cleanup of cleanups.reverse())
    await Promise.resolve()
      .then(cleanup)
      .catch((e) => console.error(`cleanup: ${e.message}`));
  rmSync(demoDir, { recursive: true, force: true });
  rmSync(join(out, 'work'), { recursive: true, force: true });
}
printReport();
process.exit(exitCode);

/** A checkout of the service at one release: the app's build context, the migrations it ships with, the smoke spec. */
function workspace(version, migrations) {
  const dir = join(out, 'work', version);
  mkdirSync(join(dir, 'app'), { recursive: true });
  mkdirSync(join(dir, 'migrations'), { recursive: true });
  copyFileSync(join(repoRoot, 'scripts', 'demo', 'Containerfile'), join(dir, 'app', 'Containerfile'));
  copyFileSync(join(repoRoot, 'test', 'fixtures', 'app.mjs'), join(dir, 'app', 'app.mjs'));
  copyFileSync(join(repoRoot, 'scripts', 'demo', 'smoke.hurl'), join(dir, 'smoke.hurl'));
  const source = join(repoRoot, 'scripts', 'demo', 'migrations');
  for (const file of readdirSync(source))
    if (migrations.some((m) => file.startsWith(m))) cpSync(join(source, file), join(dir, 'migrations', file));
  return dir;
}

function eventFile(version) {
  const file = join(out, 'work', version, 'event.json');
  const sha = Buffer.from(version).toString('hex').padEnd(40, '0').slice(0, 40);
  writeFileSync(
    file,
    JSON.stringify({
      repository: { name: 'shop', html_url: 'https://github.com/acme/shop', default_branch: 'main' },
      head_commit: { id: sha, timestamp: new Date().toISOString() },
    }),
  );
  return file;
}

/**
 * Runs one step, keeps its summary and log, and adds a report row.
 * @param {(s: any) => { result: string, detail: string }} [describe]
 */
async function step(release, name, run, describe) {
  const n = String(++stepNumber).padStart(2, '0');
  process.stdout.write(`${n} ${release} ${name} … `);
  const t0 = Date.now();
  let s;
  let row;
  try {
    const ran = await run();
    s = ran?.main ?? ran;
    const steps = ran?.main ? [ran.main, ran.post].filter(Boolean) : [];
    if (steps.length) {
      writeFileSync(join(out, 'summaries', `${n}-${release}-${name}.md`), steps.map((x) => x.summary).join('\n'));
      const logFile = join(out, 'logs', `${n}-${release}-${name}.log`);
      writeFileSync(logFile, steps.map((x) => `== ${x.phase} (exit ${x.exitCode})\n${x.log}${x.stderr}`).join('\n'));
    }
    row = describe ? describe(s) : s;
  } catch (error) {
    row = { result: 'FAILED', detail: error instanceof Error ? error.message : String(error) };
  }
  const ok = s?.exitCode === undefined ? row.result !== 'FAILED' : s.exitCode === 0;
  if (workflowStepIds[name])
    workflowSteps[workflowStepIds[name]] = { outputs: s?.outputs ?? {}, outcome: ok ? 'success' : 'failure' };
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`${row.result} (${seconds} s)`);
  rows.push({ release, step: name, result: row.result, seconds, detail: row.detail });
  return { ok, step: s, logFile: join(out, 'logs', `${n}-${release}-${name}.log`) };
}

function firstError(s) {
  return s.annotations?.find((a) => a.level === 'error')?.message ?? `exit ${s.exitCode}`;
}

/** The version the service behind `url` reports, or why it did not answer. */
async function versionAt(url) {
  try {
    const res = await fetch(`${url}/version`, { signal: AbortSignal.timeout(5000) });
    return res.ok ? (await res.json()).version : `HTTP ${res.status}`;
  } catch (error) {
    return `no answer (${error.message})`;
  }
}

async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function stopSlots() {
  for (const file of existsSync(demoDir) ? readdirSync(demoDir).filter((f) => /^slot-.*\.json$/.test(f)) : []) {
    const { pid } = JSON.parse(readFileSync(join(demoDir, file), 'utf8'));
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
}

function report(line) {
  notes.push(line);
}
function say(line) {
  console.log(line);
}

function printReport() {
  const widths = ['release', 'step', 'result', 'seconds'].map((k) =>
    Math.max(k.length, ...rows.map((r) => r[k].length)),
  );
  const line = (r) =>
    [
      r.release.padEnd(widths[0]),
      r.step.padEnd(widths[1]),
      r.result.padEnd(widths[2]),
      r.seconds.padStart(widths[3]),
      r.detail,
    ].join('  ');
  const text = [
    '',
    `deploy-actions demo${bad ? ` (bad release: ${bad === 'writes' ? 'v3 breaks writes' : 'v3 fails 40 % of requests'})` : ''}: ${((Date.now() - started) / 1000).toFixed(0)} s`,
    line({ release: 'release', step: 'step', result: 'result', seconds: 'seconds', detail: 'detail' }),
    ...rows.map(line),
    '',
    ...notes,
    `Job summaries and logs: ${out}`,
    exitCode ? 'RESULT: the demo did not end as expected' : 'RESULT: ok',
    '',
  ].join('\n');
  console.log(text);
  writeFileSync(join(out, 'report.txt'), text);
}

function usage(problem) {
  console.error(`${problem}\nusage: node scripts/demo.mjs [--bad | --bad=writes | --bad=errors]`);
  process.exit(2);
}
