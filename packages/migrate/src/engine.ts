import { createTwoFilesPatch } from 'diff';
import {
  type Clock,
  type Logger,
  backoffDelay,
  formatDuration,
  PermanentError,
  systemClock,
  TransientError,
} from '@deploy-actions/core';
import { type ForeignHistory, readForeignHistory } from './adopt';
import { compareVersions, type MigrationFile, type MigrationSet, normalizeVersion } from './files';
import { LARGE_TABLE_BYTES, lockLevel, parseAlterTable, type TableFacts } from './lint';
import { normalize, splitStatements, type Statement } from './sql';

/** The part of a pg.Client the engine uses; it must be one session (the advisory lock is per session). */
export interface SqlClient {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

export interface MigratorOptions {
  client: SqlClient;
  /** History table, optionally schema-qualified. */
  table: string;
  /** How long to wait for another job's migration lock before giving up. */
  lockWaitMs: number;
  /** lock_timeout for every migration (0: none). */
  lockTimeoutMs: number;
  /** statement_timeout for every migration (0: none). */
  statementTimeoutMs: number;
  /** Extra attempts of a migration whose lock_timeout fired. */
  lockRetries: number;
  /** Recorded as applied_by: the workflow run. */
  appliedBy: string;
  log: Logger;
  clock?: Clock;
  signal?: AbortSignal;
}

export interface AppliedRow {
  version: string;
  name: string;
  checksum: string;
  sql: string;
  applied_at: Date;
  duration_ms: number;
  applied_by: string;
  /** False while a file run outside a transaction has started and not finished. */
  finished: boolean;
  /** For such a file: how many of its statements are known to have completed. */
  statements_done: number | null;
  /** For such a file: the error the next statement failed with (so it did not take effect), if it failed. */
  error: string | null;
}

export interface Status {
  /** Finished migrations, in version order. */
  applied: AppliedRow[];
  /** Files run outside a transaction that started and never finished (the job died). */
  interrupted: AppliedRow[];
  /** Not applied: interrupted files too. */
  pending: MigrationFile[];
  /** The highest applied version, or undefined on an empty database. */
  current: string | undefined;
  /** Another tool's history, taken because ours is empty: its files count as applied. */
  adopted?: ForeignHistory;
}

export interface PlannedStatement extends Statement {
  lock: string;
}

export interface PlanItem {
  migration: MigrationFile;
  statements: PlannedStatement[];
}

export interface ApplyResult {
  before: string | undefined;
  after: string | undefined;
  applied: Array<{ version: string; name: string; durationMs: number }>;
  /** Another tool's history recorded as ours before anything ran. */
  adopted?: { tool: string; table: string; count: number };
}

/** A file run outside a transaction was interrupted at a statement that cannot be safely run again. */
export class InterruptedMigrationError extends PermanentError {
  constructor(
    readonly version: string,
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** A migration that failed: the database is as it was before it (for transactional files). */
export class MigrationError extends PermanentError {
  /** Which statement of the file failed (0-based), when known. */
  readonly statementIndex: number | undefined;

  constructor(
    readonly version: string,
    readonly file: string,
    readonly line: number,
    readonly statement: string,
    readonly sqlstate: string | undefined,
    message: string,
    options?: { cause?: unknown; statementIndex?: number },
  ) {
    super(message, options);
    this.statementIndex = options?.statementIndex;
  }
}

/** The drift of applied files: the version and a unified diff of what ran against what is there now. */
export class ChecksumDriftError extends PermanentError {
  constructor(readonly drifted: Array<{ version: string; file: string; diff: string }>) {
    super(
      `applied migration(s) changed since they ran: ${drifted.map((d) => `${d.version} (${d.file})`).join(', ')}; restore the files, or add a new migration for the change`,
    );
  }
}

const LOCK_NAMESPACE = 0x44415031; // "DAP1": the first key of the advisory lock pair
const LOCK_NOT_AVAILABLE = '55P03';
/** statement_timeout, or a cancel (pg_cancel_backend, as on job cancellation). */
const QUERY_CANCELED = '57014';

function describeError(error: unknown): string {
  const pg = error as { message?: string; code?: string };
  const what =
    pg.code === LOCK_NOT_AVAILABLE
      ? 'lock_timeout'
      : pg.code === QUERY_CANCELED
        ? 'statement_timeout or cancel'
        : 'error';
  return `${what}: ${pg.message ?? String(error)} (SQLSTATE ${pg.code ?? '?'})`;
}

/** The error for a failed statement, pointing at the line of the statement where the server says it failed. */
function migrationError(
  migration: MigrationFile,
  statement: Statement,
  error: unknown,
  offsetInStatement: number,
  statementIndex: number,
): MigrationError {
  const offset = Math.max(0, offsetInStatement);
  const line = statement.line + (statement.text.slice(0, offset).match(/\n/g)?.length ?? 0);
  return new MigrationError(
    migration.version,
    migration.file,
    line,
    statement.text,
    (error as { code?: string }).code,
    `${migration.file}:${line}: ${describeError(error)} in '${statement.text.replace(/\s+/g, ' ').slice(0, 100)}'`,
    { cause: error, statementIndex },
  );
}

export interface LockHolder {
  pid: number;
  application_name: string;
  state: string;
  query: string;
  /** Since the holder's current (or last) statement started. */
  seconds: number;
}

const oneLineStatement = (text: string): string => text.replace(/\s+/g, ' ').slice(0, 120);

function describeHolder(h: LockHolder): string {
  const query = h.query.replace(/\s+/g, ' ').slice(0, 120);
  return `held by pid ${h.pid}${h.application_name ? ` (${h.application_name})` : ''}, ${h.state}${query ? ` '${query}'` : ''} for ${h.seconds}s`;
}

/** A SQL string literal (standard_conforming_strings is on in every supported PostgreSQL). */
export function literal(value: string): string {
  if (value.includes('\0')) throw new PermanentError('a NUL character cannot be stored in PostgreSQL text');
  return `'${value.replace(/'/g, "''")}'`;
}

/** The second advisory-lock key, from the table name, so two histories in one database do not block each other. */
export function lockKey(table: string): number {
  let h = 0;
  for (const ch of table) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

export class Migrator {
  private readonly clock: Clock;
  private readonly key: [number, number];

  constructor(private readonly o: MigratorOptions) {
    this.clock = o.clock ?? systemClock;
    this.key = [LOCK_NAMESPACE, lockKey(o.table)];
    if (!/^([A-Za-z_][\w$]*\.)?[A-Za-z_][\w$]*$/.test(o.table))
      throw new PermanentError(`history table '${o.table}' is not a plain [schema.]name`);
  }

  /**
   * Runs fn holding the session advisory lock. The lock is polled with pg_try_advisory_lock rather
   * than waited for with pg_advisory_lock: a session blocked in pg_advisory_lock holds a snapshot,
   * and a CREATE INDEX CONCURRENTLY in the lock holder would wait for it, forever.
   */
  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    // A job killed mid-statement leaves its backend running that statement, lock held, until it next
    // writes to the dead socket; with this (PostgreSQL 14+) the server checks the client every second
    // and ends the session, rolling back and releasing the lock.
    await this.o.client.query(
      "select set_config('client_connection_check_interval', '1000', false) where current_setting('server_version_num')::int >= 140000",
    );
    const started = this.clock.now();
    let lastReport = { at: -Infinity, what: '' };
    for (let attempt = 1; ; attempt++) {
      const { rows } = await this.o.client.query<{ ok: boolean }>(
        'select pg_try_advisory_lock($1::int, $2::int) as ok',
        this.key,
      );
      if (rows[0]?.ok) break;
      const waited = this.clock.now() - started;
      const holder = await this.lockHolder();
      const described = holder ? describeHolder(holder) : undefined;
      if (waited >= this.o.lockWaitMs) {
        throw new TransientError(
          `could not take the migration lock within ${formatDuration(this.o.lockWaitMs)}: ${described ?? 'the holder has gone'}; another job is migrating, or a stuck session holds the lock`,
        );
      }
      // Said when the holder moves on to another statement, and every 10 s while it does not.
      const what = holder ? `${holder.pid} ${holder.query}` : '';
      if (what !== lastReport.what || this.clock.now() - lastReport.at >= 10_000) {
        this.o.log.info(
          `waiting for the migration lock (${formatDuration(waited)} so far): ${described ?? 'released just now'}`,
        );
        lastReport = { at: this.clock.now(), what };
      }
      await this.clock.sleep(
        Math.min(backoffDelay(attempt, { initialDelayMs: 100, maxDelayMs: 2000 }), this.o.lockWaitMs - waited + 1),
        this.o.signal,
      );
    }
    try {
      return await fn();
    } finally {
      await this.o.client.query('select pg_advisory_unlock($1::int, $2::int)', this.key).catch(() => undefined);
    }
  }

  /** Who holds the lock: pid, application and what it is running, for the waiting message. */
  async lockHolder(): Promise<LockHolder | undefined> {
    const { rows } = await this.o.client.query<LockHolder>(
      `select a.pid, a.application_name, a.state, a.query, extract(epoch from now() - coalesce(a.query_start, a.backend_start))::int as seconds
         from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and l.granted and l.classid = $1::bigint::oid and l.objid = $2::bigint::oid and l.objsubid = 2`,
      // pg_locks shows the two int4 keys as unsigned oids.
      [this.key[0] >>> 0, this.key[1] >>> 0],
    );
    return rows[0];
  }

  async ensureTable(): Promise<void> {
    await this.o.client.query(`create table if not exists ${this.o.table} (
      version text primary key,
      name text not null,
      checksum text not null,
      sql text not null,
      applied_at timestamptz not null default now(),
      duration_ms integer not null,
      applied_by text not null,
      finished boolean not null default true,
      statements_done integer,
      error text)`);
    // Tables made before crash safety: the columns are added once (an ALTER every run would lock the table each time).
    const { rows } = await this.o.client.query(
      "select 1 from pg_attribute where attrelid = to_regclass($1) and attname = 'finished' and not attisdropped",
      [this.o.table],
    );
    if (!rows.length)
      await this.o.client.query(
        `alter table ${this.o.table} add column if not exists finished boolean not null default true, add column if not exists statements_done integer, add column if not exists error text`,
      );
  }

  /**
   * What is applied and what is pending. When our history is empty and another tool's is there,
   * its applied set counts (unless `adopt` is off: baseline decides by hand).
   */
  async status(set: MigrationSet, { adopt = true }: { adopt?: boolean } = {}): Promise<Status> {
    const exists = await this.o.client.query<{ t: string | null }>('select to_regclass($1)::text as t', [this.o.table]);
    // `select *`: a table made before crash safety has no finished/statements_done columns yet.
    const rows = exists.rows[0]?.t
      ? (await this.o.client.query<Partial<AppliedRow> & AppliedRow>(`select * from ${this.o.table}`)).rows.map(
          (r) => ({
            ...r,
            finished: r.finished ?? true,
            statements_done: r.statements_done ?? null,
            error: r.error ?? null,
          }),
        )
      : [];
    rows.sort((a, b) => compareVersions(a.version, b.version));
    const applied = rows.filter((r) => r.finished);
    const interrupted = rows.filter((r) => !r.finished);
    const adopted = !rows.length && adopt ? await readForeignHistory(this.o.client, set) : undefined;
    const done = new Set(
      [...applied.map((r) => r.version), ...(adopted?.applied.map((m) => m.version) ?? [])].map(normalizeVersion),
    );
    return {
      applied,
      interrupted,
      pending: set.ups.filter((m) => !done.has(normalizeVersion(m.version))),
      current: adopted ? adopted.applied.at(-1)?.version : applied.at(-1)?.version,
      ...(adopted ? { adopted } : {}),
    };
  }

  /** Records another tool's applied migrations as ours, in one transaction, without running them. */
  private async adopt(history: ForeignHistory): Promise<void> {
    const files = history.applied;
    await this.o.client.query('begin');
    try {
      await this.o.client.query(
        `insert into ${this.o.table} (version, name, checksum, sql, duration_ms, applied_by)
         select v, n, c, s, 0, $5 from unnest($1::text[], $2::text[], $3::text[], $4::text[]) as t(v, n, c, s)`,
        [
          files.map((m) => m.version),
          files.map((m) => m.name),
          files.map((m) => m.checksum),
          files.map((m) => m.sql),
          `adopted from ${history.tool} (${history.table}) by ${this.o.appliedBy}`,
        ],
      );
      await this.o.client.query('commit');
    } catch (error) {
      await this.o.client.query('rollback').catch(() => undefined);
      throw error;
    }
    this.o.log.info(
      `adopted ${files.length} migration(s) that ${history.tool} recorded as applied in ${history.table} (up to ${files.at(-1)!.version}): recorded, not run`,
    );
  }

  /** Applied files whose contents changed since they ran, each with a diff. */
  drift(set: MigrationSet, status: Status): Array<{ version: string; file: string; diff: string }> {
    const byVersion = new Map(set.ups.map((m) => [normalizeVersion(m.version), m]));
    // An interrupted file may be fixed where it stopped (that is how a failed statement is
    // corrected); only a change to the statements that already ran is drift.
    const ranChanged = (row: AppliedRow, file: MigrationFile): boolean => {
      const done = row.statements_done ?? 0;
      const texts = (sql: string) =>
        splitStatements(sql)
          .slice(0, done)
          .map((s) => s.text);
      return JSON.stringify(texts(row.sql)) !== JSON.stringify(texts(file.sql));
    };
    return [...status.applied, ...status.interrupted].flatMap((row) => {
      const file = byVersion.get(normalizeVersion(row.version));
      if (!file || file.checksum === row.checksum) return [];
      if (!row.finished && !ranChanged(row, file)) return [];
      return [
        {
          version: row.version,
          file: file.file,
          diff: createTwoFilesPatch(
            `${file.file} (applied ${row.applied_at.toISOString()})`,
            `${file.file} (now)`,
            row.sql,
            file.sql,
            '',
            '',
            { context: 2 },
          ),
        },
      ];
    });
  }

  /**
   * Size facts of the tables the migrations touch, for the linter: which hold rows and which are
   * large. Undefined when the catalog cannot be read within a short lock wait (the linter then takes
   * every existing table as large).
   */
  async tableFacts(names: string[]): Promise<Map<string, TableFacts> | undefined> {
    if (!names.length) return new Map();
    try {
      await this.o.client.query("begin; set local lock_timeout = '2s'");
      const { rows } = await this.o.client.query<{ name: string; bytes: string }>(
        `select upper(c.relname) as name, pg_relation_size(c.oid)::text as bytes from pg_class c
          where c.relkind in ('r', 'p', 'm') and upper(c.relname) = any($1) and pg_table_is_visible(c.oid)`,
        [names.map((n) => n.toUpperCase())],
      );
      return new Map(
        rows.map((r) => [r.name, { rows: Number(r.bytes) > 0, large: Number(r.bytes) >= LARGE_TABLE_BYTES }]),
      );
    } catch (error) {
      this.o.log.warning(
        `table sizes could not be read for the linter (${describeError(error)}); every existing table counts as large`,
      );
      return undefined;
    } finally {
      await this.o.client.query('rollback').catch(() => undefined);
    }
  }

  /** Pending migrations with each statement and the lock it takes. */
  plan(pending: MigrationFile[]): PlanItem[] {
    return pending.map((migration) => ({
      migration,
      statements: migration.statements.map((s) => ({ ...s, lock: lockLevel(s.text) })),
    }));
  }

  /**
   * Applies every pending migration, in order, each in its own transaction unless it runs outside
   * one. Another tool's history is adopted first when ours is empty; an interrupted file is resumed
   * when that is safe.
   */
  async apply(set: MigrationSet): Promise<ApplyResult> {
    return this.withLock(async () => {
      await this.ensureTable();
      let status = await this.status(set);
      const adopted = status.adopted;
      if (adopted) {
        await this.adopt(adopted);
        status = await this.status(set);
      }
      const drifted = this.drift(set, status);
      if (drifted.length) throw new ChecksumDriftError(drifted);
      const late =
        status.current === undefined
          ? []
          : status.pending.filter((m) => compareVersions(m.version, status.current!) < 0);
      if (late.length) {
        throw new PermanentError(
          `migration(s) ${late.map((m) => m.file).join(', ')} are older than the applied version ${status.current} but were never applied; give them a newer version`,
        );
      }
      const interrupted = new Map(status.interrupted.map((r) => [normalizeVersion(r.version), r]));
      const applied: ApplyResult['applied'] = [];
      for (const migration of status.pending) {
        if (this.o.signal?.aborted)
          throw new PermanentError(`cancelled before ${migration.file}; ${applied.length} migration(s) applied`);
        const row = interrupted.get(normalizeVersion(migration.version));
        const from = row ? await this.resumePoint(migration, row) : undefined;
        const durationMs = await this.run(migration, 'up', undefined, from);
        applied.push({ version: migration.version, name: migration.name, durationMs });
        this.o.log.info(`applied ${migration.file} in ${formatDuration(durationMs)}`);
      }
      return {
        before: status.current,
        after: applied.at(-1)?.version ?? status.current,
        applied,
        ...(adopted ? { adopted: { tool: adopted.tool, table: adopted.table, count: adopted.applied.length } } : {}),
      };
    });
  }

  /**
   * Where to go on with a file that started outside a transaction and never finished: its record
   * says which statements completed; the one that was running is run again only when that is safe
   * (or seen to have completed), else a person decides with `mode: resolve`.
   */
  private async resumePoint(migration: MigrationFile, row: AppliedRow): Promise<number> {
    const done = row.statements_done ?? 0;
    const statement = migration.statements[done];
    // A statement that failed with an error did not take effect (each runs on its own): run it again.
    if (!statement || row.error !== null) return done;
    const verdict = await this.repeatability(statement);
    const where = `${migration.file}:${statement.line}`;
    if (verdict === 'completed') {
      this.o.log.warning(
        `${migration.file} was interrupted at statement ${done + 1} of ${migration.statements.length} (line ${statement.line}), whose result is in the database; going on after it`,
        { file: migration.file, line: statement.line },
      );
      return done + 1;
    }
    if (verdict === 'safe') {
      this.o.log.warning(
        `${migration.file} was interrupted at statement ${done + 1} of ${migration.statements.length} (line ${statement.line}); it is safe to repeat, so it runs again`,
        { file: migration.file, line: statement.line },
      );
      return done;
    }
    throw new InterruptedMigrationError(
      migration.version,
      migration.file,
      statement.line,
      `${where}: ${migration.file} runs outside a transaction and was interrupted (started ${row.applied_at.toISOString()} by ${row.applied_by}) while running statement ${done + 1} of ${migration.statements.length}, '${oneLineStatement(statement.text)}', which cannot be safely run again; check in the database whether it took effect, then run with \`mode: resolve\`, \`target-version: ${migration.version}\` and \`resolve-as: applied\` (it did: the next apply goes on after it) or \`resolve-as: not-applied\` (it did not: the next apply runs it again)`,
    );
  }

  /**
   * Whether a statement can run again after an interruption: IF [NOT] EXISTS forms, and CREATE/DROP
   * INDEX judged by the index itself (missing or INVALID: build again; valid: it completed).
   */
  private async repeatability(statement: Statement): Promise<'safe' | 'completed' | 'unsafe'> {
    const s = normalize(statement.text);
    if (/^(SELECT|SET|RESET|ANALYZE|VACUUM|REINDEX|COMMENT ON|GRANT|REVOKE|CREATE OR REPLACE)\b/.test(s)) return 'safe';
    const index = /^CREATE (?:UNIQUE )?INDEX (?:CONCURRENTLY )?(?!IF NOT EXISTS)/.test(s)
      ? concurrentIndexName(
          statement.text.replace(/^(create\s+(?:unique\s+)?index\s+)(?!concurrently)/i, '$1concurrently '),
        )
      : undefined;
    if (index) {
      const { rows } = await this.o.client.query<{ valid: boolean }>(
        'select indisvalid as valid from pg_index where indexrelid = to_regclass($1)',
        [index],
      );
      return rows[0]?.valid ? 'completed' : 'safe';
    }
    const dropped = /^DROP INDEX (?:CONCURRENTLY )?(?!IF EXISTS)("(?:[^"]|"")+"|[\w$.]+)\s*$/i.exec(
      statement.text.replace(/\s+/g, ' ').trim(),
    );
    if (dropped) {
      const { rows } = await this.o.client.query<{ t: string | null }>('select to_regclass($1)::text as t', [
        dropped[1],
      ]);
      return rows[0]?.t ? 'safe' : 'completed';
    }
    if (/^(CREATE|DROP) (UNIQUE |MATERIALIZED |UNLOGGED )?\w+ (CONCURRENTLY )?IF (NOT )?EXISTS\b/.test(s))
      return 'safe';
    const alter = parseAlterTable(s);
    if (alter?.actions.every((a) => /^(ADD|DROP)( COLUMN| CONSTRAINT)? IF (NOT )?EXISTS\b/.test(a))) return 'safe';
    return 'unsafe';
  }

