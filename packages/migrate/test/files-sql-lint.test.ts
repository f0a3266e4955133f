import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareVersions, lintMigration, loadMigrations, lockLevel, type MigrationFile, parseFileName, splitStatements, checksum } from '../src/index';

describe('file names', () => {
  test.each([
    ['0001_create_users.up.sql', { version: '0001', name: 'create_users', direction: 'up' }],
    ['0001_create_users.down.sql', { version: '0001', name: 'create_users', direction: 'down' }],
    ['V1_2__add_index.sql', { version: '1.2', name: 'add_index', direction: 'up' }],
    ['U1_2__add_index.sql', { version: '1.2', name: 'add_index', direction: 'down' }],
    ['V3__x.sql', { version: '3', name: 'x', direction: 'up' }],
    ['20240101120000_init.sql', { version: '20240101120000', name: 'init', direction: 'up' }],
  ])('%s', (file, expected) => expect(parseFileName(file)).toEqual(expected));
  test.each(['create_users.sql', 'V1_create.sql', '1-create.sql', 'R__view.sql'])('%s is not a migration name', (file) => expect(parseFileName(file)).toBeUndefined());
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
    const set = loadMigrations(folder({
      '0002_b.up.sql': '-- deploy-actions:no-transaction\ncreate index concurrently i on t (a);',
      '0001_a.up.sql': 'create table t (a int);', '0001_a.down.sql': 'drop table t;', 'README.md': 'not sql',
    }));
    expect(set.ups.map((m) => [m.version, m.transactional])).toEqual([['0001', true], ['0002', false]]);
    expect([...set.downs.keys()]).toEqual(['1']);
    expect(set.ups[0]!.checksum).toBe(checksum('create table t (a int);'));
    expect(checksum('a\r\nb')).toBe(checksum('a\nb'));
  });
  test.each([
    [{ 'create.sql': 'x' }, "'create.sql' does not follow a migration naming style"],
    [{ '0001_a.sql': 'x', '1_b.sql': 'y' }, "version 1 is used twice: '0001_a.sql' and '1_b.sql'"],
    [{ '0002_a.down.sql': 'x', '0001_b.up.sql': 'y' }, "'0002_a.down.sql' undoes version 0002, which has no up migration"],
  ])('bad folder %#', (files, message) => expect(() => loadMigrations(folder(files))).toThrow(message));
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
    expect(statements.map((s) => s.text.slice(0, 12))).toEqual(['create table', 'insert into ', 'create funct', 'select $$;$$', 'select 1']);
    expect(statements[0]!.comments).toEqual(['-- first; comment']);
  });
});

describe('lint', () => {
  const file = (sql: string, transactional = true): MigrationFile => ({ version: '1', name: 'x', file: '0001_x.sql', direction: 'up', sql, checksum: '', transactional });
  const rules = (sql: string, transactional = true, lockTimeout = 5000) => lintMigration(file(sql, transactional), { engineLockTimeoutMs: lockTimeout }).map((f) => `${f.line}:${f.rule}`);

  test.each([
    ['alter table users add column age int not null;', ['1:adding-not-null-column-without-default']],
    ['alter table users add column age int not null default 0;', []],
    ['create index users_email on users (email);', ['1:create-index-non-concurrently']],
    ['create table t (a int);\ncreate index t_a on t (a);', []],
    ['create index concurrently users_email on users (email);', ['1:concurrently-in-transaction']],
    ['alter table orders add constraint fk foreign key (user_id) references users (id);', ['1:constraint-without-not-valid']],
    ['alter table orders add constraint fk foreign key (user_id) references users (id) not valid;', []],
    ['alter table users alter column age type bigint;', ['1:changing-column-type']],
    ['alter table users drop column age;', ['1:dropping-column']],
    ['alter table users alter column age drop not null;', []],
    ['drop table users;', ['1:dropping-table']],
    ['alter table users rename column a to b;', ['1:renaming-column']],
    ['alter table users rename to people;', ['1:renaming-table']],
    ['-- deploy-actions:ignore dropping-column\nalter table users drop column age;', []],
  ])('%s', (sql, expected) => expect(rules(sql)).toEqual(expected));

  test('judged against the transaction mode the engine will use', () => {
    expect(rules('create index concurrently i on users (a);', false)).toEqual([]);
    expect(rules('create index concurrently i on users (a);\ncreate index concurrently j on users (b);', false)).toEqual(['2:no-transaction-multiple-statements']);
  });

  test('missing lock_timeout only matters when the engine sets none', () => {
    expect(rules('alter table users add column x int;', true, 0)).toEqual(['1:missing-lock-timeout']);
    expect(rules('set lock_timeout = 1000;\nalter table users add column x int;', true, 0)).toEqual([]);
    expect(rules('alter table users add column x int;', true, 5000)).toEqual([]);
  });

  test('lock levels for the plan', () => {
    expect(lockLevel('create index concurrently i on t (a)')).toBe('SHARE UPDATE EXCLUSIVE');
    expect(lockLevel('alter table t add column a int')).toBe('ACCESS EXCLUSIVE (blocks reads and writes)');
    expect(lockLevel('insert into t values (1)')).toBe('ROW EXCLUSIVE');
    expect(lockLevel('create table t (a int)')).toBe('none on existing tables');
  });
});
