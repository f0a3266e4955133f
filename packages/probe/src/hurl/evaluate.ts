import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { DOMImplementation, DOMParser, type Document as XmlDocument, type Node as XmlNode } from '@xmldom/xmldom';
import { jsonpath, JSONPathError, type JSONValue } from 'json-p3';
import { parse as parseHtml } from 'parse5';
import { Cookie } from 'tough-cookie';
import * as xpath from 'xpath';
import type { Assert, Body, Capture, Filter, Literal, Predicate, Query, Response, Template } from './ast';
import { compileRegex } from './parse';
import { placeholderValue, render, renderJson, type Variables } from './template';
import {
  atLocation,
  compareNumbers,
  display,
  type HurlValue,
  isNumber,
  isObject,
  kindOf,
  Nodeset,
  parseJsonTyped,
  Redirect,
  valuesEqual,
} from './value';
import { formatDate, parseDate } from './dates';

/** The parts of an HTTP response the queries read. */
export interface ResponseLike {
  url: string;
  status: number;
  headers: Record<string, string>;
  rawHeaders: Array<[string, string]>;
  body: Buffer;
  durationMs: number;
  httpVersion?: string;
  remoteAddress?: string;
  certificate?: { subject: string; issuer: string; validFrom: Date; validTo: Date; serialNumber?: string };
  /** The redirects followed to reach this response, in order. */
  redirects?: Redirect[];
}

export interface AssertResult {
  line: number;
  source: string;
  ok: boolean;
  expected: string;
  actual: string;
  message?: string;
}

/** What queries and predicates need besides the response: variables, the spec's file and folder. */
export interface EvalContext {
  vars: Variables;
  file: string;
  /** Reads `file,path;` literals (inside the workspace only). */
  readFile?: (path: string) => Buffer;
  now: number;
}

/** A query or filter that could not produce a value: the assertion fails with this message. */
export class EvalError extends Error {}

const DAY = 86_400_000;

/** Parsed forms of one response body, built once however many queries read it. */
export class BodyCache {
  private text?: string;
  private json?: { plain: unknown; typed: HurlValue };
  private doc?: XmlDocument;
  private decoded?: Buffer;
  constructor(readonly response: ResponseLike) {}

  bytes(): Buffer {
    if (this.decoded) return this.decoded;
    const encoding = (this.response.headers['content-encoding'] ?? '').toLowerCase().trim();
    const raw = this.response.body;
    try {
      this.decoded =
        encoding === 'gzip' || encoding === 'x-gzip'
          ? gunzipSync(raw)
          : encoding === 'deflate'
            ? inflateSync(raw)
            : encoding === 'br'
              ? brotliDecompressSync(raw)
              : raw;
    } catch (error) {
      throw new EvalError(`cannot decode the ${encoding} body: ${(error as Error).message}`);
    }
    return this.decoded;
  }