  /** Undoes applied migrations newer than `target`, newest first, with their down files. */
  async down(set: MigrationSet, target: string): Promise<ApplyResult> {
    return this.withLock(async () => {
      await this.ensureTable();
      let status = await this.status(set);
      if (status.adopted) {
        await this.adopt(status.adopted);
        status = await this.status(set);
      }
      if (status.interrupted.length)
        throw new PermanentError(
          `version(s) ${status.interrupted.map((r) => r.version).join(', ')} were interrupted mid-way; settle them with \`mode: resolve\` before going down`,
        );
      const undo = status.applied.filter((r) => compareVersions(r.version, target) > 0).reverse();
      const missing = undo.filter((r) => !set.downs.has(normalizeVersion(r.version)));
      if (missing.length)
        throw new PermanentError(
          `no down migration for version(s) ${missing.map((r) => r.version).join(', ')}; nothing was undone`,
        );
      const applied: ApplyResult['applied'] = [];
      for (const row of undo) {
        const file = set.downs.get(normalizeVersion(row.version))!;
        const durationMs = await this.run(file, 'down', row.version);
        applied.push({ version: row.version, name: row.name, durationMs });
        this.o.log.info(`undid ${row.version} with ${file.file} in ${formatDuration(durationMs)}`);
      }
      const after = (await this.status(set)).current;
      return { before: status.current, after, applied };
    });
  }

