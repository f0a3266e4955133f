// End-to-end: the committed dist/run-migrations bundle against a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runStep } from '../../scripts/lib/local-runner.mjs';
import { repoRoot } from '../../scripts/lib/actions.mjs';
import { startTestPostgres, type TestPostgres } from '../support/postgres';

let postgres: TestPostgres;

beforeAll(async () => {
  postgres = await startTestPostgres({ password: 'mig-Pa55-word-7', prefix: 't' });
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
});

/** A fresh database and migrations folder for one test. */
async function fixture(files: Record<string, string>) {
  const url = await postgres.freshDatabase();
  const workspace = mkdtempSync(join(tmpdir(), 'mig-ws-'));
  const dir = join(workspace, 'migrations');
  (await import('node:fs')).mkdirSync(dir);
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const q = async (sql: string) => (await client.query(sql)).rows;
  const run = (inputs: Record<string, string> = {}, extra: Parameters<typeof runStep>[2] = {}) =>
    runStep('run-migrations', 'main', {
      inputs: { 'database-url': url, ...inputs },
      cwd: workspace,
      env: { GITHUB_WORKSPACE: workspace },
      ...extra,
    });
  return {
    url,
    workspace,
    dir,
    client,
    q,
    run,
    write: (name: string, sql: string) => writeFileSync(join(dir, name), sql),
    close: () => client.end(),
  };
}

const basic = {
  '0001_users.up.sql': 'create table users (id serial primary key, email text not null);',
  '0001_users.down.sql': 'drop table users;',
  '0002_orders.up.sql':
    "create table orders (id serial primary key, user_id int not null references users (id));\ninsert into users (email) values ('a@example.com');",
  '0002_orders.down.sql': 'drop table orders;\ndelete from users;',
};

async function advisoryLocks(q: (sql: string) => Promise<unknown[]>): Promise<number> {
  return (await q("select 1 from pg_locks where locktype = 'advisory'")).length;
}

describe('apply', () => {
  test('applies in order, records history, and a re-run is a no-op', async () => {
    const f = await fixture(basic);
    const first = await f.run();
    expect(first.exitCode).toBe(0);
    expect(first.outputs).toMatchObject({
      'version-before': '',
      'version-after': '0002',
      applied: '2',
      'applied-versions': '["0001","0002"]',
      pending: '0',
    });
    expect(await f.q('select version, name, applied_by from deploy_actions_migrations order by version')).toEqual([
      { version: '0001', name: 'users', applied_by: 'https://github.com/acme/shop/actions/runs/1001' },
      { version: '0002', name: 'orders', applied_by: 'https://github.com/acme/shop/actions/runs/1001' },
    ]);
    expect(first.summary).toContain('2 applied, no version → 0002');
    const again = await f.run();
    expect(again.exitCode).toBe(0);
    expect(again.outputs).toMatchObject({ applied: '0', 'version-before': '0002', 'version-after': '0002' });
    expect(again.summary).toContain('Nothing to do');
    expect(await advisoryLocks(f.q)).toBe(0);
    await f.close();
  });

  test('a failure mid-file leaves nothing of that file, says where, and releases the lock', async () => {
    const f = await fixture({
      '0001_ok.sql': 'create table a (x int);',
      '0002_broken.sql':
        "create table b (x int);\ninsert into b values (1);\ninsert into b values (\n  'not a number');\n",
    });
    const step = await f.run();
    expect(step.exitCode).toBe(1);
    expect(step.outputs['failed-version']).toBe('0002');
    expect(step.outputs['failed-statement']).toMatch(/^0002_broken\.sql:4 insert into b values/);
    expect(step.outputs['version-before']).toBe('');
    expect(step.annotations.find((a) => a.file === 'migrations/0002_broken.sql')).toMatchObject({
      level: 'error',
      line: 4,
    });
    expect(await f.q("select to_regclass('b') as b, to_regclass('a') as a")).toEqual([{ b: null, a: 'a' }]);
    expect(await f.q('select version from deploy_actions_migrations')).toEqual([{ version: '0001' }]);
    expect(await advisoryLocks(f.q)).toBe(0);
    await f.close();
  });

  test('a run-time error without a server position is still traced to its statement and line', async () => {
    const f = await fixture({
      '0001_div.sql':
        'create table z (x int);\ninsert into z values (1);\n\ninsert into z select 1 / (x - 1) from z;\n',
    });
    const step = await f.run();
    expect(step.exitCode).toBe(1);
    expect(step.outputs['failed-statement']).toBe('0001_div.sql:4 insert into z select 1 / (x - 1) from z');
    expect(step.annotations.at(-1)?.message).toContain('division by zero (SQLSTATE 22012)');
    expect(await f.q("select to_regclass('z') as z")).toEqual([{ z: null }]);
    await f.close();
  });

  test('checksum drift of an applied file is an error with a diff', async () => {
    const f = await fixture(basic);
    expect((await f.run()).exitCode).toBe(0);
    f.write('0001_users.up.sql', 'create table users (id bigserial primary key, email text not null);');
    const step = await f.run();
    expect(step.exitCode).toBe(1);
    expect(step.annotations.at(-1)?.message).toMatch(
      /applied migration\(s\) changed since they ran: 0001 \(0001_users\.up\.sql\)/,
    );
    expect(step.summary).toContain('-create table users (id serial primary key, email text not null);');
    expect(step.summary).toContain('+create table users (id bigserial primary key, email text not null);');
    await f.close();
  });

  test('CREATE INDEX CONCURRENTLY runs outside a transaction when the file says so', async () => {
    const f = await fixture({
      '0001_t.sql': 'create table t (a int);',
      '0002_idx.sql': '-- deploy-actions:no-transaction\ncreate index concurrently t_a on t (a);',
    });
    const step = await f.run();
    expect(step.exitCode).toBe(0);
    expect(await f.q("select indisvalid from pg_index where indexrelid = 't_a'::regclass")).toEqual([
      { indisvalid: true },
    ]);
    await f.close();
  });

  test('a migration older than the applied version is refused', async () => {
    const f = await fixture({ '0002_b.sql': 'create table b (x int);' });
    expect((await f.run()).exitCode).toBe(0);
    f.write('0001_a.sql', 'create table a (x int);');
    const step = await f.run();
    expect(step.exitCode).toBe(1);
    expect(step.annotations.at(-1)?.message).toContain(
      '0001_a.sql are older than the applied version 0002 but were never applied',
    );
    await f.close();
  });
});