  string(): string {
    if (this.text !== undefined) return this.text;
    const charset = /charset=["']?([\w-]+)/i.exec(this.response.headers['content-type'] ?? '')?.[1] ?? 'utf-8';
    try {
      this.text = new TextDecoder(charset, { fatal: true }).decode(this.bytes());
    } catch {
      throw new EvalError(`the body is not valid ${charset} text`);
    }
    return this.text;
  }

  jsonValue(): { plain: unknown; typed: HurlValue } {
    if (this.json) return this.json;
    const text = this.string();
    try {
      this.json = { plain: JSON.parse(text), typed: parseJsonTyped(text) };
    } catch {
      throw new EvalError(
        `the body is not JSON (${this.bytes().length} bytes, content-type ${this.response.headers['content-type'] ?? 'none'})`,
      );
    }
    return this.json;
  }

  document(): XmlDocument {
    if (this.doc) return this.doc;
    const html = /html/i.test(this.response.headers['content-type'] ?? '');
    this.doc = parseMarkup(this.string(), html);
    return this.doc;
  }
}

function parseMarkup(text: string, html: boolean): XmlDocument {
  if (html) return htmlDocument(text);
  try {
    return new DOMParser({ onError: () => undefined }).parseFromString(text, 'text/xml');
  } catch (error) {
    throw new EvalError(`the body is not XML: ${(error as Error).message.split('\n')[0]}`);
  }
}

interface Parse5Node {
  nodeName: string;
  tagName?: string;
  value?: string;
  data?: string;
  attrs?: Array<{ name: string; value: string }>;
  childNodes?: Parse5Node[];
  content?: Parse5Node;
}

/** HTML as browsers (and Hurl's libxml2 HTML parser) read it: no namespaces, so //h1 matches. */
function htmlDocument(text: string): XmlDocument {
  const doc = new DOMImplementation().createDocument(null, '', null);
  const copy = (from: Parse5Node, to: XmlNode): void => {
    for (const child of from.childNodes ?? []) {
      if (child.nodeName === '#documentType') continue;
      let node: XmlNode;
      if (child.nodeName === '#text') node = doc.createTextNode(child.value ?? '');
      else if (child.nodeName === '#comment') node = doc.createComment(child.data ?? '');
      else {
        const element = doc.createElement(child.tagName ?? child.nodeName);
        for (const a of child.attrs ?? []) {
          try {
            element.setAttribute(a.name, a.value);
          } catch {
            // An attribute name XML cannot hold (HTML allows more) is left out.
          }
        }
        copy(child.content ?? child, element);
        node = element;
      }
      to.appendChild(node);
    }
  };
  copy(parseHtml(text) as unknown as Parse5Node, doc);
  return doc;
}

/** The prefixes the document declares on its root; `_` names its default namespace (as in Hurl). */
function namespacesOf(doc: XmlDocument): Record<string, string> {
  const root = doc.documentElement;
  const out: Record<string, string> = {};
  for (const attr of Array.from(root?.attributes ?? [])) {
    if (attr.name === 'xmlns') out._ = attr.value;
    else if (attr.name.startsWith('xmlns:')) out[attr.name.slice(6)] = attr.value;
  }
  return out;
}

function evalXpath(doc: XmlDocument, expr: string): HurlValue | undefined {
  let result: xpath.SelectReturnType;
  try {
    const namespaces = namespacesOf(doc);
    const select = Object.keys(namespaces).length ? xpath.useNamespaces(namespaces) : xpath.select;
    result = select(expr, doc as unknown as Node);
  } catch (error) {
    throw new EvalError(`invalid XPath expression '${expr}': ${(error as Error).message}`);
  }
  if (Array.isArray(result)) return new Nodeset(result.length);
  if (typeof result === 'number') return result;
  if (typeof result === 'string' || typeof result === 'boolean') return result;
  return new Nodeset(result ? 1 : 0);
}

/**
 * JSONPath with RFC 9535 semantics (json-p3), applied as Hurl applies it: no node is no value, one
 * node is that node's value (also for filters and `..`), several nodes are a list.
 */
function evalJsonpath(json: { plain: unknown; typed: HurlValue }, expr: string): HurlValue | undefined {
  let nodes;
  try {
    nodes = jsonpath.query(expr, json.plain as JSONValue).nodes;
  } catch (error) {
    if (error instanceof JSONPathError) throw new EvalError(`invalid JSONPath expression '${expr}': ${error.message}`);
    throw error;
  }
  const values = nodes.map((n) => atLocation(json.typed, n.location));
  if (values.length === 0) return undefined;
  return values.length === 1 ? values[0] : values;
}

function jsonOfValue(v: HurlValue): { plain: unknown; typed: HurlValue } {
  if (typeof v !== 'string') throw new EvalError(`jsonpath filter needs a string, got ${kindOf(v)}`);
  try {
    return { plain: JSON.parse(v), typed: parseJsonTyped(v) };
  } catch {
    throw new EvalError('jsonpath filter: the value is not JSON');
  }
}

function headerValues(response: ResponseLike, name: string): string[] {
  const lower = name.toLowerCase();
  return response.rawHeaders.filter(([k]) => k.toLowerCase() === lower).map(([, v]) => v);
}

export function evaluateQuery(query: Query, cache: BodyCache, ctx: EvalContext): HurlValue | undefined {
  const response = cache.response;
  const text = (t: Template) => render(t, ctx.vars, ctx.file);
  switch (query.kind) {
    case 'status':
      return BigInt(response.status);
    case 'version':
      return httpVersionOf(response);
    case 'url':
      return response.url;
    case 'ip':
      if (!response.remoteAddress) throw new EvalError('the peer address is not known');
      return response.remoteAddress;
    case 'duration':
      return BigInt(Math.round(response.durationMs));
    case 'body':
      return cache.string();
    case 'bytes':
      return cache.bytes();
    case 'sha256':
    case 'md5':
      return createHash(query.kind).update(cache.bytes()).digest();
    case 'redirects':
      return response.redirects ?? [];
    case 'header': {
      const values = headerValues(response, text(query.name));
      return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
    }
    case 'cookie':
      return cookieQuery(response, text(query.name), query.attribute ?? 'Value');
    case 'jsonpath':
      return evalJsonpath(cache.jsonValue(), text(query.expr));
    case 'xpath':
      return evalXpath(cache.document(), text(query.expr));
    case 'certificate': {
      const cert = response.certificate;
      if (!cert) return undefined;
      switch (query.field) {
        case 'Subject':
          return cert.subject;
        case 'Issuer':
          return cert.issuer;
        case 'Start-Date':
          return cert.validFrom;
        case 'Expire-Date':
          return cert.validTo;
        case 'Serial-Number':
          return cert.serialNumber;
      }
      break;
    }
    case 'regex':
      return regexFirstGroup(regexOf(query.pattern, ctx), cache.string());
    case 'variable': {
      const name = text(query.name);
      return Object.prototype.hasOwnProperty.call(ctx.vars, name) ? ctx.vars[name] : undefined;
    }
  }
  return undefined;
}

/** Hurl reports HTTP versions as 1.0, 1.1, 2 and 3. */
function httpVersionOf(response: ResponseLike): string {
  const v = response.httpVersion ?? '1.1';
  return v === '2.0' ? '2' : v === '3.0' ? '3' : v;
}

function cookieQuery(response: ResponseLike, name: string, attribute: string): HurlValue | undefined {
  for (const header of headerValues(response, 'set-cookie')) {
    const cookie = Cookie.parse(header);
    if (!cookie || cookie.key !== name) continue;
    switch (attribute) {
      case 'Value':
        return cookie.value;
      case 'Expires':
        return cookie.expires instanceof Date ? cookie.expires : undefined;
      case 'Max-Age':
        return typeof cookie.maxAge === 'number' ? BigInt(cookie.maxAge) : undefined;
      case 'Domain':
        return cookie.domain ?? undefined;
      case 'Path':
        return cookie.path ?? undefined;
      case 'Secure':
        return cookie.secure ? new Nodeset(1) : undefined;
      case 'HttpOnly':
        return cookie.httpOnly ? new Nodeset(1) : undefined;
      case 'SameSite':
        return cookie.sameSite && cookie.sameSite !== 'none'
          ? capitalize(cookie.sameSite)
          : /samesite=none/i.test(header)
            ? 'None'
            : undefined;
    }
  }
  return undefined;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function regexOf(pattern: RegExp | Template, ctx: EvalContext): RegExp {
  if (pattern instanceof RegExp) return pattern;
  try {
    return compileRegex(render(pattern, ctx.vars, ctx.file), undefined, 0);
  } catch (error) {
    throw new EvalError((error as Error).message);
  }
}

function regexFirstGroup(re: RegExp, text: string): HurlValue | undefined {
  const m = new RegExp(re.source, re.flags.replace('g', '')).exec(text);
  if (!m) return undefined;
  // As Hurl: the first capture group, and no value when the pattern has none.
  return m[1];
}

function needs(filter: string, kinds: string, v: HurlValue): never {
  throw new EvalError(`filter ${filter} needs ${kinds}, got ${kindOf(v)} ${display(v)}`);
}

export function applyFilters(
  value: HurlValue | undefined,
  filters: readonly Filter[],
  ctx: EvalContext,
): HurlValue | undefined {
  let v = value;
  for (const f of filters) {
    if (v === undefined) throw new EvalError(`filter ${f.kind}: the query matched nothing`);
    v = applyFilter(v, f, ctx);
  }
  return v;
}

function applyFilter(v: HurlValue, f: Filter, ctx: EvalContext): HurlValue | undefined {
  const text = (t: Template) => render(t, ctx.vars, ctx.file);
  switch (f.kind) {
    case 'count':
      if (Array.isArray(v) || Buffer.isBuffer(v)) return BigInt(v.length);
      if (v instanceof Nodeset) return BigInt(v.size);
      return needs('count', 'a list, a node-set or bytes', v);
    case 'nth': {
      if (!Array.isArray(v)) return needs('nth', 'a list', v);
      const i = Number(f.index);
      const item = v.at(i);
      if (i >= v.length || i < -v.length) throw new EvalError(`filter nth ${i}: out of bounds (list of ${v.length})`);
      return item;
    }
    case 'first':
    case 'last':
      if (!Array.isArray(v)) return needs(f.kind, 'a list', v);
      if (!v.length) throw new EvalError(`filter ${f.kind}: the list is empty`);
      return f.kind === 'first' ? v[0] : v[v.length - 1];
    case 'regex':
      if (typeof v !== 'string') return needs('regex', 'a string', v);
      return regexFirstGroup(regexOf(f.pattern, ctx), v);
    case 'toInt':
      if (typeof v === 'bigint') return v;
      if (typeof v === 'number') return BigInt(Math.trunc(v));
      if (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim() === v ? v : '')) return BigInt(v);
      return needs('toInt', 'an integer, a float or a string holding an integer', v);
    case 'toFloat':
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) return Number(v);
      return needs('toFloat', 'a number or a string holding one', v);
    case 'toString':
      if (typeof v === 'string') return v;
      if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
      if (typeof v === 'number') return String(v);
      if (v === null) return 'null';
      if (v instanceof Date) return v.toISOString();
      return needs('toString', 'a string, number, boolean, null or date', v);
    case 'toDate': {
      if (typeof v !== 'string') return needs('toDate', 'a string', v);
      const date = parseDate(v, text(f.arg));
      if (!date) throw new EvalError(`filter toDate: ${display(v)} does not match the format "${text(f.arg)}"`);
      return date;
    }
    case 'format':
      if (!(v instanceof Date)) return needs('format', 'a date', v);
      return formatDate(v, text(f.arg));
    case 'daysAfterNow':
    case 'daysBeforeNow': {
      if (!(v instanceof Date)) return needs(f.kind, 'a date', v);
      const days = Math.floor((v.getTime() - ctx.now) / DAY);
      return BigInt(f.kind === 'daysAfterNow' ? days : -days);
    }
    case 'base64Decode':
    case 'base64UrlSafeDecode': {
      if (typeof v !== 'string') return needs(f.kind, 'a string', v);
      const re = f.kind === 'base64Decode' ? /^[A-Za-z0-9+/]*={0,2}$/ : /^[A-Za-z0-9_-]*={0,2}$/;
      if (!re.test(v)) throw new EvalError(`filter ${f.kind}: ${display(v)} is not valid base64`);
      return Buffer.from(v, f.kind === 'base64Decode' ? 'base64' : 'base64url');
    }
    case 'base64Encode':
    case 'base64UrlSafeEncode':
      if (!Buffer.isBuffer(v)) return needs(f.kind, 'bytes', v);
      return f.kind === 'base64Encode' ? v.toString('base64') : v.toString('base64url');
    case 'toHex':
      if (!Buffer.isBuffer(v)) return needs('toHex', 'bytes', v);
      return v.toString('hex');
    case 'decode': {
      if (!Buffer.isBuffer(v)) return needs('decode', 'bytes', v);
      const encoding = text(f.arg);
      try {
        return new TextDecoder(encoding, { fatal: true }).decode(v);
      } catch {
        throw new EvalError(`filter decode: the bytes are not valid ${encoding}`);
      }
    }
    case 'utf8Decode':
      if (!Buffer.isBuffer(v)) return needs('utf8Decode', 'bytes', v);
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(v);
      } catch {
        throw new EvalError('filter utf8Decode: the bytes are not valid UTF-8');
      }
    case 'utf8Encode':
      if (typeof v !== 'string') return needs('utf8Encode', 'a string', v);
      return Buffer.from(v, 'utf8');
    case 'htmlEscape':
      if (typeof v !== 'string') return needs('htmlEscape', 'a string', v);
      return v
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#x27;');
    case 'htmlUnescape':
      if (typeof v !== 'string') return needs('htmlUnescape', 'a string', v);
      return htmlUnescape(v);
    case 'urlEncode':
      if (typeof v !== 'string') return needs('urlEncode', 'a string', v);
      // Hurl keeps '/' as it is and encodes every other reserved character.
      return encodeURIComponent(v)
        .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%2F/g, '/');
    case 'urlDecode':
      if (typeof v !== 'string') return needs('urlDecode', 'a string', v);
      try {
        return decodeURIComponent(v);
      } catch {
        throw new EvalError(`filter urlDecode: ${display(v)} is not URL-encoded`);
      }
    case 'urlQueryParam': {
      if (typeof v !== 'string') return needs('urlQueryParam', 'a string', v);
      let url: URL;
      try {
        url = new URL(v, 'http://localhost');
      } catch {
        throw new EvalError(`filter urlQueryParam: ${display(v)} is not a URL`);
      }
      return url.searchParams.get(text(f.arg)) ?? undefined;
    }
    case 'replace':
      if (typeof v !== 'string') return needs('replace', 'a string', v);
      return v.split(text(f.old)).join(text(f.replacement));
    case 'replaceRegex': {
      if (typeof v !== 'string') return needs('replaceRegex', 'a string', v);
      const re = regexOf(f.pattern, ctx);
      return v.replace(new RegExp(re.source, `${re.flags.replace('g', '')}g`), text(f.replacement));
    }
    case 'split':
      if (typeof v !== 'string') return needs('split', 'a string', v);
      return v.split(text(f.separator));
    case 'jsonpath':
      return evalJsonpath(jsonOfValue(v), text(f.expr));
    case 'xpath':
      if (typeof v !== 'string') return needs('xpath', 'a string', v);
      return evalXpath(parseMarkup(v, /<html/i.test(v)), text(f.expr));
    case 'location':
      if (!(v instanceof Redirect)) return needs('location', 'a redirect (from the redirects query)', v);
      return v.location;
  }
}

