// Applying 1,000 small migrations: the run-migrations bundle beside node-pg-migrate's CLI, both as
// processes the way a CI step runs them, on the same PostgreSQL, each into its own fresh database.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { spawnSync } from 'node:child_process';
import { runStep } from '../scripts/lib/local-runner.mjs';
import { startPostgres } from '../scripts/lib/services.mjs';
import { repoRoot } from '../scripts/lib/actions.mjs';
import { type BenchRow, median } from './types';

const COUNT = 1000;
const cli = join(repoRoot, 'node_modules', 'node-pg-migrate', 'bin', 'node-pg-migrate.js');
const ROUNDS = 3;

export default async function migrations(): Promise<BenchRow[]> {
  const server = await startPostgres();
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  const root = mkdtempSync(join(tmpdir(), 'bench-mig-'));
  const ours = join(root, 'ours');
  const theirs = join(root, 'theirs');
  mkdirSync(ours);
  mkdirSync(theirs);
  for (let i = 1; i <= COUNT; i++) {
    const v = String(i).padStart(5, '0');
    const up = `create table t${v} (id int primary key, note text);\ninsert into t${v} values (1, 'x');`;
    writeFileSync(join(ours, `${v}_t${v}.up.sql`), up);
    writeFileSync(join(theirs, `${v}_t${v}.sql`), `-- Up Migration\n${up}\n-- Down Migration\ndrop table t${v};\n`);
  }
  const database = async (name: string) => {
    await admin.query(`create database ${name} owner ${server.user}`);
    return server.url.replace(/\/[^/]+$/, `/${name}`);
  };
  const rows: BenchRow[] = [];
  try {
    const ours_ = async (round: number) => {
      const url = await database(`bench_ours_${round}`);
      const started = Date.now();
      const step = await runStep('run-migrations', 'main', {
        inputs: { 'database-url': url, migrations: ours },
        timeoutMs: 300_000,
      });
      if (step.outputs.applied !== String(COUNT))
        throw new Error(`run-migrations applied ${step.outputs.applied}: ${step.stdout.slice(-400)}`);
      return Date.now() - started;
    };
    // node-pg-migrate through its CLI, as a CI step would run it: process start included on both sides.
    const theirs_ = async (round: number, singleTransaction: boolean) => {
      const url = await database(`bench_npm_${singleTransaction ? 'single' : 'each'}_${round}`);
      const started = Date.now();
      const result = spawnSync(
        process.execPath,
        [
          cli,
          'up',
          '-m',
          theirs,
          '-t',
          'pgmigrations',
          singleTransaction ? '--single-transaction' : '--no-single-transaction',
        ],
        { env: { ...process.env, DATABASE_URL: url }, timeout: 300_000, encoding: 'utf8' },
      );
      const elapsed = Date.now() - started;
      const check = new pg.Client({ connectionString: url });
      await check.connect();
      const { rows } = await check.query<{ n: number }>('select count(*)::int as n from pgmigrations');
      await check.end();
      if (result.status !== 0 || rows[0]!.n !== COUNT)
        throw new Error(`node-pg-migrate applied ${rows[0]!.n}: ${result.stderr.slice(-300)}`);
      return elapsed;
    };
    // Interleaved rounds, medians: a fresh server warms up over the first thousands of CREATE TABLEs,
    // and whoever ran first would pay for it.
    const times = { ours: [] as number[], single: [] as number[], each: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      times.ours.push(await ours_(round));
      times.single.push(await theirs_(round, true));
      times.each.push(await theirs_(round, false));
    }
    const [oursMs, single, each] = [median(times.ours), median(times.single), median(times.each)];
    rows.push(
      {
        bench: 'migrations',
        case: `${COUNT} migrations, run-migrations bundle (one transaction each, lock, history)`,
        metric: `median of ${ROUNDS} wall times`,
        value: `${oursMs} ms`,
        goal: '<= 5000 ms',
        pass: oursMs <= 5000,
      },
      {
        bench: 'migrations',
        case: `${COUNT} migrations, node-pg-migrate 9 CLI default (all in one transaction)`,
        metric: `median of ${ROUNDS} wall times`,
        value: `${single} ms`,
      },
      {
        bench: 'migrations',
        case: `${COUNT} migrations, node-pg-migrate 9 CLI (one transaction each)`,
        metric: `median of ${ROUNDS} wall times`,
        value: `${each} ms`,
      },
      {
        bench: 'migrations',
        case: 'run-migrations vs node-pg-migrate default',
        metric: 'speed-up',
        value: `${(single / oursMs).toFixed(2)}x`,
        goal: '> 1x',
        pass: oursMs < single,
      },
      {
        bench: 'migrations',
        case: 'run-migrations vs node-pg-migrate, one transaction each',
        metric: 'speed-up',
        value: `${(each / oursMs).toFixed(2)}x`,
      },
    );
  } finally {
    await admin.end();
    await server.stop();
  }
  return rows;
}
