import { JSONPath } from 'jsonpath-plus';
import type { Assert, Capture, Filter, Predicate, Query, Value } from './ast';
import { renderTemplate } from './template';

/** The parts of an HTTP response the queries read (core's HttpResponse has them all). */
export interface ResponseLike {
  url: string;
  status: number;
  headers: Record<string, string>;
  rawHeaders: Array<[string, string]>;
  body: Buffer;
  durationMs: number;
  certificate?: { subject: string; issuer: string; validFrom: Date; validTo: Date };
}

export interface AssertResult {
  line: number;
  source: string;
  ok: boolean;
  expected: string;
  actual: string;
  message?: string;
}

type Vars = Readonly<Record<string, unknown>>;

/** A query or filter that could not produce a value: the assertion fails with this message. */
class EvalError extends Error {}

const DAY = 86_400_000;

export function evaluateQuery(query: Query, response: ResponseLike, vars: Vars, where: string): unknown {
  switch (query.kind) {
    case 'status':
      return response.status;
    case 'version':
      return '1.1';
    case 'url':
      return response.url;
    case 'duration':
      return Math.round(response.durationMs);
    case 'body':
      return response.body.toString('utf8');
    case 'bytes':
      return response.body;
    case 'header': {
      const name = renderTemplate(query.name, vars, where).toLowerCase();
      const values = response.rawHeaders.filter(([k]) => k.toLowerCase() === name).map(([, v]) => v);
      return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
    }
    case 'jsonpath': {
      let json: unknown;
      try {
        json = JSON.parse(response.body.toString('utf8'));
      } catch {
        throw new EvalError(
          `response body is not JSON (${response.body.length} bytes, content-type ${response.headers['content-type'] ?? 'none'})`,
        );
      }
      const path = renderTemplate(query.expr, vars, where);
      const found = JSONPath({ path, json: json as object, wrap: true }) as unknown[];
      return definitePath(path) ? found[0] : found;
    }
    case 'certificate': {
      const cert = response.certificate;
      if (!cert) throw new EvalError('no TLS certificate (not an https response)');
      return query.field === 'Subject'
        ? cert.subject
        : query.field === 'Issuer'
          ? cert.issuer
          : query.field === 'Start-Date'
            ? cert.validFrom
            : cert.validTo;
    }
    case 'regex': {
      const m = query.pattern.exec(response.body.toString('utf8'));
      return m ? (m[1] ?? m[0]) : undefined;
    }
    case 'variable':
      return vars[query.name];
  }
}

/** A path naming one node (no wildcards, filters, slices, unions or recursion) yields a value, not a list. */
function definitePath(path: string): boolean {
  return !/\*|\.\.|\?\(|\[[^\]]*[:,][^\]]*\]/.test(path);
}

export function applyFilters(value: unknown, filters: readonly Filter[], now: number): unknown {
  let v = value;
  for (const f of filters) {
    if (v === undefined) throw new EvalError(`nothing to apply ${f.kind} to`);
    switch (f.kind) {
      case 'count':
        if (Array.isArray(v) || Buffer.isBuffer(v) || typeof v === 'string') v = v.length;
        else if (v && typeof v === 'object') v = Object.keys(v).length;
        else throw new EvalError(`count needs a list, got ${show(v)}`);
        break;
      case 'nth':
        if (!Array.isArray(v)) throw new EvalError(`nth needs a list, got ${show(v)}`);
        v = v.at(f.index);
        break;
      case 'regex': {
        const m = f.pattern.exec(String(v));
        v = m ? (m[1] ?? m[0]) : undefined;
        break;
      }
      case 'toInt': {
        const n = Number.parseInt(String(v), 10);
        if (Number.isNaN(n)) throw new EvalError(`toInt: ${show(v)} is not a number`);
        v = n;
        break;
      }
      case 'toFloat': {
        const n = Number.parseFloat(String(v));
        if (Number.isNaN(n)) throw new EvalError(`toFloat: ${show(v)} is not a number`);
        v = n;
        break;
      }
      case 'daysAfterNow':
      case 'daysBeforeNow': {
        const date = v instanceof Date ? v : new Date(String(v));
        if (Number.isNaN(date.getTime())) throw new EvalError(`${f.kind}: ${show(v)} is not a date`);
        const days = Math.floor((date.getTime() - now) / DAY);
        v = f.kind === 'daysAfterNow' ? days : -days;
        break;
      }
    }
  }
  return v;
}

function literal(value: Value, vars: Vars, where: string): unknown {
  switch (value.kind) {
    case 'string':
      return renderTemplate(value.template, vars, where);
    case 'number':
    case 'boolean':
      return value.value;
    case 'null':
      return null;
    case 'regex':
      return value.pattern;
  }
}

/** Shows a value the way it would be written in the spec. */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v instanceof RegExp) return `/${v.source}/`;
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return `${v.length} bytes`;
  const text = JSON.stringify(v);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

function equal(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return JSON.stringify(a) === JSON.stringify(b);
}