  /** The down files a `down` to `target` would run, newest first (to lint them before anything runs). */
  downFiles(set: MigrationSet, status: Status, target: string): MigrationFile[] {
    const applied = status.adopted
      ? status.adopted.applied.map((m) => m.version)
      : status.applied.map((r) => r.version);
    return applied
      .filter((v) => compareVersions(v, target) > 0)
      .reverse()
      .flatMap((v) => set.downs.get(normalizeVersion(v)) ?? []);
  }

  /** Records every migration up to `version` as applied without running it (adopting an existing database). */
  async baseline(set: MigrationSet, version: string): Promise<ApplyResult> {
    return this.withLock(async () => {
      await this.ensureTable();
      const status = await this.status(set, { adopt: false });
      const adopt = status.pending.filter((m) => compareVersions(m.version, version) <= 0);
      if (!set.ups.some((m) => compareVersions(m.version, version) === 0))
        throw new PermanentError(`baseline version ${version} matches no migration file`);
      for (const m of adopt) {
        // An interrupted file up to the baseline is settled as applied by it.
        await this.o.client.query(`delete from ${this.o.table} where version = $1 and not finished`, [m.version]);
        await this.o.client.query(
          `insert into ${this.o.table} (version, name, checksum, sql, duration_ms, applied_by) values ($1, $2, $3, $4, 0, $5)`,
          [m.version, m.name, m.checksum, m.sql, `baseline by ${this.o.appliedBy}`],
        );
      }
      return {
        before: status.current,
        after: adopt.at(-1)?.version ?? status.current,
        applied: adopt.map((m) => ({ version: m.version, name: m.name, durationMs: 0 })),
      };
    });
  }

