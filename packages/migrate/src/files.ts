import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type Direction = 'up' | 'down';

export interface MigrationFile {
  /** The version as written (e.g. "20240101120000", "1.2"). */
  version: string;
  name: string;
  /** File name relative to the migrations folder. */
  file: string;
  direction: Direction;
  sql: string;
  /** sha256 of the contents with line endings normalised. */
  checksum: string;
  /** False when the file asks to run outside a transaction (CREATE INDEX CONCURRENTLY needs it). */
  transactional: boolean;
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

/** Written on a line of its own near the top of a file: run it outside a transaction. */
export const NO_TRANSACTION = /^\s*--\s*deploy-actions:no-transaction\s*$/m;

const PATTERNS: Array<{
  style: string;
  re: RegExp;
  direction: (m: RegExpExecArray) => Direction;
  version: (m: RegExpExecArray) => string;
}> = [
  // golang-migrate: 0001_create_users.up.sql / 0001_create_users.down.sql
  {
    style: 'golang-migrate',
    re: /^(\d+)_(.+)\.(up|down)\.sql$/,
    direction: (m) => m[3] as Direction,
    version: (m) => m[1]!,
  },
  // Flyway: V1_2__create_users.sql (version 1.2), U1_2__create_users.sql (undo)
  {
    style: 'Flyway',
    re: /^([VU])(\d+(?:[._]\d+)*)__(.+)\.sql$/,
    direction: (m) => (m[1] === 'V' ? 'up' : 'down'),
    version: (m) => m[2]!.replace(/_/g, '.'),
  },
  // plain: 0001_create_users.sql
  { style: 'plain', re: /^(\d+)_(.+)\.sql$/, direction: () => 'up', version: (m) => m[1]! },
];

export function parseFileName(file: string): { version: string; name: string; direction: Direction } | undefined {
  for (const p of PATTERNS) {
    const m = p.re.exec(file);
    if (!m) continue;
    const name = p.style === 'Flyway' ? m[3]! : m[2]!;
    return { version: p.version(m), name, direction: p.direction(m) };
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

/** Reads a migrations folder: every .sql file must follow one naming style, and versions must be unique. */
export function loadMigrations(dir: string): MigrationSet {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new MigrationFileError(`'${dir}' is not a folder`);
  const ups: MigrationFile[] = [];
  const downs = new Map<string, MigrationFile>();
  const seen = new Map<string, string>();
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.sql')) continue;
    const parsed = parseFileName(file);
    if (!parsed) {
      throw new MigrationFileError(
        `'${file}' does not follow a migration naming style (0001_name.up.sql / 0001_name.down.sql, V1__name.sql / U1__name.sql, or 0001_name.sql)`,
      );
    }
    const sql = readFileSync(join(dir, file), 'utf8');
    const migration: MigrationFile = {
      ...parsed,
      file,
      sql,
      checksum: checksum(sql),
      transactional: !NO_TRANSACTION.test(sql),
    };
    const key = `${parsed.direction}:${normalizeVersion(parsed.version)}`;
    if (seen.has(key))
      throw new MigrationFileError(`version ${parsed.version} is used twice: '${seen.get(key)}' and '${file}'`);
    seen.set(key, file);
    if (parsed.direction === 'up') ups.push(migration);
    else downs.set(normalizeVersion(parsed.version), migration);
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
 * A hole in a numbered sequence (0001, 0002, 0004): usually a file lost in a merge or a rename,
 * which would otherwise be applied late, out of order, or never. Dotted (Flyway 1.2) and
 * timestamp versions are not sequences and are not checked.
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
