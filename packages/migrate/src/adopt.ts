import { PermanentError } from '@deploy-actions/core';
import type { SqlClient } from './engine';
import { compareVersions, type MigrationFile, type MigrationSet, normalizeVersion } from './files';

/** What another migration tool recorded as applied, in terms of this folder's files. */
export interface ForeignHistory {
  tool: string;
  /** The table it was read from, as found. */
  table: string;
  /** The up files it recorded as applied, in version order. */
  applied: MigrationFile[];
}

/** Another tool's history that cannot be taken as it is: a failed (dirty) migration, or a version with no file. */
export class ForeignHistoryError extends PermanentError {}

type Columns = Map<string, string>;

interface ToolReader {
  tool: string;
  table: string;
  /** Whether the columns are this tool's (two tools use `schema_migrations`). */
  matches(columns: Columns): boolean;
  read(client: SqlClient, table: string, set: MigrationSet): Promise<MigrationFile[]>;
}

const fix = (how: string): string =>
  `check the database by hand, then ${how}, or record what is really applied with \`mode: baseline\` and \`target-version\` (it reads no other tool's history)`;

/** The files for recorded versions; a recorded version with no file stops everything. */
function filesFor(set: MigrationSet, tool: string, table: string, versions: string[]): MigrationFile[] {
  const byVersion = new Map(set.ups.map((m) => [normalizeVersion(m.version), m]));
  const missing = versions.filter((v) => !byVersion.has(normalizeVersion(v)));
  if (missing.length)
    throw new ForeignHistoryError(
      `${tool} recorded version(s) ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''} in ${table} as applied, but the migrations folder has no file for ${missing.length > 1 ? 'them' : 'it'}; point \`migrations\` at the folder that database was migrated from, or restore the file(s)`,
    );
  return versions.map((v) => byVersion.get(normalizeVersion(v))!);
}

/** Every file up to and including a version (golang-migrate keeps only the latest; baselines cover all below). */
const upTo = (set: MigrationSet, version: string): MigrationFile[] =>
  set.ups.filter((m) => compareVersions(m.version, version) <= 0);

const isVersion = (v: string): boolean => /^\d+(\.\d+)*$/.test(v);

function unique(files: MigrationFile[]): MigrationFile[] {
  const seen = new Map(files.map((f) => [normalizeVersion(f.version), f]));
  return [...seen.values()].sort((a, b) => compareVersions(a.version, b.version));
}

