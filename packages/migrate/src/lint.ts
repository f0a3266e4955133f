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

interface Rule {
  rule: string;
  severity: Severity;
  test(sql: string, ctx: { file: MigrationFile; createdTables: Set<string>; options: LintOptions; fileSql: string }): boolean;
  message: string;
  fix: string;
}

const IDENT = '(?:"[^"]+"|[A-Z_][A-Z0-9_$]*)(?:\\.(?:"[^"]+"|[A-Z_][A-Z0-9_$]*))?';
const ALTER_TABLE = new RegExp(`^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?(${IDENT})`);

const RULES: Rule[] = [
  {
    rule: 'concurrently-in-transaction', severity: 'error',
    test: (s, { file }) => file.transactional && /^(CREATE (UNIQUE )?INDEX|DROP INDEX|REINDEX)\b.*\bCONCURRENTLY\b/.test(s),
    message: 'CONCURRENTLY cannot run inside a transaction, and this file runs in one',
    fix: 'put the statement in its own file with a `-- deploy-actions:no-transaction` line',
  },
  {
    rule: 'create-index-non-concurrently', severity: 'warning',
    test: (s, { createdTables }) => {
      const m = new RegExp(`^CREATE (?:UNIQUE )?INDEX (?!CONCURRENTLY)(?:IF NOT EXISTS )?(?:${IDENT} )?ON (?:ONLY )?(${IDENT})`).exec(s);
      return !!m && !createdTables.has(m[1]!);
    },
    message: 'CREATE INDEX without CONCURRENTLY blocks writes to the table while the index builds',
    fix: 'use CREATE INDEX CONCURRENTLY in a `-- deploy-actions:no-transaction` file',
  },
  {
    rule: 'adding-not-null-column-without-default', severity: 'error',
    test: (s) => ALTER_TABLE.test(s) && /\bADD (COLUMN )?(?!CONSTRAINT)[^,]*\bNOT NULL\b/.test(s) && !/\bADD (COLUMN )?[^,]*\bDEFAULT\b/.test(s),
    message: 'adding a NOT NULL column without a default fails on a table with rows',
    fix: 'add the column nullable (or with a DEFAULT), backfill, then SET NOT NULL via a NOT VALID check constraint',
  },
  {
    rule: 'constraint-without-not-valid', severity: 'warning',
    test: (s, { createdTables }) => {
      const m = ALTER_TABLE.exec(s);
      return !!m && !createdTables.has(m[1]!) && /\bADD CONSTRAINT \S+ (FOREIGN KEY|CHECK)\b/.test(s) && !/\bNOT VALID\b/.test(s);
    },
    message: 'adding a CHECK or FOREIGN KEY constraint scans the whole table under a lock',
    fix: 'add it NOT VALID, then VALIDATE CONSTRAINT in a later migration',
  },
  {
    rule: 'changing-column-type', severity: 'warning',
    test: (s) => ALTER_TABLE.test(s) && /\bALTER (COLUMN )?\S+ (SET DATA )?TYPE\b/.test(s),
    message: 'changing a column type usually rewrites the table under an ACCESS EXCLUSIVE lock',
    fix: 'add a new column, backfill, and switch readers over (expand/contract)',
  },
  {
    rule: 'dropping-column', severity: 'warning',
    test: (s) => ALTER_TABLE.test(s) && /\bDROP (COLUMN )?(?!CONSTRAINT|DEFAULT|NOT NULL|IDENTITY|EXPRESSION)\S+/.test(s.replace(/\bALTER (COLUMN )?\S+ DROP (DEFAULT|NOT NULL|IDENTITY|EXPRESSION)\b/g, '')),
    message: 'dropping a column breaks the running version if it still reads it',
    fix: 'stop using the column in a release first, then drop it in a later one',
  },
  {
    rule: 'dropping-table', severity: 'warning',
    test: (s) => /^DROP TABLE\b/.test(s),
    message: 'dropping a table breaks the running version if it still uses it',
    fix: 'stop using the table in a release first, then drop it in a later one',
  },
  {
    rule: 'renaming-column', severity: 'warning',
    test: (s) => ALTER_TABLE.test(s) && /\bRENAME (COLUMN )?\S+ TO\b/.test(s) && !/\bRENAME TO\b/.test(s) && !/\bRENAME CONSTRAINT\b/.test(s),
    message: 'renaming a column breaks the running version, which still uses the old name',
    fix: 'add the new column and migrate readers and writers first (expand/contract)',
  },
  {
    rule: 'renaming-table', severity: 'warning',
    test: (s) => ALTER_TABLE.test(s) && /\bRENAME TO\b/.test(s),
    message: 'renaming a table breaks the running version, which still uses the old name',
    fix: 'create a view with the old name, or migrate readers first',
  },
  {
    rule: 'missing-lock-timeout', severity: 'warning',
    test: (s, { options, fileSql }) => options.engineLockTimeoutMs === 0 && /^(ALTER TABLE|DROP TABLE|CREATE (UNIQUE )?INDEX (?!CONCURRENTLY)|TRUNCATE|LOCK)\b/.test(s) && !/\bSET (LOCAL )?LOCK_TIMEOUT\b/i.test(fileSql),
    message: 'a statement that takes a strong lock runs without lock_timeout: stuck behind a long query, it queues every other query on the table',
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
    const created = new RegExp(`^CREATE (?:UNLOGGED |TEMP |TEMPORARY )?TABLE (?:IF NOT EXISTS )?(${IDENT})`).exec(s);
    const skip = ignored(statement);
    for (const rule of RULES) {
      if (skip.has(rule.rule) || !rule.test(s, { file, createdTables, options, fileSql: file.sql })) continue;
      findings.push({ rule: rule.rule, severity: rule.severity, file: file.file, line: statement.line, message: rule.message, fix: rule.fix });
    }
    if (created) createdTables.add(created[1]!);
  }
  if (!file.transactional && statements.length > 1) {
    findings.push({
      rule: 'no-transaction-multiple-statements', severity: 'warning', file: file.file, line: statements[1]!.line,
      message: 'a file run outside a transaction cannot be rolled back if a later statement fails',
      fix: 'keep one statement per no-transaction file',
    });
  }
  return findings;
}

