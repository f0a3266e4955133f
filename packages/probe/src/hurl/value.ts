/**
 * Hurl's value types in JavaScript: an integer is a bigint and a float a number, so `1` and `1.0`
 * stay apart as they do in Hurl; a list is an array, an object a plain object, bytes a Buffer, a
 * date a Date. `undefined` is Hurl's "no value" (a query that matched nothing).
 */
export type HurlValue =
  | null
  | boolean
  | bigint
  | number
  | string
  | Buffer
  | Date
  | RegExp
  | Nodeset
  | Redirect
  | HurlValue[]
  | { [key: string]: HurlValue };

/** An XPath node-set: Hurl compares and counts it by its size. */
export class Nodeset {
  constructor(readonly size: number) {}
}

/** One hop of a followed redirect (the `redirects` query). */
export class Redirect {
  constructor(
    readonly status: number,
    readonly location: string,
  ) {}
}

export function isObject(v: unknown): v is { [key: string]: HurlValue } {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !Buffer.isBuffer(v) &&
    !(v instanceof Date) &&
    !(v instanceof RegExp) &&
    !(v instanceof Nodeset) &&
    !(v instanceof Redirect)
  );
}

export function kindOf(v: HurlValue | undefined): string {
  if (v === undefined) return 'none';
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'string';
  if (Buffer.isBuffer(v)) return 'bytes';
  if (v instanceof Date) return 'date';
  if (v instanceof RegExp) return 'regex';
  if (v instanceof Nodeset) return 'nodeset';
  if (v instanceof Redirect) return 'redirect';
  if (Array.isArray(v)) return 'list';
  return 'object';
}

export function formatFloat(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const text = String(n);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/** A value as it reads in a report: strings quoted, floats with a decimal point, bytes in hex. */
export function display(v: HurlValue | undefined): string {
  if (v === undefined) return 'none';
  if (v === null) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return formatFloat(v);
  if (typeof v === 'string' || typeof v === 'boolean') return clip(JSON.stringify(v));
  if (Buffer.isBuffer(v)) return `bytes <${clip(v.toString('hex'))}> (${v.length} bytes)`;
  if (v instanceof Date) return `date ${v.toISOString()}`;
  if (v instanceof RegExp) return `/${v.source}/`;
  if (v instanceof Nodeset) return `nodeset of size ${v.size}`;
  if (v instanceof Redirect) return `redirect ${v.status} to ${v.location}`;
  return clip(JSON.stringify(toJson(v)));
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** Plain JSON for encoding (integers beyond 2^53 lose precision only in this display form). */
export function toJson(v: HurlValue | undefined): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(toJson);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Nodeset) return v.size;
  if (v instanceof Redirect) return v.location;
  if (v instanceof RegExp) return v.source;
  return v;
}

/** A value put into a `{{placeholder}}`. Lists, objects and bytes have no text form in Hurl. */
export function renderValue(v: HurlValue | undefined, name: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return String(v);
  if (v === null) return 'null';
  if (v instanceof Date) return v.toISOString();
  throw new Error(`variable '${name}' is ${kindOf(v)} and cannot be rendered as text`);
}

/** Types a `name=value` variable as Hurl does: booleans, null, integers and floats, else a string. */
export function typedVariable(text: string): HurlValue {
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null') return null;
  if (/^-?\d+$/.test(text)) return BigInt(text);
  if (/^-?\d+\.\d+$/.test(text)) return Number(text);
  return text;
}

/** Numbers compare by value whatever their type (Hurl: 1 == 1.0). */
export function compareNumbers(a: bigint | number, b: bigint | number): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isNumber(v: unknown): v is bigint | number {
  return typeof v === 'bigint' || typeof v === 'number';
}

export function valuesEqual(a: HurlValue | undefined, b: HurlValue | undefined): boolean {
  if (isNumber(a) && isNumber(b)) return compareNumbers(a, b) === 0;
  if (a === null || b === null) return a === b;
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && valuesEqual(a[k], b[k]));
  }
  return false;
}

/**
 * JSON text to Hurl values, keeping integers and floats apart (JSON.parse cannot: `1.0` becomes
 * `1`). Objects are created without a prototype chain to reach, so `__proto__` is a plain key.
 */
export function parseJsonTyped(text: string): HurlValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${i}`);
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const value = (): HurlValue => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      const obj: { [key: string]: HurlValue } = Object.create(null) as { [key: string]: HurlValue };
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a string key');
        const key = string();
        ws();
        if (text[i++] !== ':') fail("expected ':'");
        Object.defineProperty(obj, key, { value: value(), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i++] !== '}') fail("expected ',' or '}'");
        return obj;
      }
    }
    if (ch === '[') {
      i++;
      const list: HurlValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return list;
      }
      for (;;) {
        list.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i++] !== ']') fail("expected ',' or ']'");
        return list;
      }
    }
    if (ch === '"') return string();
    if (text.startsWith('true', i)) return ((i += 4), true);
    if (text.startsWith('false', i)) return ((i += 5), false);
    if (text.startsWith('null', i)) return ((i += 4), null);
    const m = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    m.lastIndex = i;
    const num = m.exec(text);
    if (!num) return fail('unexpected character');
    i += num[0].length;
    return num[1] || num[2] ? Number(num[0]) : BigInt(num[0]);
  };
  const string = (): string => {
    const start = i;
    i++;
    for (; i < text.length; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === '"') {
        i++;
        return JSON.parse(text.slice(start, i)) as string;
      }
    }
    return fail('unterminated string');
  };
  const result = value();
  ws();
  if (i < text.length) fail('unexpected text after the JSON value');
  return result;
}

/** JavaScript JSON (from a JSONPath library) back to Hurl values, by the node's location. */
export function atLocation(root: HurlValue, location: ReadonlyArray<string | number>): HurlValue {
  let v: HurlValue = root;
  for (const key of location) {
    v = (typeof key === 'number' ? (v as HurlValue[])[key] : (v as { [key: string]: HurlValue })[key])!;
  }
  return v;
}
