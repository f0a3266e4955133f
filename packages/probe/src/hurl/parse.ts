import {
  type Assert,
  type Body,
  type Capture,
  type Entry,
  type EntryOptions,
  type Filter,
  type HurlFile,
  type KeyValue,
  type Predicate,
  type PredicateOp,
  type Query,
  type Request,
  type Response,
  SpecError,
  type Value,
} from './ast';

const METHODS = /^(GET|HEAD|POST|PUT|DELETE|CONNECT|OPTIONS|TRACE|PATCH|[A-Z]+)\s+(\S.*)$/;
const REQUEST_SECTIONS = ['QueryStringParams', 'FormParams', 'Options', 'BasicAuth'];
const RESPONSE_SECTIONS = ['Captures', 'Asserts'];
const UNSUPPORTED_SECTIONS = ['MultipartFormData', 'Multipart', 'Cookies', 'Form', 'Query'];
const CERT_FIELDS = ['Subject', 'Issuer', 'Start-Date', 'Expire-Date'] as const;
const BINARY_OPS: PredicateOp[] = ['==', '!=', '>=', '<=', '>', '<', 'contains', 'startsWith', 'endsWith', 'matches'];
const UNARY_OPS: PredicateOp[] = [
  'exists',
  'isInteger',
  'isFloat',
  'isNumber',
  'isString',
  'isBoolean',
  'isCollection',
  'isEmpty',
  'isDate',
];
const SUPPORTED =
  'supported queries: status, version, url, header, jsonpath, body, bytes, duration, certificate, regex, variable';

interface Line {
  n: number;
  text: string;
}

/** Parses a Hurl file. Anything this engine does not support is a SpecError, never skipped. */
export function parseHurl(text: string, path: string): HurlFile {
  const lines: Line[] = text.split(/\r?\n/).map((t, i) => ({ n: i + 1, text: t }));
  const cursor = new Cursor(lines, path);
  const entries: Entry[] = [];
  for (cursor.skipBlank(); !cursor.done(); cursor.skipBlank()) entries.push(parseEntry(cursor));
  return { path, entries };
}

/**
 * Parses assertion lines on their own (the action's `assertions` input), e.g.
 * `jsonpath "$.status" == "ok"`; `source` names where they came from in errors.
 */
export function parseAssertLines(text: string, source: string): Assert[] {
  return text
    .split(/\r?\n/)
    .map((t, i) => ({ n: i + 1, text: t.trim() }))
    .filter((l) => l.text && !l.text.startsWith('#'))
    .map((l) => {
      try {
        return parseAssert(l, source);
      } catch (error) {
        // Input lines have no file: "line N" reads better than "assertions:N:col".
        if (error instanceof SpecError) throw new SpecError(`line ${l.n}`, error.problem);
        throw error;
      }
    });
}

class Cursor {
  i = 0;
  constructor(
    readonly lines: Line[],
    readonly file: string,
  ) {}
  done(): boolean {
    return this.i >= this.lines.length;
  }
  peek(): Line | undefined {
    return this.lines[this.i];
  }
  next(): Line {
    return this.lines[this.i++]!;
  }
  isBlank(line: Line | undefined): boolean {
    const t = line?.text.trim() ?? '';
    return t === '' || t.startsWith('#');
  }
  skipBlank(): void {
    while (!this.done() && this.isBlank(this.peek())) this.i++;
  }
  error(line: Line, column: number, problem: string): SpecError {
    return SpecError.at(this.file, line.n, column, problem);
  }
}

function indent(line: Line): number {
  return line.text.length - line.text.trimStart().length + 1;
}

