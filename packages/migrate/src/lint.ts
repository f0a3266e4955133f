import type { MigrationFile } from './files';
import { normalize, splitStatements, type Statement } from './sql';

export type Severity = 'error' | 'warning';

export interface Finding {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  message: string;
  /** What to do instead. */
  fix: string;
}

export interface LintOptions {
  /** The lock_timeout the engine sets for every migration (0: none), since files need not set their own. */
  engineLockTimeoutMs: number;
}

interface RuleContext {
  file: MigrationFile;
  /** Tables created earlier in the same file: empty, so rewrites and scans of them cost nothing. */
  createdTables: Set<string>;
  options: LintOptions;
}

interface Rule {
  rule: string;
  severity: Severity;
  /** Gets the normalised statement, and for ALTER TABLE its table and its comma-separated actions. */
  test(statement: string, alter: AlterTable | undefined, ctx: RuleContext): boolean;
  message: string;
  fix: string;
}

interface AlterTable {
  table: string;
  /** Each action of the statement (ADD COLUMN ..., ALTER COLUMN ... TYPE ...), split at top-level commas. */
  actions: string[];
}

const IDENT = '(?:"[^"]+"|[A-Z_][A-Z0-9_$]*)(?:\\.(?:"[^"]+"|[A-Z_][A-Z0-9_$]*))?';
const ALTER_TABLE = new RegExp(`^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?(${IDENT}) (.*)$`);
const CREATE_TABLE = new RegExp(`^CREATE (?:UNLOGGED |TEMP |TEMPORARY )?TABLE (?:IF NOT EXISTS )?(${IDENT})`);
const ADD_COLUMN = /^ADD (?:COLUMN )?(?!CONSTRAINT\b|PRIMARY KEY\b|UNIQUE\b|CHECK\b|FOREIGN KEY\b|EXCLUDE\b)/;

/** ALTER TABLE's table and actions; the normalised text has no strings or comments left to hide a comma. */
function parseAlterTable(statement: string): AlterTable | undefined {
  const m = ALTER_TABLE.exec(statement);
  if (!m) return undefined;
  const actions: string[] = [];
  let depth = 0;
  let from = 0;
  const rest = m[2]!;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '(') depth++;
    else if (rest[i] === ')') depth--;
    else if (rest[i] === ',' && depth === 0) {
      actions.push(rest.slice(from, i).trim());
      from = i + 1;
    }
  }
  actions.push(rest.slice(from).trim());
  return { table: m[1]!, actions };
}

const onExistingTable = (alter: AlterTable | undefined, ctx: RuleContext): alter is AlterTable =>
  !!alter && !ctx.createdTables.has(alter.table);