/** The lock a statement takes on the table it touches, for the plan (PostgreSQL's documented levels). */
export function lockLevel(statement: string): string {
  const s = normalize(statement);
  if (/^CREATE (UNIQUE )?INDEX CONCURRENTLY\b/.test(s) || /^DROP INDEX CONCURRENTLY\b/.test(s)) return 'SHARE UPDATE EXCLUSIVE';
  if (/^CREATE (UNIQUE )?INDEX\b/.test(s)) return 'SHARE (blocks writes)';
  if (/^ALTER TABLE\b.*\bVALIDATE CONSTRAINT\b/.test(s)) return 'SHARE UPDATE EXCLUSIVE';
  if (/^ALTER TABLE\b.*\bADD CONSTRAINT \S+ FOREIGN KEY\b/.test(s)) return 'SHARE ROW EXCLUSIVE (both tables)';
  if (/^ALTER TABLE\b.*\bSET STATISTICS\b/.test(s)) return 'SHARE UPDATE EXCLUSIVE';
  if (/^(ALTER TABLE|DROP TABLE|TRUNCATE|DROP INDEX|REINDEX|CLUSTER|VACUUM FULL|LOCK)\b/.test(s)) return 'ACCESS EXCLUSIVE (blocks reads and writes)';
  if (/^(INSERT|UPDATE|DELETE|MERGE|COPY)\b/.test(s)) return 'ROW EXCLUSIVE';
  if (/^(SELECT|WITH)\b/.test(s)) return 'ACCESS SHARE';
  if (/^CREATE (UNLOGGED |TEMP |TEMPORARY )?TABLE\b/.test(s)) return 'none on existing tables';
  if (/^(CREATE|DROP|ALTER) (TYPE|EXTENSION|SCHEMA|SEQUENCE|FUNCTION|OR REPLACE|VIEW|TRIGGER|POLICY|ROLE)\b/.test(s)) return 'catalog only';
  if (/^(SET|RESET|COMMENT)\b/.test(s)) return 'none';
  return 'unknown';
}
