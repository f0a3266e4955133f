import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A statement as PostgreSQL's parser reads it: its node (one key, the node type) and where it is in the input. */
export interface ParsedStatement {
  node: Record<string, Record<string, unknown>>;
  /** Character offset of the statement in the parsed text (leading comments and blanks excluded). */
  offset: number;
}

/** An SQL statement a PL/pgSQL body runs directly (not an EXECUTE'd string). */
export interface BodyStatement {
  sql: string;
  /** 1-based, counted from the line the body's opening quote is on. */
  line: number;
}

export class SqlSyntaxError extends Error {
  constructor(
    message: string,
    /** Character offset in the parsed text. */
    readonly offset: number,
  ) {
    super(message);
  }
}

/** PostgreSQL's own parser (libpg_query, PostgreSQL 18), synchronous once loaded. */
export interface PgParser {
  /** The statements of `sql`, as the server would cut and read them; throws SqlSyntaxError. */
  parse(sql: string): ParsedStatement[];
  /** The SQL statements a PL/pgSQL block body runs directly, at any depth (loops, IF, nested blocks, handlers). */
  plpgsqlStatements(body: string): BodyStatement[];
}

interface EmscriptenModule {
  _malloc(size: number): number;
  _free(ptr: number): void;
  _wasm_parse_query_raw(ptr: number): number;
  _wasm_free_parse_result(ptr: number): void;
  _wasm_parse_plpgsql(ptr: number): number;
  _wasm_free_string(ptr: number): void;
  getValue(ptr: number, type: 'i32'): number;
  lengthBytesUTF8(text: string): number;
  stringToUTF8(text: string, ptr: number, size: number): void;
  UTF8ToString(ptr: number): string;
}

/**
 * Where the emscripten glue of libpg-query's WASM build is: beside the bundle (scripts/build.mjs
 * copies it there as .cjs with its .wasm, since the glue finds the .wasm from __dirname, which an ESM
 * bundle has not), else in the installed package when running from source.
 */
function gluePath(): string {
  const beside = join(dirname(fileURLToPath(import.meta.url)), 'libpg-query.cjs');
  return existsSync(beside) ? beside : createRequire(import.meta.url).resolve('libpg-query/wasm/libpg-query.js');
}

let loading: Promise<PgParser> | undefined;

/** Loads the parser once (about 30 ms); a parser that does not load is an error, never a silent fallback. */
export function loadPgParser(): Promise<PgParser> {
  loading ??= (async () => {
    let glue = 'libpg-query';
    try {
      glue = gluePath();
      const factory = createRequire(import.meta.url)(glue) as (options: {
        print: (text: string) => void;
        printErr: (text: string) => void;
      }) => Promise<EmscriptenModule>;
      // Its own messages only repeat the error it throws, and a runner reads stdout for workflow commands.
      const quiet = (): void => undefined;
      return wasmParser(await factory({ print: quiet, printErr: quiet }));
    } catch (error) {
      loading = undefined;
      // Not core's oneLine: lint's rule list is in the action's entry, and with it this module, so it
      // imports nothing that would pull core's HTTP and retry code into every start.
      const reason = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ');
      throw new Error(`PostgreSQL's parser (libpg_query) did not load from ${glue}: ${reason}`, {
        cause: error,
      });
    }
  })();
  return loading;
}

function wasmParser(wasm: EmscriptenModule): PgParser {
  const withString = <T>(text: string, use: (ptr: number) => T): T => {
    const size = wasm.lengthBytesUTF8(text) + 1;
    const ptr = wasm._malloc(size);
    try {
      wasm.stringToUTF8(text, ptr, size);
      return use(ptr);
    } finally {
      wasm._free(ptr);
    }
  };
  return {
    parse(sql) {
      if (!sql.trim()) return [];
      const json = withString(sql, (ptr) => {
        const result = wasm._wasm_parse_query_raw(ptr);
        if (!result) throw new Error('libpg_query ran out of memory');
        try {
          // PgQueryParseResult { char *parse_tree; char *stderr_buffer; PgQueryError *error }
          const error = wasm.getValue(result + 8, 'i32');
          if (error) {
            // PgQueryError { char *message; char *funcname; char *filename; int lineno; int cursorpos }
            const message = wasm.UTF8ToString(wasm.getValue(error, 'i32'));
            const cursor = wasm.getValue(error + 16, 'i32');
            throw new SqlSyntaxError(message, charOffset(sql, Math.max(0, cursor - 1)));
          }
          return wasm.UTF8ToString(wasm.getValue(result, 'i32'));
        } finally {
          wasm._wasm_free_parse_result(result);
        }
      });
      const tree = JSON.parse(json) as { stmts?: Array<{ stmt: ParsedStatement['node']; stmt_location?: number }> };
      const ascii = Buffer.byteLength(sql) === sql.length;
      return (tree.stmts ?? []).map((s) => ({
        node: s.stmt,
        offset: ascii ? (s.stmt_location ?? 0) : charOffset(sql, s.stmt_location ?? 0),
      }));
    },
    plpgsqlStatements(body) {
      // libpg_query parses PL/pgSQL as a function's body; a tag the body cannot contain quotes it.
      let tag = '$body$';
      for (let n = 0; body.includes(tag); n++) tag = `$body${n}$`;
      const source = `CREATE FUNCTION pg_temp.migration_block() RETURNS void LANGUAGE plpgsql AS ${tag}${body}${tag}`;
      const text = withString(source, (ptr) => {
        const result = wasm._wasm_parse_plpgsql(ptr);
        try {
          return wasm.UTF8ToString(result);
        } finally {
          wasm._wasm_free_string(result);
        }
      });
      // Success is a JSON object; anything else is the parser's error message.
      if (!text.startsWith('{')) throw new SqlSyntaxError(text, 0);
      const out: BodyStatement[] = [];
      collectExecSql(JSON.parse(text), out);
      return out.sort((a, b) => a.line - b.line);
    },
  };
}

/** Every PLpgSQL_stmt_execsql in the tree, in source order. */
function collectExecSql(node: unknown, out: BodyStatement[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectExecSql(item, out);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const exec = (node as { PLpgSQL_stmt_execsql?: { lineno?: number; sqlstmt?: { PLpgSQL_expr?: { query?: string } } } })
    .PLpgSQL_stmt_execsql;
  const query = exec?.sqlstmt?.PLpgSQL_expr?.query;
  if (exec && query) out.push({ sql: query, line: exec.lineno ?? 1 });
  for (const value of Object.values(node)) collectExecSql(value, out);
}

/** libpg_query counts UTF-8 bytes; JavaScript strings count UTF-16 units. */
function charOffset(text: string, byteOffset: number): number {
  return Buffer.from(text, 'utf8').subarray(0, byteOffset).toString('utf8').length;
}