const RULES: Rule[] = [
  {
    rule: 'concurrently-in-transaction',
    severity: 'error',
    test: (s, _alter, { file }) =>
      file.transactional && /^(CREATE (UNIQUE )?INDEX|DROP INDEX|REINDEX)\b.*\bCONCURRENTLY\b/.test(s),
    message: 'CONCURRENTLY cannot run inside a transaction, and this file runs in one',
    fix: 'put the statement in its own file with a `-- deploy-actions:no-transaction` line',
  },
  {
    rule: 'create-index-non-concurrently',
    severity: 'warning',
    test: (s, _alter, { createdTables }) => {
      const m = new RegExp(
        `^CREATE (?:UNIQUE )?INDEX (?!CONCURRENTLY)(?:IF NOT EXISTS )?(?:${IDENT} )?ON (?:ONLY )?(${IDENT})`,
      ).exec(s);
      return !!m && !createdTables.has(m[1]!);
    },
    message: 'CREATE INDEX without CONCURRENTLY blocks writes to the table while the index builds',
    fix: 'use CREATE INDEX CONCURRENTLY in a `-- deploy-actions:no-transaction` file',
  },
  {
    rule: 'adding-not-null-column-without-default',
    severity: 'error',
    test: (_s, alter, ctx) =>
      onExistingTable(alter, ctx) &&
      alter.actions.some((a) => ADD_COLUMN.test(a) && /\bNOT NULL\b/.test(a) && !/\b(DEFAULT|GENERATED)\b/.test(a)),
    message: 'adding a NOT NULL column without a default fails on a table with rows',
    fix: 'add the column nullable (or with a DEFAULT), backfill, then SET NOT NULL via a NOT VALID check constraint',
  },
  {
    rule: 'setting-not-null',
    severity: 'warning',
    test: (_s, alter, ctx) =>
      onExistingTable(alter, ctx) && alter.actions.some((a) => /^ALTER (COLUMN )?\S+ SET NOT NULL\b/.test(a)),
    message: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock',
    fix: 'add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL (PostgreSQL 12+ skips the scan)',
  },
  {
    rule: 'constraint-without-not-valid',
    severity: 'warning',
    test: (_s, alter, ctx) =>
      onExistingTable(alter, ctx) &&
      alter.actions.some((a) => /^ADD (CONSTRAINT \S+ )?(FOREIGN KEY|CHECK)\b/.test(a) && !/\bNOT VALID\b/.test(a)),
    message: 'adding a CHECK or FOREIGN KEY constraint scans the whole table under a lock',
    fix: 'add it NOT VALID, then VALIDATE CONSTRAINT in a later migration',
  },
  {
    rule: 'unique-constraint-builds-index',
    severity: 'warning',
    test: (_s, alter, ctx) =>
      onExistingTable(alter, ctx) &&
      alter.actions.some((a) => /^ADD (CONSTRAINT \S+ )?(PRIMARY KEY|UNIQUE)\b/.test(a) && !/\bUSING INDEX\b/.test(a)),
    message: 'adding a PRIMARY KEY or UNIQUE constraint builds its index under an ACCESS EXCLUSIVE lock',
    fix: 'CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... USING INDEX',
  },
  {
    rule: 'changing-column-type',
    severity: 'warning',
    test: (_s, alter, ctx) =>
      onExistingTable(alter, ctx) && alter.actions.some((a) => /^ALTER (COLUMN )?\S+ (SET DATA )?TYPE\b/.test(a)),
    message: 'changing a column type usually rewrites the table under an ACCESS EXCLUSIVE lock',
    fix: 'add a new column, backfill, and switch readers over (expand/contract)',
  },
  {
    rule: 'dropping-column',
    severity: 'warning',
    test: (_s, alter) =>
      !!alter && alter.actions.some((a) => /^DROP (COLUMN )?(IF EXISTS )?(?!CONSTRAINT\b)\S+/.test(a)),
    message: 'dropping a column breaks the running version if it still reads it',
    fix: 'stop using the column in a release first, then drop it in a later one',
  },
  {
    rule: 'dropping-table',
    severity: 'warning',
    test: (s) => /^DROP TABLE\b/.test(s),
    message: 'dropping a table breaks the running version if it still uses it',
    fix: 'stop using the table in a release first, then drop it in a later one',
  },
  {
    rule: 'renaming-column',
    severity: 'warning',
    test: (_s, alter) => !!alter && /^RENAME (COLUMN )?(?!TO\b|CONSTRAINT\b)\S+ TO\b/.test(alter.actions[0]!),
    message: 'renaming a column breaks the running version, which still uses the old name',
    fix: 'add the new column and migrate readers and writers first (expand/contract)',
  },
  {
    rule: 'renaming-table',
    severity: 'warning',
    test: (_s, alter) => !!alter && /^RENAME TO\b/.test(alter.actions[0]!),
    message: 'renaming a table breaks the running version, which still uses the old name',
    fix: 'create a view with the old name, or migrate readers first',
  },
  {
    rule: 'missing-lock-timeout',
    severity: 'warning',
    test: (s, _alter, { options, file }) =>
      options.engineLockTimeoutMs === 0 &&
      /^(ALTER TABLE|DROP TABLE|CREATE (UNIQUE )?INDEX (?!CONCURRENTLY)|TRUNCATE|LOCK)\b/.test(s) &&
      !/\bSET (LOCAL )?LOCK_TIMEOUT\b/i.test(file.sql),
    message:
      'a statement that takes a strong lock runs without lock_timeout: stuck behind a long query, it queues every other query on the table',
    fix: 'set the `lock-timeout` input (or SET lock_timeout in the file)',
  },
];

