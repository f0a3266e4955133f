import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compareVersions,
  concurrentIndexName,
  findGap,
  lintMigration,
  loadMigrations,
  lockLevel,
  type MigrationFile,
  parseFileName,
  splitStatements,
  checksum,
  toolEnvironment,
} from '../src/index';

describe('file names', () => {
  test.each([
    ['0001_create_users.up.sql', { version: '0001', name: 'create_users', direction: 'up' }],
    ['0001_create_users.down.sql', { version: '0001', name: 'create_users', direction: 'down' }],
    ['V1_2__add_index.sql', { version: '1.2', name: 'add_index', direction: 'up' }],
    ['U1_2__add_index.sql', { version: '1.2', name: 'add_index', direction: 'down' }],
    ['V3__x.sql', { version: '3', name: 'x', direction: 'up' }],
    ['20240101120000_init.sql', { version: '20240101120000', name: 'init', direction: 'up' }],
  ])('%s', (file, expected) => expect(parseFileName(file)).toEqual(expected));
  test.each(['create_users.sql', 'V1_create.sql', '1-create.sql', 'R__view.sql'])(
    '%s is not a migration name',
    (file) => expect(parseFileName(file)).toBeUndefined(),
  );
  test('versions order numerically', () => {
    expect(['10', '2', '1.10', '1.2', '0001'].sort(compareVersions)).toEqual(['0001', '1.2', '1.10', '2', '10']);
  });
});

describe('loadMigrations', () => {
  const folder = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'mig-'));
    for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
    return dir;
  };
  test('reads ups and downs in version order, with transaction mode and checksums', () => {
    const set = loadMigrations(
      folder({
        '0002_b.up.sql': '-- deploy-actions:no-transaction\ncreate index concurrently i on t (a);',
        '0001_a.up.sql': 'create table t (a int);',
        '0001_a.down.sql': 'drop table t;',
        'README.md': 'not sql',
      }),
    );
    expect(set.ups.map((m) => [m.version, m.transactional])).toEqual([
      ['0001', true],
      ['0002', false],
    ]);
    expect([...set.downs.keys()]).toEqual(['1']);
    expect(set.ups[0]!.checksum).toBe(checksum('create table t (a int);'));
    expect(checksum('a\r\nb')).toBe(checksum('a\nb'));
  });
  test.each([
    [{ 'create.sql': 'x' }, "'create.sql' does not follow a migration naming style"],
    [{ '0001_a.sql': 'x', '1_b.sql': 'y' }, "version 1 is used twice: '0001_a.sql' and '1_b.sql'"],
    [
      { '0002_a.down.sql': 'x', '0001_b.up.sql': 'y' },
      "'0002_a.down.sql' undoes version 0002, which has no up migration",
    ],
  ])('bad folder %#', (files, message) => expect(() => loadMigrations(folder(files))).toThrow(message));

  test.each([
    [
      { '0001_a.sql': '', '0002_b.sql': '', '0004_d.sql': '' },
      "version 0003 is missing between '0002_b.sql' and '0004_d.sql'",
    ],
    [{ '1_a.up.sql': '', '5_e.up.sql': '' }, "3 versions from 2 are missing between '1_a.up.sql' and '5_e.up.sql'"],
    [{ 'V1__a.sql': '', 'V3__c.sql': '' }, "version 2 is missing between 'V1__a.sql' and 'V3__c.sql'"],
  ])('a hole in a numbered sequence is a gap %#', (files, message) =>
    expect(findGap(loadMigrations(folder(files)))).toBe(message),
  );

  test.each([
    ['a sequence that starts late (older files squashed)', { '0041_a.sql': '', '0042_b.sql': '' }],
    ['timestamps', { '20240101120000_a.sql': '', '20240301090000_b.sql': '' }],
    ['dotted Flyway versions', { 'V1_1__a.sql': '', 'V1_5__b.sql': '', 'V2__c.sql': '' }],
    ['down files do not count', { '0001_a.up.sql': '', '0001_a.down.sql': '', '0002_b.up.sql': '' }],
  ])('no gap: %s', (_name, files) => expect(findGap(loadMigrations(folder(files)))).toBeUndefined());
});

