import * as http2 from 'node:http2';
import type { TLSSocket } from 'node:tls';
import {
  type HttpRequest,
  HttpError,
  type HttpResponse,
  isTransient,
  PermanentError,
  TransientError,
} from '@deploy-actions/core';

/**
 * One request over HTTP/2 with TLS (Hurl's `http2` option). A server that does not offer h2 in
 * ALPN gets the request over HTTP/1.1 through `fallback`, as curl falls back.
 */
export function requestHttp2(
  req: HttpRequest,
  fallback: (req: HttpRequest) => Promise<HttpResponse>,
): Promise<HttpResponse> {
  const url = new URL(req.url);
  if (url.protocol !== 'https:') return fallback(req);
  const started = performance.now();
  const where = `${req.method ?? 'GET'} ${url.origin}${url.pathname}`;
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    const session = http2.connect(url.origin, {
      rejectUnauthorized: !req.insecure,
      ...(req.ca ? { ca: req.ca } : {}),
      ...(req.cert ? { cert: req.cert, key: req.key } : {}),
    });
    const finish = (error: Error | undefined, response?: HttpResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      session.close();
      if (error) reject(error);
      else resolve(response!);
    };
    const timer = setTimeout(() => {
      finish(new TransientError(`${where}: no complete response within ${req.timeoutMs ?? 30_000}ms`));
      session.destroy();
    }, req.timeoutMs ?? 30_000);
    const onAbort = () => {
      finish(new PermanentError(`${where}: aborted`));
      session.destroy();
    };
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const useHttp1 = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      session.destroy();
      fallback(req).then(resolve, reject);
    };
    session.on('error', (error: NodeJS.ErrnoException) => {
      // The server refused h2 in ALPN (node's HTTP/1.1 servers answer so): curl goes on with HTTP/1.1.
      if (error.code === 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL') return useHttp1();
      const kind = isTransient(error) ? 'transient' : 'permanent';
      finish(new HttpError(kind, `${where}: ${error.code ?? error.message}`, { code: error.code, cause: error }));
    });
    session.socket.once('secureConnect', () => {
      const socket = session.socket as TLSSocket;
      // No h2 on offer: curl goes on with HTTP/1.1.
      if (socket.alpnProtocol !== 'h2') useHttp1();
    });
    session.once('connect', () => {
      const headers: http2.OutgoingHttpHeaders = {
        ':method': req.method ?? 'GET',
        ':path': `${url.pathname}${url.search}`,
        'user-agent': 'deploy-actions',
      };
      for (const [name, value] of Object.entries(req.headers ?? {})) {
        const lower = name.toLowerCase();
        if (lower === 'host') headers[':authority'] = value;
        else if (!['connection', 'keep-alive', 'transfer-encoding', 'upgrade'].includes(lower)) headers[lower] = value;
      }
      const stream = session.request(headers, { endStream: req.body === undefined });
      if (req.body !== undefined) stream.end(req.body);
      const chunks: Buffer[] = [];
      let status = 0;
      const rawHeaders: Array<[string, string]> = [];
      const flat: Record<string, string> = {};
      stream.on('response', (h) => {
        status = Number(h[':status']);
        for (const [name, value] of Object.entries(h)) {
          if (name.startsWith(':') || value === undefined) continue;
          const values = Array.isArray(value) ? value : [String(value)];
          for (const v of values) rawHeaders.push([name, v]);
          flat[name] = values.join(', ');
        }
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error: NodeJS.ErrnoException) =>
        finish(
          new HttpError('transient', `${where}: ${error.code ?? error.message}`, { code: error.code, cause: error }),
        ),
      );
      stream.on('end', () => {
        const socket = session.socket as TLSSocket;
        const cert = socket.getPeerCertificate();
        const body = Buffer.concat(chunks);
        finish(undefined, {
          url: url.toString(),
          status,
          headers: flat,
          rawHeaders,
          body,
          text: () => body.toString('utf8'),
          json: () => JSON.parse(body.toString('utf8')) as unknown,
          durationMs: performance.now() - started,
          httpVersion: '2.0',
          remoteAddress: socket.remoteAddress,
          certificate: cert?.valid_to
            ? {
                subject: Object.entries(cert.subject ?? {})
                  .map(([k, v]) => `${k}=${String(v)}`)
                  .join(', '),
                issuer: Object.entries(cert.issuer ?? {})
                  .map(([k, v]) => `${k}=${String(v)}`)
                  .join(', '),
                validFrom: new Date(cert.valid_from),
                validTo: new Date(cert.valid_to),
              }
            : undefined,
        });
      });
    });
  });
}
