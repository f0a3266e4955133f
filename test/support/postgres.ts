// A real PostgreSQL for one test file, started by the project's own script, that hands each test a
// fresh empty database of its own.
import pg from 'pg';
import { startPostgres } from '../../scripts/lib/services.mjs';

export interface TestPostgres {
  server: Awaited<ReturnType<typeof startPostgres>>;
  /** Creates `<prefix>1`, `<prefix>2`, … owned by the test user; returns its URL. */
  freshDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestPostgres(options: { password: string; prefix: string }): Promise<TestPostgres> {
  const server = await startPostgres({ password: options.password });
  const admin = new pg.Client({ connectionString: server.adminUrl });
  try {
    await admin.connect();
  } catch (error) {
    await server.stop();
    throw error;
  }
  let databases = 0;
  return {
    server,
    async freshDatabase() {
      const name = `${options.prefix}${++databases}`;
      await admin.query(`create database ${name} owner ${server.user}`);
      return server.url.replace(/\/[^/]+$/, `/${name}`);
    },
    async stop() {
      await admin.end();
      await server.stop();
    },
  };
}
