import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { normalize, splitStatements, type Statement } from './sql';

export type Direction = 'up' | 'down';

export interface MigrationFile {
  /** The version as written (e.g. "20240101120000", "1.2"). */
  version: string;
  name: string;
  /** File name relative to the migrations folder (`<folder>/migration.sql` for Prisma). */
  file: string;
  direction: Direction;
  /** The SQL that runs: the whole file, or its up or down section. */
  sql: string;
  /** sha256 of `sql` with line endings normalised. */
  checksum: string;
  /** The statements of `sql`, with lines as in the file. */
  statements: Statement[];
  /** False when the file runs outside a transaction. */
  transactional: boolean;
  /** Why it runs outside a transaction: the marker that asks for it, or the statement that needs it. */
  noTransactionReason?: string;
}

export interface MigrationSet {
  dir: string;
  /** Up migrations in version order. */
  ups: MigrationFile[];
  /** Down (undo) migrations by version. */
  downs: Map<string, MigrationFile>;
}

/** A problem with the migration files themselves; the action reports it as bad input. */
export class MigrationFileError extends Error {}

/**
 * Lines that ask for a file to run outside a transaction, as the tools that wrote them spell them:
 * ours, morph's (Mattermost), sqlx's, goose's and Atlas's. dbmate's `transaction:false` sits on its
 * `-- migrate:up` line, Flyway's `executeInTransaction=false` in a `.sql.conf` file beside the script.
 */
export const NO_TRANSACTION =
  /^[ \t]*--[ \t]*(deploy-actions:no-transaction|morph:nontransactional|no-transaction|\+goose[ \t]+NO[ \t]+TRANSACTION|atlas:txmode[ \t]+none)[ \t]*$/im;

/**
 * Statements PostgreSQL refuses inside a transaction block; a file holding one runs outside a
 * transaction by itself, as psql (autocommit) and Flyway run it.
 */
const CANNOT_RUN_IN_TRANSACTION: Array<[RegExp, string]> = [
  [/^CREATE (UNIQUE )?INDEX CONCURRENTLY\b/, 'CREATE INDEX CONCURRENTLY'],
  [/^DROP INDEX CONCURRENTLY\b/, 'DROP INDEX CONCURRENTLY'],
  [/^REINDEX\b.*\bCONCURRENTLY\b|^REINDEX (\(.*\) )?(SYSTEM|DATABASE)\b/, 'REINDEX CONCURRENTLY / DATABASE / SYSTEM'],
  [/^(CREATE|DROP) DATABASE\b/, 'CREATE/DROP DATABASE'],
  [/^(CREATE|DROP) TABLESPACE\b/, 'CREATE/DROP TABLESPACE'],
  [/^VACUUM\b/, 'VACUUM'],
  [/^ALTER SYSTEM\b/, 'ALTER SYSTEM'],
  [/^(CREATE|DROP) SUBSCRIPTION\b/, 'CREATE/DROP SUBSCRIPTION'],
];

/** A word every such statement holds: most files are passed over without normalising each statement. */
const MAYBE_NO_TRANSACTION = /concurrently|database|tablespace|vacuum|system|subscription/i;

/** The statement that cannot run in a transaction, by name, if one of these is one. */
export function needsNoTransaction(statements: Statement[]): string | undefined {
  for (const s of statements) {
    if (!MAYBE_NO_TRANSACTION.test(s.text)) continue;
    const text = normalize(s.text);
    for (const [re, what] of CANNOT_RUN_IN_TRANSACTION) if (re.test(text)) return what;
  }
  return undefined;
}

interface NamingStyle {
  style: string;
  re: RegExp;
  direction: (m: RegExpExecArray) => Direction;
  version: (m: RegExpExecArray) => string;
  name: (m: RegExpExecArray) => string;
}