function parseEntry(c: Cursor): Entry {
  const first = c.next();
  const match = METHODS.exec(first.text.trim());
  if (!match)
    throw c.error(
      first,
      indent(first),
      `expected a request line such as 'GET https://host/path', got '${first.text.trim()}'`,
    );
  const request: Request = {
    line: first.n,
    method: match[1]!,
    url: match[2]!.trim(),
    headers: [],
    queryParams: [],
    formParams: [],
    options: { variables: [] },
  };
  request.headers = parseHeaders(c);
  for (let section = sectionAt(c); section; section = sectionAt(c)) {
    const header = c.next();
    if (RESPONSE_SECTIONS.includes(section))
      throw c.error(header, indent(header), `[${section}] belongs after the response line (HTTP <status>)`);
    if (!REQUEST_SECTIONS.includes(section)) throw unknownSection(c, header, section);
    const pairs = parseKeyValues(c);
    if (section === 'QueryStringParams') request.queryParams.push(...pairs);
    else if (section === 'FormParams') request.formParams.push(...pairs);
    else if (section === 'BasicAuth') {
      if (pairs.length !== 1) throw c.error(header, 1, '[BasicAuth] takes exactly one `user: password` line');
      request.basicAuth = { user: pairs[0]!.name, password: pairs[0]!.value };
    } else request.options = parseOptions(c, pairs);
  }
  request.body = parseBody(c);
  c.skipBlank();
  const response = c.peek() && isResponseLine(c.peek()!.text) ? parseResponse(c) : undefined;
  return { line: first.n, request, response };
}

function sectionAt(c: Cursor): string | undefined {
  c.skipBlank();
  const line = c.peek();
  const m = line && /^\[([A-Za-z]+)\]\s*$/.exec(line.text.trim());
  return m?.[1];
}

function unknownSection(c: Cursor, line: Line, section: string): SpecError {
  const why = UNSUPPORTED_SECTIONS.includes(section) ? 'is not supported by deploy-actions' : 'is not a Hurl section';
  return c.error(
    line,
    indent(line),
    `[${section}] ${why}; supported: [${[...REQUEST_SECTIONS, ...RESPONSE_SECTIONS].join('], [')}]`,
  );
}

