// A TLS proxy in front of a real registry that injects faults, for retry and failure tests:
// each rule matches requests by method and path and answers the first `times` of them with a
// status (503, 401...) or by dropping the connection, then lets requests through untouched.
import { createServer } from 'node:https';
import { request } from 'node:https';

/**
 * @typedef {{ method?: string, path?: RegExp, status?: number, drop?: boolean, times?: number, headers?: Record<string,string> }} FaultRule
 * @param {{ target: string, key: string, cert: string, ca: string, rules?: FaultRule[] }} options
 * @returns {Promise<{ host: string, url: string, log: Array<{ method: string, path: string, fault?: string }>, setRules: (rules: FaultRule[]) => void, close: () => Promise<void> }>}
 */
export async function startFaultProxy({ target, key, cert, ca, rules = [] }) {
  let active = rules.map((r) => ({ ...r, left: r.times ?? Infinity }));
  const log = [];
  const upstream = new URL(target);
  const server = createServer({ key, cert }, (req, res) => {
    const rule = active.find(
      (r) => r.left > 0 && (!r.method || r.method === req.method) && (!r.path || r.path.test(req.url ?? '')),
    );
    const entry = { method: req.method ?? '', path: req.url ?? '' };
    log.push(entry);
    if (rule) {
      rule.left--;
      if (rule.drop) {
        entry.fault = 'drop';
        req.socket.destroy();
        return;
      }
      entry.fault = String(rule.status);
      res.writeHead(rule.status ?? 503, { 'content-type': 'application/json', ...(rule.headers ?? {}) });
      res.end(JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'injected fault' }] }));
      req.resume();
      return;
    }
    const proxied = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        ca,
        headers: { ...req.headers, host: upstream.host },
      },
      (up) => {
        const headers = { ...up.headers };
        // Locations and auth realms name the upstream; clients must keep talking to the proxy.
        if (headers.location)
          headers.location = headers.location.replace(upstream.origin, `https://${req.headers.host}`);
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
      },
    );
    proxied.on('error', () => res.destroy());
    req.pipe(proxied);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    host: `127.0.0.1:${port}`,
    url: `https://127.0.0.1:${port}`,
    log,
    setRules: (next) => {
      active = next.map((r) => ({ ...r, left: r.times ?? Infinity }));
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}