const PATTERNS: NamingStyle[] = [
  // golang-migrate, sqlx reversible: 0001_create_users.up.sql / 0001_create_users.down.sql
  {
    style: 'golang-migrate',
    re: /^(\d+)_(.*)\.(up|down)\.sql$/,
    direction: (m) => m[3] as Direction,
    version: (m) => m[1]!,
    name: (m) => m[2]!,
  },
  // Flyway: V1_2__create_users.sql (version 1.2), U1_2__create_users.sql (undo)
  {
    style: 'Flyway',
    re: /^([VU])(\d+(?:[._]\d+)*)__(.+)\.sql$/,
    direction: (m) => (m[1] === 'V' ? 'up' : 'down'),
    version: (m) => m[2]!.replace(/_/g, '.'),
    name: (m) => m[3]!,
  },
  // goose, dbmate, sqlx, Atlas, node-pg-migrate, plain: 0001_create_users.sql (up and down sections allowed)
  { style: 'plain', re: /^(\d+)_(.+)\.sql$/, direction: () => 'up', version: (m) => m[1]!, name: (m) => m[2]! },
];

export function parseFileName(file: string): { version: string; name: string; direction: Direction } | undefined {
  for (const p of PATTERNS) {
    const m = p.re.exec(file);
    if (m) return { version: p.version(m), name: p.name(m), direction: p.direction(m) };
  }
  return undefined;
}

/** Orders versions numerically part by part: 2 < 10, 1.2 < 1.10, 0001 == 1. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(BigInt);
  const pb = b.split('.').map(BigInt);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0n;
    const y = pb[i] ?? 0n;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function checksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

/** A part of a file: its text and the file line it starts on. */
interface Section {
  text: string;
  /** 1-based line of the section's first line in the file. */
  line: number;
  /** Marker options that turn the transaction off for this section (dbmate's `transaction:false`). */
  noTransaction?: string;
  /** goose's `-- +goose StatementBegin` ... `StatementEnd` blocks are one statement each. */
  goose: boolean;
}

const whole = (sql: string): Section => ({ text: sql, line: 1, goose: false });
const SINGLE_FILE = /^\d+_.+(?<!\.(up|down))\.sql$/;
const GOOSE = /^[ \t]*--[ \t]*\+goose[ \t]+(\w+(?:[ \t]+\w+)?)[ \t]*$/i;
const DBMATE = /^[ \t]*--[ \t]*migrate:(up|down)\b(.*)$/;
const NODE_PG_MIGRATE = /^[ \t]*--[ \t]*(Up|Down) Migration[ \t]*$/;

/**
 * The up and down sections of a single-file migration: goose's `-- +goose Up` / `-- +goose Down`,
 * dbmate's `-- migrate:up` / `-- migrate:down`, node-pg-migrate's `-- Up Migration` / `-- Down
 * Migration`. A file without such markers is all up. What comes before the first marker is ignored,
 * as those tools ignore it.
 */
export function sections(sql: string, file: string): { up: Section; down?: Section } {
  const lines = sql.split('\n');
  const found: Array<{ direction: Direction; line: number; noTransaction?: string; goose: boolean }> = [];
  lines.forEach((text, i) => {
    const goose = GOOSE.exec(text);
    // goose would put environment variables into the SQL; running it without them would be wrong.
    if (goose && /^envsub\s+on$/i.test(goose[1]!))
      throw new MigrationFileError(
        `'${file}' line ${i + 1}: goose's ENVSUB is not supported; write the values into the file`,
      );
    if (goose && /^(up|down)$/i.test(goose[1]!)) {
      found.push({ direction: goose[1]!.toLowerCase() as Direction, line: i + 1, goose: true });
      return;
    }
    const dbmate = DBMATE.exec(text);
    if (dbmate) {
      const options = dbmate[2]!.trim();
      if (options && !/^(transaction:(true|false)\s*)*$/.test(options))
        throw new MigrationFileError(`'${file}' line ${i + 1}: unsupported dbmate option '${options}'`);
      const off = /transaction:false/.test(options) ? 'dbmate `transaction:false`' : undefined;
      found.push({ direction: dbmate[1] as Direction, line: i + 1, noTransaction: off, goose: false });
      return;
    }
    const npm = NODE_PG_MIGRATE.exec(text);
    if (npm) found.push({ direction: npm[1]!.toLowerCase() as Direction, line: i + 1, goose: false });
  });
  if (!found.length) return { up: whole(sql) };
  const out: { up?: Section; down?: Section } = {};
  found.forEach((marker, k) => {
    if (out[marker.direction])
      throw new MigrationFileError(`'${file}' line ${marker.line}: a second ${marker.direction} section`);
    const end = found[k + 1]?.line ?? lines.length + 1;
    out[marker.direction] = {
      // From the line after the marker: the statements keep their lines in the file.
      text: lines.slice(marker.line, end - 1).join('\n'),
      line: marker.line + 1,
      noTransaction: marker.noTransaction,
      goose: marker.goose,
    };
  });
  if (!out.up) throw new MigrationFileError(`'${file}' has a down section but no up section`);
  return { up: out.up, down: out.down };
}

