// The engine against a real PostgreSQL (scripts/lib/services.mjs): each test gets its own database,
// and every claim is checked in the database itself, from another session.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { MemoryLogger, PermanentError, TransientError } from '@deploy-actions/core';
import { startTestPostgres, type TestPostgres } from '../../../test/support/postgres';
import {
  ChecksumDriftError,
  checksum,
  InterruptedMigrationError,
  planMarkdown,
  statusText,
  endLeftoverSessions,
  loadMigrations,
  MigrationError,
  type MigratorOptions,
  Migrator,
  runCommand,
  type SqlClient,
} from '../src/index';

let postgres: TestPostgres;
const clients: pg.Client[] = [];

beforeAll(async () => {
  postgres = await startTestPostgres({ password: 'engine-Pa55-9', prefix: 'e' });
}, 60_000);

afterAll(async () => {
  for (const client of clients) await client.end().catch(() => undefined);
  await postgres?.stop();
});

/** A fresh database, a folder of migration files, and a session to inspect the database from. */
async function fixture(files: Record<string, string>) {
  const url = await postgres.freshDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'engine-'));
  const write = (file: string, sql: string): void => writeFileSync(join(dir, file), sql);
  for (const [file, sql] of Object.entries(files)) write(file, sql);
  const inspector = await connect(url, 'inspector');
  const q = async <R = Record<string, unknown>>(sql: string): Promise<R[]> => (await inspector.query(sql)).rows as R[];
  return { url, dir, write, q, set: () => loadMigrations(dir) };
}

async function connect(url: string, applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName });
  client.on('error', () => undefined); // a session ended by a test
  await client.connect();
  clients.push(client);
  return client;
}

/** A Migrator on its own session, as one job would have. */
async function job(url: string, options: Partial<MigratorOptions> = {}, applicationName = 'job') {
  const client = await connect(url, applicationName);
  const log = options.log instanceof MemoryLogger ? options.log : new MemoryLogger();
  const migrator = new Migrator({
    client: client as unknown as SqlClient,
    table: 'deploy_actions_migrations',
    lockWaitMs: 20_000,
    lockTimeoutMs: 5_000,
    statementTimeoutMs: 60_000,
    lockRetries: 0,
    appliedBy: `run ${applicationName}`,
    log,
    ...options,
  });
  return { migrator, client, log };
}

/** A logger that also calls back on warnings, to act at the moment the engine reports something. */
function watchingLogger(onWarning: (message: string) => void): MemoryLogger {
  const log = new MemoryLogger();
  const warning = log.warning.bind(log);
  log.warning = (message, annotation) => {
    warning(message, annotation);
    onWarning(message);
  };
  return log;
}

/** The backend pid of a session (node-postgres keeps it but does not type it). */
const pid = (client: pg.Client): number => (client as unknown as { processID: number }).processID;

