// Adopting another tool's history, against a real PostgreSQL: each tool's table is created with the
// DDL that tool runs and filled as it fills it, after the tool's migrations were run (here by plain
// queries, as the tool would have sent them). Every migration is non-idempotent, so one run twice
// would fail with "already exists".
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { MemoryLogger } from '@deploy-actions/core';
import { startTestPostgres, type TestPostgres } from '../../../test/support/postgres';
import { ForeignHistoryError, loadMigrations, Migrator, type SqlClient } from '../src/index';

let postgres: TestPostgres;
const clients: pg.Client[] = [];

beforeAll(async () => {
  postgres = await startTestPostgres({ password: 'adopt-Pa55-3', prefix: 'a' });
}, 60_000);

afterAll(async () => {
  for (const client of clients) await client.end().catch(() => undefined);
  await postgres?.stop();
});

/** A fresh database and folder; `ran` runs files' SQL as the other tool would have. */
async function fixture(files: Record<string, string>) {
  const url = await postgres.freshDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'adopt-'));
  for (const [file, sql] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), sql);
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  clients.push(client);
  const q = async <R = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<R[]> =>
    (await client.query(sql, values)).rows as R[];
  const set = () => loadMigrations(dir);
  const ran = async (...versions: string[]): Promise<void> => {
    for (const m of set().ups.filter((u) => versions.includes(u.version))) await q(m.sql);
  };
  const log = new MemoryLogger();
  const migrator = new Migrator({
    client: client as unknown as SqlClient,
    table: 'deploy_actions_migrations',
    lockWaitMs: 10_000,
    lockTimeoutMs: 5_000,
    statementTimeoutMs: 60_000,
    lockRetries: 0,
    appliedBy: 'run 7',
    log,
  });
  return { url, dir, q, set, ran, migrator, log };
}

/** Four versions, the third missing (gaps are normal in these tools' folders). */
const numbered = (up: (v: string, sql: string) => [string, string]) =>
  Object.fromEntries([
    up('000001', 'create table a (id int primary key);'),
    up('000002', 'create table b (id int primary key);\ninsert into a values (1);'),
    up('000004', 'create table d (id int primary key);'),
    up('000005', 'create table e (id int primary key);'),
  ]);

const history = (q: (sql: string) => Promise<Array<Record<string, unknown>>>) =>
  q('select version, applied_by from deploy_actions_migrations order by version');

async function expectAdopted(
  f: Awaited<ReturnType<typeof fixture>>,
  tool: string,
  table: string,
  adopted: string[],
  pending: string[],
): Promise<void> {
  const status = await f.migrator.status(f.set());
  expect(status.adopted?.tool).toBe(tool);
  expect(status.adopted?.applied.map((m) => m.version)).toEqual(adopted);
  expect(status.pending.map((m) => m.version)).toEqual(pending);
  expect(status.current).toBe(adopted.at(-1));
  const result = await f.migrator.apply(f.set());
  expect(result.adopted).toEqual({ tool, table, count: adopted.length });
  expect(result.applied.map((a) => a.version)).toEqual(pending);
  expect(result.before).toBe(adopted.at(-1));
  expect(await history(f.q)).toEqual([
    ...adopted.map((version) => ({ version, applied_by: `adopted from ${tool} (${table}) by run 7` })),
    ...pending.map((version) => ({ version, applied_by: 'run 7' })),
  ]);
  expect(f.log.records.map((r) => r.message).join('\n')).toContain(
    `adopted ${adopted.length} migration(s) that ${tool} recorded as applied`,
  );
  // The data the adopted migrations wrote is there once: nothing ran twice.
  expect(await f.q('select count(*)::int as n from a')).toEqual([{ n: 1 }]);
  const again = await f.migrator.apply(f.set());
  expect(again).toEqual({
    before: pending.at(-1) ?? adopted.at(-1),
    after: pending.at(-1) ?? adopted.at(-1),
    applied: [],
  });
}

