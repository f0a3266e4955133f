import { beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compareVersions,
  concurrentIndexName,
  findGap,
  lintMigration,
  lintMigrations,
  loadMigrations,
  loadPgParser,
  type PgParser,
  planMarkdown,
  type TableFacts,
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

describe('folders as other tools write them', () => {
  const folder = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'mig-'));
    for (const [name, sql] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), sql);
    }
    return dir;
  };
  const modes = (files: Record<string, string>) =>
    loadMigrations(folder(files)).ups.map((m) => [m.file, m.transactional, m.noTransactionReason]);

  test("each tool's no-transaction marker, and statements that need no transaction on their own", () => {
    expect(
      modes({
        '000001_morph.up.sql': '-- morph:nontransactional\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t(a)',
        '000002_ours.up.sql': '-- deploy-actions:no-transaction\nselect 1;',
        '000003_sqlx.up.sql': '-- no-transaction\nselect 1;',
        '000004_atlas.up.sql': '-- atlas:txmode none\nselect 1;',
        '000005_plain.up.sql': 'create table t (a int);',
        '000006_auto.up.sql': '-- no marker\nDROP INDEX CONCURRENTLY IF EXISTS i;',
        '000007_vacuum.up.sql': 'vacuum analyze t;',
      }),
    ).toEqual([
      ['000001_morph.up.sql', false, '`-- morph:nontransactional`'],
      ['000002_ours.up.sql', false, '`-- deploy-actions:no-transaction`'],
      ['000003_sqlx.up.sql', false, '`-- no-transaction`'],
      ['000004_atlas.up.sql', false, '`-- atlas:txmode none`'],
      ['000005_plain.up.sql', true, undefined],
      ['000006_auto.up.sql', false, 'DROP INDEX CONCURRENTLY cannot run inside a transaction'],
      ['000007_vacuum.up.sql', false, 'VACUUM cannot run inside a transaction'],
    ]);
  });

  test('goose: Up and Down sections, StatementBegin/End blocks whole, NO TRANSACTION above the Up line', () => {
    const sql = [
      '-- +goose NO TRANSACTION',
      '-- +goose Up',
      'create table t (a int);',
      '-- +goose StatementBegin',
      'create function f() returns int language plpgsql as',
      'begin; return 1; end;',
      '-- +goose StatementEnd',
      'create index concurrently i on t (a);',
      '',
      '-- +goose Down',
      'drop table t;',
    ].join('\n');
    const set = loadMigrations(folder({ '00001_init.sql': sql }));
    const up = set.ups[0]!;
    expect(up.transactional).toBe(false);
    expect(up.noTransactionReason).toBe('`-- +goose NO TRANSACTION`');
    expect(up.statements.map((s) => [s.line, s.text])).toEqual([
      [3, 'create table t (a int)'],
      [5, 'create function f() returns int language plpgsql as\nbegin; return 1; end'],
      [8, 'create index concurrently i on t (a)'],
    ]);
    expect(set.downs.get('1')!.statements.map((s) => [s.line, s.text])).toEqual([[11, 'drop table t']]);
    expect(up.checksum).toBe(checksum(up.sql));
  });

  test('dbmate: migrate:up / migrate:down with transaction:false; node-pg-migrate: Up / Down Migration', () => {
    const set = loadMigrations(
      folder({
        '20240101000000_a.sql':
          '-- migrate:up transaction:false\ncreate index concurrently i on t (a);\n\n-- migrate:down\ndrop index i;\n',
        '20240102000000_b.sql': '-- Up Migration\ncreate table b (x int);\n-- Down Migration\ndrop table b;\n',
      }),
    );
    expect(set.ups.map((m) => [m.version, m.transactional, m.noTransactionReason, m.statements[0]!.line])).toEqual([
      ['20240101000000', false, 'dbmate `transaction:false`', 2],
      ['20240102000000', true, undefined, 2],
    ]);
    expect(set.downs.get('20240101000000')!.transactional).toBe(true);
    expect(set.downs.get('20240102000000')!.sql.trim()).toBe('drop table b;');
    expect(() => loadMigrations(folder({ '1_a.sql': '-- migrate:up foo:bar\nselect 1;' }))).toThrow(
      "unsupported dbmate option 'foo:bar'",
    );
    expect(() => loadMigrations(folder({ '1_a.sql': "-- +goose ENVSUB ON\n-- +goose Up\nselect '${X}';" }))).toThrow(
      "'1_a.sql' line 1: goose's ENVSUB is not supported",
    );
  });

  test('Flyway script configuration turns the transaction off', () => {
    expect(
      modes({
        'V1__a.sql': 'create table t (a int);',
        'V2__b.sql': 'create index i on t (a);',
        'V2__b.sql.conf': '# script config\nexecuteInTransaction=false\n',
      }),
    ).toEqual([
      ['V1__a.sql', true, undefined],
      ['V2__b.sql', false, 'Flyway `executeInTransaction=false` in V2__b.sql.conf'],
    ]);
  });

  test("Prisma's folders; a folder named like a .sql file is refused, others ignored", () => {
    const dir = folder({
      '20240101000000_init/migration.sql': 'create table a (x int);',
      '20240201000000_more/migration.sql': 'create table b (x int);',
      'migration_lock.toml': 'provider = "postgresql"',
      'notes/readme.txt': 'x',
    });
    expect(loadMigrations(dir).ups.map((m) => [m.version, m.name, m.file])).toEqual([
      ['20240101000000', 'init', '20240101000000_init/migration.sql'],
      ['20240201000000', 'more', '20240201000000_more/migration.sql'],
    ]);
    mkdirSync(join(dir, '0003_x.sql'));
    expect(() => loadMigrations(dir)).toThrow("'0003_x.sql' is a folder, not a migration file");
  });
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
  let parser: PgParser;
  beforeAll(async () => {
    parser = await loadPgParser();
  });
  const file = (sql: string, transactional = true): MigrationFile => ({
    version: '1',
    name: 'x',
    file: '0001_x.sql',
    direction: 'up',
    sql,
    checksum: '',
    statements: splitStatements(sql),
    transactional,
  });
  const rules = (sql: string, transactional = true, lockTimeout = 5000) =>
    lintMigration(file(sql, transactional), { parser, engineLockTimeoutMs: lockTimeout }).map(
      (f) => `${f.line}:${f.rule}`,
    );

  test.each([
    ['alter table users add column age int not null;', ['1:adding-not-null-column-without-default']],
    ['alter table users add column age int not null default 0;', []],
    ['create index users_email on users (email);', ['1:create-index-non-concurrently']],
    ['create table t (a int);\ncreate index t_a on t (a);', []],
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

  test('severity follows the table: error on a large one, warning on a small one, nothing on an empty or new one', () => {
    const tables = new Map<string, TableFacts>([
      ['BIG', { rows: true, large: true }],
      ['SMALL', { rows: true, large: false }],
      ['EMPTY', { rows: false, large: false }],
    ]);
    const judged = (sql: string) =>
      lintMigration(file(sql), { parser, engineLockTimeoutMs: 5000, tables }).map((f) => `${f.rule}:${f.severity}`);
    expect(judged('create index i on big (a);')).toEqual(['create-index-non-concurrently:error']);
    expect(judged('create index i on small (a);')).toEqual(['create-index-non-concurrently:warning']);
    expect(judged('create index i on empty (a);')).toEqual([]);
    expect(judged('alter table small add column c int not null;')).toEqual([
      'adding-not-null-column-without-default:error',
    ]);
    expect(judged('alter table empty add column c int not null;')).toEqual([]);
    expect(judged('alter table public.big alter column a type bigint;')).toEqual(['changing-column-type:error']);
    // IF NOT EXISTS on a table the database holds creates nothing: the table keeps its weight.
    expect(judged('create table if not exists big (a int);\ncreate index i on big (a);')).toEqual([
      'create-index-non-concurrently:error',
    ]);
  });

  test('DDL inside a DO block is judged like any other statement, at its own line', () => {
    const tables = new Map<string, TableFacts>([['POSTS', { rows: true, large: true }]]);
    const sql = [
      'DO $$',
      'BEGIN',
      "  IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'posts' AND column_name = 'x') THEN",
      '    ALTER TABLE posts ADD COLUMN x int NOT NULL;',
      '  END IF;',
      "  EXECUTE 'CREATE INDEX i ON posts (x)';",
      '  CREATE INDEX j ON posts (x);',
      'END $$;',
    ].join('\n');
    expect(
      lintMigration(file(sql), { parser, engineLockTimeoutMs: 5000, tables }).map(
        (f) => `${f.line}:${f.rule}:${f.severity}`,
      ),
    ).toEqual(['4:adding-not-null-column-without-default:error', '7:create-index-non-concurrently:error']);
    // On a table the same run creates, nothing.
    expect(
      lintMigration(file(`create table posts (id int);\n${sql}`), {
        parser,
        engineLockTimeoutMs: 5000,
        tables: new Map(),
      }),
    ).toEqual([]);
  });

  test("DO blocks are read by PostgreSQL's PL/pgSQL parser: loops, handlers, labels, quoted bodies", () => {
    const tables = new Map<string, TableFacts>([['POSTS', { rows: true, large: true }]]);
    const judged = (sql: string) =>
      lintMigration(file(sql), { parser, engineLockTimeoutMs: 5000, tables }).map(
        (f) => `${f.line}:${f.rule}:${f.severity}`,
      );
    const loopsAndHandlers = [
      'DO $do$',
      'DECLARE r record;',
      'BEGIN',
      "  FOR r IN SELECT unnest(ARRAY['a', 'b']) AS c LOOP",
      '    ALTER TABLE posts ADD COLUMN y int NOT NULL;',
      '  END LOOP;',
      '  <<add_index>>',
      '  BEGIN',
      '    CREATE INDEX k ON posts (y);',
      '  EXCEPTION WHEN duplicate_table THEN',
      "    RAISE NOTICE 'ALTER TABLE posts SET NOT NULL was skipped; -- not run';",
      '  END;',
      "  CASE current_setting('server_version_num')::int / 10000",
      '    WHEN 16 THEN ALTER TABLE posts ALTER COLUMN y SET NOT NULL;',
      '    ELSE NULL;',
      '  END CASE;',
      'END',
      '$do$ LANGUAGE plpgsql;',
    ].join('\n');
    expect(judged(loopsAndHandlers)).toEqual([
      '5:adding-not-null-column-without-default:error',
      '9:create-index-non-concurrently:error',
      '14:setting-not-null:error',
    ]);
    // An ignore comment in the body applies to the statement it precedes.
    expect(
      judged(
        'DO $$\nBEGIN\n  -- deploy-actions:ignore create-index-non-concurrently\n  CREATE INDEX i ON posts (a);\n  CREATE INDEX j ON posts (b);\nEND $$;',
      ),
    ).toEqual(['5:create-index-non-concurrently:error']);
    // A body in single quotes is a DO block all the same.
    expect(judged("DO 'BEGIN\n  CREATE INDEX i ON posts (a);\nEND';")).toEqual([
      '2:create-index-non-concurrently:error',
    ]);
    // Another language's body is not PL/pgSQL: not read.
    expect(judged("DO LANGUAGE plperl $$ my $sql = 'CREATE INDEX i ON posts (a)'; $$;")).toEqual([]);
    // A table a DO block creates is new to the statements after it.
    expect(judged('DO $$ BEGIN CREATE TABLE posts (a int); END $$;\nCREATE INDEX i ON posts (a);')).toEqual([]);
  });

  test('a function body runs when called, not when migrated: its DDL is not judged', () => {
    const sql = [
      'CREATE FUNCTION add_column() RETURNS void LANGUAGE plpgsql AS $$',
      'BEGIN',
      '  ALTER TABLE users ADD COLUMN x int NOT NULL;',
      'END $$;',
      'CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC',
      '  SELECT 1;',
      'END;',
    ].join('\n');
    expect(rules(sql)).toEqual([]);
  });

  test('a statement PostgreSQL cannot parse is an error at its line, before anything runs', () => {
    expect(
      lintMigration(file('create table t (a int);\n\nalter table t\n  add colum b int;'), {
        parser,
        engineLockTimeoutMs: 5000,
      }).map((f) => `${f.line}:${f.rule}:${f.severity}:${f.message}`),
    ).toEqual([`4:syntax-error:error:PostgreSQL's parser rejects the statement: syntax error at or near "int"`]);
  });

  test('a table created by an earlier file of the same run is new', () => {
    const first = { ...file('create table orders (id int);'), file: '0001_a.sql' };
    const second = {
      ...file('alter table orders add column total int not null;\ncreate index o on orders (total);'),
      file: '0002_b.sql',
    };
    expect(lintMigrations([first, second], { parser, engineLockTimeoutMs: 5000, tables: new Map() })).toEqual([]);
    expect(lintMigration(second, { parser, engineLockTimeoutMs: 5000 }).map((f) => f.rule)).toEqual([
      'adding-not-null-column-without-default',
      'create-index-non-concurrently',
    ]);
  });

  test("per-rule levels override the rule's judgement", () => {
    const levels = {
      'create-index-non-concurrently': 'warn',
      'dropping-column': 'off',
      'renaming-table': 'error',
    } as const;
    expect(
      lintMigration(file('create index i on t (a);\nalter table t drop column b;\nalter table t rename to u;'), {
        parser,
        engineLockTimeoutMs: 5000,
        levels,
      }).map((f) => `${f.rule}:${f.severity}`),
    ).toEqual(['create-index-non-concurrently:warning', 'renaming-table:error']);
  });

  test('a plan over the comment limit is cut with a note, the first files whole', () => {
    const items = Array.from({ length: 40 }, (_, i) => {
      const sql = Array.from({ length: 30 }, (_, j) => `insert into t values (${i}, ${j}, '${'x'.repeat(60)}');`).join(
        '\n',
      );
      const migration = { ...file(sql), file: `${String(i + 1).padStart(4, '0')}_m.sql` };
      return { migration, statements: migration.statements.map((s) => ({ ...s, lock: 'ROW EXCLUSIVE' })) };
    });
    const whole = planMarkdown(items, [], { current: undefined }, { limit: Infinity });
    expect(whole.length).toBeGreaterThan(65_536);
    const cut = planMarkdown(items, [], { current: undefined }, { fullPlan: 'plan.md' });
    expect(cut.length).toBeLessThanOrEqual(65_536);
    expect(cut).toMatch(
      /Cut to fit GitHub's 65,536-character limit:\*\* the statements of the last \d+ file\(s\) are not shown, only one line each; the whole plan is in plan\.md/,
    );
    expect(cut).toContain('#### `0001_m.sql` (one transaction)');
    expect(cut).toContain('- `0040_m.sql` (one transaction): 30 statement(s)');
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