const heldAdvisoryLocks = async (q: (sql: string) => Promise<unknown[]>): Promise<number> =>
  (await q("select 1 from pg_locks where locktype = 'advisory' and granted")).length;

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not happen within 10s`);
}

const failure = async (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: Error) => e,
  );

describe('apply', () => {
  test('applies pending migrations in version order, records each, and a re-run is a no-op', async () => {
    const f = await fixture({
      '1_users.sql': 'create table users (id int primary key);',
      '2_orders.sql': 'create table orders (id int primary key, user_id int references users (id));',
      '10_order_notes.sql':
        "alter table orders add column note text;\ncomment on column orders.note is 'free text; may be empty';",
    });
    const { migrator } = await job(f.url);
    const result = await migrator.apply(f.set());
    expect(result).toEqual({
      before: undefined,
      after: '10',
      applied: [
        expect.objectContaining({ version: '1' }),
        expect.objectContaining({ version: '2' }),
        expect.objectContaining({ version: '10', name: 'order_notes' }),
      ],
    });
    const rows = await f.q<{
      version: string;
      name: string;
      checksum: string;
      applied_by: string;
      duration_ms: number;
      applied_at: Date;
    }>(
      'select version, name, checksum, applied_by, duration_ms, applied_at from deploy_actions_migrations order by applied_at, version::int',
    );
    expect(rows.map((r) => [r.version, r.name, r.applied_by])).toEqual([
      ['1', 'users', 'run job'],
      ['2', 'orders', 'run job'],
      ['10', 'order_notes', 'run job'],
    ]);
    expect(rows[2]!.checksum).toBe(checksum(f.set().ups[2]!.sql));
    expect(rows.every((r) => r.duration_ms >= 0 && r.applied_at instanceof Date)).toBe(true);
    expect(await f.q("select col_description('orders'::regclass, 3) as note")).toEqual([
      { note: 'free text; may be empty' },
    ]);

    const again = await migrator.apply(f.set());
    expect(again).toEqual({ before: '10', after: '10', applied: [] });
    expect(await f.q('select count(*)::int as n from deploy_actions_migrations')).toEqual([{ n: 3 }]);
    expect(await heldAdvisoryLocks(f.q)).toBe(0);
  });

  test('checksum drift of an applied file is an error with a diff, and nothing pending runs', async () => {
    const f = await fixture({ '0001_users.up.sql': 'create table users (\n  id int primary key,\n  email text\n);\n' });
    const { migrator } = await job(f.url);
    await migrator.apply(f.set());
    f.write('0001_users.up.sql', 'create table users (\n  id bigint primary key,\n  email text\n);\n');
    f.write('0002_more.up.sql', 'create table more (x int);');
    const error = await failure(migrator.apply(f.set()));
    expect(error).toBeInstanceOf(ChecksumDriftError);
    expect(error.message).toBe(
      'applied migration(s) changed since they ran: 0001 (0001_users.up.sql); restore the files, or add a new migration for the change',
    );
    const diff = (error as ChecksumDriftError).drifted[0]!.diff;
    expect(diff).toContain('-  id int primary key,\n+  id bigint primary key,');
    expect(diff).toMatch(/--- 0001_users\.up\.sql \(applied \d{4}-\d\d-\d\dT/);
    expect(await f.q("select to_regclass('more') as more")).toEqual([{ more: null }]);
    expect(await heldAdvisoryLocks(f.q)).toBe(0);
  });

  test('a failure mid-file leaves nothing of that file, names version, line and statement, and frees the lock', async () => {
    const f = await fixture({
      '0001_a.sql': 'create table a (x int);',
      '0002_b.sql':
        "create table b (x int);\ninsert into b values (1);\ninsert into a\n  values ('not a number');\ncreate table c (x int);\n",
      '0003_d.sql': 'create table d (x int);',
    });
    const { migrator } = await job(f.url);
    const error = await failure(migrator.apply(f.set()));
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({
      version: '0002',
      file: '0002_b.sql',
      line: 4,
      statement: "insert into a\n  values ('not a number')",
      sqlstate: '22P02',
    });
    expect(error.message).toBe(
      "0002_b.sql:4: error: invalid input syntax for type integer: \"not a number\" (SQLSTATE 22P02) in 'insert into a values ('not a number')'",
    );
    expect(
      await f.q(
        "select to_regclass('a')::text as a, to_regclass('b')::text as b, to_regclass('c')::text as c, to_regclass('d')::text as d",
      ),
    ).toEqual([{ a: 'a', b: null, c: null, d: null }]);
    expect(await f.q('select version from deploy_actions_migrations')).toEqual([{ version: '0001' }]);
    expect(await heldAdvisoryLocks(f.q)).toBe(0);
    expect((await migrator.status(f.set())).current).toBe('0001');
  });

  test('a failure found only at run time, with no position from the server, is still traced to its statement', async () => {
    const f = await fixture({
      '0001_div.sql':
        'create table z (x int);\ninsert into z values (1);\n\ninsert into z select 1 / (x - 1) from z;\ncreate table y (x int);',
    });
    const { migrator } = await job(f.url);
    const error = await failure(migrator.apply(f.set()));
    expect(error).toMatchObject({
      version: '0001',
      line: 4,
      statement: 'insert into z select 1 / (x - 1) from z',
      sqlstate: '22012',
    });
    expect(await f.q("select to_regclass('z')::text as z")).toEqual([{ z: null }]);
  });

  test('a pending file older than the applied version is refused before anything runs', async () => {
    const f = await fixture({ '0002_b.sql': 'create table b (x int);' });
    const { migrator } = await job(f.url);
    await migrator.apply(f.set());
    f.write('0001_a.sql', 'create table a (x int);');
    f.write('0003_c.sql', 'create table c (x int);');
    const error = await failure(migrator.apply(f.set()));
    expect(error.message).toBe(
      'migration(s) 0001_a.sql are older than the applied version 0002 but were never applied; give them a newer version',
    );
    expect(await f.q("select to_regclass('a')::text as a, to_regclass('c')::text as c")).toEqual([
      { a: null, c: null },
    ]);
  });
});

describe('no-transaction files and CREATE INDEX CONCURRENTLY', () => {
  test('a concurrent build runs outside a transaction; a failed one leaves no INVALID index behind', async () => {
    const f = await fixture({
      '0001_t.sql': 'create table t (a int);\ninsert into t values (1), (1), (2);',
      '0002_t_a.sql': '-- deploy-actions:no-transaction\ncreate unique index concurrently t_a on t (a);',
    });
    const { migrator } = await job(f.url);
    const error = await failure(migrator.apply(f.set()));
    expect(error).toMatchObject({ version: '0002', line: 2, sqlstate: '23505' });
    // The failed build had left t_a INVALID; the engine dropped it, so the database is as before 0002.
    expect(await f.q("select to_regclass('t_a')::text as t_a")).toEqual([{ t_a: null }]);
    expect(await f.q('select version from deploy_actions_migrations')).toEqual([{ version: '0001' }]);

    await f.q('delete from t where ctid = (select max(ctid) from t where a = 1)');
    expect((await migrator.apply(f.set())).applied.map((a) => a.version)).toEqual(['0002']);
    expect(await f.q("select indisvalid from pg_index where indexrelid = 't_a'::regclass")).toEqual([
      { indisvalid: true },
    ]);
  });

  test('an INVALID index left by an earlier, killed build is dropped before building again', async () => {
    const f = await fixture({
      '0001_t.sql': 'create table t (a int);\ninsert into t values (1), (1);',
      '0002_t_a.sql': '-- deploy-actions:no-transaction\ncreate unique index concurrently if not exists t_a on t (a);',
    });
    const { migrator, log } = await job(f.url);
    await migrator.apply({ ...f.set(), ups: f.set().ups.slice(0, 1) });
    await f.q('create unique index concurrently t_a on t (a)').catch(() => undefined);
    expect(await f.q("select indisvalid from pg_index where indexrelid = 't_a'::regclass")).toEqual([
      { indisvalid: false },
    ]);
    await f.q('delete from t where ctid = (select max(ctid) from t)');
    // Without the cleanup IF NOT EXISTS would skip the build and leave the INVALID index in place.
    await migrator.apply(f.set());
    expect(log.messages('warning')).toContain('dropping the INVALID index t_a left by a failed concurrent build');
    expect(await f.q("select indisvalid from pg_index where indexrelid = 't_a'::regclass")).toEqual([
      { indisvalid: true },
    ]);
  });

  test('lock_timeout during a concurrent build: the INVALID index is dropped and the build retried', async () => {
    const f = await fixture({ '0001_t.sql': 'create table t (a int);\ninsert into t values (1);' });
    const setup = await job(f.url);
    await setup.migrator.apply(f.set());
    f.write('0002_t_a.sql', '-- deploy-actions:no-transaction\ncreate index concurrently t_a on t (a);');
    // An open writing transaction: the build must wait for it, and its lock_timeout fires.
    const blocker = await connect(f.url, 'blocker');
    await blocker.query('begin; insert into t values (2)');
    const log = watchingLogger((message) => {
      if (message.includes('lock_timeout fired')) void blocker.query('commit');
    });
    const { migrator } = await job(f.url, { lockTimeoutMs: 300, lockRetries: 2, log });
    const result = await migrator.apply(f.set());
    expect(result.applied.map((a) => a.version)).toEqual(['0002']);
    expect(log.messages('warning')).toEqual([
      expect.stringMatching(
        /^0002_t_a\.sql: lock_timeout fired \(0002_t_a\.sql:2: lock_timeout: canceling statement due to lock timeout \(SQLSTATE 55P03\)/,
      ),
      'dropping the INVALID index t_a left by a failed concurrent build',
    ]);
    expect(await f.q("select indisvalid from pg_index where indexrelid = 't_a'::regclass")).toEqual([
      { indisvalid: true },
    ]);
  });
});

describe('durations', () => {
  test('duration_ms is the time the file took, in and outside a transaction, and matches the result', async () => {
    const f = await fixture({
      '1_slow.sql': 'create table s (x int);\nselect pg_sleep(0.3);',
      '2_slow_outside.sql': '-- deploy-actions:no-transaction\nselect pg_sleep(0.3);\nvacuum s;',
    });
    const result = await (await job(f.url)).migrator.apply(f.set());
    const rows = await f.q<{ version: string; duration_ms: number }>(
      'select version, duration_ms from deploy_actions_migrations order by version',
    );
    for (const row of rows) {
      expect(row.duration_ms).toBeGreaterThanOrEqual(300);
      const reported = result.applied.find((a) => a.version === row.version)!.durationMs;
      expect(reported).toBeGreaterThanOrEqual(row.duration_ms);
    }
  });
});

describe('interrupted no-transaction files', () => {
  /** Runs apply in a job whose backend is terminated while `statement` waits behind an open writer on t. */
  async function interrupt(f: Awaited<ReturnType<typeof fixture>>, waitingFor: string) {
    const blocker = await connect(f.url, 'blocker');
    await blocker.query('begin; insert into t values (99, 99)');
    const victim = await job(f.url, { lockTimeoutMs: 0 }, 'victim');
    const running = victim.migrator.apply(f.set()).catch((e: Error) => e);
    await until(
      'the victim waits',
      async () =>
        (
          await f.q(
            `select 1 from pg_stat_activity where application_name = 'victim' and wait_event_type = 'Lock' and query ilike '${waitingFor}%'`,
          )
        ).length > 0,
    );
    await f.q("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'victim'");
    expect(await running).toBeInstanceOf(Error);
    await blocker.query('commit');
  }

  test('killed during a concurrent build: the record says how far it got; the next run drops the INVALID index and goes on', async () => {
    const f = await fixture({ '0001_t.sql': 'create table t (a int, b int);\ncreate table u (a int);' });
    await (await job(f.url)).migrator.apply(f.set());
    f.write(
      '0002_idx.sql',
      '-- morph:nontransactional\nCREATE INDEX CONCURRENTLY u_a ON u (a);\nCREATE INDEX CONCURRENTLY t_b ON t (b);',
    );
    await interrupt(f, 'CREATE INDEX CONCURRENTLY t_b');
    expect(
      await f.q(
        "select version, finished, statements_done, error from deploy_actions_migrations where version = '0002'",
      ),
    ).toEqual([{ version: '0002', finished: false, statements_done: 1, error: null }]);
    expect(await f.q("select indisvalid from pg_index where indexrelid = 't_b'::regclass")).toEqual([
      { indisvalid: false },
    ]);
    const inspect = (await job(f.url)).migrator;
    const status = await inspect.status(f.set());
    expect(status.interrupted.map((r) => r.version)).toEqual(['0002']);
    expect(status.pending.map((m) => m.version)).toEqual(['0002']);
    expect(planMarkdown(inspect.plan(status.pending), [], status)).toContain(
      '#### `0002_idx.sql` (**no transaction**: `-- morph:nontransactional`) — **interrupted** after 1 of 2 statement(s): apply takes it up at statement 2',
    );
    expect(statusText(status)).toMatch(/\n0002 +idx +interrupted after 1 of 2 statement\(s\) +\S+ +run victim$/);

    const next = await job(f.url);
    const result = await next.migrator.apply(f.set());
    expect(result.applied.map((a) => a.version)).toEqual(['0002']);
    expect(next.log.messages('warning')).toEqual([
      '0002_idx.sql was interrupted at statement 2 of 2 (line 3); it is safe to repeat, so it runs again',
      'dropping the INVALID index t_b left by a failed concurrent build',
    ]);
    expect(await f.q("select indisvalid from pg_index where indexrelid in ('t_b'::regclass, 'u_a'::regclass)")).toEqual(
      [{ indisvalid: true }, { indisvalid: true }],
    );
    expect(await f.q("select finished, statements_done from deploy_actions_migrations where version = '0002'")).toEqual(
      [{ finished: true, statements_done: 2 }],
    );
    expect((await next.migrator.apply(f.set())).applied).toEqual([]);
  });

  test('killed at a statement that cannot be repeated: stops, then resolve settles it either way', async () => {
    const f = await fixture({ '0001_t.sql': 'create table t (a int, b int);' });
    await (await job(f.url)).migrator.apply(f.set());
    f.write(
      '0002_z.sql',
      '-- deploy-actions:no-transaction\nalter table t add column z int;\ncreate index concurrently t_z on t (z);',
    );
    await interrupt(f, 'alter table t add column z');
    const stopped = await job(f.url);
    const error = await stopped.migrator.apply(f.set()).catch((e: Error) => e);
    expect(error).toBeInstanceOf(InterruptedMigrationError);
    expect((error as Error).message).toMatch(
      /^0002_z\.sql:2: 0002_z\.sql runs outside a transaction and was interrupted \(started .* by run victim\) while running statement 1 of 2, 'alter table t add column z int', which cannot be safely run again; check in the database whether it took effect, then run with `mode: resolve`, `target-version: 0002` and `resolve-as: applied` \(it did: the next apply goes on after it\) or `resolve-as: not-applied` \(it did not: the next apply runs it again\)$/,
    );
    expect(await f.q("select to_regclass('t_z')::text as i")).toEqual([{ i: null }]);

    // It did not take effect (the terminated ALTER rolled back): resolve as not applied, and apply runs it.
    const settle = await job(f.url);
    await expect(settle.migrator.resolve(f.set(), '1', 'applied')).rejects.toThrow(
      'version 1 is not an interrupted migration (interrupted: 0002); nothing was changed',
    );
    expect(await settle.migrator.resolve(f.set(), '2', 'not-applied')).toEqual({
      before: '0001',
      after: '0001',
      applied: [],
    });
    const result = await (await job(f.url)).migrator.apply(f.set());
    expect(result.applied.map((a) => a.version)).toEqual(['0002']);
    expect(
      await f.q("select count(*)::int as n from pg_attribute where attrelid = 't'::regclass and attname = 'z'"),
    ).toEqual([{ n: 1 }]);

    // Interrupted again at the same statement, which this time is found applied by a person: resolve as applied.
    f.write('0003_y.sql', '-- deploy-actions:no-transaction\nalter table t add column y int;\nselect 1;');
    await interrupt(f, 'alter table t add column y');
    await f.q('alter table t add column y int');
    const resolved = await (await job(f.url)).migrator.resolve(f.set(), '0003', 'applied');
    expect(resolved.applied).toEqual([]);
    const rest = await (await job(f.url)).migrator.apply(f.set());
    expect(rest.applied.map((a) => a.version)).toEqual(['0003']);
    expect(
      await f.q('select version, finished, statements_done from deploy_actions_migrations order by version'),
    ).toEqual([
      { version: '0001', finished: true, statements_done: null },
      { version: '0002', finished: true, statements_done: 2 },
      { version: '0003', finished: true, statements_done: 2 },
    ]);
  });

  test('a statement that fails with an error is recorded as not run; the next run starts there', async () => {
    const f = await fixture({ '0001_t.sql': 'create table t (a int);' });
    await (await job(f.url)).migrator.apply(f.set());
    f.write('0002_x.sql', '-- deploy-actions:no-transaction\ncreate table x (a int);\ninsert into x values (1 / 0);');
    await expect((await job(f.url)).migrator.apply(f.set())).rejects.toThrow('division by zero');
    expect(
      await f.q("select finished, statements_done, error from deploy_actions_migrations where version = '0002'"),
    ).toEqual([{ finished: false, statements_done: 1, error: expect.stringContaining('division by zero') }]);
    // Run again as it is, it fails at the same statement, not at the CREATE TABLE that completed.
    await expect((await job(f.url)).migrator.apply(f.set())).rejects.toThrow('division by zero');
    // Fixed where it failed (the statement that ran is unchanged, so that is no drift): it goes on from there.
    f.write('0002_x.sql', '-- deploy-actions:no-transaction\ncreate table x (a int);\ninsert into x values (1 / 1);');
    expect((await (await job(f.url)).migrator.apply(f.set())).applied.map((a) => a.version)).toEqual(['0002']);
    expect(await f.q('select a from x')).toEqual([{ a: 1 }]);
    expect(
      await f.q(
        "select finished, checksum = $1 as current from deploy_actions_migrations where version = '0002'".replace(
          '$1',
          `'${f.set().ups[1]!.checksum}'`,
        ),
      ),
    ).toEqual([{ finished: true, current: true }]);
    // A change to a statement that already ran is drift.
    f.write('0003_w.sql', '-- deploy-actions:no-transaction\ncreate table w (a int);\nselect 1 / 0;');
    await expect((await job(f.url)).migrator.apply(f.set())).rejects.toThrow('division by zero');
    f.write('0003_w.sql', '-- deploy-actions:no-transaction\ncreate table w (b int);\nselect 1;');
    await expect((await job(f.url)).migrator.apply(f.set())).rejects.toThrow(ChecksumDriftError);
  });
});

describe('the migration lock', () => {
  test('four concurrent runs: exactly one applies, the others wait, see who holds the lock, and find nothing to do', async () => {
    const f = await fixture({
      '0001_slow.sql': 'create table slow (x int);\nselect pg_sleep(2);',
      '0002_more.sql': 'create table more (x int);',
    });
    const jobs = await Promise.all([1, 2, 3, 4].map((i) => job(f.url, {}, `job-${i}`)));
    const results = await Promise.all(jobs.map((j) => j.migrator.apply(f.set())));
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, 0, 2]);
    const winner = jobs[results.findIndex((r) => r.applied.length === 2)]!;
    const waiters = jobs.filter((j) => j !== winner);
    // Each waiter said who held the lock, and what it was running once it ran the slow file.
    for (const waiter of waiters) {
      const waiting = waiter.log.messages('info').filter((m) => m.startsWith('waiting for the migration lock ('));
      expect(waiting.length).toBeGreaterThan(0);
      expect(
        waiting.every((m) => m.includes(`held by pid ${pid(winner.client)} (job-`) || m.endsWith('released just now')),
      ).toBe(true);
      expect(
        waiting.some((m) =>
          m.includes(", active '/* run-migrations 0001_slow.sql */ begin; set local lock_timeout = 5000;"),
        ),
      ).toBe(true);
    }
    expect(results.filter((r) => r.applied.length === 0).every((r) => r.before === '0002' && r.after === '0002')).toBe(
      true,
    );
    expect(await f.q('select count(*)::int as n from deploy_actions_migrations')).toEqual([{ n: 2 }]);
    expect(await heldAdvisoryLocks(f.q)).toBe(0);
  });

  test('the wait is bounded: a run that cannot get the lock in time fails, naming the holder, and touches nothing', async () => {
    const f = await fixture({ '0001_a.sql': 'create table a (x int);' });
    const holder = await job(f.url, {}, 'holder');
    let release = (): void => undefined;
    const held = holder.migrator.withLock(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    await until('the holder takes the lock', async () => (await heldAdvisoryLocks(f.q)) === 1);
    const { migrator } = await job(f.url, { lockWaitMs: 600 });
    const error = await failure(migrator.apply(f.set()));
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toMatch(
      new RegExp(
        `^could not take the migration lock within 600ms: held by pid ${pid(holder.client)} \\(holder\\), idle .* for \\d+s; another job is migrating, or a stuck session holds the lock$`,
      ),
    );
    expect(
      await f.q("select to_regclass('a')::text as a, to_regclass('deploy_actions_migrations')::text as h"),
    ).toEqual([{ a: null, h: null }]);
    release();
    await held;
  });

  test('a job killed while holding the lock: the server ends its session, rolls it back, and the next run proceeds', async () => {
    const f = await fixture({ '0001_sleepy.sql': 'create table sleepy (x int);\nselect pg_sleep(30);' });
    const victim = await job(f.url, {}, 'victim');
    const dying = victim.migrator.apply(f.set()).catch((e: Error) => e);
    await until(
      'the victim runs its migration',
      async () =>
        (
          await f.q(
            "select 1 from pg_stat_activity where application_name = 'victim' and query like '%pg_sleep(30)%' and state = 'active'",
          )
        ).length === 1,
    );
    // What a SIGKILL does to the connection: the socket closes with the statement still running.
    (victim.client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    expect(await dying).toBeInstanceOf(Error);
    // The next job waits far less than the 30 s the dead one's statement had left: the server checks
    // the client connection every second (client_connection_check_interval) and ends the session.
    f.write('0001_sleepy.sql', 'create table sleepy (x int);');
    const next = await job(f.url, { lockWaitMs: 20_000 }, 'next');
    const result = await next.migrator.apply(f.set());
    expect(result.applied.map((a) => a.version)).toEqual(['0001']);
    expect(await f.q('select version, applied_by from deploy_actions_migrations')).toEqual([
      { version: '0001', applied_by: 'run next' },
    ]);
    expect(await f.q("select count(*)::int as n from pg_stat_activity where application_name = 'victim'")).toEqual([
      { n: 0 },
    ]);
  });

  test("the post step's cleanup ends the sessions a run left behind, found by application_name, and the lock is free", async () => {
    const f = await fixture({ '0001_a.sql': 'create table a (x int);' });
    const stuck = await job(f.url, {}, 'deploy-actions/run-migrations acme/shop run 7.1 deploy');
    void stuck.migrator.withLock(() => new Promise(() => undefined)).catch(() => undefined);
    await until('the stuck run takes the lock', async () => (await heldAdvisoryLocks(f.q)) === 1);
    const other = await connect(f.url, 'deploy-actions/run-migrations acme/shop run 8.1 deploy');
    const post = await connect(f.url, 'deploy-actions/run-migrations acme/shop run 7.1 deploy post');
    expect(
      await endLeftoverSessions(post as unknown as SqlClient, 'deploy-actions/run-migrations acme/shop run 7.1 deploy'),
    ).toBe(1);
    await until('the lock is released', async () => (await heldAdvisoryLocks(f.q)) === 0);
    expect((await other.query('select 1 as alive')).rows).toEqual([{ alive: 1 }]);
    const { migrator } = await job(f.url, { lockWaitMs: 2_000 });
    expect((await migrator.apply(f.set())).applied).toHaveLength(1);
  });
});

describe('timeouts', () => {
  test('lock_timeout behind a blocking session: rolled back, retried, then a clear failure naming the statement', async () => {
    const f = await fixture({ '0001_t.sql': 'create table t (a int);' });
    await (await job(f.url)).migrator.apply(f.set());
    f.write('0002_add.sql', 'create table u (x int);\nalter table t\n  add column b int;');
    const blocker = await connect(f.url, 'blocker');
    await blocker.query('begin; select * from t');
    const { migrator, log } = await job(f.url, { lockTimeoutMs: 200, lockRetries: 2 });
    const error = await failure(migrator.apply(f.set()));
    expect(error).toMatchObject({
      version: '0002',
      line: 2,
      statement: 'alter table t\n  add column b int',
      sqlstate: '55P03',
    });
    expect(error.message).toBe(
      "0002_add.sql:2: lock_timeout: canceling statement due to lock timeout (SQLSTATE 55P03) in 'alter table t add column b int'",
    );
    expect(log.messages('warning').filter((m) => m.includes('lock_timeout fired'))).toHaveLength(2);
    expect(
      await f.q(
        "select to_regclass('u')::text as u, (select count(*)::int from information_schema.columns where table_name = 't') as columns",
      ),
    ).toEqual([{ u: null, columns: 1 }]);
    expect(await f.q('select version from deploy_actions_migrations')).toEqual([{ version: '0001' }]);
    expect(await heldAdvisoryLocks(f.q)).toBe(0);
    await blocker.query('rollback');
  });

  test('lock_timeout, then the blocker goes: the retry applies the migration', async () => {
    const f = await fixture({ '0001_t.sql': 'create table t (a int);' });
    await (await job(f.url)).migrator.apply(f.set());
    f.write('0002_add.sql', 'alter table t add column b int;');
    const blocker = await connect(f.url, 'blocker');
    await blocker.query('begin; select * from t');
    const log = watchingLogger((message) => {
      if (message.includes('lock_timeout fired')) void blocker.query('rollback');
    });
    const { migrator } = await job(f.url, { lockTimeoutMs: 200, lockRetries: 3, log });
    expect((await migrator.apply(f.set())).applied.map((a) => a.version)).toEqual(['0002']);
    expect(log.messages('warning').filter((m) => m.includes('lock_timeout fired'))).toHaveLength(1);
    expect(await f.q("select count(*)::int as n from information_schema.columns where table_name = 't'")).toEqual([
      { n: 2 },
    ]);
  });

  test('statement_timeout stops a runaway statement; the migration is rolled back and not retried', async () => {
    const f = await fixture({ '0001_slow.sql': 'create table s (x int);\nselect pg_sleep(5);' });
    const { migrator, log } = await job(f.url, { statementTimeoutMs: 300, lockRetries: 3 });
    const error = await failure(migrator.apply(f.set()));
    expect(error).toMatchObject({ version: '0001', sqlstate: '57014' });
    expect(error.message).toContain('statement_timeout or cancel: canceling statement due to statement timeout');
    expect(log.messages('warning')).toEqual([]);
    expect(await f.q("select to_regclass('s')::text as s")).toEqual([{ s: null }]);
  });
});

describe('modes', () => {
  const withDowns = {
    '0001_users.up.sql': 'create table users (id int primary key);',
    '0001_users.down.sql': 'drop table users;',
    '0002_orders.up.sql': 'create table orders (id int primary key);',
    '0002_orders.down.sql': 'drop table orders;',
    '0003_items.up.sql': 'create table items (id int primary key);',
    '0003_items.down.sql': 'drop table items;',
  };

  test('down undoes newer migrations newest first with their down files', async () => {
    const f = await fixture(withDowns);
    const { migrator } = await job(f.url);
    await migrator.apply(f.set());
    const result = await migrator.down(f.set(), '0001');
    expect(result).toEqual({
      before: '0003',
      after: '0001',
      applied: [expect.objectContaining({ version: '0003' }), expect.objectContaining({ version: '0002' })],
    });
    expect(
      await f.q(
        "select to_regclass('users')::text as u, to_regclass('orders')::text as o, to_regclass('items')::text as i",
      ),
    ).toEqual([{ u: 'users', o: null, i: null }]);
    expect(await f.q('select version from deploy_actions_migrations')).toEqual([{ version: '0001' }]);
    expect((await migrator.apply(f.set())).applied.map((a) => a.version)).toEqual(['0002', '0003']);
  });

  test('down refuses before undoing anything when a down file is missing, and a failing down file is rolled back', async () => {
    const f = await fixture(withDowns);
    const { migrator } = await job(f.url);
    await migrator.apply(f.set());
    const missing = loadMigrations(f.dir);
    missing.downs.delete('2');
    expect((await failure(migrator.down(missing, '0001'))).message).toBe(
      'no down migration for version(s) 0002; nothing was undone',
    );
    f.write('0002_orders.down.sql', 'drop table orders;\ndrop table no_such_table;');
    const error = await failure(migrator.down(f.set(), '0001'));
    expect(error).toMatchObject({ version: '0002', file: '0002_orders.down.sql', line: 2 });
    expect(await f.q("select to_regclass('orders')::text as o, to_regclass('items')::text as i")).toEqual([
      { o: 'orders', i: null },
    ]);
    expect(await f.q('select version from deploy_actions_migrations order by version')).toEqual([
      { version: '0001' },
      { version: '0002' },
    ]);
  });

  test('baseline records migrations as applied without running them; apply then runs only the rest', async () => {
    const f = await fixture(withDowns);
    await f.q('create table users (id int primary key); create table orders (id int primary key);');
    const { migrator } = await job(f.url);
    expect((await failure(migrator.baseline(f.set(), '7'))).message).toBe(
      'baseline version 7 matches no migration file',
    );
    const result = await migrator.baseline(f.set(), '2');
    expect(result).toMatchObject({ before: undefined, after: '0002' });
    expect(await f.q('select version, applied_by from deploy_actions_migrations order by version')).toEqual([
      { version: '0001', applied_by: 'baseline by run job' },
      { version: '0002', applied_by: 'baseline by run job' },
    ]);
    expect((await migrator.apply(f.set())).applied.map((a) => a.version)).toEqual(['0003']);
  });

  test('status and plan read the database and change nothing', async () => {
    const f = await fixture({
      ...withDowns,
      '0004_idx.sql': 'create index items_id on items (id);\ninsert into items values (1);',
    });
    const { migrator } = await job(f.url);
    await migrator.apply({ ...f.set(), ups: f.set().ups.slice(0, 2) });
    const status = await migrator.status(f.set());
    expect(status.current).toBe('0002');
    expect(status.pending.map((m) => m.file)).toEqual(['0003_items.up.sql', '0004_idx.sql']);
    const plan = migrator.plan(status.pending);
    expect(plan[1]!.statements.map((s) => [s.line, s.lock])).toEqual([
      [1, 'SHARE (blocks writes)'],
      [2, 'ROW EXCLUSIVE'],
    ]);
    expect(await f.q("select to_regclass('items')::text as i")).toEqual([{ i: null }]);
  });
});

describe('command mode', () => {
  /** A stand-in for alembic/flyway/prisma: a script doing real SQL work through psql with what it is given. */
  function tool(dir: string, body: string): string {
    const path = join(dir, 'migrate-tool');
    writeFileSync(path, `#!/bin/sh\nset -eu\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  test('runs the tool under the lock with the database URL, PG* variables and timeouts; versions from its own table', async () => {
    const f = await fixture({});
    const bin = mkdtempSync(join(tmpdir(), 'tool-'));
    const path = tool(
      bin,
      [
        'echo "lock_timeout=$(psql -Atc "show lock_timeout") statement_timeout=$(psql -Atc "show statement_timeout")"',
        'echo "advisory locks held by others: $(psql "$DATABASE_URL" -Atc "select count(*) from pg_locks where locktype = \'advisory\' and granted and pid <> pg_backend_pid()")"',
        'psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -qc "create table if not exists alembic_version (version_num text primary key); delete from alembic_version; insert into alembic_version values (\'$1\'); create table widgets (id int);"',
        'echo "flyway would use $FLYWAY_URL as $FLYWAY_USER"',
      ].join('\n'),
    );
    const { migrator, client, log } = await job(f.url, { lockTimeoutMs: 1500, statementTimeoutMs: 90_000 });
    const run = await runCommand(migrator, client as unknown as SqlClient, {
      argv: [path, 'ae1027a6acf'],
      databaseUrl: f.url,
      lockTimeoutMs: 1500,
      statementTimeoutMs: 90_000,
      timeoutMs: 30_000,
      cwd: bin,
      log,
    });
    expect(run.before).toBeUndefined();
    expect(run.after).toBe('alembic:ae1027a6acf');
    expect(log.messages('info')).toEqual(
      expect.arrayContaining([
        'lock_timeout=1500ms statement_timeout=90s',
        'advisory locks held by others: 1',
        `flyway would use jdbc:postgresql://127.0.0.1:${postgres.server.port}/${f.url.split('/').pop()}?options=-c%20lock_timeout%3D1500%20-c%20statement_timeout%3D90000 as app`,
      ]),
    );
    expect(await f.q("select to_regclass('widgets')::text as w")).toEqual([{ w: 'widgets' }]);
    expect(await heldAdvisoryLocks(f.q)).toBe(0);
  });

  test('a failing tool fails the run with the tail of its output, and the lock is released', async () => {
    const f = await fixture({});
    const bin = mkdtempSync(join(tmpdir(), 'tool-'));
    const path = tool(bin, 'psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -qc "select * from no_such_table" 2>&1\n');
    const { migrator, client, log } = await job(f.url);
    const error = await failure(
      runCommand(migrator, client as unknown as SqlClient, {
        argv: [path],
        databaseUrl: f.url,
        lockTimeoutMs: 1000,
        statementTimeoutMs: 1000,
        timeoutMs: 30_000,
        cwd: bin,
        log,
      }),
    );
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toMatch(/^.*migrate-tool exited with 1: .*relation "no_such_table" does not exist/);
    expect(await heldAdvisoryLocks(f.q)).toBe(0);
  });
});
