// The README's first command, end to end: `node scripts/demo.mjs --bad` runs the whole pipeline on the
// real local stack through the committed bundles, then a release that breaks writes, which the smoke
// flow catches and auto-rollback undoes. This checks what it prints and what it leaves behind.
import { afterAll, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../scripts/lib/actions.mjs';

const outDir = mkdtempSync(join(tmpdir(), 'demo-test-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

test('pnpm demo --bad: v2 promoted, v3 caught by the smoke flow and rolled back to v2; summaries left as files', () => {
  const run = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'demo.mjs'), '--bad'], {
    env: { ...process.env, DEMO_OUTPUT_DIR: outDir },
    encoding: 'utf8',
    timeout: 280_000,
  });
  const printed = run.stdout + run.stderr;
  expect(printed).toContain('RESULT: ok');
  expect(run.status).toBe(0);
  const row = (release: string, step: string) =>
    printed.split('\n').find((l) => new RegExp(`^${release}\\s+${step}\\s`).test(l)) ?? '';
  expect(row('v1', 'deploy to blue')).toContain('serving');
  expect(row('v2', 'run-migrations')).toMatch(/applied 2 .*schema none → 0002/);
  expect(row('v2', 'canary-deploy')).toMatch(/promoted .*every step passed/);
  expect(row('v2', 'smoke-test')).toContain('passed');
  expect(row('v3', 'smoke-test')).toMatch(
    /FAILED .*POST http:\/\/127\.0\.0\.1:\d+\/api\/items: HTTP 201: expected 201, actual 500/,
  );
  expect(row('v3', 'auto-rollback')).toMatch(/rolled back .*v3 → v2/);
  // The workflow's verdict, from deploy.yml's Result step: only a promotion that held is green.
  expect(row('v2', 'workflow result')).toMatch(/promoted .*the job passes/);
  expect(row('v3', 'workflow result')).toMatch(/rolled-back .*the job fails/);
  expect(printed).toMatch(/Serving now: v2 \(20 requests/);

  const [runDir] = readdirSync(outDir);
  const summaries = readdirSync(join(outDir, runDir!, 'summaries'));
  expect(summaries).toEqual(
    expect.arrayContaining(['05-v2-canary-deploy.md', '10-v3-smoke-test.md', '11-v3-auto-rollback.md']),
  );
  const rollback = readFileSync(join(outDir, runDir!, 'summaries', '11-v3-auto-rollback.md'), 'utf8');
  expect(rollback).toContain('### ↩️ Rolled back production: v3 → v2');
  expect(rollback).toMatch(/Schema: stays at 0003 \(v2 was deployed with 0002\)/);
  // Nothing of the run's state (auth file, slot pids) is left, and the registry and database passwords
  // appear in no summary, log or report.
  expect(readdirSync(join(outDir, runDir!)).sort()).toEqual(['logs', 'report.txt', 'summaries']);
  const everything = [
    printed,
    ...['summaries', 'logs'].flatMap((d) =>
      readdirSync(join(outDir, runDir!, d)).map((f) => readFileSync(join(outDir, runDir!, d, f), 'utf8')),
    ),
  ].join('\n');
  for (const secret of ['r3gistry-pass', 's3cret-pg-pass', Buffer.from('ci:r3gistry-pass').toString('base64')])
    expect(everything).not.toContain(secret);
}, 300_000);