describe('splitStatements', () => {
  test('semicolons inside strings, identifiers, comments and dollar quotes do not split', () => {
    const sql = `-- first; comment
create table "a;b" (x text default 'it''s; fine');
/* block; /* nested; */ still */ insert into t values (E'a\\'; b');
create function f() returns int language plpgsql as $body$ begin return 1; end; $body$;
select $$;$$;
select 1`;
    const statements = splitStatements(sql);
    expect(statements.map((s) => s.line)).toEqual([2, 3, 4, 5, 6]);
    expect(statements.map((s) => s.text.slice(0, 12))).toEqual([
      'create table',
      'insert into ',
      'create funct',
      'select $$;$$',
      'select 1',
    ]);
    expect(statements[0]!.comments).toEqual(['-- first; comment']);
  });

  test('BEGIN ATOMIC bodies of SQL-standard functions and procedures stay whole, CASE ... END included', () => {
    const sql = `create function add(a int, b int) returns int language sql
begin atomic
  select case when a is null then 0 else a end + b;
  select 1;
end;
create or replace procedure p() language sql begin atomic insert into t values (1); end;
begin;
select 'end; begin';
commit`;
    expect(splitStatements(sql).map((s) => [s.line, s.text.split('\n')[0]])).toEqual([
      [1, 'create function add(a int, b int) returns int language sql'],
      [6, 'create or replace procedure p() language sql begin atomic insert into t values (1); end'],
      [7, 'begin'],
      [8, "select 'end; begin'"],
      [9, 'commit'],
    ]);
  });

  test('names with $ are not dollar quotes; E-strings escape quotes and newlines; lines count through every kind of token', () => {
    const sql =
      "create table a$b$ (x int);\nselect E'\\\\', E'it\\'s;\\\n';\nselect $fn$\n;\n$fn$, /* a\n; */ 'x\n;';\nselect \"Grüße;\" from \"t\"\"; x\";\nselect 1";
    expect(splitStatements(sql).map((s) => s.line)).toEqual([1, 2, 4, 9, 10]);
  });

  test('a comment after the semicolon, on the same line, belongs to that statement', () => {
    const [first, second] = splitStatements(
      'alter table t drop column a; -- deploy-actions:ignore dropping-column\n-- about the next one\nselect 1;',
    );
    expect(first!.comments).toEqual(['-- deploy-actions:ignore dropping-column']);
    expect(second!.comments).toEqual(['-- about the next one']);
  });

  test('an unterminated string or comment runs to the end instead of hanging', () => {
    expect(splitStatements("select 'open;\nselect 2;").map((s) => s.line)).toEqual([1]);
    expect(splitStatements('select 1; /* open\n;').map((s) => s.text)).toEqual(['select 1']);
    expect(splitStatements('select $x$ open; select 2;')).toHaveLength(1);
  });
});

