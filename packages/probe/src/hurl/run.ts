import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  type Clock,
  errorKind,
  type HttpRequest,
  isCredentialHeader,
  oneLine,
  type SecretRegistry,
  systemClock,
} from '@deploy-actions/core';
import { CookieJar } from 'tough-cookie';
import { type Entry, type HurlFile, type OptionValue, SpecError } from './ast';
import {
  type AssertResult,
  BodyCache,
  type EvalContext,
  evaluateAssert,
  evaluateCapture,
  implicitAsserts,
  literalValue,
  type ResponseLike,
  statusAsserts,
} from './evaluate';
import { workspacePath } from './files';
import { parseDurationMs } from './parse';
import { render, renderJson, type Variables } from './template';
import { type HurlValue, Redirect, renderValue, typedVariable } from './value';
import type { StepOutcome } from '../smoke/model';
import { NOT_READY_STATUSES, type Send } from '../smoke/status';

export interface RunOptions {
  send: Send;
  /** Sends over HTTP/2 (Hurl's `http2` option); without it that option is an error. */
  sendHttp2?: Send;
  variables: Variables;
  /** Captures marked `redact` are registered here the moment they are captured. */
  secrets: SecretRegistry;
  signal: AbortSignal;
  clock?: Clock;
  /** Spec files read and write files only inside this folder (default: the current folder). */
  workspace?: string;
}

/** The options of one entry once its templates are filled in. */
interface EntryOptions {
  location: boolean;
  locationTrusted: boolean;
  maxRedirs: number;
  insecure?: boolean;
  cacert?: string;
  cert?: string;
  key?: string;
  delayMs: number;
  retry: number;
  retryIntervalMs: number;
  skip: boolean;
  repeat: number;
  compressed: boolean;
  output?: string;
  maxTimeMs?: number;
  headers: Array<[string, string]>;
  user?: string;
  http2: boolean;
}

/** A problem found while running an entry that is the spec's fault: reported with file:line:col. */
function optionError(file: string, o: OptionValue, problem: string): SpecError {
  return SpecError.at(file, o.line, o.column, problem);
}

function resolveOptions(entry: Entry, vars: Record<string, HurlValue>, ctx: EvalContext): EntryOptions {
  const options: EntryOptions = {
    location: false,
    locationTrusted: false,
    maxRedirs: 50,
    delayMs: 0,
    retry: 0,
    retryIntervalMs: 1000,
    skip: false,
    repeat: 1,
    compressed: false,
    headers: [],
    http2: false,
  };
  for (const o of entry.request.options) {
    const value = literalValue(o.value, { ...ctx, vars });
    const bool = (): boolean => {
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw optionError(ctx.file, o, `option '${o.name}' takes true or false, got '${String(value)}'`);
    };
    const int = (): number => {
      const n =
        typeof value === 'bigint'
          ? Number(value)
          : typeof value === 'string' && /^-?\d+$/.test(value)
            ? Number(value)
            : NaN;
      if (Number.isNaN(n))
        throw optionError(ctx.file, o, `option '${o.name}' takes a whole number, got '${String(value)}'`);
      return n;
    };
    const duration = (): number => {
      const ms = parseDurationMs(typeof value === 'string' ? value : String(value));
      if (ms === undefined)
        throw optionError(ctx.file, o, `option '${o.name}' takes a duration, got '${String(value)}'`);
      return ms;
    };
    const text = (): string => renderValue(value, o.name);
    switch (o.name) {
      case 'location':
        options.location = bool();
        break;
      case 'location-trusted':
        options.locationTrusted = bool();
        if (options.locationTrusted) options.location = true;
        break;
      case 'max-redirs':
        options.maxRedirs = int();
        if (options.maxRedirs < 0) options.maxRedirs = 50;
        break;
      case 'insecure':
        options.insecure = bool();
        break;
      case 'cacert':
        options.cacert = text();
        break;
      case 'cert':
        options.cert = text();
        break;
      case 'key':
        options.key = text();
        break;
      case 'delay':
        options.delayMs = duration();
        break;
      case 'retry':
        options.retry = int();
        if (options.retry < 0) {
          throw optionError(ctx.file, o, 'retry: -1 (retry forever) is unsupported in a smoke test; give a count');
        }
        break;
      case 'retry-interval':
        options.retryIntervalMs = duration();
        break;
      case 'skip':
        options.skip = bool();
        break;
      case 'repeat':
        options.repeat = int();
        if (options.repeat < 0)
          throw optionError(ctx.file, o, 'repeat: -1 (forever) is unsupported in a smoke test; give a count');
        break;
      case 'compressed':
        options.compressed = bool();
        break;
      case 'output':
        options.output = text();
        if (options.output === '-')
          throw optionError(ctx.file, o, 'output: - (standard output) is unsupported; give a file in the workspace');
        break;
      case 'max-time':
        options.maxTimeMs = duration();
        break;
      case 'connect-timeout':
        duration();
        break;
      case 'header': {
        const h = /^([^:]+):\s*(.*)$/.exec(text());
        if (!h) throw optionError(ctx.file, o, `option 'header' takes 'Name: value', got '${text()}'`);
        options.headers.push([h[1]!.trim(), h[2]!]);
        break;
      }
      case 'user':
        options.user = text();
        break;
      case 'variable': {
        const v = /^([A-Za-z_][A-Za-z0-9_-]*)=(.*)$/.exec(text());
        if (!v) throw optionError(ctx.file, o, `option 'variable' takes name=value, got '${text()}'`);
        vars[v[1]!] = typedVariable(v[2]!);
        break;
      }
      case 'http1.1':
      case 'verbose':
      case 'very-verbose':
        bool();
        break;
      case 'http2':
        options.http2 = bool();
        break;
      case 'http1.0':
        if (bool()) {
          throw optionError(
            ctx.file,
            o,
            `option '${o.name}' is unsupported by deploy-actions smoke-test: requests use HTTP/1.1`,
          );
        }
        break;
      case 'path-as-is':
        if (bool() && /\/\.\.?(\/|$|\?)/.test(render(entry.request.url, vars, ctx.file))) {
          throw optionError(
            ctx.file,
            o,
            "option 'path-as-is' with '.' or '..' segments is unsupported: URLs are sent normalised",
          );
        }
        break;
    }
  }
  return options;
}

