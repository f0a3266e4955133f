import { isAbsolute, join } from 'node:path';
import { type Inputs, type RunContext, InputError } from '@deploy-actions/core/runner';
import { findGap, loadMigrations, MigrationFileError, type MigrationSet } from '@deploy-actions/migrate/files';
import { LINT_RULES, type RuleLevel } from '@deploy-actions/migrate/lint';
import { checkName } from '@deploy-actions/action-shared/names';

export type Mode = 'apply' | 'plan' | 'status' | 'baseline' | 'down' | 'resolve';
const MODES = ['apply', 'plan', 'status', 'baseline', 'down', 'resolve'] as const;

export interface MigrateConfig {
  databaseUrl: string;
  mode: Mode;
  /** Undefined in command mode. */
  migrations: MigrationSet | undefined;
  /** The migration tool and its arguments (command mode). */
  command: string[] | undefined;
  targetVersion: string | undefined;
  table: string;
  lockWaitMs: number;
  lockTimeoutMs: number;
  lockRetries: number;
  statementTimeoutMs: number;
  commandTimeoutMs: number;
  lint: 'error' | 'warn' | 'off';
  /** Per-rule levels over each rule's own judgement. */
  lintRules: Record<string, RuleLevel>;
  /** For `resolve`: what the interrupted migration is to be recorded as. */
  resolveAs: 'applied' | 'not-applied' | undefined;
  /** Marks this run's database sessions so the post step can end any it left behind. */
  applicationName: string;
  workspace: string;
}

export function parse(inputs: Inputs, run: RunContext): MigrateConfig {
  const databaseUrl = inputs.secretUrl(
    'database-url',
    ['postgres:', 'postgresql:'],
    'postgres://user:password@host:port/database',
  );
  if (!databaseUrl)
    throw new InputError(
      'database-url',
      'is required and was empty',
      'pass the database URL from a secret: `database-url: ${{ secrets.DATABASE_URL }}`',
    );
  const mode = inputs.oneOf('mode', MODES) ?? 'apply';
  const command = inputs.command('command');
  if (command && mode !== 'apply')
    throw new InputError(
      'command',
      `cannot be combined with mode ${mode}`,
      'use `mode: apply` with `command`, or drop `command` to use the built-in engine',
    );
  const targetVersion = inputs.string('target-version');
  if ((mode === 'down' || mode === 'baseline' || mode === 'resolve') && !targetVersion) {
    throw new InputError(
      'target-version',
      `is required for mode ${mode}`,
      `set the version to ${mode === 'down' ? 'go back to' : mode === 'baseline' ? 'record as applied up to' : 'resolve (the interrupted one)'}`,
    );
  }
  const resolveAs = inputs.oneOf('resolve-as', ['applied', 'not-applied'] as const);
  if (mode === 'resolve' && !resolveAs)
    throw new InputError(
      'resolve-as',
      'is required for mode resolve',
      'after checking the database, set `applied` (the interrupted statement took effect) or `not-applied` (it did not)',
    );
  if (targetVersion && !/^\d+([._]\d+)*$/.test(targetVersion))
    throw new InputError(
      'target-version',
      `'${targetVersion}' is not a version`,
      'use the numeric version from the file name, e.g. 0003 or 1.2',
    );
  let migrations: MigrationSet | undefined;
  if (!command) {
    const dir = inputs.raw('migrations') || 'migrations';
    try {
      migrations = loadMigrations(isAbsolute(dir) ? dir : join(run.workspace, dir));
    } catch (error) {
      if (error instanceof MigrationFileError)
        throw new InputError('migrations', error.message, 'rename or fix the files in the migrations folder');
      throw error;
    }
    // golang-migrate, goose, Flyway, dbmate, sqlx and Atlas all allow gaps, so only a team that asks checks them.
    const gap = inputs.raw('allow-gaps') === '' || inputs.bool('allow-gaps') ? undefined : findGap(migrations);
    if (gap)
      throw new InputError(
        'migrations',
        gap,
        'restore the missing file or renumber the files after it (or drop `allow-gaps: false` if the gap is deliberate)',
      );
  }
  const table = checkName('table', inputs.raw('table') || 'deploy_actions_migrations', 'sqlTable');
  return {
    databaseUrl,
    mode,
    migrations,
    command,
    targetVersion: targetVersion?.replace(/_/g, '.'),
    table,
    lockWaitMs: inputs.duration('lock-wait', { min: 0 }) ?? 300_000,
    lockTimeoutMs: inputs.duration('lock-timeout', { min: 0 }) ?? 5_000,
    lockRetries: inputs.int('lock-retries', { min: 0, max: 20 }) ?? 3,
    statementTimeoutMs: inputs.duration('statement-timeout', { min: 0 }) ?? 1_800_000,
    commandTimeoutMs: inputs.duration('command-timeout', { min: 1 }) ?? 1_800_000,
    lint: inputs.oneOf('lint', ['error', 'warn', 'off'] as const) ?? 'error',
    lintRules: parseLintRules(inputs),
    resolveAs,
    applicationName:
      `deploy-actions/run-migrations ${run.repository} run ${run.runId}.${run.runAttempt} ${run.job}`.slice(0, 63),
    workspace: run.workspace,
  };
}

/** `rule: off|warn|error` per line (or comma-separated), each rule one the linter has. */
function parseLintRules(inputs: Inputs): Record<string, RuleLevel> {
  const out: Record<string, RuleLevel> = {};
  for (const item of inputs.list('lint-rules')) {
    const m = /^([\w-]+)\s*[=:]\s*(\w+)$/.exec(item);
    if (!m)
      throw new InputError(
        'lint-rules',
        `'${item}' is not rule: level`,
        'write `rule: off`, `rule: warn` or `rule: error`, one per line',
      );
    const [, rule, level] = m;
    if (!LINT_RULES.includes(rule!))
      throw new InputError('lint-rules', `'${rule}' is not a lint rule`, `use one of ${LINT_RULES.join(', ')}`);
    if (level !== 'off' && level !== 'warn' && level !== 'error')
      throw new InputError('lint-rules', `'${level}' is not a level for ${rule}`, 'use off, warn or error');
    out[rule!] = level;
  }
  return out;
}
