/** A statement of a migration file, with where it starts for annotations and error reports. */
export interface Statement {
  text: string;
  /** 1-based line of the statement's first character in the file. */
  line: number;
  /** Comments directly before or inside the statement (for `deploy-actions:ignore`). */
  comments: string[];
}

/**
 * Splits PostgreSQL SQL into statements at top-level semicolons, understanding what may hide a
 * semicolon: '...' and E'...' strings, "identifiers", -- and nested /* *\/ comments and $tag$ bodies.
 */
export function splitStatements(sql: string): Statement[] {
  const out: Statement[] = [];
  let start = -1;
  let comments: string[] = [];
  let line = 1;
  let startLine = 1;
  const flush = (end: number): void => {
    const text = start >= 0 ? sql.slice(start, end).trim() : '';
    if (text) out.push({ text, line: startLine, comments });
    start = -1;
    comments = [];
  };
  const begin = (i: number): void => {
    if (start < 0) {
      start = i;
      startLine = line;
    }
  };
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === '\n') { line++; continue; }
    if (/\s/.test(ch)) continue;
    if (ch === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      comments.push(sql.slice(i, end < 0 ? sql.length : end));
      i = (end < 0 ? sql.length : end) - 1;
      continue;
    }
    if (ch === '/' && next === '*') {
      let depth = 0;
      const from = i;
      for (; i < sql.length; i++) {
        if (sql[i] === '\n') line++;
        if (sql[i] === '/' && sql[i + 1] === '*') { depth++; i++; } else if (sql[i] === '*' && sql[i + 1] === '/') { depth--; i++; if (depth === 0) break; }
      }
      comments.push(sql.slice(from, i + 1));
      continue;
    }
    begin(i);
    if (ch === ';') { flush(i); continue; }
    if (ch === "'" || ch === '"') {
      const backslashes = ch === "'" && /[eE]/.test(sql[i - 1] ?? '') && !/\w/.test(sql[i - 2] ?? '');
      for (i++; i < sql.length; i++) {
        if (sql[i] === '\n') line++;
        if (backslashes && sql[i] === '\\') { i++; continue; }
        if (sql[i] === ch) {
          if (sql[i + 1] === ch) { i++; continue; }
          break;
        }
      }
      continue;
    }
    if (ch === '$') {
      const tag = /^\$([A-Za-z_]\w*)?\$/.exec(sql.slice(i));
      if (tag && !/\w/.test(sql[i - 1] ?? '')) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        const end = close < 0 ? sql.length : close + tag[0].length;
        for (let j = i; j < end; j++) if (sql[j] === '\n') line++;
        i = end - 1;
        continue;
      }
    }
  }
  flush(sql.length);
  return out;
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