describe("a real project's folder and database, as they are", () => {
  /**
   * A golang-migrate folder as a large project writes it: gaps, morph's no-transaction marker on
   * CONCURRENTLY files (some without a final semicolon), DO blocks, plpgsql bodies, IF NOT EXISTS,
   * NOT NULL columns and plain indexes on tables the same run creates, data changes and down files.
   */
  const project: Record<string, string> = {
    '000001_create_users.up.sql':
      'CREATE TABLE IF NOT EXISTS users (\n  id varchar(26) PRIMARY KEY,\n  email varchar(128) NOT NULL,\n  createat bigint\n);\n',
    '000001_create_users.down.sql': 'DROP TABLE IF EXISTS users;',
    '000002_create_posts.up.sql':
      "CREATE TABLE IF NOT EXISTS posts (id varchar(26) PRIMARY KEY, userid varchar(26), message text DEFAULT '');\nCREATE INDEX IF NOT EXISTS idx_posts_userid ON posts (userid);\n",
    '000002_create_posts.down.sql': 'DROP TABLE IF EXISTS posts;',
    '000003_users_props.up.sql':
      "ALTER TABLE users ADD COLUMN props jsonb NOT NULL;\nDO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'channel_type') THEN\n    CREATE TYPE channel_type AS ENUM ('O', 'P', 'D');\n  END IF;\nEND $$;\n",
    '000005_posts_fn.up.sql':
      'CREATE OR REPLACE FUNCTION posts_count(uid varchar) RETURNS bigint LANGUAGE plpgsql AS $fn$\nDECLARE n bigint;\nBEGIN\n  SELECT count(*) INTO n FROM posts WHERE userid = uid; -- a ; inside\n  RETURN n;\nEND;\n$fn$;\n',
    '000006_idx_posts_message.up.sql':
      "-- morph:nontransactional\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_posts_message ON posts USING gin (to_tsvector('english', message))",
    '000006_idx_posts_message.down.sql':
      '-- morph:nontransactional\nDROP INDEX CONCURRENTLY IF EXISTS idx_posts_message',
    '000007_seed.up.sql':
      "INSERT INTO users (id, email, createat, props) VALUES ('u1', 'a@example.com', 1, '{}');\nDELETE FROM posts WHERE userid IS NULL;\n",
    '000009_idx_users_email.up.sql':
      '-- morph:nontransactional\nCREATE UNIQUE INDEX CONCURRENTLY idx_users_email ON users (email);\n',
    '000010_channels.up.sql':
      "CREATE TABLE channels (id varchar(26) PRIMARY KEY, type channel_type NOT NULL, name text);\nALTER TABLE channels ALTER COLUMN name SET NOT NULL;\nCREATE INDEX idx_channels_name ON channels (name);\nCOMMENT ON TABLE channels IS 'rooms; and DMs';\n",
    '000012_drop_idx.up.sql': '-- morph:nontransactional\nDROP INDEX CONCURRENTLY IF EXISTS idx_posts_userid;\n',
    '000013_views.up.sql':
      'CREATE VIEW user_posts AS SELECT u.email, count(p.id) AS n FROM users u LEFT JOIN posts p ON p.userid = u.id GROUP BY u.email;\n',
  };

  async function dumpSchema(url: string): Promise<string> {
    const { execFileSync } = await import('node:child_process');
    const dump = execFileSync(
      'pg_dump',
      [
        '--schema-only',
        '--no-owner',
        '--no-privileges',
        '-T',
        'deploy_actions_migrations',
        '-T',
        'schema_migrations',
        '-d',
        url,
      ],
      { encoding: 'utf8' },
    );
    // pg_dump 16.10+ brackets the dump with a random \restrict key.
    return dump.replace(/^\\(un)?restrict .*$/gm, '');
  }

  /** Another database with the same files applied by psql, one file after another, as the reference. */
  async function psqlApplied(upTo?: string): Promise<string> {
    const url = await postgres.freshDatabase();
    const { execFileSync } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'psql-'));
    for (const file of Object.keys(project)
      .filter((f) => f.endsWith('.up.sql'))
      .sort()) {
      if (upTo && file > upTo) break;
      writeFileSync(join(dir, file), project[file]!);
      execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', join(dir, file)]);
    }
    return url;
  }

  test("applied with default inputs: the schema is identical to psql's, and a re-run is a no-op", async () => {
    const f = await fixture(project);
    const first = await f.run();
    expect(first.exitCode).toBe(0);
    expect(first.outputs).toMatchObject({ applied: '10', 'version-after': '000013', pending: '0' });
    expect(first.annotations.filter((a) => a.level === 'error')).toEqual([]);
    const reference = await psqlApplied();
    expect(await dumpSchema(f.url)).toBe(await dumpSchema(reference));
    const again = await f.run();
    expect(again.exitCode).toBe(0);
    expect(again.outputs).toMatchObject({ applied: '0', 'version-before': '000013' });
    expect(
      await f.q(
        "select version, finished, duration_ms >= 0 as timed from deploy_actions_migrations where version in ('000006', '000009') order by version",
      ),
    ).toEqual([
      { version: '000006', finished: true, timed: true },
      { version: '000009', finished: true, timed: true },
    ]);
    await f.close();
  });

  test('on a database golang-migrate migrated: nothing it applied runs again', async () => {
    const f = await fixture(project);
    // golang-migrate brought the database to 000009; its table says so.
    const theirs = await psqlApplied('000009_idx_users_email.up.sql');
    const db = new pg.Client({ connectionString: theirs });
    await db.connect();
    await db.query(
      'CREATE TABLE IF NOT EXISTS "schema_migrations" (version bigint not null primary key, dirty boolean not null)',
    );
    await db.query('INSERT INTO "schema_migrations" (version, dirty) VALUES (9, false)');
    await db.end();
    const run = (inputs: Record<string, string>) =>
      runStep('run-migrations', 'main', {
        inputs: { 'database-url': theirs, ...inputs },
        cwd: f.workspace,
        env: { GITHUB_WORKSPACE: f.workspace },
      });
    const plan = await run({ mode: 'plan' });
    expect(plan.exitCode).toBe(0);
    expect(plan.outputs.pending).toBe('3');
    expect(plan.outputs.plan).toContain(
      '**Adopted:** 7 migration(s) that golang-migrate recorded as applied in `schema_migrations` (up to 000009) are recorded in our history, not run.',
    );
    const applied = await run({});
    expect(applied.exitCode).toBe(0);
    expect(applied.outputs).toMatchObject({
      'version-before': '000009',
      'applied-versions': '["000010","000012","000013"]',
    });
    expect(applied.summary).toContain('**Adopted:** 7 migration(s) that golang-migrate recorded as applied');
    // 000007's seed row would be there twice (or fail on its key) had it run again.
    expect((await run({})).outputs.applied).toBe('0');
    const reference = await psqlApplied();
    expect(await dumpSchema(theirs)).toBe(await dumpSchema(reference));
    await f.close();
  });
});