const STATEMENT_BEGIN = /^[ \t]*--[ \t]*\+goose[ \t]+StatementBegin[ \t]*$/i;
const STATEMENT_END = /^[ \t]*--[ \t]*\+goose[ \t]+StatementEnd[ \t]*$/i;

/** The statements of a section, numbered by file line; goose's StatementBegin/End blocks stay whole. */
function sectionStatements(section: Section, file: string): Statement[] {
  const shift = (statements: Statement[], by: number): Statement[] =>
    statements.map((s) => ({ ...s, line: s.line + by }));
  if (!section.goose) return shift(splitStatements(section.text), section.line - 1);
  const lines = section.text.split('\n');
  const out: Statement[] = [];
  let from = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!STATEMENT_BEGIN.test(lines[i]!)) continue;
    out.push(...shift(splitStatements(lines.slice(from, i).join('\n')), section.line - 1 + from));
    const end = lines.findIndex((l, j) => j > i && STATEMENT_END.test(l));
    if (end < 0)
      throw new MigrationFileError(`'${file}' line ${section.line + i}: StatementBegin without StatementEnd`);
    const body = lines.slice(i + 1, end).join('\n');
    // goose sends the block as it is; a trailing semicolon is harmless to the server, dropped for the record.
    const text = body.trim().replace(/;\s*$/, '');
    const comments = splitStatements(body).flatMap((s) => s.comments);
    if (text) out.push({ text, line: section.line + i + 1 + leadingBlankLines(body), comments });
    from = end + 1;
    i = end;
  }
  out.push(...shift(splitStatements(lines.slice(from).join('\n')), section.line - 1 + from));
  return out;
}

function leadingBlankLines(text: string): number {
  return /^\s*/.exec(text)![0].split('\n').length - 1;
}

/** Flyway's script configuration beside `V1__x.sql`: `V1__x.sql.conf` with `executeInTransaction=false`. */
function flywayScriptConfig(dir: string, file: string): string | undefined {
  const path = join(dir, `${file}.conf`);
  if (!existsSync(path)) return undefined;
  const setting = /^\s*executeInTransaction\s*=\s*(\w+)\s*$/m.exec(readFileSync(path, 'utf8'));
  return setting?.[1]?.toLowerCase() === 'false' ? `Flyway \`executeInTransaction=false\` in ${file}.conf` : undefined;
}

function migrationFile(
  parsed: { version: string; name: string; direction: Direction },
  file: string,
  section: Section,
  whole: string,
  configured: string | undefined,
): MigrationFile {
  const statements = sectionStatements(section, file);
  // goose's marker sits above its `-- +goose Up` line: the whole file is searched.
  const marker = NO_TRANSACTION.exec(whole);
  const needs = needsNoTransaction(statements);
  const reason =
    configured ??
    section.noTransaction ??
    (marker ? `\`-- ${marker[1]}\`` : needs ? `${needs} cannot run inside a transaction` : undefined);
  return {
    ...parsed,
    file,
    sql: section.text,
    checksum: checksum(section.text),
    statements,
    transactional: !reason,
    noTransactionReason: reason,
  };
}

/** Prisma's layout: one folder per migration, `20240101120000_init/migration.sql`. */
const PRISMA_FOLDER = /^(\d+)_(.+)$/;