/** `Name: value` lines directly under a request or response line (blank and comment lines may sit between). */
function parseHeaders(c: Cursor): KeyValue[] {
  const out: KeyValue[] = [];
  for (;;) {
    const save = c.i;
    c.skipBlank();
    const line = c.peek();
    const m = line && /^([A-Za-z0-9!#$%&'*+.^_`|~-]+):\s?(.*)$/.exec(line.text.trim());
    if (!line || !m) {
      c.i = save;
      return out;
    }
    c.next();
    out.push({ line: line.n, name: m[1]!, value: m[2]!.trim() });
  }
}

/** `key: value` lines under a section, up to the next section, blank line or entry. */
function parseKeyValues(c: Cursor): KeyValue[] {
  const out: KeyValue[] = [];
  for (let line = c.peek(); line && !c.isBlank(line) && !/^\[[A-Za-z]+\]\s*$/.test(line.text.trim()); line = c.peek()) {
    if (isBodyStart(line.text.trim()) || isResponseLine(line.text) || METHODS.test(line.text.trim())) break;
    const m = /^([^:]+?)\s*:\s*(.*)$/.exec(line.text.trim());
    if (!m) throw c.error(line, indent(line), `expected 'key: value', got '${line.text.trim()}'`);
    c.next();
    out.push({ line: line.n, name: unquote(m[1]!), value: unquote(m[2]!) });
  }
  return out;
}

function unquote(text: string): string {
  const t = text.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return JSON.parse(t) as string;
  return t;
}

function parseOptions(c: Cursor, pairs: KeyValue[]): EntryOptions {
  const options: EntryOptions = { variables: [] };
  for (const pair of pairs) {
    const line = c.lines[pair.line - 1]!;
    const int = (what: string): number => {
      const ms = /^(\d+)(ms|s)?$/.exec(pair.value);
      if (!ms) throw c.error(line, indent(line), `${what} takes a whole number, got '${pair.value}'`);
      return Number(ms[1]) * (ms[2] === 's' ? 1000 : 1);
    };
    const bool = (): boolean => {
      if (pair.value !== 'true' && pair.value !== 'false')
        throw c.error(line, indent(line), `${pair.name} takes true or false`);
      return pair.value === 'true';
    };
    switch (pair.name) {
      case 'retry': {
        if (pair.value === '-1')
          throw c.error(line, indent(line), 'retry: -1 (forever) is not allowed in a smoke test; give a count');
        options.retry = int('retry');
        break;
      }
      case 'retry-interval':
        options.retryIntervalMs = int('retry-interval');
        break;
      case 'insecure':
        options.insecure = bool();
        break;
      case 'location':
        options.followRedirects = bool();
        break;
      case 'max-redirs':
        options.maxRedirects = int('max-redirs');
        break;
      case 'delay':
        options.delayMs = int('delay');
        break;
      case 'variable': {
        const m = /^([A-Za-z_][\w-]*)=(.*)$/.exec(pair.value);
        if (!m) throw c.error(line, indent(line), `variable takes name=value, got '${pair.value}'`);
        options.variables.push({ line: pair.line, name: m[1]!, value: m[2]! });
        break;
      }
      default:
        throw c.error(
          line,
          indent(line),
          `option '${pair.name}' is not supported; supported: retry, retry-interval, insecure, location, max-redirs, delay, variable`,
        );
    }
  }
  return options;
}

function isResponseLine(text: string): boolean {
  return /^HTTP(\/[\d.]+)?\s/.test(`${text.trim()} `);
}

function isBodyStart(t: string): boolean {
  return (
    t.startsWith('{') ||
    (t.startsWith('[') && !/^\[[A-Za-z]+\]$/.test(t)) ||
    t.startsWith('```') ||
    t.startsWith('`') ||
    t.startsWith('<') ||
    t.startsWith('base64,') ||
    t.startsWith('hex,') ||
    t.startsWith('file,')
  );
}

function parseBody(c: Cursor): Body | undefined {
  c.skipBlank();
  const line = c.peek();
  if (!line) return undefined;
  const t = line.text.trim();
  if (isResponseLine(t) || METHODS.test(t)) return undefined;
  if (t.startsWith('```')) {
    c.next();
    const body: string[] = [];
    for (let l = c.peek(); ; l = c.peek()) {
      if (!l) throw c.error(line, indent(line), 'multiline body is not closed with ```');
      c.next();
      if (l.text.trim() === '```') break;
      body.push(l.text);
    }
    const hint = t.slice(3).trim();
    if (hint && !['json', 'text', 'xml', 'graphql', 'plain'].includes(hint))
      throw c.error(line, 4, `unknown multiline body type '${hint}'`);
    if (hint === 'graphql') throw c.error(line, 4, 'GraphQL bodies are not supported');
    return {
      kind: hint === 'json' ? 'json' : 'text',
      line: line.n,
      template: body.join('\n') + (body.length ? '\n' : ''),
    };
  }
  if (t.startsWith('`')) {
    c.next();
    const m = /^`((?:[^`\\]|\\.)*)`$/.exec(t);
    if (!m) throw c.error(line, indent(line), 'one-line body must be written `like this`');
    return { kind: 'text', line: line.n, template: m[1]!.replace(/\\`/g, '`') };
  }
  if (t.startsWith('{') || t.startsWith('[')) {
    const start = c.i;
    const text: string[] = [];
    for (let l = c.peek(); l; l = c.peek()) {
      if (text.length && isResponseLine(l.text)) break;
      text.push(l.text);
      c.next();
      if (balanced(text.join('\n'))) break;
    }
    const json = text.join('\n');
    if (!balanced(json)) throw SpecError.at(c.file, c.lines[start]!.n, indent(line), 'JSON body is not closed');
    return { kind: 'json', line: line.n, template: json };
  }
  if (t.startsWith('<') || t.startsWith('base64,') || t.startsWith('hex,') || t.startsWith('file,')) {
    throw c.error(
      line,
      indent(line),
      `${t.startsWith('<') ? 'XML' : t.split(',')[0]} bodies are not supported; use a JSON body, \`text\` or a \`\`\` multiline body`,
    );
  }
  throw c.error(line, indent(line), `expected a body, a section or 'HTTP <status>', got '${t}'`);
}

/** True once brackets outside strings balance; templates like {{x}} count as balanced pairs. */
function balanced(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
  }
  return depth === 0 && !inString;
}

function parseResponse(c: Cursor): Response {
  const line = c.next();
  const m = /^HTTP(?:\/([\d.]+))?\s+(\*|\d{3})\s*$/.exec(line.text.trim());
  if (!m)
    throw c.error(line, indent(line), `expected 'HTTP <status>' (e.g. HTTP 200 or HTTP *), got '${line.text.trim()}'`);
  const response: Response = {
    line: line.n,
    status: m[2] === '*' ? undefined : Number(m[2]),
    headers: parseHeaders(c),
    captures: [],
    asserts: [],
  };
  for (let section = sectionAt(c); section; section = sectionAt(c)) {
    const header = c.next();
    if (REQUEST_SECTIONS.includes(section))
      throw c.error(header, indent(header), `[${section}] belongs to the request, before the response line`);
    if (!RESPONSE_SECTIONS.includes(section)) throw unknownSection(c, header, section);
    for (
      let l = c.peek();
      l && !c.isBlank(l) && !/^\[[A-Za-z]+\]\s*$/.test(l.text.trim()) && !METHODS.test(l.text.trim());
      l = c.peek()
    ) {
      c.next();
      if (section === 'Captures') response.captures.push(parseCapture(l, c.file));
      else response.asserts.push(parseAssert(l, c.file));
    }
  }
  return response;
}

