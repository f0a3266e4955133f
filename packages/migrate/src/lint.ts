import type { MigrationFile } from './files';
import { type ParsedStatement, type PgParser, SqlSyntaxError } from './pg-parser';
import { normalize, splitStatements, type Statement } from './sql';

export type Severity = 'error' | 'warning';
export type RuleLevel = 'off' | 'warn' | 'error';

export interface Finding {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  message: string;
  /** What to do instead. */
  fix: string;
}

/** What the database says about a table a migration touches, read before the run. */
export interface TableFacts {
  /** It holds at least one row. */
  rows: boolean;
  /** Big enough that a scan, rewrite or index build under its lock takes long (LARGE_TABLE_BYTES). */
  large: boolean;
}

/** A table this size or more takes seconds or more to scan, rewrite or index. */
export const LARGE_TABLE_BYTES = 10 * 1024 * 1024;

export interface LintOptions {
  /** The lock_timeout the engine sets for every migration (0: none), since files need not set their own. */
  engineLockTimeoutMs: number;
  /**
   * Tables as they are in the database before the run, by the name the migrations use (upper-cased
   * as in normalised statements). Absent: not in the database. Undefined map: nothing is known, and
   * every existing table is taken as large.
   */
  tables?: Map<string, TableFacts>;
  /** A level per rule, over the rule's own judgement. */
  levels?: Record<string, RuleLevel>;
  /** PostgreSQL's parser (loadPgParser): it reads each statement, and what a DO block runs, as the server will. */
  parser: PgParser;
}

interface RuleContext {
  file: MigrationFile;
  /** Tables created earlier in this run: empty, so rewrites and scans of them cost nothing. */
  createdTables: Set<string>;
  options: LintOptions;
}

/** How much a table-locking operation matters on a table: 'new' (created in the run, or empty) is no finding. */
type TableWeight = 'new' | 'small' | 'large';

interface Rule {
  rule: string;
  /**
   * Gets the normalised statement, and for ALTER TABLE its table and its comma-separated actions.
   * Returns the severity of the finding, or undefined for none.
   */
  test(statement: string, alter: AlterTable | undefined, ctx: RuleContext): Severity | undefined;
  message: string;
  fix: string;
}

/** Error on a large existing table (the lock is held for long), warning on a small one, nothing on a new one. */
function byWeight(weight: TableWeight): Severity | undefined {
  return weight === 'large' ? 'error' : weight === 'small' ? 'warning' : undefined;
}

function tableWeight(table: string, ctx: RuleContext): TableWeight {
  if (ctx.createdTables.has(bare(table))) return 'new';
  const facts = ctx.options.tables;
  if (!facts) return 'large';
  const known = facts.get(bare(table));
  // Not in the database and not created before it in the run: it fails anyway; the server says why.
  if (!known || !known.rows) return 'new';
  return known.large ? 'large' : 'small';
}