/**
 * Reads a migrations folder: .sql files named in one of the styles (up/down sections inside a file
 * allowed), or Prisma's folders; versions must be unique.
 */
export function loadMigrations(dir: string): MigrationSet {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new MigrationFileError(`'${dir}' is not a folder`);
  const ups: MigrationFile[] = [];
  const downs = new Map<string, MigrationFile>();
  const seen = new Map<string, string>();
  const add = (migration: MigrationFile): void => {
    const key = `${migration.direction}:${normalizeVersion(migration.version)}`;
    if (seen.has(key))
      throw new MigrationFileError(
        `version ${migration.version} is used twice: '${seen.get(key)}' and '${migration.file}'`,
      );
    seen.set(key, migration.file);
    if (migration.direction === 'up') ups.push(migration);
    else downs.set(normalizeVersion(migration.version), migration);
  };
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const file = entry.name;
    if (entry.isDirectory()) {
      const prisma = PRISMA_FOLDER.exec(file);
      if (prisma && existsSync(join(dir, file, 'migration.sql'))) {
        const sql = readFileSync(join(dir, file, 'migration.sql'), 'utf8');
        const parsed = { version: prisma[1]!, name: prisma[2]!, direction: 'up' as const };
        add(migrationFile(parsed, `${file}/migration.sql`, { text: sql, line: 1, goose: false }, sql, undefined));
      } else if (file.endsWith('.sql')) {
        throw new MigrationFileError(`'${file}' is a folder, not a migration file`);
      }
      continue;
    }
    if (!file.endsWith('.sql')) continue;
    const parsed = parseFileName(file);
    if (!parsed) {
      throw new MigrationFileError(
        `'${file}' does not follow a migration naming style (0001_name.up.sql / 0001_name.down.sql, V1__name.sql / U1__name.sql, 0001_name.sql, or Prisma's 20240101000000_name/migration.sql)`,
      );
    }
    const sql = readFileSync(join(dir, file), 'utf8');
    const configured = flywayScriptConfig(dir, file);
    // Only a file whose name does not say up or down may hold both.
    const { up, down } = SINGLE_FILE.test(file) ? sections(sql, file) : { up: whole(sql), down: undefined };
    add(migrationFile(parsed, file, up, sql, configured));
    if (down) add(migrationFile({ ...parsed, direction: 'down' }, file, down, sql, configured));
  }
  ups.sort((a, b) => compareVersions(a.version, b.version));
  for (const [version, down] of downs) {
    if (!ups.some((u) => normalizeVersion(u.version) === version))
      throw new MigrationFileError(`'${down.file}' undoes version ${down.version}, which has no up migration`);
  }
  return { dir, ups, downs };
}

/** Below this, integer versions are sequence numbers (0001, 0002, ...); above, timestamps, which skip by design. */
const SEQUENCE_LIMIT = 1_000_000n;

/**
 * A hole in a numbered sequence (0001, 0002, 0004): sometimes a file lost in a merge or a rename.
 * Every tool whose naming styles are read here allows gaps, so this is reported only when asked for
 * (`allow-gaps: false`). Dotted (Flyway 1.2) and timestamp versions are not sequences.
 */
export function findGap(set: MigrationSet): string | undefined {
  const isSequence = set.ups.every((m) => /^\d+$/.test(m.version) && BigInt(m.version) < SEQUENCE_LIMIT);
  if (!isSequence) return undefined;
  for (let i = 1; i < set.ups.length; i++) {
    const [before, after] = [set.ups[i - 1]!, set.ups[i]!];
    const missing = BigInt(after.version) - BigInt(before.version) - 1n;
    if (missing > 0n) {
      const first = (BigInt(before.version) + 1n).toString().padStart(before.version.length, '0');
      const what = missing === 1n ? `version ${first} is missing` : `${missing} versions from ${first} are missing`;
      return `${what} between '${before.file}' and '${after.file}'`;
    }
  }
  return undefined;
}

/** 0001 and 1 are the same version. */
export function normalizeVersion(version: string): string {
  return version
    .split('.')
    .map((p) => BigInt(p).toString())
    .join('.');
}
