import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { oneLine } from '@deploy-actions/core';
import { connectPostgres } from '@deploy-actions/action-shared/postgres';
import type { ActionContext } from '@deploy-actions/core/runner';
import {
  type ApplyResult,
  applyMarkdown,
  ChecksumDriftError,
  endLeftoverSessions,
  type Finding,
  InterruptedMigrationError,
  lintMarkdown,
  lintMigrations,
  loadPgParser,
  type MigrationFile,
  MigrationError,
  Migrator,
  planMarkdown,
  runCommand,
  statusMarkdown,
  statusText,
  tablesTouched,
  type SqlClient,
} from '@deploy-actions/migrate';
import type { MigrateConfig } from './config';

export async function migrate(ctx: ActionContext, config: MigrateConfig): Promise<void> {
  ctx.state.save('started', 'true');
  const client = await connectPostgres(config.databaseUrl, config.applicationName, ctx);
  // A cancelled job must not leave a statement running with the lock held: cancel it server-side,
  // so its transaction rolls back and the lock is released before the runner kills this process.
  const onCancel = (): void =>
    void cancelRunningQuery(config, ctx, (client as unknown as { processID: number }).processID);
  ctx.signal.addEventListener('abort', onCancel, { once: true });
  const migrator = new Migrator({
    client: client as unknown as SqlClient,
    table: config.table,
    lockWaitMs: config.lockWaitMs,
    lockTimeoutMs: config.lockTimeoutMs,
    statementTimeoutMs: config.statementTimeoutMs,
    lockRetries: config.lockRetries,
    appliedBy: ctx.run.runUrl,
    log: ctx.log,
    signal: ctx.signal,
  });
  try {
    if (config.command) return await commandMode(ctx, config, migrator, client as unknown as SqlClient);
    const set = config.migrations!;
    const status = await migrator.status(set, { adopt: config.mode !== 'baseline' && config.mode !== 'resolve' });
    // What this run would execute is what gets linted: the pending files, or for `down` the down files.
    const toRun: MigrationFile[] =
      config.mode === 'down'
        ? migrator.downFiles(set, status, config.targetVersion!)
        : config.mode === 'apply' || config.mode === 'plan'
          ? status.pending
          : [];
    const findings = config.lint === 'off' ? [] : await lint(migrator, config, toRun);
    for (const f of findings) {
      const annotate = f.severity === 'error' && config.lint === 'error' ? ctx.log.error : ctx.log.warning;
      annotate(`${f.rule}: ${f.message}. Instead: ${f.fix}. Why: ${ruleDocs(f.rule)}`, {
        file: relativeFile(config, set.dir, f.file),
        line: f.line,
        title: `migration lint: ${f.rule}`,
      });
    }
    ctx.outputs.set('lint-findings', String(findings.length));
    ctx.outputs.set('version-before', status.current ?? '');
    if (status.adopted)
      ctx.log.info(
        `${status.adopted.tool} recorded ${status.adopted.applied.length} migration(s) as applied in ${status.adopted.table} (up to ${status.adopted.applied.at(-1)!.version}); ${config.mode === 'apply' || config.mode === 'down' ? 'they are adopted: recorded in our history, not run' : 'an apply adopts them instead of running them'}`,
      );
    const blocking = findings.filter((f) => f.severity === 'error' && config.lint === 'error');
    const stopForLint = (): never => {
      ctx.summary.append(lintMarkdown(findings, ruleDocs));
      throw new Error(
        `lint found ${blocking.length} error(s) in the migrations to run, nothing was ${config.mode === 'down' ? 'undone' : 'applied'}: ${blocking[0]!.file}:${blocking[0]!.line} ${blocking[0]!.rule}`,
      );
    };

    switch (config.mode) {
      case 'status': {
        const drift = migrator.drift(set, status);
        ctx.log.info(statusText(status));
        ctx.summary.append(statusMarkdown(status));
        setVersions(ctx, status.current, status.current, [], status.pending.length);
        if (drift.length) throw new ChecksumDriftError(drift);
        return;
      }
      case 'plan': {
        const plan = migrator.plan(status.pending);
        const full = planMarkdown(plan, findings, status, { limit: Infinity, docsUrl: ruleDocs });
        const file = join(ctx.run.runnerTemp, `run-migrations-plan-${ctx.run.runId}-${process.pid}.md`);
        writeFileSync(file, full);
        const text = planMarkdown(plan, findings, status, {
          fullPlan: 'the `plan-file` output of this step',
          docsUrl: ruleDocs,
        });
        if (text.length < full.length)
          ctx.log.info(
            `the plan is ${full.length} characters, over GitHub's comment limit: the \`plan\` output and the summary are cut to ${text.length}; the whole plan is in ${file} (\`plan-file\`)`,
          );
        ctx.summary.append(text);
        ctx.outputs.set('plan', text);
        ctx.outputs.set('plan-file', file);
        setVersions(ctx, status.current, status.current, [], status.pending.length);
        for (const item of plan)
          ctx.log.info(
            `pending ${item.migration.file}: ${item.statements.length} statement(s), ${item.migration.transactional ? 'one transaction' : `no transaction (${item.migration.noTransactionReason})`}`,
          );
        return;
      }
      case 'apply': {
        if (blocking.length) stopForLint();
        const result = await migrator.apply(set);
        finish(ctx, result, 'applied', (await migrator.status(set)).pending.length);
        return;
      }
      case 'down': {
        if (blocking.length) stopForLint();
        const result = await migrator.down(set, config.targetVersion!);
        finish(ctx, result, 'undone', (await migrator.status(set)).pending.length);
        return;
      }
      case 'baseline': {
        const result = await migrator.baseline(set, config.targetVersion!);
        finish(ctx, result, 'recorded as applied', (await migrator.status(set)).pending.length);
        return;
      }
      case 'resolve': {
        const result = await migrator.resolve(set, config.targetVersion!, config.resolveAs!);
        finish(ctx, result, `resolved as ${config.resolveAs}`, (await migrator.status(set)).pending.length);
        return;
      }
    }
  } catch (error) {
    if (error instanceof MigrationError) {
      ctx.outputs.set('failed-version', error.version);
      ctx.outputs.set(
        'failed-statement',
        `${error.file}:${error.line} ${error.statement.replace(/\s+/g, ' ').slice(0, 200)}`,
      );
      ctx.log.error(error.message, {
        file: relativeFile(config, config.migrations?.dir, error.file),
        line: error.line,
        title: 'migration failed',
      });
      ctx.summary.append(
        `### Migration ${error.version} failed\n\nThe database is as it was before \`${error.file}\`${error.sqlstate ? ` (SQLSTATE ${error.sqlstate})` : ''}:\n\n\`\`\`\n${error.message}\n\`\`\`\n`,
      );
    }
    if (error instanceof InterruptedMigrationError) {
      ctx.outputs.set('failed-version', error.version);
      ctx.log.error(error.message, {
        file: relativeFile(config, config.migrations?.dir, error.file),
        line: error.line,
        title: 'interrupted migration',
      });
      ctx.summary.append(`### Migration ${error.version} was interrupted\n\n${error.message}\n`);
    }
    if (error instanceof ChecksumDriftError) {
      ctx.summary.append(
        `### Checksum drift\n\n${error.drifted.map((d) => `\`${d.file}\`\n\n\`\`\`diff\n${d.diff}\n\`\`\``).join('\n\n')}\n`,
      );
      for (const d of error.drifted)
        ctx.log.error(`${d.file} changed after it was applied:\n${d.diff}`, {
          file: relativeFile(config, config.migrations?.dir, d.file),
          title: 'checksum drift',
        });
    }
    throw error;
  } finally {
    ctx.signal.removeEventListener('abort', onCancel);
    await client.end().catch(() => undefined);
    ctx.state.save('finished', 'true');
  }
}

/**
 * Lints the files a run executes, judged against the tables as the database has them now. PostgreSQL's
 * parser is loaded here, only when there are files to lint.
 */
async function lint(migrator: Migrator, config: MigrateConfig, files: MigrationFile[]): Promise<Finding[]> {
  if (!files.length) return [];
  const parser = await loadPgParser();
  const tables = await migrator.tableFacts(tablesTouched(files, parser));
  return lintMigrations(files, {
    engineLockTimeoutMs: config.lockTimeoutMs,
    tables,
    levels: config.lintRules,
    parser,
  });
}

/** Where a lint rule's why and safe alternative are written up. */
function ruleDocs(rule: string): string {
  const repository = process.env.GITHUB_ACTION_REPOSITORY || 'org/deploy-actions';
  const ref = process.env.GITHUB_ACTION_REF || 'main';
  return `https://github.com/${repository}/blob/${ref}/docs/actions/run-migrations.md#${rule}`;
}

async function cancelRunningQuery(config: MigrateConfig, ctx: ActionContext, pid: number): Promise<void> {
  const canceller = new pg.Client({
    connectionString: config.databaseUrl,
    application_name: `${config.applicationName} cancel`.slice(0, 63),
  });
  try {
    await canceller.connect();
    await canceller.query('select pg_cancel_backend($1)', [pid]);
    ctx.log.warning('job cancelled: the running migration was cancelled and rolled back');
  } catch (error) {
    ctx.log.warning(
      `job cancelled, and cancelling the running statement failed (${oneLine(error)}); the post step will end the session`,
    );
  } finally {
    await canceller.end().catch(() => undefined);
  }
}

async function commandMode(
  ctx: ActionContext,
  config: MigrateConfig,
  migrator: Migrator,
  client: SqlClient,
): Promise<void> {
  const argv = config.command!;
  const { before, after } = await runCommand(migrator, client, {
    argv,
    databaseUrl: config.databaseUrl,
    lockTimeoutMs: config.lockTimeoutMs,
    statementTimeoutMs: config.statementTimeoutMs,
    timeoutMs: config.commandTimeoutMs,
    cwd: config.workspace,
    log: ctx.log,
    signal: ctx.signal,
  });
  setVersions(ctx, before, after, [], 0);
  ctx.summary.append(`### Migrations by \`${argv[0]}\`: ${before ?? 'no version'} → ${after ?? 'no version'}\n`);
}

function finish(ctx: ActionContext, result: ApplyResult, verb: string, pending: number): void {
  setVersions(
    ctx,
    result.before,
    result.after,
    result.applied.map((a) => a.version),
    pending,
  );
  ctx.summary.append(applyMarkdown(result, verb));
  ctx.log.info(
    `${result.applied.length} migration(s) ${verb}; schema version ${result.before ?? 'none'} -> ${result.after ?? 'none'}`,
  );
}

function setVersions(
  ctx: ActionContext,
  before: string | undefined,
  after: string | undefined,
  versions: string[],
  pending: number,
): void {
  ctx.outputs.set('version-before', before ?? '');
  ctx.outputs.set('version-after', after ?? '');
  ctx.outputs.set('applied', String(versions.length));
  ctx.outputs.set('applied-versions', JSON.stringify(versions));
  ctx.outputs.set('pending', String(pending));
}

function relativeFile(config: MigrateConfig, dir: string | undefined, file: string): string {
  const full = dir ? `${dir}/${file}` : file;
  return full.startsWith(`${config.workspace}/`) ? full.slice(config.workspace.length + 1) : full;
}

/** Post step after a cancelled or crashed main: end this run's leftover sessions so no lock stays held. */
export async function cleanUp(ctx: ActionContext, config: MigrateConfig): Promise<void> {
  const client = await connectPostgres(config.databaseUrl, `${config.applicationName} post`.slice(0, 63), ctx);
  try {
    const ended = await endLeftoverSessions(client as unknown as SqlClient, config.applicationName);
    ctx.log.info(
      ended
        ? `ended ${ended} database session(s) left by the interrupted run; the migration lock is free`
        : 'no database session was left behind',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