  /**
   * Settles the statement a file was running outside a transaction when it was interrupted, after a
   * person checked the database: `applied` (it took effect) or `not-applied` (it did not). The next
   * apply goes on from the statement after it, or runs it again; settling the last statement as
   * applied finishes the file.
   */
  async resolve(set: MigrationSet, version: string, as: 'applied' | 'not-applied'): Promise<ApplyResult> {
    return this.withLock(async () => {
      await this.ensureTable();
      const status = await this.status(set, { adopt: false });
      const row = status.interrupted.find((r) => compareVersions(r.version, version) === 0);
      if (!row)
        throw new PermanentError(
          `version ${version} is not an interrupted migration${status.interrupted.length ? ` (interrupted: ${status.interrupted.map((r) => r.version).join(', ')})` : ' (none is)'}; nothing was changed`,
        );
      const file = set.ups.find((m) => normalizeVersion(m.version) === normalizeVersion(row.version));
      if (!file) throw new PermanentError(`version ${row.version} was interrupted, but its file is gone; restore it`);
      const done = (row.statements_done ?? 0) + (as === 'applied' ? 1 : 0);
      const finished = done >= file.statements.length;
      const note = `resolved as ${as} by ${this.o.appliedBy}`;
      await this.o.client.query(
        // `error` set: the statement at statements_done is known not to have run (see resumePoint).
        `update ${this.o.table} set statements_done = $2, finished = $3, error = $4 where version = $1`,
        [row.version, done, finished, finished ? null : note],
      );
      const statement = file.statements[row.statements_done ?? 0];
      this.o.log.info(
        `${file.file}: statement ${(row.statements_done ?? 0) + 1}${statement ? ` (line ${statement.line})` : ''} ${note}; ${finished ? 'the file is recorded as applied' : `the next apply ${as === 'applied' ? 'goes on from the statement after it' : 'runs it again'}`}`,
      );
      return {
        before: status.current,
        after: finished ? (await this.status(set, { adopt: false })).current : status.current,
        applied: finished ? [{ version: row.version, name: row.name, durationMs: 0 }] : [],
      };
    });
  }

