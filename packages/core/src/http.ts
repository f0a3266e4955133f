import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ActionError, type ErrorKind, isTransient, PermanentError, TransientError } from './errors';

export interface HttpRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Whole-request deadline in ms: connect, send and read the full body. */
  timeoutMs?: number;
  /** Accept certificates that do not verify (self-signed test servers). */
  insecure?: boolean;
  /** Extra CA certificates (PEM) to trust. */
  ca?: string | Buffer;
  /** A client certificate and its key (PEM), for servers that authenticate clients by TLS (Kubernetes). */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Streams the body: each chunk goes here as it arrives and the response's body stays empty (watches). */
  onData?: (chunk: Buffer) => void;
  /** Follow up to this many redirects (0: return the 3xx as it is). */
  maxRedirects?: number;
  maxBodyBytes?: number;
  signal?: AbortSignal;
  /** Registered secrets: a header holding one is a credential and never follows a redirect to another origin. */
  secrets?: { contains(text: string): boolean };
}

export interface PeerCertificate {
  subject: string;
  issuer: string;
  validFrom: Date;
  validTo: Date;
  /** Lower-case hex pairs joined by ':' (as Hurl shows it). */
  serialNumber?: string;
}

export interface HttpResponse {
  url: string;
  status: number;
  /** Header names in lower case; repeated headers joined by ", " (set-cookie kept apart). */
  headers: Record<string, string>;
  rawHeaders: Array<[string, string]>;
  body: Buffer;
  text(): string;
  json(): unknown;
  /** Milliseconds from sending the request to the last byte of the body. */
  durationMs: number;
  certificate?: PeerCertificate;
  /** As the server answered: '1.0', '1.1'. */
  httpVersion?: string;
  /** The peer's IP address. */
  remoteAddress?: string;
}

/** Statuses worth retrying when the operation is idempotent. */
export const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

/** A failed exchange; status is set when the server answered, code when the network failed. */
export class HttpError extends ActionError {
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly code: string | undefined;
  constructor(
    kind: ErrorKind,
    message: string,
    details: { status?: number; retryAfterMs?: number; code?: string; cause?: unknown } = {},
  ) {
    super(kind, message, { cause: details.cause });
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.code = details.code;
  }
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

/**
 * One HTTP client for the library, on node:http(s) rather than fetch because smoke checks and
 * registries need what fetch hides: exact timings, the peer certificate, raw repeated headers.
 */
export async function request(req: HttpRequest): Promise<HttpResponse> {
  let url = new URL(req.url);
  let method = (req.method ?? 'GET').toUpperCase();
  let body = req.body;
  let headers = { ...req.headers };
  const started = performance.now();
  for (let redirects = 0; ; redirects++) {
    const response = await once(url, method, headers, body, req, started);
    const location = response.headers.location;
    if (location && response.status >= 300 && response.status < 400 && redirects < (req.maxRedirects ?? 0)) {
      const next = new URL(location, url);
      if (next.origin !== url.origin) headers = withoutCredentials(headers, req.secrets);
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      url = next;
      continue;
    }
    return response;
  }
}

/** Headers that carry a credential by definition (RFC 9110 and RFC 6265), plus the common API-key headers. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'api-key']);

/** A header that must not follow a redirect to another origin: it is, or holds, a credential. */
export function isCredentialHeader(name: string, value: string, secrets: HttpRequest['secrets']): boolean {
  return CREDENTIAL_HEADERS.has(name.toLowerCase()) || Boolean(secrets?.contains(value));
}

function withoutCredentials(headers: Record<string, string>, secrets: HttpRequest['secrets']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name, value]) => !isCredentialHeader(name, value, secrets)),
  );
}

