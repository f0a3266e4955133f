import { exec, type ExecResult, type Logger, PermanentError } from '@deploy-actions/core';
import type { Migrator, SqlClient } from './engine';

export interface CommandOptions {
  argv: string[];
  databaseUrl: string;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  timeoutMs: number;
  cwd: string;
  log: Logger;
  signal?: AbortSignal;
}

/** Versions the common tools record, for the before/after outputs in command mode. */
const TOOL_VERSIONS: Array<{ tool: string; table: string; query: string }> = [
  { tool: 'alembic', table: 'alembic_version', query: 'select version_num as v from alembic_version limit 1' },
  {
    tool: 'flyway',
    table: 'flyway_schema_history',
    query:
      'select version as v from flyway_schema_history where success and version is not null order by installed_rank desc limit 1',
  },
  {
    tool: 'prisma',
    table: '_prisma_migrations',
    query:
      'select migration_name as v from _prisma_migrations where finished_at is not null order by finished_at desc limit 1',
  },
  {
    tool: 'golang-migrate',
    table: 'schema_migrations',
    query: 'select version::text as v from schema_migrations limit 1',
  },
];

export async function toolVersion(client: SqlClient): Promise<string | undefined> {
  for (const t of TOOL_VERSIONS) {
    const exists = await client.query<{ t: string | null }>('select to_regclass($1)::text as t', [t.table]);
    if (!exists.rows[0]?.t) continue;
    const { rows } = await client
      .query<{ v: string | null }>(t.query)
      .catch(() => ({ rows: [] as Array<{ v: string | null }> }));
    if (rows[0]?.v) return `${t.tool}:${rows[0].v}`;
  }
  return undefined;
}

/**
 * The environment a migration tool gets: the URL as DATABASE_URL (scheme postgresql://, the one
 * every tool accepts: SQLAlchemy refuses postgres://), the libpq PG* variables with the timeouts in
 * PGOPTIONS (psql, psycopg/Alembic, golang-migrate), and FLYWAY_URL/USER/PASSWORD with the timeouts
 * in the JDBC `options` parameter, so `flyway migrate` needs no configuration of its own.
 */
export function toolEnvironment(
  databaseUrl: string,
  lockTimeoutMs: number,
  statementTimeoutMs: number,
): Record<string, string> {
  const url = new URL(databaseUrl);
  const options = `-c lock_timeout=${Math.round(lockTimeoutMs)} -c statement_timeout=${Math.round(statementTimeoutMs)}`;
  const host = url.hostname;
  const port = url.port || '5432';
  const database = decodeURIComponent(url.pathname.slice(1));
  // libpq's URL parameters (sslmode, sslrootcert, ...) mean the same to the JDBC driver.
  const query = [...url.searchParams]
    .filter(([key]) => key !== 'options')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  query.push(`options=${encodeURIComponent(options)}`);
  return {
    DATABASE_URL: databaseUrl.replace(/^postgres:/, 'postgresql:'),
    PGHOST: host,
    PGPORT: port,
    PGUSER: decodeURIComponent(url.username),
    PGPASSWORD: decodeURIComponent(url.password),
    PGDATABASE: database,
    PGOPTIONS: options,
    FLYWAY_URL: `jdbc:postgresql://${host}:${port}${url.pathname}?${query.join('&')}`,
    FLYWAY_USER: decodeURIComponent(url.username),
    FLYWAY_PASSWORD: decodeURIComponent(url.password),
  };
}

/**
 * Runs a migration tool (alembic, prisma, flyway, anything) while this job holds the migration lock,
 * with the database in its environment (toolEnvironment) and the timeouts where the tool reads them.
 */
export async function runCommand(
  migrator: Migrator,
  client: SqlClient,
  o: CommandOptions,
): Promise<{ before?: string; after?: string; result: ExecResult }> {
  return migrator.withLock(async () => {
    const before = await toolVersion(client);
    o.log.info(`running ${o.argv[0]} (${o.argv.length - 1} argument(s)) under the migration lock`);
    const result = await exec(o.argv[0]!, o.argv.slice(1), {
      cwd: o.cwd,
      timeoutMs: o.timeoutMs,
      signal: o.signal,
      env: toolEnvironment(o.databaseUrl, o.lockTimeoutMs, o.statementTimeoutMs),
      onLine: (line) => o.log.info(line),
    });
    if (result.timedOut)
      throw new PermanentError(`${o.argv[0]} did not finish within ${o.timeoutMs}ms and was stopped`);
    if (result.exitCode !== 0) {
      const tail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-3).join(' | ');
      throw new PermanentError(
        `${o.argv[0]} exited with ${result.exitCode ?? result.signal}${tail ? `: ${tail}` : ''}`,
      );
    }
    return { before, after: await toolVersion(client), result };
  });
}

/**
 * The post step's safety net: ends any session this run left behind (its application_name says
 * which), so a lock it held is released even if the runner could not close the connection.
 */
export async function endLeftoverSessions(client: SqlClient, applicationName: string): Promise<number> {
  const { rows } = await client.query<{ pid: number }>(
    'select pid from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()',
    [applicationName],
  );
  for (const row of rows) await client.query('select pg_terminate_backend($1)', [row.pid]);
  return rows.length;
}
