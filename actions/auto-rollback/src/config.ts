import { statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { type Inputs, type RunContext, InputError } from '@deploy-actions/core/runner';
import {
  type JudgeInputs,
  type MetricsConfig,
  parseEnvironment,
  parseJudge,
  parseMetrics,
  parseTarget,
  type TargetConfig,
} from '@deploy-actions/action-shared/inputs';
import { checkName } from '@deploy-actions/action-shared/names';

export type Trigger = 'failure' | 'smoke-test' | 'watch' | 'manual';

export interface RollbackConfig {
  environment: string;
  trigger: Trigger;
  /** False when a smoke test passed: nothing to do. */
  needed: boolean;
  reason: string;
  version: string | undefined;
  target: TargetConfig;
  stableSlot: string | undefined;
  healthPath: string;
  healthTimeoutMs: number;
  watchDurationMs: number;
  intervalMs: number;
  metrics: MetricsConfig | undefined;
  judge: JudgeInputs;
  verifyUrl: string | undefined;
  verifyTimeoutMs: number;
  database: { url: string; migrations: string; table: string } | undefined;
  githubToken: string | undefined;
  environmentUrl: string | undefined;
  notify: { webhook: string | undefined; issue: number | undefined; commit: boolean };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function parse(inputs: Inputs, run: RunContext): RollbackConfig {
  const trigger = inputs.oneOf('trigger', ['failure', 'smoke-test', 'watch', 'manual'] as const) ?? 'failure';
  const smokePassed = inputs.raw('smoke-passed');
  if ((trigger === 'smoke-test' || smokePassed) && smokePassed !== 'true' && smokePassed !== 'false') {
    throw new InputError(
      'smoke-passed',
      `is '${smokePassed}'${trigger === 'smoke-test' ? ' for trigger smoke-test' : ', not true or false'}`,
      "pass the smoke-test step's output: `smoke-passed: ${{ steps.smoke.outputs.passed }}`",
    );
  }
  const reason =
    inputs.string('reason') ??
    (trigger === 'smoke-test'
      ? `smoke test failed: ${inputs.string('smoke-reason') ?? 'no reason given'}`
      : trigger === 'manual'
        ? `manual rollback by ${run.actor || 'a person'}`
        : trigger === 'failure'
          ? `the deploy job failed (run ${run.runUrl})`
          : 'metrics breached during the watch window');
  const { target, stableSlot } = parseTarget(inputs);
  const migrateDown = inputs.bool('migrate-down');
  const databaseUrl = inputs.secretUrl(
    'database-url',
    ['postgres:', 'postgresql:'],
    'postgres://user:password@host:port/database',
  );
  if (migrateDown && !databaseUrl)
    throw new InputError(
      'database-url',
      'is required with migrate-down',
      'pass the database URL from a secret, or set `migrate-down: false`',
    );
  const migrationsInput = inputs.raw('migrations') || 'migrations';
  const migrations = isAbsolute(migrationsInput) ? migrationsInput : join(run.workspace, migrationsInput);
  if (migrateDown && !isDirectory(migrations))
    throw new InputError(
      'migrations',
      `'${migrationsInput}' is not a folder`,
      'give the migrations folder (relative to the workspace) the down files are read from',
    );
  const migrationsTable = checkName(
    'migrations-table',
    inputs.raw('migrations-table') || 'deploy_actions_migrations',
    'sqlTable',
  );
  const webhook = inputs.secretUrl('notify-webhook', ['https:', 'http:'], 'https://hooks.slack.com/services/...', {
    secretPath: true,
  });
  return {
    environment: parseEnvironment(inputs),
    trigger,
    needed: trigger !== 'smoke-test' || smokePassed === 'false',
    reason,
    version: inputs.string('version'),
    target,
    stableSlot,
    healthPath: checkName('health-path', inputs.raw('health-path') || '/health', 'httpPath'),
    healthTimeoutMs: inputs.duration('health-timeout', { min: 100 }) ?? 300_000,
    watchDurationMs: inputs.duration('watch-duration', { min: 1000 }) ?? 600_000,
    intervalMs: inputs.duration('interval', { min: 100 }) ?? 5_000,
    metrics: trigger === 'watch' ? parseMetrics(inputs, true) : undefined,
    judge: parseJudge(inputs),
    verifyUrl: inputs.url('verify-url'),
    verifyTimeoutMs: inputs.duration('verify-timeout', { min: 100 }) ?? 60_000,
    database:
      migrateDown && databaseUrl
        ? {
            url: databaseUrl,
            migrations,
            table: migrationsTable,
          }
        : undefined,
    githubToken: inputs.secret('github-token'),
    environmentUrl: inputs.url('environment-url'),
    notify: {
      webhook,
      issue: inputs.int('notify-issue', { min: 1, max: 2 ** 31 - 1 }),
      commit: inputs.bool('notify-commit'),
    },
  };
}