  private async run(
    migration: MigrationFile,
    direction: 'up' | 'down',
    undoVersion?: string,
    resumeFrom?: number,
  ): Promise<number> {
    const statements = migration.statements;
    const started = this.clock.now();
    let from = resumeFrom ?? 0;
    // Outside a transaction an up file is recorded as started before it runs, and its progress after
    // each statement, so a job killed mid-way leaves a record of how far it got.
    if (!migration.transactional && direction === 'up') {
      if (resumeFrom === undefined) await this.recordStarted(migration);
      else
        await this.o.client.query(
          `update ${this.o.table} set error = null, applied_by = $2, applied_at = now() where version = $1`,
          [migration.version, this.o.appliedBy],
        );
    }
    for (let attempt = 0; ; attempt++) {
      try {
        if (migration.transactional) {
          // The first attempt sends the whole file in one round trip; a retry goes statement by
          // statement, so that a second timeout names the statement that waited.
          await this.runTransaction(migration, statements, this.record(migration, direction, undoVersion), attempt > 0);
        } else {
          // From the first statement not yet done: what ran outside a transaction stays done.
          from = await this.runWithoutTransaction(migration, statements, from, direction, undoVersion, started);
        }
        return Math.round(this.clock.now() - started);
      } catch (error) {
        const retryable =
          error instanceof MigrationError && error.sqlstate === LOCK_NOT_AVAILABLE && attempt < this.o.lockRetries;
        if (error instanceof MigrationError && !migration.transactional) from = error.statementIndex ?? from;
        if (!retryable) {
          if (!migration.transactional && statements[from]) await this.cleanUpFailedBuild(statements[from]!);
          // The server refused the statement, so it did not take effect: the next run starts there, and
          // a file that failed at its first statement left nothing (without an SQLSTATE the connection
          // was lost, and what happened is not known).
          if (!migration.transactional && direction === 'up' && error instanceof MigrationError && error.sqlstate)
            await this.o.client
              .query(
                from === 0
                  ? `delete from ${this.o.table} where version = $1 and not finished`
                  : `update ${this.o.table} set statements_done = $2, error = $3 where version = $1`,
                from === 0 ? [migration.version] : [migration.version, from, error.message],
              )
              .catch(() => undefined);
          throw error;
        }
        const wait = backoffDelay(attempt + 1, { initialDelayMs: 1000, maxDelayMs: 15_000 });
        this.o.log.warning(
          `${migration.file}: lock_timeout fired (${error.message}); retrying in ${formatDuration(wait)} (${this.o.lockRetries - attempt} attempt(s) left)`,
          { file: migration.file, line: error.line },
        );
        await this.clock.sleep(wait, this.o.signal);
      }
    }
  }

