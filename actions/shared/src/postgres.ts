import pg from 'pg';
import { oneLine, retry } from '@deploy-actions/core';
import type { ActionContext } from '@deploy-actions/core/runner';

/** A pg client for one session, retried while the database comes up, with Nagle off. */
export async function connectPostgres(
  databaseUrl: string,
  applicationName: string,
  ctx: ActionContext,
): Promise<pg.Client> {
  return retry(
    async () => {
      const client = new pg.Client({
        connectionString: databaseUrl,
        application_name: applicationName,
        connectionTimeoutMillis: 10_000,
      });
      client.on('error', (error: Error) => ctx.log.warning(`database connection: ${oneLine(error)}`));
      try {
        await client.connect();
        // node-postgres leaves Nagle's algorithm on; with many small statements the delayed ACKs it causes
        // double the time of a migration run.
        (
          client as unknown as { connection: { stream: { setNoDelay?: (on: boolean) => void } } }
        ).connection.stream.setNoDelay?.(true);
        return client;
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
    },
    {
      timeoutMs: 30_000,
      what: `connecting to the database at ${hostOf(databaseUrl)}`,
      signal: ctx.signal,
      onRetry: ({ error, delayMs }) =>
        ctx.log.info(`database not reachable yet (${oneLine(error)}); retrying in ${Math.round(delayMs)}ms`),
    },
  );
}

function hostOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '5432'}/${u.pathname.slice(1)}`;
}