function once(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
  req: HttpRequest,
  started: number,
): Promise<HttpResponse> {
  const isHttps = url.protocol === 'https:';
  if (!isHttps && url.protocol !== 'http:') {
    return Promise.reject(new PermanentError(`unsupported URL scheme ${url.protocol} in ${url.origin}`));
  }
  const transport = isHttps ? https : http;
  const customTls = isHttps && (req.insecure || req.ca || req.cert);
  const options: https.RequestOptions = {
    method,
    headers: { 'user-agent': 'deploy-actions', ...headers },
    agent: customTls
      ? new https.Agent({ rejectUnauthorized: !req.insecure, ca: req.ca, cert: req.cert, key: req.key })
      : isHttps
        ? agents.https
        : agents.http,
    signal: req.signal,
  };
  const maxBody = req.maxBodyBytes ?? 32 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const clientRequest = transport.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      const remoteAddress = res.socket?.remoteAddress;
      let size = 0;
      let certificate: PeerCertificate | undefined;
      const socket = res.socket as TLSSocket;
      if (isHttps && typeof socket.getPeerCertificate === 'function') {
        const cert = socket.getPeerCertificate();
        if (cert && cert.valid_to) {
          certificate = {
            subject: formatName(cert.subject),
            issuer: formatName(cert.issuer),
            validFrom: new Date(cert.valid_from),
            validTo: new Date(cert.valid_to),
            serialNumber: cert.serialNumber
              ?.toLowerCase()
              .replace(/^(.(.{2})*)$/, '0$1')
              .match(/.{2}/g)
              ?.join(':'),
          };
        }
      }
      res.on('data', (chunk: Buffer) => {
        if (req.onData && (res.statusCode ?? 0) < 300) return req.onData(chunk);
        size += chunk.length;
        if (size > maxBody) {
          clientRequest.destroy(
            new PermanentError(`${method} ${url.origin}${url.pathname}: response body over ${maxBody} bytes`),
          );
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => {
        clearTimeout(timer);
        const buffer = Buffer.concat(chunks);
        const rawHeaders: Array<[string, string]> = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          rawHeaders.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
        const flat: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({
          url: url.toString(),
          status: res.statusCode ?? 0,
          headers: flat,
          rawHeaders,
          body: buffer,
          text: () => buffer.toString('utf8'),
          json: () => JSON.parse(buffer.toString('utf8')) as unknown,
          durationMs: performance.now() - started,
          certificate,
          httpVersion: res.httpVersion,
          remoteAddress,
        });
      });
    });
    const timer = setTimeout(() => {
      clientRequest.destroy(
        new TransientError(`${method} ${url.origin}${url.pathname}: no complete response within ${req.timeoutMs}ms`),
      );
    }, req.timeoutMs ?? 30_000);
    // A 101 Switching Protocols or a CONNECT reply never becomes a response: end with a clear error
    // instead of a promise that never settles (node would exit 0 with nothing reported).
    const switched = (what: string) => (res: http.IncomingMessage, socket: Socket) => {
      clearTimeout(timer);
      socket.destroy();
      reject(
        new PermanentError(`${method} ${url.origin}${url.pathname}: ${what} (HTTP ${res.statusCode}) is unsupported`),
      );
    };
    clientRequest.on('upgrade', switched('the server switched protocols'));
    clientRequest.on('connect', switched('a CONNECT tunnel'));
    clientRequest.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error instanceof PermanentError || error instanceof TransientError) return reject(error);
      const where = `${method} ${url.origin}${url.pathname}`;
      const kind = isTransient(error) ? 'transient' : 'permanent';
      reject(new HttpError(kind, `${where}: ${error.code ?? error.message}`, { code: error.code, cause: error }));
    });
    if (body !== undefined) clientRequest.end(body);
    else clientRequest.end();
  });
}

function formatName(name: unknown): string {
  if (!name || typeof name !== 'object') return '';
  return Object.entries(name as Record<string, string | string[]>)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

/** Turns a non-2xx response into an error whose kind says whether a retry may help. */
export function statusError(response: HttpResponse, what: string): HttpError {
  const retryAfter = parseRetryAfter(response.headers['retry-after']);
  const detail = response.text().slice(0, 300).replace(/\s+/g, ' ').trim();
  const kind = RETRYABLE_STATUSES.has(response.status) ? 'transient' : 'permanent';
  return new HttpError(kind, `${what}: HTTP ${response.status}${detail ? ` ${detail}` : ''}`, {
    status: response.status,
    retryAfterMs: retryAfter,
  });
}

export function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