const IGNORE = /deploy-actions:ignore\s+([\w,\s-]+)/;

/** Rules a statement asked to skip with `-- deploy-actions:ignore rule[, rule]`. */
function ignored(statement: Statement): Set<string> {
  const rules = new Set<string>();
  for (const comment of statement.comments) {
    const m = IGNORE.exec(comment);
    if (m) for (const r of m[1]!.split(/[,\s]+/).filter(Boolean)) rules.add(r);
  }
  return rules;
}

export function lintMigration(file: MigrationFile, options: LintOptions): Finding[] {
  const findings: Finding[] = [];
  const createdTables = new Set<string>();
  const statements = splitStatements(file.sql);
  for (const statement of statements) {
    const s = normalize(statement.text);
    const created = CREATE_TABLE.exec(s);
    const alter = parseAlterTable(s);
    const skip = ignored(statement);
    for (const rule of RULES) {
      if (skip.has(rule.rule) || !rule.test(s, alter, { file, createdTables, options })) continue;
      findings.push({
        rule: rule.rule,
        severity: rule.severity,
        file: file.file,
        line: statement.line,
        message: rule.message,
        fix: rule.fix,
      });
    }
    if (created) createdTables.add(created[1]!);
  }
  if (!file.transactional && statements.length > 1) {
    findings.push({
      rule: 'no-transaction-multiple-statements',
      severity: 'warning',
      file: file.file,
      line: statements[1]!.line,
      message: 'a file run outside a transaction cannot be rolled back if a later statement fails',
      fix: 'keep one statement per no-transaction file',
    });
  }
  return findings;
}

/** The lock a statement takes on the table it touches, for the plan (PostgreSQL's documented levels). */
export function lockLevel(statement: string): string {
  const s = normalize(statement);
  if (/^CREATE (UNIQUE )?INDEX CONCURRENTLY\b/.test(s) || /^DROP INDEX CONCURRENTLY\b/.test(s))
    return 'SHARE UPDATE EXCLUSIVE';
  if (/^CREATE (UNIQUE )?INDEX\b/.test(s)) return 'SHARE (blocks writes)';
  if (/^ALTER TABLE\b.*\bVALIDATE CONSTRAINT\b/.test(s)) return 'SHARE UPDATE EXCLUSIVE';
  if (/^ALTER TABLE\b.*\bADD CONSTRAINT \S+ FOREIGN KEY\b/.test(s)) return 'SHARE ROW EXCLUSIVE (both tables)';
  if (/^ALTER TABLE\b.*\bSET STATISTICS\b/.test(s)) return 'SHARE UPDATE EXCLUSIVE';
  if (/^(ALTER TABLE|DROP TABLE|TRUNCATE|DROP INDEX|REINDEX|CLUSTER|VACUUM FULL|LOCK)\b/.test(s))
    return 'ACCESS EXCLUSIVE (blocks reads and writes)';
  if (/^(INSERT|UPDATE|DELETE|MERGE|COPY)\b/.test(s)) return 'ROW EXCLUSIVE';
  if (/^(SELECT|WITH)\b/.test(s)) return 'ACCESS SHARE';
  if (/^CREATE (UNLOGGED |TEMP |TEMPORARY )?TABLE\b/.test(s)) return 'none on existing tables';
  if (/^(CREATE|DROP|ALTER) (TYPE|EXTENSION|SCHEMA|SEQUENCE|FUNCTION|OR REPLACE|VIEW|TRIGGER|POLICY|ROLE)\b/.test(s))
    return 'catalog only';
  if (/^(SET|RESET|COMMENT)\b/.test(s)) return 'none';
  return 'unknown';
}