// ---- assertion and capture lines ----

class Tokens {
  pos = 0;
  constructor(
    readonly text: string,
    readonly line: Line,
    readonly file: string,
  ) {}
  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }
  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length || this.text[this.pos] === '#';
  }
  column(): number {
    return indent(this.line) + this.pos;
  }
  error(problem: string): SpecError {
    return SpecError.at(this.file, this.line.n, this.column(), problem);
  }
  word(): string | undefined {
    this.skipSpace();
    const m = /^(===|!==|==|!=|>=|<=|>|<|[A-Za-z][\w-]*)/.exec(this.text.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }
  peekWord(): string | undefined {
    const save = this.pos;
    const w = this.word();
    this.pos = save;
    return w;
  }
  string(what: string): string {
    this.skipSpace();
    if (this.text[this.pos] !== '"') throw this.error(`${what} needs a "quoted string"`);
    const m = /^"((?:[^"\\]|\\.)*)"/.exec(this.text.slice(this.pos));
    if (!m) throw this.error('string is not closed with "');
    this.pos += m[0].length;
    return unescape(m[1]!, this);
  }
  regex(): RegExp | undefined {
    this.skipSpace();
    const start = this.pos;
    let pattern: string;
    if (this.text[this.pos] === '/') {
      const m = /^\/((?:[^/\\]|\\.)+)\//.exec(this.text.slice(this.pos));
      if (!m) throw this.error('regex is not closed with /');
      this.pos += m[0].length;
      pattern = m[1]!;
    } else if (this.text[this.pos] === '"') {
      pattern = this.string('regex');
    } else {
      return undefined;
    }
    const end = this.pos;
    this.pos = start; // errors point at the start of the pattern
    const regex = compile(pattern, this);
    this.pos = end;
    return regex;
  }
  integer(what: string): number {
    this.skipSpace();
    const m = /^-?\d+/.exec(this.text.slice(this.pos));
    if (!m) throw this.error(`${what} needs a whole number`);
    this.pos += m[0].length;
    return Number(m[0]);
  }
  value(): Value {
    this.skipSpace();
    const rest = this.text.slice(this.pos);
    if (rest.startsWith('"')) return { kind: 'string', template: this.string('value') };
    if (rest.startsWith('/')) return { kind: 'regex', pattern: this.regex()! };
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rest);
    if (num) {
      this.pos += num[0].length;
      return { kind: 'number', value: Number(num[0]) };
    }
    const w = /^(true|false|null)\b/.exec(rest);
    if (w) {
      this.pos += w[0].length;
      return w[1] === 'null' ? { kind: 'null' } : { kind: 'boolean', value: w[1] === 'true' };
    }
    if (rest.startsWith('{{')) {
      const t = /^\{\{[^}]+\}\}/.exec(rest);
      if (t) {
        this.pos += t[0].length;
        return { kind: 'string', template: t[0] };
      }
    }
    throw this.error(
      `expected a value ("string", number, true, false, null or /regex/), got '${rest.split(/\s/)[0] ?? ''}'`,
    );
  }
}

function unescape(s: string, t: Tokens): string {
  return s.replace(/\\(u\{[0-9a-fA-F]+\}|.)/g, (_m, e: string) => {
    if (e.startsWith('u{')) return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
    const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', b: '\b', f: '\f', '#': '#' };
    if (!(e in map)) throw t.error(`unknown escape \\${e}`);
    return map[e]!;
  });
}

function compile(pattern: string, t: Tokens): RegExp {
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw t.error(`invalid regex /${pattern}/: ${(error as Error).message}`);
  }
}