describe('a job killed outside a transaction', () => {
  /** Starts apply, waits until its session waits behind `blocker` on `statement`, and stops (SIGSTOP) the job. */
  async function stopWhileWaiting(f: Awaited<ReturnType<typeof fixture>>, statement: string) {
    let pid = 0;
    const victim = f.run({ 'lock-timeout': '0' }, { onSpawn: (control) => (pid = control.pid) });
    for (let i = 0; i < 300; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const waiting = await f.q(
        `select 1 from pg_stat_activity where application_name like 'deploy-actions/run-migrations%' and wait_event_type = 'Lock' and query ilike '${statement}%'`,
      );
      if (waiting.length) break;
    }
    process.kill(pid, 'SIGSTOP');
    return { victim, pid };
  }

  test('stopped mid-file, the statement completes, then killed: the next run sees it done and goes on', async () => {
    const f = await fixture({ '0001_t.sql': 'create table t (a int, b int);\ncreate table u (a int);' });
    expect((await f.run()).exitCode).toBe(0);
    f.write(
      '0002_idx.sql',
      '-- morph:nontransactional\nCREATE INDEX CONCURRENTLY u_a ON u (a);\nCREATE INDEX CONCURRENTLY t_b ON t (b);',
    );
    const blocker = new pg.Client({ connectionString: f.url });
    await blocker.connect();
    await blocker.query('begin; insert into t values (1, 1)');
    const { victim, pid } = await stopWhileWaiting(f, 'CREATE INDEX CONCURRENTLY t_b');
    // Released while the job is stopped: the build completes in the server, and the job never hears of it.
    await blocker.query('commit');
    await blocker.end();
    for (let i = 0; i < 100; i++) {
      const valid = await f.q("select indisvalid as v from pg_index where indexrelid = to_regclass('t_b')");
      if (valid[0]?.v) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    process.kill(pid, 'SIGKILL');
    expect((await victim).signal).toBe('SIGKILL');
    expect(await f.q("select finished, statements_done from deploy_actions_migrations where version = '0002'")).toEqual(
      [{ finished: false, statements_done: 1 }],
    );
    const status = await f.run({ mode: 'status' });
    expect(status.log).toMatch(/0002 +idx +interrupted after 1 of 2 statement\(s\)/);
    const next = await f.run({ 'lock-wait': '20s' });
    expect(next.exitCode).toBe(0);
    expect(next.outputs['applied-versions']).toBe('["0002"]');
    expect(next.log).toContain(
      '0002_idx.sql was interrupted at statement 2 of 2 (line 3), whose result is in the database; going on after it',
    );
    expect(await f.q("select finished from deploy_actions_migrations where version = '0002'")).toEqual([
      { finished: true },
    ]);
    expect((await f.run()).outputs.applied).toBe('0');
    await f.close();
  });

  test('killed after a statement that cannot be repeated: the next run stops; resolve settles it', async () => {
    const f = await fixture({ '0001_t.sql': 'create table t (a int);' });
    expect((await f.run()).exitCode).toBe(0);
    f.write('0002_z.sql', '-- deploy-actions:no-transaction\nalter table t add column z int;\nvacuum t;');
    const blocker = new pg.Client({ connectionString: f.url });
    await blocker.connect();
    await blocker.query('begin; insert into t values (1)');
    const { victim, pid } = await stopWhileWaiting(f, 'alter table t add column z');
    await blocker.query('commit');
    await blocker.end();
    for (let i = 0; i < 100; i++) {
      if ((await f.q("select 1 from pg_attribute where attrelid = 't'::regclass and attname = 'z'")).length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    process.kill(pid, 'SIGKILL');
    await victim;
    const stopped = await f.run({ 'lock-wait': '20s' });
    expect(stopped.exitCode).toBe(1);
    expect(stopped.outputs['failed-version']).toBe('0002');
    expect(stopped.annotations.find((a) => a.title === 'interrupted migration')).toMatchObject({
      file: 'migrations/0002_z.sql',
      line: 2,
      message: expect.stringContaining("'alter table t add column z int', which cannot be safely run again"),
    });
    const resolved = await f.run({ mode: 'resolve', 'target-version': '0002', 'resolve-as': 'applied' });
    expect(resolved.exitCode).toBe(0);
    const rest = await f.run();
    expect(rest.exitCode).toBe(0);
    expect(rest.outputs['applied-versions']).toBe('["0002"]');
    expect(await f.q("select finished, statements_done from deploy_actions_migrations where version = '0002'")).toEqual(
      [{ finished: true, statements_done: 2 }],
    );
    await f.close();
  });
});

describe('concurrency, locks and timeouts', () => {
  test('four concurrent runs: exactly one applies, the others finish as no-ops', async () => {
    const f = await fixture({
      '0001_slow.sql': 'create table slow (x int);\nselect pg_sleep(1);',
      '0002_more.sql': 'create table more (x int);',
    });
    const steps = await Promise.all([1, 2, 3, 4].map(() => f.run()));
    expect(steps.map((s) => s.exitCode)).toEqual([0, 0, 0, 0]);
    expect(steps.map((s) => Number(s.outputs.applied)).sort()).toEqual([0, 0, 0, 2]);
    expect(steps.some((s) => /waiting for the migration lock .*held by pid \d+/.test(s.log))).toBe(true);
    expect(await f.q('select count(*)::int as n from deploy_actions_migrations')).toEqual([{ n: 2 }]);
    await f.close();
  });

  test('a job killed while holding the lock does not block the next run', async () => {
    const f = await fixture({ '0001_sleepy.sql': 'create table sleepy (x int);\nselect pg_sleep(30);' });
    let killed = false;
    let kill = () => {};
    const victim = runStep('run-migrations', 'main', {
      inputs: { 'database-url': f.url },
      cwd: f.workspace,
      env: { GITHUB_WORKSPACE: f.workspace },
      onSpawn: (control) => {
        kill = control.kill;
      },
    });
    // Wait until the victim holds the lock, then kill it as a runner would kill a dead job.
    for (let i = 0; i < 100 && !killed; i++) {
      await new Promise((r) => setTimeout(r, 100));
      if (await advisoryLocks(f.q)) {
        const pids = (await f.q(
          "select pid from pg_stat_activity where application_name like 'deploy-actions/run-migrations%'",
        )) as Array<{ pid: number }>;
        expect(pids.length).toBe(1);
        kill();
        killed = true;
      }
    }
    expect(killed).toBe(true);
    const dead = await victim;
    expect(dead.signal).toBe('SIGKILL');
    // The killed job's post step ends any session it left, so the lock is free at once.
    const post = await runStep('run-migrations', 'post', {
      inputs: { 'database-url': f.url },
      state: dead.state,
      cwd: f.workspace,
      env: { GITHUB_WORKSPACE: f.workspace },
    });
    expect(post.exitCode).toBe(0);
    f.write('0001_sleepy.sql', 'create table sleepy (x int);');
    const next = await f.run({ 'lock-wait': '20s' });
    expect(next.exitCode).toBe(0);
    expect(next.outputs.applied).toBe('1');
    await f.close();
  });

  test('a cancelled job rolls back the running migration and frees the lock at once', async () => {
    const f = await fixture({
      '0001_a.sql': 'create table a (x int);',
      '0002_slow.sql': 'create table c (x int);\nselect pg_sleep(30);',
    });
    const started = Date.now();
    const step = await f.run({}, { cancelAfterMs: 1500 });
    expect(step.exitCode).toBe(1);
    expect(Date.now() - started).toBeLessThan(7_000);
    expect(step.log).toContain('job cancelled: the running migration was cancelled and rolled back');
    expect(await f.q("select to_regclass('c') as c")).toEqual([{ c: null }]);
    expect(await f.q('select version from deploy_actions_migrations')).toEqual([{ version: '0001' }]);
    expect(await advisoryLocks(f.q)).toBe(0);
    const post = await runStep('run-migrations', 'post', {
      inputs: { 'database-url': f.url },
      state: step.state,
      cwd: f.workspace,
      env: { GITHUB_WORKSPACE: f.workspace },
    });
    expect(post.exitCode).toBe(0);
    await f.close();
  });

  test('lock_timeout fires behind a blocking session, is retried, then fails clearly; nothing is left half-done', async () => {
    const f = await fixture({ '0001_t.sql': 'create table t (a int);' });
    expect((await f.run()).exitCode).toBe(0);
    f.write('0002_add.sql', 'alter table t add column b int;');
    const blocker = new pg.Client({ connectionString: f.url });
    await blocker.connect();
    await blocker.query('begin; lock table t in access share mode; select * from t;');
    const step = await f.run({ 'lock-timeout': '200ms', 'lock-retries': '1' });
    expect(step.exitCode).toBe(1);
    expect(step.annotations.filter((a) => a.level === 'warning' && /lock_timeout fired/.test(a.message))).toHaveLength(
      1,
    );
    expect(step.outputs['failed-version']).toBe('0002');
    expect(step.annotations.at(-1)?.message).toMatch(
      /0002_add\.sql:1: lock_timeout: canceling statement due to lock timeout \(SQLSTATE 55P03\)/,
    );
    expect(await f.q("select count(*)::int as n from information_schema.columns where table_name = 't'")).toEqual([
      { n: 1 },
    ]);
    await blocker.query('rollback');
    await blocker.end();
    const retry = await f.run({ 'lock-timeout': '200ms' });
    expect(retry.outputs).toMatchObject({ applied: '1', 'version-after': '0002' });
    await f.close();
  });
});

describe('modes', () => {
  test('plan shows statements, locks and lint findings judged on the tables as they are, and applies nothing', async () => {
    const f = await fixture(basic);
    expect((await f.run()).exitCode).toBe(0);
    f.write('0003_idx.sql', 'create index users_email on users (email);');
    f.write('0004_new.sql', 'create table notes (id int);\ncreate index notes_id on notes (id);');
    f.write(
      '0005_conc.sql',
      '-- morph:nontransactional\nCREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user ON orders (user_id)',
    );
    const step = await f.run({ mode: 'plan' });
    expect(step.exitCode).toBe(0);
    expect(step.outputs.pending).toBe('3');
    // users holds a row (0002 inserted it) but is small: a warning; notes is created in the same run: nothing.
    expect(step.outputs['lint-findings']).toBe('1');
    const plan = step.outputs.plan!;
    expect(plan).toContain('### Migration plan: 3 pending (database at 0002)');
    expect(plan).toContain('| 1 | `create index users_email on users (email)` | SHARE (blocks writes) |');
    expect(plan).toContain('#### `0005_conc.sql` (**no transaction**: `-- morph:nontransactional`)');
    expect(plan).toContain(
      '| ⚠️ | 0003_idx.sql:1 | [create-index-non-concurrently](https://github.com/org/deploy-actions/blob/main/docs/actions/run-migrations.md#create-index-non-concurrently) |',
    );
    expect(readFileSync(step.outputs['plan-file']!, 'utf8')).toBe(plan);
    expect(await f.q("select to_regclass('users_email') as t")).toEqual([{ t: null }]);
    await f.close();
  });

  test('lint errors stop apply before anything runs, annotated on the file and line; rules can be set per rule', async () => {
    const f = await fixture({
      '0001_t.sql': 'create table t (a int);\ninsert into t values (1);',
    });
    expect((await f.run()).exitCode).toBe(0);
    f.write('0002_bad.sql', '-- adds a column\nalter table t add column b int not null;');
    const step = await f.run();
    expect(step.exitCode).toBe(1);
    expect(step.annotations.find((a) => a.file === 'migrations/0002_bad.sql')).toMatchObject({
      level: 'error',
      line: 2,
    });
    expect(step.annotations[0]!.message).toContain(
      'Why: https://github.com/org/deploy-actions/blob/main/docs/actions/run-migrations.md#adding-not-null-column-without-default',
    );
    expect(await f.q("select count(*)::int as n from information_schema.columns where table_name = 't'")).toEqual([
      { n: 1 },
    ]);
    // Turned down to a warning, it runs (and fails in the server, as the rule said it would).
    const warned = await f.run({ 'lint-rules': 'adding-not-null-column-without-default: warn' });
    expect(warned.annotations.find((a) => a.file === 'migrations/0002_bad.sql' && a.level === 'warning')).toBeTruthy();
    expect(warned.outputs['failed-version']).toBe('0002');
    expect(warned.annotations.at(-1)!.message).toMatch(/contains null values/);
    await f.close();
  });

  test("lint reads statements with PostgreSQL's parser from beside the bundle; a bundle without it fails, never lints less", async () => {
    const f = await fixture({ '0001_t.sql': 'create table t (a int);\ninsert into t values (1);' });
    expect((await f.run()).exitCode).toBe(0);
    f.write(
      '0002_loop.sql',
      [
        'DO $$',
        'DECLARE r record;',
        'BEGIN',
        '  FOR r IN SELECT 1 LOOP',
        '    ALTER TABLE t ADD COLUMN b int NOT NULL;',
        '  END LOOP;',
        'END $$ LANGUAGE plpgsql;',
      ].join('\n'),
    );
    const step = await f.run({ mode: 'plan' });
    expect(step.exitCode).toBe(0);
    expect(step.annotations.map((a) => `${a.level} ${a.file}:${a.line} ${a.title}`)).toEqual([
      'error migrations/0002_loop.sql:5 migration lint: adding-not-null-column-without-default',
    ]);

    const dist = mkdtempSync(join(tmpdir(), 'mig-dist-'));
    cpSync(join(repoRoot, 'dist', 'run-migrations'), join(dist, 'run-migrations'), { recursive: true });
    rmSync(join(dist, 'run-migrations', 'libpg-query.wasm'));
    const broken = await f.run({}, { dist });
    expect(broken.exitCode).toBe(1);
    expect(broken.annotations.at(-1)!.message).toMatch(
      /^PostgreSQL's parser \(libpg_query\) did not load from .*libpg-query\.cjs: .*libpg-query\.wasm/,
    );
    expect(await f.q('select version from deploy_actions_migrations order by version')).toEqual([{ version: '0001' }]);
    rmSync(dist, { recursive: true, force: true });
    await f.close();
  });

  test('down files are linted before a down run', async () => {
    const f = await fixture({
      '0001_t.sql': 'create table t (a int);\ninsert into t values (1);',
      '0002_b.up.sql': 'alter table t add column b int;',
      '0002_b.down.sql': 'alter table t drop column b;\nalter table t add column c int not null;',
    });
    expect((await f.run()).exitCode).toBe(0);
    const down = await f.run({ mode: 'down', 'target-version': '1' });
    expect(down.exitCode).toBe(1);
    expect(down.annotations.map((a) => (a.file ? `${a.level} ${a.file}:${a.line} ${a.title}` : a.message))).toEqual([
      'warning migrations/0002_b.down.sql:1 migration lint: dropping-column',
      'error migrations/0002_b.down.sql:2 migration lint: adding-not-null-column-without-default',
      expect.stringMatching(/lint found 1 error\(s\) in the migrations to run, nothing was undone/),
    ]);
    expect(await f.q('select version from deploy_actions_migrations order by version')).toEqual([
      { version: '0001' },
      { version: '0002' },
    ]);
    await f.close();
  });

  test('down undoes newer migrations with their down files; status reports them pending', async () => {
    const f = await fixture(basic);
    expect((await f.run()).exitCode).toBe(0);
    const down = await f.run({ mode: 'down', 'target-version': '0001' });
    expect(down.exitCode).toBe(0);
    expect(down.outputs).toMatchObject({
      'version-before': '0002',
      'version-after': '0001',
      applied: '1',
      'applied-versions': '["0002"]',
    });
    expect(await f.q("select to_regclass('orders') as o, to_regclass('users') as u")).toEqual([
      { o: null, u: 'users' },
    ]);
    const status = await f.run({ mode: 'status' });
    expect(status.outputs).toMatchObject({ pending: '1', 'version-after': '0001' });
    expect(status.summary).toContain('| 0002 | orders | ⏳ pending |');
    await f.close();
  });

  test('baseline records existing migrations without running them', async () => {
    const f = await fixture(basic);
    await f.q('create table users (id serial primary key, email text not null)');
    const step = await f.run({ mode: 'baseline', 'target-version': '0001' });
    expect(step.outputs).toMatchObject({ applied: '1', 'version-after': '0001' });
    const apply = await f.run();
    expect(apply.outputs).toMatchObject({ applied: '1', 'applied-versions': '["0002"]' });
    await f.close();
  });

  test('command mode runs a tool under the lock with DATABASE_URL and the timeouts', async () => {
    const f = await fixture({});
    const tool = join(f.workspace, 'migrate-tool');
    writeFileSync(
      tool,
      '#!/bin/sh\nset -e\necho "tool sees lock_timeout $(psql -Atc "show lock_timeout")"\npsql "$DATABASE_URL" -v ON_ERROR_STOP=1 -qc "create table alembic_version (version_num text); insert into alembic_version values (\'$1\'); select pg_sleep(0.2);"\necho "locks held: $(psql -Atc "select count(*) from pg_locks where locktype = \'advisory\'")"\n',
    );
    chmodSync(tool, 0o755);
    const step = await f.run({ command: `${tool} "ae1027a6acf"` });
    expect(step.exitCode).toBe(0);
    expect(step.log).toContain('tool sees lock_timeout 5s');
    expect(step.log).toContain('locks held: 1');
    expect(step.outputs).toMatchObject({ 'version-before': '', 'version-after': 'alembic:ae1027a6acf' });
    await f.close();
  });
});

describe('bad input: one line, exit 1, nothing touched', () => {
  const cases: Array<[string, Record<string, string>, Record<string, string>, RegExp]> = [
    [
      'unparseable file name',
      {},
      { 'create_users.sql': 'x' },
      /^Input 'migrations': 'create_users\.sql' does not follow a migration naming style/,
    ],
    ['duplicate versions', {}, { '0001_a.sql': 'x', '1_b.sql': 'y' }, /^Input 'migrations': version 1 is used twice/],
    [
      'a gap in numbered versions, when asked to check',
      { 'allow-gaps': 'false' },
      { '0001_a.sql': 'x', '0002_b.sql': 'y', '0004_d.sql': 'z' },
      /^Input 'migrations': version 0003 is missing between '0002_b\.sql' and '0004_d\.sql'\. Fix: restore the missing file or renumber the files after it \(or drop `allow-gaps: false`/,
    ],
    [
      'resolve without resolve-as',
      { mode: 'resolve', 'target-version': '2' },
      basic,
      /^Input 'resolve-as': is required for mode resolve/,
    ],
    [
      'an unknown lint rule',
      { 'lint-rules': 'dropping-column: off\nno-such-rule: warn' },
      basic,
      /^Input 'lint-rules': 'no-such-rule' is not a lint rule\. Fix: use one of create-index-non-concurrently, /,
    ],
    [
      'a down file without its up',
      {},
      { '0001_a.up.sql': 'x', '0002_b.down.sql': 'y' },
      /^Input 'migrations': '0002_b\.down\.sql' undoes version 0002, which has no up migration/,
    ],
    [
      'no migrations folder',
      { migrations: 'db/nowhere' },
      {},
      /^Input 'migrations': '.*\/db\/nowhere' is not a folder/,
    ],
    ['down without a target', { mode: 'down' }, basic, /^Input 'target-version': is required for mode down/],
    [
      'unknown mode',
      { mode: 'migrate' },
      basic,
      /^Input 'mode': 'migrate' is not one of apply, plan, status, baseline, down, resolve/,
    ],
    [
      'command with plan',
      { mode: 'plan', command: 'alembic upgrade head' },
      basic,
      /^Input 'command': cannot be combined with mode plan/,
    ],
    ['not a postgres URL', { 'database-url': 'mysql://u:p@h/db' }, basic, /^Input 'database-url': has scheme mysql:/],
  ];
  test.each(cases)('%s', async (_name, inputs, files, message) => {
    const f = await fixture(files);
    const step = await f.run(inputs);
    expect(step.exitCode).toBe(1);
    expect(step.stdout.split('\n').filter((l) => l.startsWith('::error'))).toHaveLength(1);
    expect(step.annotations[0]!.message).toMatch(message);
    expect(await f.q("select to_regclass('deploy_actions_migrations') as t")).toEqual([{ t: null }]);
    await f.close();
  });

  test('gaps are accepted by default, as golang-migrate, goose, Flyway and dbmate accept them', async () => {
    const f = await fixture({ '0001_a.sql': 'create table a (x int);', '0003_c.sql': 'create table c (x int);' });
    const step = await f.run();
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ applied: '2', 'version-after': '0003' });
    await f.close();
  });

  test('an unreachable database fails clearly, in one line, without leaking the password', async () => {
    const f = await fixture(basic);
    const url = `postgres://app:${encodeURIComponent('s3cr3t/pa$$')}@127.0.0.1:1/app`;
    const step = await f.run({ 'database-url': url });
    expect(step.exitCode).toBe(1);
    expect(step.annotations.filter((a) => a.level === 'error')).toHaveLength(1);
    expect(step.annotations.at(-1)?.message).toMatch(
      /connecting to the database at 127\.0\.0\.1:1\/app still failing after \d+ attempt\(s\).*ECONNREFUSED/,
    );
    for (const text of [step.log, step.stderr, step.summary, JSON.stringify(step.outputs)]) {
      expect(text.includes('s3cr3t/pa$$')).toBe(false);
      expect(text.includes(encodeURIComponent('s3cr3t/pa$$'))).toBe(false);
    }
    await f.close();
  }, 60_000);
});

test('command mode: a failing tool fails the step with its output tail, the lock released', async () => {
  const f = await fixture({});
  const tool = join(f.workspace, 'failing-tool');
  writeFileSync(
    tool,
    '#!/bin/sh\npsql "$DATABASE_URL" -v ON_ERROR_STOP=1 -qc "create table half (x int); select * from missing_table" 2>&1\n',
  );
  chmodSync(tool, 0o755);
  const step = await f.run({ command: tool });
  expect(step.exitCode).toBe(1);
  expect(step.annotations.at(-1)?.message).toMatch(
    /failing-tool exited with 1: .*relation "missing_table" does not exist/,
  );
  expect(await f.q("select to_regclass('half') as t")).toEqual([{ t: null }]);
  expect(await advisoryLocks(f.q)).toBe(0);
  await f.close();
});

test('the database password never reaches the log, outputs or summary', async () => {
  const f = await fixture({ ...basic, '0003_fail.sql': 'select 1/0;' });
  const step = await f.run();
  expect(step.exitCode).toBe(1);
  for (const [where, text] of Object.entries({
    log: step.log,
    stderr: step.stderr,
    summary: step.summary,
    outputs: JSON.stringify(step.outputs),
  })) {
    expect(`${where}: ${text.includes(postgres.server.password)}`).toBe(`${where}: false`);
  }
  expect(step.masks).toContain(postgres.server.password);
  await f.close();
});

test('a tool that prints its environment does not leak the password either', async () => {
  const f = await fixture({});
  const tool = join(f.workspace, 'chatty-tool');
  writeFileSync(
    tool,
    '#!/bin/sh\necho "url=$DATABASE_URL"\necho "pw=$PGPASSWORD flyway=$FLYWAY_PASSWORD"\necho "connecting to $DATABASE_URL" >&2\nexit 2\n',
  );
  chmodSync(tool, 0o755);
  const step = await f.run({ command: tool });
  expect(step.exitCode).toBe(1);
  expect(step.log).toContain('url=postgresql://app:***@127.0.0.1');
  for (const [where, text] of Object.entries({
    log: step.log,
    stderr: step.stderr,
    summary: step.summary,
    outputs: JSON.stringify(step.outputs),
  })) {
    expect(`${where}: ${text.includes(postgres.server.password)}`).toBe(`${where}: false`);
  }
  await f.close();
});

test('main SIGKILLed while a migration command runs: the post step ends the command before it frees the lock', async () => {
  const f = await fixture({});
  const marker = join(f.workspace, 'finished-after-kill');
  const tool = join(f.workspace, 'slow-tool');
  // Announces itself, then would finish its work (the marker) well after main is gone.
  writeFileSync(tool, `#!/bin/sh\necho "tool running as $$"\nsleep 4\necho done > ${marker}\n`);
  chmodSync(tool, 0o755);
  let toolPid = 0;
  const main = await f.run(
    { command: tool },
    {
      onLine: (line, control) => {
        const m = /tool running as (\d+)/.exec(line);
        if (m) {
          toolPid = Number(m[1]);
          control.kill();
        }
      },
    },
  );
  expect(main.signal).toBe('SIGKILL');
  expect(toolPid).toBeGreaterThan(0);
  expect(() => process.kill(toolPid, 0)).not.toThrow();
  const post = await runStep('run-migrations', 'post', {
    inputs: { 'database-url': f.url, command: tool },
    cwd: f.workspace,
    env: { GITHUB_WORKSPACE: f.workspace },
    state: main.state,
    dir: main.files.dir,
  });
  expect(post.exitCode).toBe(0);
  expect(post.log).toMatch(/ended 1 process\(es\) the main step left running/);
  expect(() => process.kill(toolPid, 0)).toThrow();
  expect(await advisoryLocks(f.q)).toBe(0);
  // Long enough for the tool to have finished, had it survived.
  await new Promise((r) => setTimeout(r, 5000));
  expect(existsSync(marker)).toBe(false);
  await f.close();
}, 60_000);