  private async recordStarted(migration: MigrationFile): Promise<void> {
    await this.o.client.query(
      `insert into ${this.o.table} (version, name, checksum, sql, duration_ms, applied_by, finished, statements_done) values ($1, $2, $3, $4, 0, $5, false, 0)`,
      [migration.version, migration.name, migration.checksum, migration.sql, this.o.appliedBy],
    );
  }

  /**
   * Every statement travels alone: several statements in one query run as an implicit
   * transaction, where CONCURRENTLY is refused. Returns the number of statements done.
   */
  private async runWithoutTransaction(
    migration: MigrationFile,
    statements: Statement[],
    from: number,
    direction: 'up' | 'down',
    undoVersion: string | undefined,
    started: number,
  ): Promise<number> {
    await this.o.client.query(this.timeouts('set'));
    try {
      for (let i = from; i < statements.length; i++) {
        // An INVALID index left by an earlier failed build (this run's, or a killed job's) would
        // make the build fail with "already exists", or be skipped by IF NOT EXISTS and stay broken.
        await this.dropInvalidIndex(statements[i]!);
        await this.exec(migration, statements[i]!, i);
        if (direction === 'up')
          await this.o.client.query(`update ${this.o.table} set statements_done = $2 where version = $1`, [
            migration.version,
            i + 1,
          ]);
      }
      if (direction === 'down') await this.o.client.query(this.record(migration, direction, undoVersion));
      else
        await this.o.client.query(
          `update ${this.o.table} set finished = true, duration_ms = $2, applied_at = now(), checksum = $3, sql = $4, error = null where version = $1`,
          [migration.version, Math.round(this.clock.now() - started), migration.checksum, migration.sql],
        );
      return statements.length;
    } finally {
      await this.o.client.query('reset lock_timeout; reset statement_timeout').catch(() => undefined);
    }
  }

