/** A statement of a migration file, with where it starts for annotations and error reports. */
export interface Statement {
  text: string;
  /** 1-based line of the statement's first character in the file. */
  line: number;
  /** Comments directly before or inside the statement (for `deploy-actions:ignore`). */
  comments: string[];
}

// Sticky: matched at one position, without slicing the text.
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/y;
/** An unquoted identifier or keyword; `$` may continue one, so `a$b$` is a name, not a dollar quote. */
const WORD = /[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/y;

/**
 * Splits PostgreSQL SQL into statements at top-level semicolons, understanding what may hide a
 * semicolon: '...' and E'...' strings, "identifiers", -- and nested /* *\/ comments, $tag$ bodies,
 * parentheses, and the BEGIN ATOMIC ... END body of a SQL-standard function (tracked the way psql
 * does: inside CREATE [OR REPLACE] FUNCTION/PROCEDURE, BEGIN and CASE open a block, END closes one).
 * Not a parser: the server parses; this only has to cut where psql would.
 */
export function splitStatements(sql: string): Statement[] {
  const out: Statement[] = [];
  let start = -1;
  let comments: string[] = [];
  let line = 1;
  let startLine = 1;
  let parenDepth = 0;
  let blockDepth = 0;
  let words: string[] = [];
  /** The line of the last statement's semicolon: a comment after it on that line belongs to it. */
  let endLine = 0;
  const flush = (end: number): void => {
    const text = start >= 0 ? sql.slice(start, end).trim() : '';
    if (text) out.push({ text, line: startLine, comments });
    endLine = line;
    start = -1;
    comments = [];
    parenDepth = 0;
    blockDepth = 0;
    words = [];
  };
  const begin = (i: number): void => {
    if (start < 0) {
      start = i;
      startLine = line;
    }
  };
  const countLines = (from: number, to: number): void => {
    for (let j = from; j < to; j++) if (sql.charCodeAt(j) === 10) line++;
  };
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === '\n') {
      line++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f') continue;
    if (ch === '-' && next === '-') {
      const eol = sql.indexOf('\n', i);
      const end = eol < 0 ? sql.length : eol;
      const trailing = start < 0 && line === endLine ? out.at(-1) : undefined;
      (trailing ? trailing.comments : comments).push(sql.slice(i, end));
      i = end - 1;
      continue;
    }
    if (ch === '/' && next === '*') {
      let depth = 0;
      const from = i;
      for (; i < sql.length; i++) {
        if (sql[i] === '\n') line++;
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i++;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i++;
          if (depth === 0) break;
        }
      }
      comments.push(sql.slice(from, i + 1));
      continue;
    }
    begin(i);
    if (ch === ';' && parenDepth === 0 && blockDepth === 0) {
      flush(i);
      continue;
    }
    if (ch === '(') {
      parenDepth++;
      continue;
    }
    if (ch === ')') {
      parenDepth = Math.max(0, parenDepth - 1);
      continue;
    }
    if (ch === "'" || ch === '"') {
      // E'...' is the one string form where a backslash escapes the quote.
      const backslashes = ch === "'" && /[eE]/.test(sql[i - 1] ?? '') && !/[\w$]/.test(sql[i - 2] ?? '');
      for (i++; i < sql.length; i++) {
        if (sql[i] === '\n') line++;
        if (backslashes && sql[i] === '\\') {
          if (sql[i + 1] === '\n') line++;
          i++;
          continue;
        }
        if (sql[i] === ch) {
          if (sql[i + 1] === ch) {
            i++;
            continue;
          }
          break;
        }
      }
      continue;
    }
    if (ch === '$') {
      DOLLAR_TAG.lastIndex = i;
      const tag = DOLLAR_TAG.exec(sql);
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        const end = close < 0 ? sql.length : close + tag[0].length;
        countLines(i, end);
        i = end - 1;
      }
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(sql);
    if (word) {
      if (parenDepth === 0) blockDepth = trackBlocks(words, word[0].toLowerCase(), blockDepth);
      i += word[0].length - 1;
    }
  }
  flush(sql.length);
  return out;
}

/** Follows BEGIN/CASE ... END nesting in the body of CREATE [OR REPLACE] FUNCTION|PROCEDURE. */
function trackBlocks(words: string[], word: string, depth: number): number {
  if (words.length < 4) words.push(word);
  const [a, b, c, d] = words;
  const routine =
    a === 'create' &&
    (b === 'function' ||
      b === 'procedure' ||
      (b === 'or' && c === 'replace' && (d === 'function' || d === 'procedure')));
  if (!routine) return depth;
  if (word === 'begin') return depth + 1;
  if (word === 'case') return depth > 0 ? depth + 1 : depth;
  if (word === 'end') return Math.max(0, depth - 1);
  return depth;
}

/** The statement without comments, whitespace folded and upper-cased, for pattern checks. */
export function normalize(statement: string): string {
  return statement
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$/g, '$$$$')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase();
}