const READERS: ToolReader[] = [
  {
    // golang-migrate: `version bigint primary key, dirty boolean`, one row holding the latest version.
    tool: 'golang-migrate',
    table: 'schema_migrations',
    matches: (c) => c.has('version') && c.get('dirty') === 'boolean',
    async read(client, table, set) {
      const { rows } = await client.query<{ version: string; dirty: boolean }>(
        `select version::text as version, dirty from ${table}`,
      );
      if (rows.length > 1)
        throw new ForeignHistoryError(`${table} holds ${rows.length} rows; golang-migrate keeps one`);
      const row = rows[0];
      if (!row) return [];
      if (row.dirty)
        throw new ForeignHistoryError(
          `golang-migrate recorded version ${row.version} as dirty in ${table}: it failed part-way and may be half applied; ${fix(`\`migrate force ${row.version}\` (if it is fully applied) or \`migrate force <the version before>\` (if it is not)`)}`,
        );
      if (Number(row.version) < 0) return [];
      filesFor(set, 'golang-migrate', table, [row.version]);
      return upTo(set, row.version);
    },
  },
  {
    // dbmate (and Rails): `version varchar primary key`, one row per applied migration.
    tool: 'dbmate',
    table: 'schema_migrations',
    matches: (c) => /^(character varying|text)/.test(c.get('version') ?? '') && !c.has('dirty'),
    async read(client, table, set) {
      const { rows } = await client.query<{ version: string }>(`select version from ${table}`);
      return filesFor(
        set,
        'dbmate',
        table,
        rows.map((r) => r.version.trim()),
      );
    },
  },
  {
    // morph (Mattermost): `Version bigint primary key, Name varchar`, one row per applied migration.
    tool: 'morph',
    table: 'db_migrations',
    matches: (c) => c.get('version') === 'bigint' && c.has('name'),
    async read(client, table, set) {
      const { rows } = await client.query<{ version: string }>(`select version::text as version from ${table}`);
      return filesFor(
        set,
        'morph',
        table,
        rows.map((r) => r.version),
      );
    },
  },
  {
    // Flyway: one row per run (SQL, BASELINE, UNDO_SQL, ...), `success` false for a failed one.
    tool: 'Flyway',
    table: 'flyway_schema_history',
    matches: (c) => c.has('installed_rank') && c.has('success'),
    async read(client, table, set) {
      const { rows } = await client.query<{ version: string | null; type: string; success: boolean; script: string }>(
        `select version, type, success, script from ${table} order by installed_rank`,
      );
      const applied = new Map<string, MigrationFile>();
      for (const row of rows) {
        if (!row.success)
          throw new ForeignHistoryError(
            `Flyway recorded ${row.script} (version ${row.version ?? 'repeatable'}) as failed in ${table}; ${fix('`flyway repair`')}`,
          );
        // Repeatable (R__) migrations and the schema-creation marker have no version.
        if (!row.version || !isVersion(row.version)) continue;
        if (row.type === 'BASELINE') {
          for (const m of upTo(set, row.version)) applied.set(normalizeVersion(m.version), m);
        } else if (row.type === 'UNDO_SQL' || row.type === 'DELETE') {
          applied.delete(normalizeVersion(row.version));
        } else {
          const [m] = filesFor(set, 'Flyway', table, [row.version]);
          applied.set(normalizeVersion(m!.version), m!);
        }
      }
      return [...applied.values()];
    },
  },
  {
    // goose: one row per up (is_applied true) and, in old versions, per down (false); version 0 is its own start marker.
    tool: 'goose',
    table: 'goose_db_version',
    matches: (c) => c.has('version_id') && c.has('is_applied'),
    async read(client, table, set) {
      const { rows } = await client.query<{ version: string; is_applied: boolean }>(
        `select version_id::text as version, is_applied from ${table} order by id`,
      );
      const state = new Map<string, boolean>();
      for (const r of rows) if (r.version !== '0') state.set(r.version, r.is_applied);
      return filesFor(
        set,
        'goose',
        table,
        [...state].filter(([, on]) => on).map(([v]) => v),
      );
    },
  },
  {
    // node-pg-migrate: `name` is the file name without its extension (1481813380519_create-users).
    tool: 'node-pg-migrate',
    table: 'pgmigrations',
    matches: (c) => c.has('name') && c.has('run_on'),
    async read(client, table, set) {
      const { rows } = await client.query<{ name: string }>(`select name from ${table} order by run_on, id`);
      return byName(
        set,
        'node-pg-migrate',
        table,
        rows.map((r) => r.name),
      );
    },
  },
  {
    // sqlx: one row per migration, `success` false when it failed.
    tool: 'sqlx',
    table: '_sqlx_migrations',
    matches: (c) => c.has('version') && c.has('success') && c.has('checksum'),
    async read(client, table, set) {
      const { rows } = await client.query<{ version: string; success: boolean }>(
        `select version::text as version, success from ${table}`,
      );
      const failed = rows.find((r) => !r.success);
      if (failed)
        throw new ForeignHistoryError(
          `sqlx recorded version ${failed.version} as failed (dirty) in ${table}; ${fix('delete its row from _sqlx_migrations (if it is not applied)')}`,
        );
      return filesFor(
        set,
        'sqlx',
        table,
        rows.map((r) => r.version),
      );
    },
  },
  {
    // Atlas: in its own schema; type 1 is a baseline, an execution with applied < total or an error is partial.
    tool: 'Atlas',
    table: 'atlas_schema_revisions.atlas_schema_revisions',
    matches: (c) => c.has('version') && c.has('applied') && c.has('total'),
    async read(client, table, set) {
      const { rows } = await client.query<{
        version: string;
        type: string;
        applied: string;
        total: string;
        error: string | null;
      }>(`select version, type::text as type, applied::text as applied, total::text as total, error from ${table}`);
      const files: MigrationFile[] = [];
      for (const r of rows.sort((a, b) => compareVersions(a.version, b.version))) {
        if (r.error || Number(r.applied) < Number(r.total))
          throw new ForeignHistoryError(
            `Atlas recorded version ${r.version} as partly applied (${r.applied} of ${r.total} statements${r.error ? `: ${r.error}` : ''}) in ${table}; ${fix('`atlas migrate set` to the version that is really applied')}`,
          );
        if (Number(r.type) & 1) files.push(...upTo(set, r.version));
        else files.push(...filesFor(set, 'Atlas', table, [r.version]));
      }
      return files;
    },
  },
  {
    // Prisma: `migration_name` is the migration's folder name; finished_at null and not rolled back is a failed one.
    tool: 'Prisma',
    table: '_prisma_migrations',
    matches: (c) => c.has('migration_name') && c.has('finished_at'),
    async read(client, table, set) {
      const { rows } = await client.query<{ name: string; finished: boolean; rolled_back: boolean }>(
        `select migration_name as name, finished_at is not null as finished, rolled_back_at is not null as rolled_back from ${table} order by started_at`,
      );
      const failed = rows.find((r) => !r.finished && !r.rolled_back);
      if (failed)
        throw new ForeignHistoryError(
          `Prisma recorded ${failed.name} as failed in ${table}; ${fix(`\`prisma migrate resolve --applied ${failed.name}\` or \`--rolled-back ${failed.name}\``)}`,
        );
      return byName(
        set,
        'Prisma',
        table,
        rows.filter((r) => r.finished && !r.rolled_back).map((r) => r.name),
      );
    },
  },
];

/** Files by their name without the extension or Prisma's `/migration.sql` (`1481813380519_create-users`). */
function byName(set: MigrationSet, tool: string, table: string, names: string[]): MigrationFile[] {
  const byBase = new Map(set.ups.map((m) => [m.file.replace(/(\/migration)?\.sql$/, ''), m]));
  const missing = names.filter((n) => !byBase.has(n));
  if (missing.length)
    throw new ForeignHistoryError(
      `${tool} recorded ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''} in ${table} as applied, but the migrations folder has no such migration; point \`migrations\` at the folder that database was migrated from, or restore the file(s)`,
    );
  return names.map((n) => byBase.get(n)!);
}

/**
 * The history another tool left, read as that tool reads it. Undefined when there is none; an error
 * when it cannot be taken as it is (a dirty or failed migration, a version with no file, or two
 * tools' histories at once).
 */
export async function readForeignHistory(client: SqlClient, set: MigrationSet): Promise<ForeignHistory | undefined> {
  const found: ForeignHistory[] = [];
  for (const reader of READERS) {
    const { rows } = await client.query<{ name: string; type: string }>(
      `select lower(attname) as name, format_type(atttypid, atttypmod) as type from pg_attribute
        where attrelid = to_regclass($1) and attnum > 0 and not attisdropped`,
      [reader.table],
    );
    if (!rows.length || !reader.matches(new Map(rows.map((r) => [r.name, r.type])))) continue;
    const applied = unique(await reader.read(client, reader.table, set));
    if (applied.length) found.push({ tool: reader.tool, table: reader.table, applied });
  }
  if (found.length > 1)
    throw new ForeignHistoryError(
      `found the histories of ${found.map((f) => `${f.tool} (${f.table})`).join(' and ')}; which one is right cannot be told: record what is really applied with \`mode: baseline\` and \`target-version\``,
    );
  return found[0];
}