  /** After a failed concurrent build: drop the INVALID index it left, so the database is as before. */
  private async cleanUpFailedBuild(statement: Statement): Promise<void> {
    try {
      await this.dropInvalidIndex(statement);
    } catch (error) {
      this.o.log.warning(
        `the INVALID index left by the failed build could not be dropped now (${describeError(error)}); the next run drops it before building again`,
      );
    }
  }

  /**
   * The history change for a transactional migration, as literal SQL so it shares the round trip
   * with the commit; its duration is the server's time since the transaction began.
   */
  private record(migration: MigrationFile, direction: 'up' | 'down', undoVersion: string | undefined): string {
    if (direction === 'down') return `delete from ${this.o.table} where version = ${literal(undoVersion!)}`;
    const values = [migration.version, migration.name, migration.checksum, migration.sql].map(literal).join(', ');
    return `insert into ${this.o.table} (version, name, checksum, sql, duration_ms, applied_by) values (${values}, round(extract(epoch from clock_timestamp() - now()) * 1000)::int, ${literal(this.o.appliedBy)})`;
  }

  private timeouts(set: 'set' | 'set local'): string {
    return `${set} lock_timeout = ${Math.round(this.o.lockTimeoutMs)}; ${set} statement_timeout = ${Math.round(this.o.statementTimeoutMs)}`;
  }