const HTML_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  laquo: '«',
  raquo: '»',
  euro: '€',
};

/** HTML character references; numeric ones may lack their `;`, as HTML allows. */
function htmlUnescape(s: string): string {
  return s.replace(
    /&(?:#[xX]([0-9a-fA-F]+);?|#(\d+);?|([a-zA-Z]+);)/g,
    (m, hex?: string, dec?: string, name?: string) => {
      const code = hex ? parseInt(hex, 16) : dec ? parseInt(dec, 10) : undefined;
      if (code !== undefined) return code <= 0x10ffff ? String.fromCodePoint(code) : m;
      return HTML_ENTITIES[name!] ?? m;
    },
  );
}

export function literalValue(literal: Literal, ctx: EvalContext): HurlValue {
  switch (literal.kind) {
    case 'string':
      return render(literal.template, ctx.vars, ctx.file);
    case 'integer':
    case 'float':
    case 'boolean':
      return literal.value;
    case 'null':
      return null;
    case 'regex':
      return literal.pattern;
    case 'bytes':
      return literal.bytes;
    case 'file': {
      if (!ctx.readFile) throw new EvalError('file,...; values need a spec file');
      return ctx.readFile(render(literal.path, ctx.vars, ctx.file));
    }
    case 'placeholder': {
      const part = literal.template[0]!;
      return 'expr' in part ? placeholderValue(part, ctx.vars, ctx.file) : part.text;
    }
  }
}

interface Outcome {
  success: boolean;
  /** A type mismatch fails the assert even under `not`. */
  mismatch?: boolean;
}

function compare(a: HurlValue, b: HurlValue): number | undefined {
  if (isNumber(a) && isNumber(b)) return compareNumbers(a, b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  return undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function testPredicate(op: Predicate['op'], actual: HurlValue, expected: HurlValue | undefined): Outcome {
  const e = expected as HurlValue;
  switch (op) {
    case '==':
      return { success: valuesEqual(actual, e) };
    case '!=':
      return { success: !valuesEqual(actual, e) };
    case '>':
    case '>=':
    case '<':
    case '<=': {
      const c = compare(actual, e);
      if (c === undefined) return { success: false, mismatch: true };
      return { success: op === '>' ? c > 0 : op === '>=' ? c >= 0 : op === '<' ? c < 0 : c <= 0 };
    }
    case 'startsWith':
    case 'endsWith':
    case 'contains': {
      if (typeof actual === 'string' && typeof e === 'string') {
        return {
          success:
            op === 'startsWith' ? actual.startsWith(e) : op === 'endsWith' ? actual.endsWith(e) : actual.includes(e),
        };
      }
      if (Buffer.isBuffer(actual) && Buffer.isBuffer(e)) {
        const at = op === 'startsWith' ? 0 : op === 'endsWith' ? actual.length - e.length : -1;
        if (at === -1) return { success: actual.includes(e) };
        return { success: at >= 0 && actual.subarray(at, at + e.length).equals(e) };
      }
      return { success: false, mismatch: true };
    }
    case 'includes':
      if (!Array.isArray(actual)) return { success: false, mismatch: true };
      return { success: actual.some((item) => valuesEqual(item, e)) };
    case 'matches': {
      if (typeof actual !== 'string') return { success: false, mismatch: true };
      const re = e instanceof RegExp ? e : typeof e === 'string' ? compileRegex(e, undefined, 0) : undefined;
      if (!re) return { success: false, mismatch: true };
      return { success: re.test(actual) };
    }
    case 'exists':
      return { success: !(actual instanceof Nodeset && actual.size === 0) };
    case 'isInteger':
      return { success: typeof actual === 'bigint' };
    case 'isFloat':
      return { success: typeof actual === 'number' };
    case 'isNumber':
      return { success: isNumber(actual) };
    case 'isBoolean':
      return { success: typeof actual === 'boolean' };
    case 'isString':
      return { success: typeof actual === 'string' };
    case 'isCollection':
      return {
        success: Array.isArray(actual) || Buffer.isBuffer(actual) || actual instanceof Nodeset || isObject(actual),
      };
    case 'isList':
      return { success: Array.isArray(actual) };
    case 'isObject':
      return { success: isObject(actual) };
    case 'isDate':
      return { success: actual instanceof Date };
    case 'isIsoDate':
      if (typeof actual !== 'string') return { success: false, mismatch: true };
      return { success: ISO_DATE.test(actual) && !Number.isNaN(Date.parse(actual)) };
    case 'isEmpty':
      if (typeof actual === 'string' || Array.isArray(actual) || Buffer.isBuffer(actual))
        return { success: actual.length === 0 };
      if (actual instanceof Nodeset) return { success: actual.size === 0 };
      if (isObject(actual)) return { success: Object.keys(actual).length === 0 };
      return { success: false, mismatch: true };
    case 'isUuid':
      return { success: typeof actual === 'string' && UUID.test(actual) };
    case 'isIpv4':
      return { success: typeof actual === 'string' && isIPv4(actual) };
    case 'isIpv6':
      return { success: typeof actual === 'string' && isIPv6(actual) };
  }
}

function isIPv4(s: string): boolean {
  return /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(s);
}

function isIPv6(s: string): boolean {
  try {
    return s.includes(':') && new URL(`http://[${s}]/`).hostname.length > 0;
  } catch {
    return false;
  }
}

function describeExpected(p: Predicate, expected: HurlValue | undefined): string {
  const base = p.value === undefined ? p.op : p.op === '==' ? display(expected) : `${p.op} ${display(expected)}`;
  return p.not ? `not ${base}` : base;
}

/** Evaluates one assert: its query, filters and predicate, with Hurl's "none" and type rules. */
export function evaluateAssert(a: Assert, cache: BodyCache, ctx: EvalContext): AssertResult {
  const base = { line: a.line, source: a.source };
  let expected: HurlValue | undefined;
  let actual: HurlValue | undefined;
  try {
    expected = a.predicate.value ? literalValue(a.predicate.value, ctx) : undefined;
    actual = applyFilters(evaluateQuery(a.query, cache, ctx), a.filters, ctx);
  } catch (error) {
    return { ...base, ok: false, expected: '?', actual: '?', message: (error as Error).message };
  }
  const expectedText = describeExpected(a.predicate, expected);
  if (actual === undefined) {
    // No value fails every predicate, so `not <predicate>` passes (Hurl: `not exists`, `not == 1`).
    return {
      ...base,
      ok: a.predicate.not,
      expected: expectedText,
      actual: 'none',
      message: a.predicate.not ? undefined : 'the query matched nothing',
    };
  }
  let outcome: Outcome;
  try {
    outcome = testPredicate(a.predicate.op, actual, expected);
  } catch (error) {
    return { ...base, ok: false, expected: expectedText, actual: display(actual), message: (error as Error).message };
  }
  const ok = !outcome.mismatch && outcome.success !== a.predicate.not;
  return {
    ...base,
    ok,
    expected: expectedText,
    actual: outcome.mismatch ? `${kindOf(actual)} ${display(actual)}` : display(actual),
    message: outcome.mismatch
      ? `type mismatch: ${a.predicate.op} cannot compare ${kindOf(actual)} with ${kindOf(expected)}`
      : undefined,
  };
}

/** The status line's version and code, asserted before captures run (as Hurl does). */
export function statusAsserts(spec: Response, actual: ResponseLike): AssertResult[] {
  const out: AssertResult[] = [];
  if (spec.version !== 'HTTP') {
    const want = spec.version.slice('HTTP/'.length);
    const got = httpVersionOf(actual);
    out.push({
      line: spec.line,
      source: `${spec.version} ${spec.status ?? '*'}`,
      ok: got === want,
      expected: `HTTP/${want}`,
      actual: `HTTP/${got}`,
    });
  }
  if (spec.status !== undefined) {
    out.push({
      line: spec.line,
      source: `HTTP ${spec.status}`,
      ok: actual.status === spec.status,
      expected: String(spec.status),
      actual: String(actual.status),
    });
  }
  return out;
}

/** Headers written under the status line, and the implicit body: asserted after captures. */
export function implicitAsserts(spec: Response, cache: BodyCache, ctx: EvalContext): AssertResult[] {
  const out: AssertResult[] = [];
  for (const h of spec.headers) {
    let name: string;
    let value: string;
    try {
      name = render(h.name, ctx.vars, ctx.file);
      value = render(h.value, ctx.vars, ctx.file);
    } catch (error) {
      out.push({
        line: h.line,
        source: 'header',
        ok: false,
        expected: '?',
        actual: '?',
        message: (error as Error).message,
      });
      continue;
    }
    const values = headerValues(cache.response, name);
    out.push({
      line: h.line,
      source: `${name}: ${value}`,
      ok: values.includes(value),
      expected: display(value),
      actual: values.length ? display(values.length === 1 ? values[0] : values) : 'no such header',
    });
  }
  if (spec.body) out.push(bodyAssert(spec.body, cache, ctx));
  return out;
}

function bodyAssert(body: Body, cache: BodyCache, ctx: EvalContext): AssertResult {
  const base = { line: body.line, source: `${body.kind} body` };
  try {
    // Hurl compares an implicit JSON body as text, exactly as written (whitespace included).
    if (body.kind === 'json') {
      const expected = renderJson(body.template, ctx.vars, ctx.file);
      const actual = cache.string();
      return { ...base, ok: actual === expected, expected: display(expected), actual: display(actual) };
    }
    if (body.kind === 'text' || body.kind === 'xml') {
      const expected = render(body.template, ctx.vars, ctx.file);
      const actual = cache.string();
      return { ...base, ok: actual === expected, expected: display(expected), actual: display(actual) };
    }
    const expected =
      body.kind === 'bytes'
        ? body.bytes
        : ctx.readFile
          ? ctx.readFile(render(body.path, ctx.vars, ctx.file))
          : Buffer.alloc(0);
    const actual = cache.bytes();
    return { ...base, ok: actual.equals(expected), expected: display(expected), actual: display(actual) };
  } catch (error) {
    return { ...base, ok: false, expected: '?', actual: '?', message: (error as Error).message };
  }
}

/** A capture's value; a capture that matches nothing is an error, as in Hurl. */
export function evaluateCapture(c: Capture, cache: BodyCache, ctx: EvalContext): HurlValue {
  let value: HurlValue | undefined;
  try {
    value = applyFilters(evaluateQuery(c.query, cache, ctx), c.filters, ctx);
  } catch (error) {
    throw new EvalError(`capture '${c.name}' (${ctx.file}:${c.line}): ${(error as Error).message}`, { cause: error });
  }
  if (value === undefined)
    throw new EvalError(`capture '${c.name}' (${ctx.file}:${c.line}): ${c.source} matched nothing`);
  return value;
}
