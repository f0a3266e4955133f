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
import { compareVersions, type MigrationFile, type MigrationSet, normalizeVersion } from './files';
import { lockLevel } from './lint';
import { splitStatements, type Statement } from './sql';

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
}

export interface Status {
  applied: AppliedRow[];
  pending: MigrationFile[];
  /** The highest applied version, or undefined on an empty database. */
  current: string | undefined;
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
      applied_by text not null)`);
  }

  async status(set: MigrationSet): Promise<Status> {
    const exists = await this.o.client.query<{ t: string | null }>('select to_regclass($1)::text as t', [this.o.table]);
    const applied = exists.rows[0]?.t
      ? (
          await this.o.client.query<AppliedRow>(
            `select version, name, checksum, sql, applied_at, duration_ms, applied_by from ${this.o.table}`,
          )
        ).rows
      : [];
    applied.sort((a, b) => compareVersions(a.version, b.version));
    const done = new Set(applied.map((r) => normalizeVersion(r.version)));
    return {
      applied,
      pending: set.ups.filter((m) => !done.has(normalizeVersion(m.version))),
      current: applied.at(-1)?.version,
    };
  }

  /** Applied files whose contents changed since they ran, each with a diff. */
  drift(set: MigrationSet, status: Status): Array<{ version: string; file: string; diff: string }> {
    const byVersion = new Map(set.ups.map((m) => [normalizeVersion(m.version), m]));
    return status.applied.flatMap((row) => {
      const file = byVersion.get(normalizeVersion(row.version));
      if (!file || file.checksum === row.checksum) return [];
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

  /** Pending migrations with each statement and the lock it takes. */
  plan(pending: MigrationFile[]): PlanItem[] {
    return pending.map((migration) => ({
      migration,
      statements: splitStatements(migration.sql).map((s) => ({ ...s, lock: lockLevel(s.text) })),
    }));
  }

  /** Applies every pending migration, in order, each in its own transaction unless it opts out. */
  async apply(set: MigrationSet): Promise<ApplyResult> {
    return this.withLock(async () => {
      await this.ensureTable();
      const status = await this.status(set);
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
      const applied: ApplyResult['applied'] = [];
      for (const migration of status.pending) {
        if (this.o.signal?.aborted)
          throw new PermanentError(`cancelled before ${migration.file}; ${applied.length} migration(s) applied`);
        const durationMs = await this.run(migration, 'up');
        applied.push({ version: migration.version, name: migration.name, durationMs });
        this.o.log.info(`applied ${migration.file} in ${formatDuration(durationMs)}`);
      }
      return { before: status.current, after: applied.at(-1)?.version ?? status.current, applied };
    });
  }

  /** Undoes applied migrations newer than `target`, newest first, with their down files. */
  async down(set: MigrationSet, target: string): Promise<ApplyResult> {
    return this.withLock(async () => {
      await this.ensureTable();
      const status = await this.status(set);
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

  /** Records every migration up to `version` as applied without running it (adopting an existing database). */
  async baseline(set: MigrationSet, version: string): Promise<ApplyResult> {
    return this.withLock(async () => {
      await this.ensureTable();
      const status = await this.status(set);
      const adopt = status.pending.filter((m) => compareVersions(m.version, version) <= 0);
      if (!set.ups.some((m) => compareVersions(m.version, version) === 0))
        throw new PermanentError(`baseline version ${version} matches no migration file`);
      for (const m of adopt) {
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

  private async run(migration: MigrationFile, direction: 'up' | 'down', undoVersion?: string): Promise<number> {
    const statements = splitStatements(migration.sql);
    const started = this.clock.now();
    let from = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const record = () => this.record(migration, direction, undoVersion, this.clock.now() - started);
        if (migration.transactional) {
          // The first attempt sends the whole file in one round trip; a retry goes statement by
          // statement, so that a second timeout names the statement that waited.
          await this.runTransaction(migration, statements, record, attempt > 0);
        } else {
          // From the first statement not yet done: what ran outside a transaction stays done.
          from = await this.runWithoutTransaction(migration, statements, from, record);
        }
        return Math.round(this.clock.now() - started);
      } catch (error) {
        const retryable =
          error instanceof MigrationError && error.sqlstate === LOCK_NOT_AVAILABLE && attempt < this.o.lockRetries;
        if (error instanceof MigrationError && !migration.transactional) from = error.statementIndex ?? from;
        if (!retryable) {
          if (!migration.transactional && statements[from]) await this.cleanUpFailedBuild(statements[from]!);
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

  /**
   * Every statement travels alone: several statements in one query run as an implicit
   * transaction, where CONCURRENTLY is refused. Returns the number of statements done.
   */
  private async runWithoutTransaction(
    migration: MigrationFile,
    statements: Statement[],
    from: number,
    record: () => string,
  ): Promise<number> {
    await this.o.client.query(this.timeouts('set'));
    try {
      for (let i = from; i < statements.length; i++) {
        // An INVALID index left by an earlier failed build (this run's, or a killed job's) would
        // make the build fail with "already exists", or be skipped by IF NOT EXISTS and stay broken.
        await this.dropInvalidIndex(statements[i]!);
        await this.exec(migration, statements[i]!, i);
      }
      await this.o.client.query(record());
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

  /** The history change for a migration, as literal SQL so it can share a round trip with the commit. */
  private record(
    migration: MigrationFile,
    direction: 'up' | 'down',
    undoVersion: string | undefined,
    ms: number,
  ): string {
    if (direction === 'down') return `delete from ${this.o.table} where version = ${literal(undoVersion!)}`;
    const values = [migration.version, migration.name, migration.checksum, migration.sql].map(literal).join(', ');
    return `insert into ${this.o.table} (version, name, checksum, sql, duration_ms, applied_by) values (${values}, ${Math.round(ms)}, ${literal(this.o.appliedBy)})`;
  }

  private timeouts(set: 'set' | 'set local'): string {
    return `${set} lock_timeout = ${Math.round(this.o.lockTimeoutMs)}; ${set} statement_timeout = ${Math.round(this.o.statementTimeoutMs)}`;
  }

  private async runTransaction(
    migration: MigrationFile,
    statements: Statement[],
    record: () => string,
    stepwise: boolean,
  ): Promise<void> {
    // The file's name leads the query text, so a job waiting for the lock sees what the holder runs.
    const begin = `/* run-migrations ${migration.file.replace(/\*\//g, '*_/')} */ begin; ${this.timeouts('set local')};\n`;
    if (stepwise) {
      try {
        await this.o.client.query(begin);
        for (const [i, statement] of statements.entries()) await this.exec(migration, statement, i);
        await this.o.client.query(`${record()}; commit`);
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
      await this.o.client.query(`${begin}${body}${record()}; commit`);
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