  private async runTransaction(
    migration: MigrationFile,
    statements: Statement[],
    record: string,
    stepwise: boolean,
  ): Promise<void> {
    // The file's name leads the query text, so a job waiting for the lock sees what the holder runs.
    const begin = `/* run-migrations ${migration.file.replace(/\*\//g, '*_/')} */ begin; ${this.timeouts('set local')};\n`;
    if (stepwise) {
      try {
        await this.o.client.query(begin);
        for (const [i, statement] of statements.entries()) await this.exec(migration, statement, i);
        await this.o.client.query(`${record}; commit`);
      } catch (error) {
        await this.o.client.query('rollback').catch(() => undefined);
        throw error;
      }
      return;
    }
    const offsets: number[] = [];
    let body = '';
    for (const s of statements) {
      offsets.push(begin.length + body.length);
      body += `${s.text};\n`;
    }
    try {
      await this.o.client.query(`${begin}${body}${record}; commit`);
    } catch (error) {
      await this.o.client.query('rollback').catch(() => undefined);
      const pg = error as { code?: string; position?: string };
      // Which statement failed: the error's position when the server gives one (parse and analysis
      // errors), the only statement, or else a replay one by one in a transaction that is rolled
      // back — never for timeouts, whose replay would wait all over again (a retry runs stepwise).
      let index = statements.length === 1 ? 0 : -1;
      if (pg.position) index = offsets.findLastIndex((o) => o <= Number(pg.position) - 1);
      if (index < 0 && pg.code !== LOCK_NOT_AVAILABLE && pg.code !== QUERY_CANCELED)
        index = await this.replay(statements);
      if (index < 0) {
        throw new MigrationError(
          migration.version,
          migration.file,
          statements[0]?.line ?? 1,
          '',
          pg.code,
          `${migration.file}: ${describeError(error)} in one of its ${statements.length} statements`,
          { cause: error },
        );
      }
      const position = pg.position ? Number(pg.position) - 1 - offsets[index]! : 0;
      throw migrationError(migration, statements[index]!, error, position, index);
    }
  }

  /** Runs the statements one at a time in a transaction that is always rolled back; returns the failing one. */
  private async replay(statements: Statement[]): Promise<number> {
    await this.o.client.query(`begin; ${this.timeouts('set local')}`);
    try {
      for (const [i, s] of statements.entries()) {
        try {
          await this.o.client.query(s.text);
        } catch {
          return i;
        }
      }
      return -1;
    } finally {
      await this.o.client.query('rollback').catch(() => undefined);
    }
  }

  /** Runs one statement on its own; errors name it. */
  private async exec(migration: MigrationFile, statement: Statement, index: number): Promise<void> {
    try {
      await this.o.client.query(statement.text);
    } catch (error) {
      const position = (error as { position?: string }).position;
      throw migrationError(migration, statement, error, position ? Number(position) - 1 : 0, index);
    }
  }

  /**
   * A failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind; drops the one this statement
   * builds, if it is there and INVALID. Bounded by lock_timeout like the migration itself.
   */
  private async dropInvalidIndex(statement: Statement): Promise<void> {
    const name = concurrentIndexName(statement.text);
    if (!name) return;
    const { rows } = await this.o.client.query<{ name: string }>(
      'select i.indexrelid::regclass::text as name from pg_index i where not i.indisvalid and i.indexrelid = to_regclass($1)',
      [name],
    );
    for (const row of rows) {
      this.o.log.warning(`dropping the INVALID index ${row.name} left by a failed concurrent build`);
      await this.o.client.query(`set lock_timeout = ${Math.round(this.o.lockTimeoutMs)}`);
      try {
        await this.o.client.query(`drop index concurrently if exists ${row.name}`);
      } finally {
        await this.o.client.query('reset lock_timeout').catch(() => undefined);
      }
    }
  }
}

/** The index a CREATE INDEX CONCURRENTLY statement names, in the schema of its table (an index lives there). */
export function concurrentIndexName(statement: string): string | undefined {
  const name = '("(?:[^"]|"")+"|[\\w$]+)';
  const m = new RegExp(
    `^create\\s+(?:unique\\s+)?index\\s+concurrently\\s+(?:if\\s+not\\s+exists\\s+)?${name}\\s+on\\s+(?:only\\s+)?(?:${name}\\s*\\.)?`,
    'i',
  ).exec(statement);
  if (!m) return undefined;
  return m[2] ? `${m[2]}.${m[1]}` : m[1];
}