describe('adopting the history another tool left', () => {
  test('golang-migrate: schema_migrations (version bigint, dirty) holding the latest version', async () => {
    const f = await fixture(numbered((v, sql) => [`${v}_m${v}.up.sql`, sql]));
    await f.ran('000001', '000002', '000004');
    // golang-migrate's postgres driver: the table, then TRUNCATE + INSERT of the current version.
    await f.q(
      'CREATE TABLE IF NOT EXISTS "schema_migrations" (version bigint not null primary key, dirty boolean not null)',
    );
    await f.q('TRUNCATE "schema_migrations"');
    await f.q('INSERT INTO "schema_migrations" (version, dirty) VALUES ($1, $2)', [4, false]);
    await expectAdopted(f, 'golang-migrate', 'schema_migrations', ['000001', '000002', '000004'], ['000005']);
  });

  test('golang-migrate dirty: stops with the version and the fix, touching nothing', async () => {
    const f = await fixture(numbered((v, sql) => [`${v}_m${v}.up.sql`, sql]));
    await f.ran('000001', '000002');
    await f.q(
      'CREATE TABLE IF NOT EXISTS "schema_migrations" (version bigint not null primary key, dirty boolean not null)',
    );
    await f.q('INSERT INTO "schema_migrations" (version, dirty) VALUES ($1, $2)', [4, true]);
    const error = await f.migrator.apply(f.set()).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ForeignHistoryError);
    expect((error as Error).message).toMatch(
      /^golang-migrate recorded version 4 as dirty in schema_migrations: it failed part-way and may be half applied; check the database by hand, then `migrate force 4` .* or record what is really applied with `mode: baseline`/,
    );
    expect(await f.q("select to_regclass('d')::text as d")).toEqual([{ d: null }]);
    expect(await history(f.q)).toEqual([]);
    // plan/status say the same before anything is touched
    await expect(f.migrator.status(f.set())).rejects.toThrow('as dirty');
  });

  test('golang-migrate recorded a version with no file: stops and says which', async () => {
    const f = await fixture(numbered((v, sql) => [`${v}_m${v}.up.sql`, sql]));
    await f.q(
      'CREATE TABLE IF NOT EXISTS "schema_migrations" (version bigint not null primary key, dirty boolean not null)',
    );
    await f.q('INSERT INTO "schema_migrations" (version, dirty) VALUES (3, false)');
    await expect(f.migrator.apply(f.set())).rejects.toThrow(
      'golang-migrate recorded version(s) 3 in schema_migrations as applied, but the migrations folder has no file for it; point `migrations` at the folder',
    );
    expect(await f.q("select to_regclass('a')::text as a")).toEqual([{ a: null }]);
  });

  test('dbmate: schema_migrations (version varchar) with one row per migration, told apart by its columns', async () => {
    const f = await fixture(
      numbered((v, sql) => [`2024010100${v}_m.sql`, `-- migrate:up\n${sql}\n\n-- migrate:down\nselect 1;\n`]),
    );
    await f.ran('2024010100000001', '2024010100000002', '2024010100000004');
    // dbmate's postgres driver
    await f.q('create table if not exists schema_migrations (version varchar(128) primary key)');
    for (const v of ['2024010100000001', '2024010100000002', '2024010100000004'])
      await f.q('insert into schema_migrations (version) values ($1)', [v]);
    await expectAdopted(
      f,
      'dbmate',
      'schema_migrations',
      ['2024010100000001', '2024010100000002', '2024010100000004'],
      ['2024010100000005'],
    );
  });

  test('Flyway: flyway_schema_history with a baseline, applied and undone versions; a failed row stops', async () => {
    const f = await fixture({
      'V1__a.sql': 'create table a (id int primary key);\ninsert into a values (1);',
      'V1_1__b.sql': 'create table b (id int primary key);',
      'V2__c.sql': 'create table c (id int primary key);',
      'V3__d.sql': 'create table d (id int primary key);',
    });
    await f.ran('1', '1.1');
    // Flyway's createMetaDataTable.sql for PostgreSQL
    await f.q(`CREATE TABLE "public"."flyway_schema_history" (
      "installed_rank" INT NOT NULL, "version" VARCHAR(50), "description" VARCHAR(200) NOT NULL,
      "type" VARCHAR(20) NOT NULL, "script" VARCHAR(1000) NOT NULL, "checksum" INTEGER,
      "installed_by" VARCHAR(100) NOT NULL, "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
      "execution_time" INTEGER NOT NULL, "success" BOOLEAN NOT NULL)`);
    await f.q(
      'ALTER TABLE "public"."flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank")',
    );
    await f.q('CREATE INDEX "flyway_schema_history_s_idx" ON "public"."flyway_schema_history" ("success")');
    const row = (rank: number, version: string | null, type: string, script: string, success = true) =>
      f.q(
        `insert into flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
         values ($1, $2, 'x', $3, $4, 12345, 'flyway', 5, $5)`,
        [rank, version, type, script, success],
      );
    await row(1, '1', 'BASELINE', '<< Flyway Baseline >>');
    await row(2, '1.1', 'SQL', 'V1_1__b.sql');
    await row(3, '2', 'SQL', 'V2__c.sql');
    await row(4, '2', 'UNDO_SQL', 'U2__c.sql');
    await row(5, null, 'SQL', 'R__views.sql');
    await expectAdopted(f, 'Flyway', 'flyway_schema_history', ['1', '1.1'], ['2', '3']);

    const failed = await fixture({ 'V1__a.sql': 'create table a (id int);' });
    await failed.q(`CREATE TABLE "flyway_schema_history" ("installed_rank" INT NOT NULL PRIMARY KEY, "version" VARCHAR(50),
      "description" VARCHAR(200) NOT NULL, "type" VARCHAR(20) NOT NULL, "script" VARCHAR(1000) NOT NULL, "checksum" INTEGER,
      "installed_by" VARCHAR(100) NOT NULL, "installed_on" TIMESTAMP NOT NULL DEFAULT now(), "execution_time" INTEGER NOT NULL, "success" BOOLEAN NOT NULL)`);
    await failed.q(
      "insert into flyway_schema_history values (1, '1', 'a', 'SQL', 'V1__a.sql', 1, 'flyway', now(), 3, false)",
    );
    await expect(failed.migrator.apply(failed.set())).rejects.toThrow(
      'Flyway recorded V1__a.sql (version 1) as failed in flyway_schema_history; check the database by hand, then `flyway repair`',
    );
  });

  test('goose: goose_db_version with its version-0 row, ups and an old-style down row', async () => {
    const f = await fixture(numbered((v, sql) => [`${v}_m.sql`, `-- +goose Up\n${sql}\n-- +goose Down\nselect 1;\n`]));
    await f.ran('000001', '000002', '000004');
    // goose v3's postgres dialect
    await f.q(
      'CREATE TABLE goose_db_version (id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp NOT NULL DEFAULT now())',
    );
    for (const [v, on] of [
      [0, true],
      [1, true],
      [2, true],
      [5, true],
      [5, false],
      [4, true],
    ] as const)
      await f.q('INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, $2)', [v, on]);
    await expectAdopted(f, 'goose', 'goose_db_version', ['000001', '000002', '000004'], ['000005']);
  });

  test('node-pg-migrate: pgmigrations written by its own CLI', async () => {
    const f = await fixture(
      numbered((v, sql) => [`${v}_m${v}.sql`, `-- Up Migration\n${sql}\n-- Down Migration\nselect 1;\n`]),
    );
    // node-pg-migrate itself, on a folder holding the first three files only.
    const theirs = mkdtempSync(join(tmpdir(), 'npm-'));
    for (const m of f.set().ups.slice(0, 3)) writeFileSync(join(theirs, m.file), readBack(f.dir, m.file));
    const cli = join(process.cwd(), 'node_modules', 'node-pg-migrate', 'bin', 'node-pg-migrate.js');
    const result = spawnSync(process.execPath, [cli, 'up', '-m', theirs, '-t', 'pgmigrations'], {
      env: { ...process.env, DATABASE_URL: f.url },
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    await expectAdopted(f, 'node-pg-migrate', 'pgmigrations', ['000001', '000002', '000004'], ['000005']);
  });

  test('sqlx: _sqlx_migrations; a failed (dirty) row stops', async () => {
    const f = await fixture(numbered((v, sql) => [`${v}_m.up.sql`, sql]));
    await f.ran('000001', '000002');
    // sqlx's postgres migrate.rs
    await f.q(`CREATE TABLE IF NOT EXISTS _sqlx_migrations (
      version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),
      success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL)`);
    for (const v of [1, 2])
      await f.q(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES ($1, 'm', TRUE, '\\x00', 1)",
        [v],
      );
    await expectAdopted(f, 'sqlx', '_sqlx_migrations', ['000001', '000002'], ['000004', '000005']);

    const dirty = await fixture(numbered((v, sql) => [`${v}_m.up.sql`, sql]));
    await dirty.q(
      'CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL)',
    );
    await dirty.q("INSERT INTO _sqlx_migrations VALUES (1, 'm', now(), FALSE, '\\x00', 1)");
    await expect(dirty.migrator.apply(dirty.set())).rejects.toThrow('sqlx recorded version 1 as failed (dirty)');
  });

  test('Atlas: atlas_schema_revisions in its own schema, a baseline then executions; a partial one stops', async () => {
    const f = await fixture(numbered((v, sql) => [`2024010100${v}_m.sql`, sql]));
    await f.ran('2024010100000001', '2024010100000002', '2024010100000004');
    const create = `CREATE SCHEMA "atlas_schema_revisions";
      CREATE TABLE "atlas_schema_revisions"."atlas_schema_revisions" ("version" character varying NOT NULL, "description" character varying NOT NULL, "type" bigint NOT NULL DEFAULT 2, "applied" bigint NOT NULL DEFAULT 0, "total" bigint NOT NULL DEFAULT 0, "executed_at" timestamptz NOT NULL, "execution_time" bigint NOT NULL, "error" text NULL, "error_stmt" text NULL, "hash" character varying NOT NULL, "partial_hashes" jsonb NULL, "operator_version" character varying NOT NULL, PRIMARY KEY ("version"))`;
    await f.q(create);
    const revision = (
      q: typeof f.q,
      version: string,
      type: number,
      applied: number,
      total: number,
      error: string | null = null,
    ) =>
      q(
        `insert into atlas_schema_revisions.atlas_schema_revisions (version, description, type, applied, total, executed_at, execution_time, error, hash, operator_version)
         values ($1, 'm', $2, $3, $4, now(), 1, $5, 'h', 'Atlas CLI v0.20.0')`,
        [version, type, applied, total, error],
      );
    await revision(f.q, '2024010100000002', 1, 0, 0); // baseline: everything up to it
    await revision(f.q, '2024010100000004', 2, 1, 1);
    await expectAdopted(
      f,
      'Atlas',
      'atlas_schema_revisions.atlas_schema_revisions',
      ['2024010100000001', '2024010100000002', '2024010100000004'],
      ['2024010100000005'],
    );

    const partial = await fixture(numbered((v, sql) => [`2024010100${v}_m.sql`, sql]));
    await partial.q(create);
    await revision(partial.q, '2024010100000001', 2, 1, 2, 'pq: relation "x" does not exist');
    await expect(partial.migrator.apply(partial.set())).rejects.toThrow(
      'Atlas recorded version 2024010100000001 as partly applied (1 of 2 statements: pq: relation "x" does not exist)',
    );
  });

  test('Prisma: _prisma_migrations for its folders; rolled-back rows do not count, a failed one stops', async () => {
    const folders = {
      '20240101000000_init/migration.sql': 'create table a (id int primary key);\ninsert into a values (1);',
      '20240201000000_b/migration.sql': 'create table b (id int primary key);',
      '20240301000000_c/migration.sql': 'create table c (id int primary key);',
    };
    const f = await fixture(folders);
    await f.ran('20240101000000', '20240201000000');
    // Prisma's migration engine (schema-engine) for PostgreSQL
    const create = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`;
    await f.q(create);
    const migration = (q: typeof f.q, id: string, name: string, finished: boolean, rolledBack: boolean) =>
      q(
        `insert into _prisma_migrations (id, checksum, finished_at, migration_name, rolled_back_at, applied_steps_count)
         values ($1, 'c', ${finished ? 'now()' : 'null'}, $2, ${rolledBack ? 'now()' : 'null'}, 1)`,
        [id, name],
      );
    await migration(f.q, '1', '20240101000000_init', true, false);
    await migration(f.q, '2', '20240201000000_b', false, true); // failed, then rolled back and re-applied:
    await migration(f.q, '3', '20240201000000_b', true, false);
    await expectAdopted(f, 'Prisma', '_prisma_migrations', ['20240101000000', '20240201000000'], ['20240301000000']);

    const failed = await fixture(folders);
    await failed.q(create);
    await migration(failed.q, '1', '20240101000000_init', false, false);
    await expect(failed.migrator.apply(failed.set())).rejects.toThrow(
      'Prisma recorded 20240101000000_init as failed in _prisma_migrations; check the database by hand, then `prisma migrate resolve --applied 20240101000000_init`',
    );
  });

  test('morph (Mattermost): db_migrations with one row per migration', async () => {
    const f = await fixture(numbered((v, sql) => [`${v}_m.up.sql`, sql]));
    await f.ran('000001', '000002', '000004');
    await f.q('CREATE TABLE IF NOT EXISTS db_migrations (version bigint not null primary key, name varchar not null)');
    for (const v of [1, 2, 4]) await f.q("insert into db_migrations (version, name) values ($1, 'm')", [v]);
    await expectAdopted(f, 'morph', 'db_migrations', ['000001', '000002', '000004'], ['000005']);
  });

  test('our own history wins: once it has rows, another table is not read; baseline does not adopt', async () => {
    const f = await fixture(numbered((v, sql) => [`${v}_m.up.sql`, sql]));
    await f.q('CREATE TABLE schema_migrations (version bigint not null primary key, dirty boolean not null)');
    await f.q('INSERT INTO schema_migrations VALUES (5, true)');
    // A dirty foreign history does not stop a baseline: that is how a person settles it.
    const result = await f.migrator.baseline(f.set(), '000002');
    expect(result.applied.map((a) => a.version)).toEqual(['000001', '000002']);
    const status = await f.migrator.status(f.set());
    expect(status.adopted).toBeUndefined();
    expect(status.pending.map((m) => m.version)).toEqual(['000004', '000005']);
  });

  test("two tools' histories at once cannot be told apart: stops", async () => {
    const f = await fixture(numbered((v, sql) => [`${v}_m.up.sql`, sql]));
    await f.q('CREATE TABLE schema_migrations (version bigint not null primary key, dirty boolean not null)');
    await f.q('INSERT INTO schema_migrations VALUES (2, false)');
    await f.q('CREATE TABLE db_migrations (version bigint not null primary key, name varchar not null)');
    await f.q("INSERT INTO db_migrations VALUES (1, 'm')");
    await expect(f.migrator.apply(f.set())).rejects.toThrow(
      'found the histories of golang-migrate (schema_migrations) and morph (db_migrations)',
    );
  });
});

function readBack(dir: string, file: string): string {
  return loadMigrations(dir).ups.find((m) => m.file === file)!.sql;
}