/** The table name without its schema or quotes, as CREATE TABLE and ALTER TABLE may spell it differently. */
const bare = (table: string): string => table.replace(/^.*\./, '').replace(/"/g, '');

interface AlterTable {
  table: string;
  /** Each action of the statement (ADD COLUMN ..., ALTER COLUMN ... TYPE ...), split at top-level commas. */
  actions: string[];
}

const IDENT = '(?:"[^"]+"|[A-Z_][A-Z0-9_$]*)(?:\\.(?:"[^"]+"|[A-Z_][A-Z0-9_$]*))?';
const ALTER_TABLE = new RegExp(`^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?(${IDENT}) (.*)$`);
const ADD_COLUMN = /^ADD (?:COLUMN )?(?!CONSTRAINT\b|PRIMARY KEY\b|UNIQUE\b|CHECK\b|FOREIGN KEY\b|EXCLUDE\b)/;

/** ALTER TABLE's table and actions; the normalised text has no strings or comments left to hide a comma. */
export function parseAlterTable(statement: string): AlterTable | undefined {
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

const warnIf = (condition: boolean): Severity | undefined => (condition ? 'warning' : undefined);

/** The weight of the ALTER TABLE's table when one of its actions matches, else undefined. */
function alterWeight(
  alter: AlterTable | undefined,
  ctx: RuleContext,
  action: (a: string) => boolean,
): TableWeight | undefined {
  return alter && alter.actions.some(action) ? tableWeight(alter.table, ctx) : undefined;
}

const CREATE_INDEX = new RegExp(
  `^CREATE (?:UNIQUE )?INDEX (?!CONCURRENTLY)(?:IF NOT EXISTS )?(?:${IDENT} )?ON (?:ONLY )?(${IDENT})`,
);

const RULES: Rule[] = [
  {
    rule: 'create-index-non-concurrently',
    test: (s, _alter, ctx) => {
      const m = CREATE_INDEX.exec(s);
      return m ? byWeight(tableWeight(m[1]!, ctx)) : undefined;
    },
    message: 'CREATE INDEX without CONCURRENTLY blocks writes to the table while the index builds',
    fix: 'use CREATE INDEX CONCURRENTLY (the file then runs outside a transaction by itself)',
  },
  {
    rule: 'adding-not-null-column-without-default',
    test: (_s, alter, ctx) => {
      const weight = alterWeight(
        alter,
        ctx,
        (a) => ADD_COLUMN.test(a) && /\bNOT NULL\b/.test(a) && !/\b(DEFAULT|GENERATED)\b/.test(a),
      );
      // It fails on any table with rows: it cannot run as written.
      return weight && weight !== 'new' ? 'error' : undefined;
    },
    message: 'adding a NOT NULL column without a default fails on a table with rows',
    fix: 'add the column nullable (or with a DEFAULT), backfill, then SET NOT NULL via a NOT VALID check constraint',
  },
  {
    rule: 'setting-not-null',
    test: (_s, alter, ctx) => {
      const weight = alterWeight(alter, ctx, (a) => /^ALTER (COLUMN )?\S+ SET NOT NULL\b/.test(a));
      return weight && byWeight(weight);
    },
    message: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock',
    fix: 'add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL (PostgreSQL 12+ skips the scan)',
  },
  {
    rule: 'constraint-without-not-valid',
    test: (_s, alter, ctx) => {
      const weight = alterWeight(
        alter,
        ctx,
        (a) => /^ADD (CONSTRAINT \S+ )?(FOREIGN KEY|CHECK)\b/.test(a) && !/\bNOT VALID\b/.test(a),
      );
      return weight && byWeight(weight);
    },
    message: 'adding a CHECK or FOREIGN KEY constraint scans the whole table under a lock',
    fix: 'add it NOT VALID, then VALIDATE CONSTRAINT in a later migration',
  },
  {
    rule: 'unique-constraint-builds-index',
    test: (_s, alter, ctx) => {
      const weight = alterWeight(
        alter,
        ctx,
        (a) => /^ADD (CONSTRAINT \S+ )?(PRIMARY KEY|UNIQUE)\b/.test(a) && !/\bUSING INDEX\b/.test(a),
      );
      return weight && byWeight(weight);
    },
    message: 'adding a PRIMARY KEY or UNIQUE constraint builds its index under an ACCESS EXCLUSIVE lock',
    fix: 'CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... USING INDEX',
  },
  {
    rule: 'changing-column-type',
    test: (_s, alter, ctx) => {
      const weight = alterWeight(alter, ctx, (a) => /^ALTER (COLUMN )?\S+ (SET DATA )?TYPE\b/.test(a));
      return weight && byWeight(weight);
    },
    message: 'changing a column type usually rewrites the table under an ACCESS EXCLUSIVE lock',
    fix: 'add a new column, backfill, and switch readers over (expand/contract)',
  },
  {
    rule: 'dropping-column',
    test: (_s, alter, ctx) =>
      warnIf(
        !!alter &&
          !ctx.createdTables.has(bare(alter.table)) &&
          alter.actions.some((a) => /^DROP (COLUMN )?(IF EXISTS )?(?!CONSTRAINT\b)\S+/.test(a)),
      ),
    message: 'dropping a column breaks the running version if it still reads it',
    fix: 'stop using the column in a release first, then drop it in a later one',
  },
  {
    rule: 'dropping-table',
    test: (s, _alter, ctx) => {
      const m = new RegExp(`^DROP TABLE (?:IF EXISTS )?(${IDENT})`).exec(s);
      return warnIf(!!m && !ctx.createdTables.has(bare(m[1]!)));
    },
    message: 'dropping a table breaks the running version if it still uses it',
    fix: 'stop using the table in a release first, then drop it in a later one',
  },
  {
    rule: 'renaming-column',
    test: (_s, alter, ctx) =>
      warnIf(
        !!alter &&
          !ctx.createdTables.has(bare(alter.table)) &&
          /^RENAME (COLUMN )?(?!TO\b|CONSTRAINT\b)\S+ TO\b/.test(alter.actions[0]!),
      ),
    message: 'renaming a column breaks the running version, which still uses the old name',
    fix: 'add the new column and migrate readers and writers first (expand/contract)',
  },
  {
    rule: 'renaming-table',
    test: (_s, alter, ctx) =>
      warnIf(!!alter && !ctx.createdTables.has(bare(alter.table)) && /^RENAME TO\b/.test(alter.actions[0]!)),
    message: 'renaming a table breaks the running version, which still uses the old name',
    fix: 'create a view with the old name, or migrate readers first',
  },
  {
    rule: 'missing-lock-timeout',
    test: (s, _alter, { options, file }) =>
      warnIf(
        options.engineLockTimeoutMs === 0 &&
          /^(ALTER TABLE|DROP TABLE|CREATE (UNIQUE )?INDEX (?!CONCURRENTLY)|TRUNCATE|LOCK)\b/.test(s) &&
          !/\bSET (LOCAL )?LOCK_TIMEOUT\b/i.test(file.sql),
      ),
    message:
      'a statement that takes a strong lock runs without lock_timeout: stuck behind a long query, it queues every other query on the table',
    fix: 'set the `lock-timeout` input (or SET lock_timeout in the file)',
  },
];

const SYNTAX_ERROR = {
  rule: 'syntax-error',
  fix: 'correct the statement: the server rejects it the same way, after the statements before it ran',
};

/** Every rule, for the per-rule levels input. */
export const LINT_RULES: readonly string[] = [
  ...RULES.map((r) => r.rule),
  'no-transaction-multiple-statements',
  SYNTAX_ERROR.rule,
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

/**
 * Lints the files of one run in order: a table created by an earlier file of the run is new and
 * empty, as is one the database does not hold rows in; a table-locking operation is an error only on
 * a large existing table.
 */
export function lintMigrations(files: MigrationFile[], options: LintOptions): Finding[] {
  const createdTables = new Set<string>();
  return files.flatMap((file) => lintFile(file, options, createdTables));
}

export function lintMigration(file: MigrationFile, options: LintOptions): Finding[] {
  return lintFile(file, options, new Set());
}

function lintFile(file: MigrationFile, options: LintOptions, createdTables: Set<string>): Finding[] {
  const findings: Finding[] = [];
  const add = (rule: Pick<Rule, 'rule' | 'message' | 'fix'>, severity: Severity, line: number): void => {
    const level = options.levels?.[rule.rule];
    if (level === 'off') return;
    findings.push({
      rule: rule.rule,
      severity: level === 'error' ? 'error' : level === 'warn' ? 'warning' : severity,
      file: file.file,
      line,
      message: rule.message,
      fix: rule.fix,
    });
  };
  const statements = file.statements;
  for (const judged of statements.flatMap((statement) => judgedStatements(statement, options.parser))) {
    if (judged instanceof SqlSyntaxError) {
      add(
        { ...SYNTAX_ERROR, message: `PostgreSQL's parser rejects the statement: ${judged.message}` },
        'error',
        judged.line,
      );
      continue;
    }
    const { statement, node } = judged;
    const s = normalize(statement.text);
    const alter = parseAlterTable(s);
    const skip = ignored(statement);
    for (const rule of RULES) {
      if (skip.has(rule.rule)) continue;
      const severity = rule.test(s, alter, { file, createdTables, options });
      if (severity) add(rule, severity, statement.line);
    }
    const created = createdTable(node);
    // CREATE TABLE IF NOT EXISTS of a table the database already has creates nothing.
    if (created && !(created.ifNotExists && options.tables?.has(created.name))) createdTables.add(created.name);
  }
  if (!file.transactional && statements.length > 1) {
    add(
      {
        rule: 'no-transaction-multiple-statements',
        message: `this file runs outside a transaction (${file.noTransactionReason ?? 'asked for'}), so what ran cannot be rolled back if a later statement fails`,
        fix: 'keep one statement per file that runs outside a transaction; a re-run after a crash goes on from the statement that was running',
      },
      'warning',
      statements[1]!.line,
    );
  }
  return findings;
}

/** A statement lint judges, with PostgreSQL's parse of it. */
interface Judged {
  statement: Statement;
  node: ParsedStatement['node'];
}

/** A statement the parser rejected, at the line it points at. */
class LintSyntaxError extends SqlSyntaxError {
  constructor(
    error: SqlSyntaxError,
    readonly line: number,
  ) {
    super(error.message, error.offset);
  }
}

const linesBefore = (text: string, offset: number): number => text.slice(0, offset).match(/\n/g)?.length ?? 0;

/**
 * The statements lint judges in one statement of a file, as PostgreSQL's parser reads it: itself (or
 * each statement, should the parser find more than one where the splitter cut one), and for a PL/pgSQL
 * `DO` block every SQL statement its body runs directly, at any depth (IF, loops, nested blocks,
 * exception handlers; not EXECUTE'd strings), each at its own line in the file.
 */
function judgedStatements(statement: Statement, parser: PgParser): Array<Judged | LintSyntaxError> {
  let byStatement = judgedCache.get(parser);
  if (!byStatement) judgedCache.set(parser, (byStatement = new WeakMap()));
  let judged = byStatement.get(statement);
  if (!judged) byStatement.set(statement, (judged = parseStatement(statement, parser)));
  return judged;
}

/** tablesTouched and lint read the same statements of a run: each is parsed once. */
const judgedCache = new WeakMap<PgParser, WeakMap<Statement, Array<Judged | LintSyntaxError>>>();

function parseStatement(statement: Statement, parser: PgParser): Array<Judged | LintSyntaxError> {
  let parsed: ParsedStatement[];
  try {
    parsed = parser.parse(statement.text);
  } catch (error) {
    if (!(error instanceof SqlSyntaxError)) throw error;
    return [new LintSyntaxError(error, statement.line + linesBefore(statement.text, error.offset))];
  }
  return parsed.flatMap(({ node, offset }, i): Array<Judged | LintSyntaxError> => {
    const text = statement.text.slice(offset, parsed[i + 1]?.offset).replace(/;\s*$/, '');
    const line = statement.line + linesBefore(statement.text, offset);
    const own: Judged = { statement: { text, line, comments: statement.comments }, node };
    const block = doBlockBody(node);
    if (!block) return [own];
    const bodyLine = statement.line + linesBefore(statement.text, block.offset);
    let inner;
    try {
      inner = parser.plpgsqlStatements(block.body);
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) throw error;
      return [own, new LintSyntaxError(error, line)];
    }
    // An ignore comment inside the body belongs to the piece of it (up to a semicolon) it precedes.
    const pieces = splitStatements(block.body);
    const commentsAt = (line: number): string[] => [
      ...statement.comments,
      ...(pieces.findLast((p) => p.line <= line)?.comments ?? []),
    ];
    return [
      own,
      ...inner.flatMap((b) =>
        judgedStatements({ text: b.sql, line: bodyLine + b.line - 1, comments: commentsAt(b.line) }, parser),
      ),
    ];
  });
}

/** A PL/pgSQL DO block's body, and the offset of its opening quote (where its line 1 is). */
function doBlockBody(node: ParsedStatement['node']): { body: string; offset: number } | undefined {
  const args = node.DoStmt?.args as
    Array<{ DefElem: { defname: string; arg: { String: { sval: string } }; location: number } }> | undefined;
  if (!args) return undefined;
  const option = (name: string) => args.find((a) => a.DefElem.defname === name)?.DefElem;
  const language = option('language')?.arg.String.sval ?? 'plpgsql';
  const as = option('as');
  if (language.toLowerCase() !== 'plpgsql' || !as) return undefined;
  return { body: as.arg.String.sval, offset: as.location };
}

/** The table a CREATE TABLE [AS] statement creates, by its bare upper-cased name as the rules compare names. */
function createdTable(node: ParsedStatement['node']): { name: string; ifNotExists: boolean } | undefined {
  type Relation = { relname: string };
  const create = node.CreateStmt as { relation: Relation; if_not_exists?: boolean } | undefined;
  const createAs = node.CreateTableAsStmt as
    { into: { rel: Relation }; objtype: string; if_not_exists?: boolean } | undefined;
  const found = create
    ? { relation: create.relation, ifNotExists: !!create.if_not_exists }
    : createAs?.objtype === 'OBJECT_TABLE'
      ? { relation: createAs.into.rel, ifNotExists: !!createAs.if_not_exists }
      : undefined;
  return found && { name: found.relation.relname.toUpperCase(), ifNotExists: found.ifNotExists };
}

/** Every table name the statements of these files alter, index or create, for the database to describe. */
export function tablesTouched(files: MigrationFile[], parser: PgParser): string[] {
  const names = new Set<string>();
  for (const file of files) {
    for (const judged of file.statements.flatMap((statement) => judgedStatements(statement, parser))) {
      if (judged instanceof SqlSyntaxError) continue;
      const s = normalize(judged.statement.text);
      const m = parseAlterTable(s)?.table ?? CREATE_INDEX.exec(s)?.[1] ?? createdTable(judged.node)?.name;
      if (m) names.add(bare(m));
    }
  }
  return [...names];
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