const MIME: Record<string, string> = {
  '.txt': 'text/plain',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.csv': 'text/csv',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.js': 'text/javascript',
  '.css': 'text/css',
};

function setHeader(headers: Array<[string, string]>, name: string, value: string): void {
  if (!headers.some(([k]) => k.toLowerCase() === name.toLowerCase())) headers.push([name, value]);
}

function encodeQuery(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

interface BuiltRequest {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body?: string | Buffer;
}

/** The HTTP request an entry describes, every template filled in and every file read. */
export function buildRequest(
  entry: Entry,
  options: EntryOptions,
  ctx: EvalContext,
  readFile: (p: string) => Buffer,
): BuiltRequest {
  const r = entry.request;
  const t = (x: Parameters<typeof render>[0]) => render(x, ctx.vars, ctx.file);
  let url = t(r.url);
  if (!/^https?:\/\//i.test(url)) {
    throw SpecError.at(ctx.file, r.line, 1, `'${url}' is not an http(s) URL`);
  }
  // As Hurl's libcurl client: names as written, values percent-encoded (%20 for a space).
  const encodeParams = (params: typeof r.queryParams) =>
    params.map((p) => `${t(p.name)}=${encodeQuery(t(p.value))}`).join('&');
  if (r.queryParams.length) {
    url = `${url}${url.endsWith('?') ? '' : url.includes('?') ? '&' : '?'}${encodeParams(r.queryParams)}`;
  }
  const headers: Array<[string, string]> = r.headers.map((h) => [t(h.name), t(h.value)]);
  for (const [name, value] of options.headers) headers.push([name, value]);
  if (r.cookies.length) {
    const cookies = r.cookies.map((c) => `${t(c.name)}=${t(c.value)}`).join('; ');
    headers.push(['Cookie', cookies]);
  }
  const auth = r.basicAuth ? `${t(r.basicAuth.name)}:${t(r.basicAuth.value)}` : options.user;
  if (auth !== undefined) setHeader(headers, 'Authorization', `Basic ${Buffer.from(auth).toString('base64')}`);
  if (options.compressed) setHeader(headers, 'Accept-Encoding', 'gzip, deflate, br');
  let body: string | Buffer | undefined;
  if (r.formParams.length) {
    body = encodeParams(r.formParams);
    setHeader(headers, 'Content-Type', 'application/x-www-form-urlencoded');
  } else if (r.multipart.length) {
    const boundary = `----hurl${randomBytes(12).toString('hex')}`;
    const chunks: Buffer[] = [];
    for (const part of r.multipart) {
      const name = t(part.name).replace(/"/g, '%22');
      let head = `--${boundary}\r\nContent-Disposition: form-data; name="${name}"`;
      let content: Buffer;
      if (part.file) {
        const path = t(part.file.path);
        content = readFile(path);
        const type = part.file.contentType ?? MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
        head += `; filename="${basename(path).replace(/"/g, '%22')}"\r\nContent-Type: ${type}`;
      } else content = Buffer.from(t(part.value));
      chunks.push(Buffer.from(`${head}\r\n\r\n`), content, Buffer.from('\r\n'));
    }
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    body = Buffer.concat(chunks);
    setHeader(headers, 'Content-Type', `multipart/form-data; boundary=${boundary}`);
  } else if (r.body) {
    const b = r.body;
    if (b.kind === 'json') {
      body = renderJson(b.template, ctx.vars, ctx.file);
      setHeader(headers, 'Content-Type', 'application/json');
    } else if (b.kind === 'xml') {
      body = t(b.template);
      setHeader(headers, 'Content-Type', 'application/xml');
    } else if (b.kind === 'text') body = t(b.template);
    else if (b.kind === 'bytes') body = b.bytes;
    else body = readFile(t(b.path));
  }
  setHeader(headers, 'Accept', '*/*');
  return { method: r.method, url, headers, body };
}

/**
 * Runs a file's entries in order, as Hurl does: one cookie jar for the whole file, captures feed
 * later entries (and the asserts of their own entry), [Options] retry re-runs an entry while it
 * fails, and the first failing entry ends the flow.
 */
export async function runHurlFile(file: HurlFile, options: RunOptions): Promise<StepOutcome[]> {
  const clock = options.clock ?? systemClock;
  const workspace = options.workspace ?? process.cwd();
  const vars: Record<string, HurlValue> = { ...options.variables };
  const jar = new CookieJar(undefined, { looseMode: true, rejectPublicSuffixes: false, allowSpecialUseDomain: true });
  const readFile = (path: string): Buffer => readFileSync(workspacePath(workspace, file.path, path));
  const steps: StepOutcome[] = [];
  for (const entry of file.entries) {
    const ctx: EvalContext = { vars, file: file.path, readFile, now: clock.now() };
    let entryOptions: EntryOptions;
    try {
      entryOptions = resolveOptions(entry, vars, ctx);
    } catch (error) {
      steps.push({
        request: `${entry.request.method} ${file.path}:${entry.line}`,
        line: entry.line,
        error: oneLine(error),
        assertions: [],
      });
      break;
    }
    if (entryOptions.skip) continue;
    for (let run = 0; run < entryOptions.repeat; run++) {
      let step: StepOutcome | undefined;
      for (let attempt = 0; attempt <= entryOptions.retry; attempt++) {
        if (attempt > 0) await clock.sleep(entryOptions.retryIntervalMs, options.signal);
        if (entryOptions.delayMs) await clock.sleep(entryOptions.delayMs, options.signal);
        step = await runEntry(entry, entryOptions, { ...ctx, now: clock.now() }, vars, jar, workspace, options, clock);
        if (!step.error && step.assertions.every((a) => a.ok)) break;
      }
      steps.push(step!);
      if (step!.error || step!.assertions.some((a) => !a.ok)) return steps;
    }
  }
  return steps;
}

async function runEntry(
  entry: Entry,
  entryOptions: EntryOptions,
  ctx: EvalContext,
  vars: Record<string, HurlValue>,
  jar: CookieJar,
  workspace: string,
  options: RunOptions,
  clock: Clock,
): Promise<StepOutcome> {
  const method = entry.request.method;
  let label = `${method} ${ctx.file}:${entry.line}`;
  const fail = (error: unknown, extra: Partial<StepOutcome> = {}): StepOutcome => ({
    request: label,
    line: entry.line,
    error: oneLine(error),
    assertions: [],
    ...extra,
  });
  if (method === 'CONNECT') {
    return fail(
      new Error(`${ctx.file}:${entry.line}:1: the CONNECT method is unsupported by deploy-actions smoke-test`),
    );
  }
  let built: BuiltRequest;
  let tls: Pick<HttpRequest, 'ca' | 'cert' | 'key'>;
  try {
    built = buildRequest(entry, entryOptions, ctx, ctx.readFile!);
    label = `${built.method} ${built.url}`;
    // Trust material may live outside the workspace (/etc/ssl/...): it is read, never sent as a payload.
    const read = (p: string | undefined) =>
      p === undefined ? undefined : readFileSync(resolve(dirname(resolve(workspace, ctx.file)), p));
    tls = { ca: read(entryOptions.cacert), cert: read(entryOptions.cert), key: read(entryOptions.key) };
  } catch (error) {
    return fail(error);
  }
  const started = clock.now();
  let response: ResponseLike;
  try {
    response = await exchange(built, entryOptions, tls, jar, options);
  } catch (error) {
    if (options.signal.aborted) throw error;
    return fail(error, { retryable: errorKind(error) === 'transient', durationMs: clock.now() - started });
  }
  const step: StepOutcome = {
    request: label,
    line: entry.line,
    status: response.status,
    durationMs: response.durationMs,
    assertions: [],
  };
  if (entryOptions.output) {
    try {
      const path = workspacePath(workspace, ctx.file, entryOptions.output);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, response.body);
    } catch (error) {
      step.error = oneLine(error);
      return step;
    }
  }
  const spec = entry.response;
  if (!spec) return step;
  const cache = new BodyCache(response);
  // Hurl's order: the status line first; then captures, so asserts of the same entry can use them.
  step.assertions.push(...statusAsserts(spec, response));
  if (step.assertions.some((a) => !a.ok)) {
    step.retryable = NOT_READY_STATUSES.has(response.status);
    return step;
  }
  for (const capture of spec.captures) {
    try {
      const value = evaluateCapture(capture, cache, ctx);
      if (capture.redact) options.secrets.add(typeof value === 'string' ? value : renderSecret(value));
      vars[capture.name] = value;
    } catch (error) {
      step.error = oneLine(error);
      return step;
    }
  }
  const results: AssertResult[] = [
    ...implicitAsserts(spec, cache, ctx),
    ...spec.asserts.map((a) => evaluateAssert(a, cache, ctx)),
  ];
  step.assertions.push(...results);
  return step;
}

function renderSecret(value: HurlValue): string {
  try {
    return renderValue(value, 'secret');
  } catch {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
}

/** One request and the redirects Hurl would follow, every response's cookies into the jar. */
async function exchange(
  built: BuiltRequest,
  o: EntryOptions,
  tls: Pick<HttpRequest, 'ca' | 'cert' | 'key'>,
  jar: CookieJar,
  options: RunOptions,
): Promise<ResponseLike> {
  let { method, url, body } = built;
  let headers = [...built.headers];
  const redirects: Redirect[] = [];
  for (;;) {
    const sent: Record<string, string> = {};
    for (const [k, raw] of headers) {
      // Like curl, header values go out as UTF-8 bytes (node writes header strings as latin1).
      const v = [...raw].some((c) => c.charCodeAt(0) > 0x7f) ? Buffer.from(raw, 'utf8').toString('latin1') : raw;
      const existing = Object.keys(sent).find((x) => x.toLowerCase() === k.toLowerCase());
      if (existing) sent[existing] = `${sent[existing]}${k.toLowerCase() === 'cookie' ? '; ' : ', '}${v}`;
      else sent[k] = v;
    }
    const jarCookies = await jar.getCookieString(url);
    if (jarCookies) {
      const existing = Object.keys(sent).find((x) => x.toLowerCase() === 'cookie');
      if (existing) sent[existing] = `${sent[existing]}; ${jarCookies}`;
      else sent.Cookie = jarCookies;
    }
    const send = o.http2 ? options.sendHttp2 : options.send;
    if (!send) throw new Error("option 'http2' needs an HTTP/2 client, and none was given");
    const response = await send(
      {
        url,
        method,
        headers: sent,
        body,
        // Only what the spec sets: the action's own defaults (insecure, ca, timeout) stay otherwise.
        ...(o.insecure !== undefined ? { insecure: o.insecure } : {}),
        maxRedirects: 0,
        ...(o.maxTimeMs ? { timeoutMs: o.maxTimeMs } : {}),
        ...Object.fromEntries(Object.entries(tls).filter(([, v]) => v !== undefined)),
      },
      options.signal,
    );
    for (const [k, v] of response.rawHeaders) {
      if (k.toLowerCase() === 'set-cookie') await jar.setCookie(v, url, { ignoreError: true });
    }
    const location = response.headers.location;
    const status = response.status;
    if (!o.location || !location || status < 300 || status >= 400 || status === 304) {
      // Hurl's duration is the last response's, not the redirect chain's.
      return { ...response, url, redirects };
    }
    if (redirects.length >= o.maxRedirs) {
      throw new Error(`too many redirects: more than ${o.maxRedirs} (option max-redirs)`);
    }
    const next = new URL(location, url);
    if (next.origin !== new URL(url).origin && !o.locationTrusted) {
      // As curl without --location-trusted, and more: every header that is or holds a credential stays behind.
      headers = headers.filter(([k, v]) => !isCredentialHeader(k, v, options.secrets));
    }
    if (status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST') {
      method = 'GET';
      body = undefined;
      headers = headers.filter(([k]) => !['content-type', 'content-length'].includes(k.toLowerCase()));
    }
    url = next.toString();
    redirects.push(new Redirect(status, url));
  }
}