function parseQuery(t: Tokens): Query {
  const start = t.pos;
  const w = t.word();
  switch (w) {
    case 'status':
    case 'version':
    case 'url':
    case 'body':
    case 'bytes':
    case 'duration':
      return { kind: w };
    case 'header':
      return { kind: 'header', name: t.string('header') };
    case 'jsonpath': {
      const expr = t.string('jsonpath');
      if (!expr.startsWith('$')) throw t.error(`jsonpath must start with $, got '${expr}'`);
      return { kind: 'jsonpath', expr };
    }
    case 'certificate': {
      const field = t.string('certificate');
      if (!(CERT_FIELDS as readonly string[]).includes(field))
        throw t.error(`certificate field '${field}' is not one of ${CERT_FIELDS.join(', ')}`);
      return { kind: 'certificate', field: field as (typeof CERT_FIELDS)[number] };
    }
    case 'regex': {
      const pattern = t.regex();
      if (!pattern) throw t.error('regex needs a "pattern" or /pattern/');
      return { kind: 'regex', pattern };
    }
    case 'variable':
      return { kind: 'variable', name: t.string('variable') };
    default:
      t.pos = start;
      t.skipSpace();
      throw t.error(`unknown query '${w ?? t.text.slice(t.pos).split(/\s/)[0]}'; ${SUPPORTED}`);
  }
}

function parseFilters(t: Tokens): Filter[] {
  const filters: Filter[] = [];
  for (;;) {
    const save = t.pos;
    const w = t.word();
    switch (w) {
      case 'count':
        filters.push({ kind: 'count' });
        break;
      case 'nth':
        filters.push({ kind: 'nth', index: t.integer('nth') });
        break;
      case 'toInt':
      case 'toFloat':
      case 'daysAfterNow':
      case 'daysBeforeNow':
        filters.push({ kind: w });
        break;
      case 'regex': {
        const pattern = t.regex();
        if (!pattern) throw t.error('regex filter needs a "pattern" or /pattern/');
        filters.push({ kind: 'regex', pattern });
        break;
      }
      default:
        t.pos = save;
        return filters;
    }
  }
}

function parsePredicate(t: Tokens): Predicate {
  let not = false;
  t.skipSpace();
  let start = t.pos;
  let w = t.word();
  if (w === 'not') {
    not = true;
    t.skipSpace();
    start = t.pos;
    w = t.word();
  }
  if (w && (UNARY_OPS as string[]).includes(w)) return { not, op: w as PredicateOp };
  if (w && (BINARY_OPS as string[]).includes(w)) {
    const op = w as PredicateOp;
    const value = t.value();
    if (op === 'matches' && value.kind !== 'regex' && value.kind !== 'string')
      throw t.error('matches needs a "pattern" or /pattern/');
    if (op === 'matches' && value.kind === 'string')
      return { not, op, value: { kind: 'regex', pattern: compile(value.template, t) } };
    return { not, op, value };
  }
  t.pos = start;
  throw t.error(
    `unknown predicate '${w ?? t.text.slice(t.pos).trim()}'; supported: ${[...BINARY_OPS, ...UNARY_OPS].join(', ')} (optionally after not)`,
  );
}

export function parseAssert(line: Line, file: string): Assert {
  const source = line.text.trim();
  const t = new Tokens(source, { n: line.n, text: line.text }, file);
  const query = parseQuery(t);
  const filters = parseFilters(t);
  if (t.atEnd()) throw t.error('missing predicate (e.g. == "value", exists, contains "text")');
  const predicate = parsePredicate(t);
  if (!t.atEnd()) throw t.error(`unexpected '${t.text.slice(t.pos).trim()}' after the predicate`);
  return { line: line.n, source, query, filters, predicate };
}

function parseCapture(line: Line, file: string): Capture {
  const source = line.text.trim();
  const m = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(source);
  if (!m) throw SpecError.at(file, line.n, indent(line), `expected 'name: query', got '${source}'`);
  const t = new Tokens(m[2]!, { n: line.n, text: ' '.repeat(indent(line) - 1 + source.indexOf(m[2]!)) + m[2]! }, file);
  const query = parseQuery(t);
  const filters = parseFilters(t);
  let redact = false;
  if (t.peekWord() === 'redact') {
    t.word();
    redact = true;
  }
  if (!t.atEnd()) throw t.error(`unexpected '${t.text.slice(t.pos).trim()}' in capture`);
  return { line: line.n, source, name: m[1]!, query, filters, redact };
}