function testPredicate(p: Predicate, actual: unknown, expected: unknown): boolean {
  switch (p.op) {
    case '==':
      return equal(actual, expected);
    case '!=':
      return !equal(actual, expected);
    case '>':
    case '>=':
    case '<':
    case '<=': {
      const [a, b] = [actual instanceof Date ? actual.getTime() : actual, expected];
      if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return false;
      const x = a as number | string;
      const y = b as number | string;
      return p.op === '>' ? x > y : p.op === '>=' ? x >= y : p.op === '<' ? x < y : x <= y;
    }
    case 'contains':
      if (typeof actual === 'string') return typeof expected === 'string' && actual.includes(expected);
      if (Array.isArray(actual)) return actual.some((item) => equal(item, expected));
      if (Buffer.isBuffer(actual)) return typeof expected === 'string' && actual.includes(expected);
      return false;
    case 'startsWith':
      return typeof actual === 'string' && typeof expected === 'string' && actual.startsWith(expected);
    case 'endsWith':
      return typeof actual === 'string' && typeof expected === 'string' && actual.endsWith(expected);
    case 'matches':
      return typeof actual === 'string' && expected instanceof RegExp && expected.test(actual);
    case 'exists':
      return actual !== undefined && !(Array.isArray(actual) && actual.length === 0);
    case 'isInteger':
      return Number.isInteger(actual);
    case 'isFloat':
      return typeof actual === 'number' && !Number.isInteger(actual);
    case 'isNumber':
      return typeof actual === 'number';
    case 'isString':
      return typeof actual === 'string';
    case 'isBoolean':
      return typeof actual === 'boolean';
    case 'isCollection':
      return Array.isArray(actual) || (!!actual && typeof actual === 'object' && !(actual instanceof Date));
    case 'isEmpty':
      if (typeof actual === 'string' || Array.isArray(actual) || Buffer.isBuffer(actual)) return actual.length === 0;
      return !!actual && typeof actual === 'object' && Object.keys(actual).length === 0;
    case 'isDate':
      return (
        actual instanceof Date ||
        (typeof actual === 'string' && !Number.isNaN(Date.parse(actual)) && /\d{4}-\d{2}-\d{2}/.test(actual))
      );
  }
}

function describeExpected(p: Predicate, expected: unknown): string {
  const base = p.value === undefined ? p.op : p.op === '==' ? show(expected) : `${p.op} ${show(expected)}`;
  return p.not ? `not ${base}` : base;
}

export function evaluateAssert(a: Assert, response: ResponseLike, vars: Vars, now: number, file: string): AssertResult {
  const where = `${file}:${a.line}`;
  let expected: unknown;
  try {
    expected = a.predicate.value ? literal(a.predicate.value, vars, where) : undefined;
  } catch (error) {
    return { line: a.line, source: a.source, ok: false, expected: '?', actual: '?', message: (error as Error).message };
  }
  const expectedText = describeExpected(a.predicate, expected);
  let actual: unknown;
  try {
    actual = applyFilters(evaluateQuery(a.query, response, vars, where), a.filters, now);
  } catch (error) {
    if (!(error instanceof EvalError)) throw error;
    // A value that does not exist fails every predicate but `not exists`.
    const ok = a.predicate.op === 'exists' && a.predicate.not;
    return {
      line: a.line,
      source: a.source,
      ok,
      expected: expectedText,
      actual: 'nothing',
      message: ok ? undefined : `${error.message}`,
    };
  }
  const ok = testPredicate(a.predicate, actual, expected) !== a.predicate.not;
  return { line: a.line, source: a.source, ok, expected: expectedText, actual: show(actual) };
}

/** The implicit asserts of a response section: the status line and the listed headers. */
export function implicitAsserts(
  response: { line: number; status?: number; headers: ReadonlyArray<{ line: number; name: string; value: string }> },
  actual: ResponseLike,
  vars: Vars,
  file: string,
): AssertResult[] {
  const out: AssertResult[] = [];
  if (response.status !== undefined) {
    out.push({
      line: response.line,
      source: `HTTP ${response.status}`,
      ok: actual.status === response.status,
      expected: String(response.status),
      actual: String(actual.status),
    });
  }
  for (const h of response.headers) {
    const where = `${file}:${h.line}`;
    const name = renderTemplate(h.name, vars, where);
    const value = renderTemplate(h.value, vars, where);
    const values = actual.rawHeaders.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
    out.push({
      line: h.line,
      source: `${name}: ${value}`,
      ok: values.includes(value),
      expected: show(value),
      actual: values.length ? show(values.length === 1 ? values[0] : values) : 'no such header',
    });
  }
  return out;
}

export function evaluateCapture(
  c: Capture,
  response: ResponseLike,
  vars: Vars,
  now: number,
  file: string,
): { name: string; value: unknown; redact: boolean } {
  let value: unknown;
  try {
    value = applyFilters(evaluateQuery(c.query, response, vars, `${file}:${c.line}`), c.filters, now);
  } catch (error) {
    if (!(error instanceof EvalError)) throw error;
    throw new Error(`capture '${c.name}' (${file}:${c.line}): ${error.message}`, { cause: error });
  }
  if (value === undefined) throw new Error(`capture '${c.name}' (${file}:${c.line}): ${c.source} matched nothing`);
  return { name: c.name, value, redact: c.redact };
}