describe('lint', () => {
  const file = (sql: string, transactional = true): MigrationFile => ({
    version: '1',
    name: 'x',
    file: '0001_x.sql',
    direction: 'up',
    sql,
    checksum: '',
    transactional,
  });
  const rules = (sql: string, transactional = true, lockTimeout = 5000) =>
    lintMigration(file(sql, transactional), { engineLockTimeoutMs: lockTimeout }).map((f) => `${f.line}:${f.rule}`);

  test.each([
    ['alter table users add column age int not null;', ['1:adding-not-null-column-without-default']],
    ['alter table users add column age int not null default 0;', []],
    ['create index users_email on users (email);', ['1:create-index-non-concurrently']],
    ['create table t (a int);\ncreate index t_a on t (a);', []],
    ['create index concurrently users_email on users (email);', ['1:concurrently-in-transaction']],
    [
      'alter table orders add constraint fk foreign key (user_id) references users (id);',
      ['1:constraint-without-not-valid'],
    ],
    ['alter table orders add constraint fk foreign key (user_id) references users (id) not valid;', []],
    ['alter table users alter column age type bigint;', ['1:changing-column-type']],
    ['alter table users drop column age;', ['1:dropping-column']],
    ['alter table users alter column age drop not null;', []],
    ['drop table users;', ['1:dropping-table']],
    ['alter table users rename column a to b;', ['1:renaming-column']],
    ['alter table users rename to people;', ['1:renaming-table']],
    ['-- deploy-actions:ignore dropping-column\nalter table users drop column age;', []],
    ['alter table users drop column age; -- deploy-actions:ignore dropping-column', []],
    [
      'alter table users add column a int not null, add column b int default 0;',
      ['1:adding-not-null-column-without-default'],
    ],
    ['alter table users add column price numeric(10,2) not null;', ['1:adding-not-null-column-without-default']],
    ['alter table users add column id2 bigint not null generated always as identity;', []],
    ["alter table users add column note text default 'a, b not null';", []],
    [
      'create table t (a int);\nalter table t add column b int not null;\nalter table t alter column a type bigint;',
      [],
    ],
    ['alter table users alter column email set not null;', ['1:setting-not-null']],
    ['alter table users add constraint users_email unique (email);', ['1:unique-constraint-builds-index']],
    ['alter table users add constraint users_email unique using index users_email_idx;', []],
    ['alter table users add check (age > 0);', ['1:constraint-without-not-valid']],
    ['alter table users drop constraint users_age_check, alter column age drop default;', []],
    ['alter table users rename constraint a to b;', []],
  ])('%s', (sql, expected) => expect(rules(sql)).toEqual(expected));

  test('judged against the transaction mode the engine will use', () => {
    expect(rules('create index concurrently i on users (a);', false)).toEqual([]);
    expect(
      rules('create index concurrently i on users (a);\ncreate index concurrently j on users (b);', false),
    ).toEqual(['2:no-transaction-multiple-statements']);
  });

  test('missing lock_timeout only matters when the engine sets none', () => {
    expect(rules('alter table users add column x int;', true, 0)).toEqual(['1:missing-lock-timeout']);
    expect(rules('set lock_timeout = 1000;\nalter table users add column x int;', true, 0)).toEqual([]);
    expect(rules('alter table users add column x int;', true, 5000)).toEqual([]);
  });

  test('one ignore comment can name several rules; other rules still apply', () => {
    expect(
      rules(
        '-- deploy-actions:ignore dropping-column, changing-column-type\nalter table users drop column a, alter column b type bigint, alter column c set not null;',
      ),
    ).toEqual(['2:setting-not-null']);
  });

  test('lock levels for the plan', () => {
    expect(lockLevel('create index concurrently i on t (a)')).toBe('SHARE UPDATE EXCLUSIVE');
    expect(lockLevel('alter table t add column a int')).toBe('ACCESS EXCLUSIVE (blocks reads and writes)');
    expect(lockLevel('insert into t values (1)')).toBe('ROW EXCLUSIVE');
    expect(lockLevel('create table t (a int)')).toBe('none on existing tables');
  });
});

describe('concurrent index names (for INVALID index cleanup)', () => {
  test.each([
    ['create index concurrently users_email on users (email)', 'users_email'],
    ['CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Users Email" ON ONLY app.users (email)', 'app."Users Email"'],
    ['create index concurrently on users (email)', undefined],
    ['create index users_email on users (email)', undefined],
  ])('%s', (sql, name) => expect(concurrentIndexName(sql)).toBe(name));
});

describe('the environment of a command-mode tool', () => {
  test('libpq variables, a postgresql:// URL, and Flyway settings with the timeouts', () => {
    const env = toolEnvironment('postgres://app:p%40ss@db.internal:6432/shop?sslmode=require', 5000, 60000);
    expect(env).toEqual({
      DATABASE_URL: 'postgresql://app:p%40ss@db.internal:6432/shop?sslmode=require',
      PGHOST: 'db.internal',
      PGPORT: '6432',
      PGUSER: 'app',
      PGPASSWORD: 'p@ss',
      PGDATABASE: 'shop',
      PGOPTIONS: '-c lock_timeout=5000 -c statement_timeout=60000',
      FLYWAY_URL:
        'jdbc:postgresql://db.internal:6432/shop?sslmode=require&options=-c%20lock_timeout%3D5000%20-c%20statement_timeout%3D60000',
      FLYWAY_USER: 'app',
      FLYWAY_PASSWORD: 'p@ss',
    });
  });
});
