// The server the Hurl conformance specs (packages/probe/test/conformance) run against: one route per
// behaviour the Hurl documentation describes.
import { gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startServer, type TestServer } from './servers';

export const STORE = {
  store: {
    book: [
      { category: 'reference', published: false, author: 'Nigel Rees', title: 'Sayings of the Century', price: 8.95 },
      { category: 'fiction', published: false, author: 'Evelyn Waugh', title: 'Sword of Honour', price: 12.99 },
      {
        category: 'fiction',
        published: true,
        author: 'Herman Melville',
        title: 'Moby Dick',
        isbn: '0-553-21311-3',
        price: 8.99,
      },
      {
        category: 'fiction',
        published: false,
        author: 'J. R. R. Tolkien',
        title: 'The Lord of the Rings',
        isbn: '0-395-19395-8',
        price: 22.99,
      },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
};

const HTML = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Hurl conformance</title></head>
<body><h1 class="title">Hello</h1><p>first<br>line<p>second<ul><li>a<li>b<li>c</ul></body></html>`;

const XML = `<?xml version="1.0" encoding="utf-8"?>
<catalog><book id="1"><title>Dune</title><price>9.5</price></book><book id="2"><title>Emma</title><price>4</price></book></catalog>`;

function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Record<string, string | string[]> = {},
): void {
  res.writeHead(status, headers);
  res.end(body);
}

const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string | string[]> = {}) =>
  send(res, status, JSON.stringify(value), { 'Content-Type': 'application/json', ...headers });

function cookies(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    (req.headers.cookie ?? '')
      .split(/;\s*/)
      .filter(Boolean)
      .map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)]),
  );
}

export async function startHurlServer(): Promise<TestServer> {
  const attempts = new Map<string, number>();
  return startServer((req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    switch (path) {
      case '/hello':
        return send(res, 200, 'Hello World!', { 'Content-Type': 'text/plain; charset=utf-8' });
      case '/json/store':
        return json(res, 200, STORE);
      case '/json/types':
        return send(
          res,
          200,
          '{"integer":1,"float":1.0,"decimal":1.5,"big":12345678901234567890,"bool":true,"null":null,' +
            '"string":"text","list":[1,2,3],"object":{"a":1},"empty_list":[],"empty_object":{},"empty_string":"",' +
            '"date":"2026-01-31T10:20:30Z","ids":[{"id":"e1"},{"id":"e2","code":7}],"uuid":"8b3f4c1e-6a5d-4f1e-9c2b-1d2e3f4a5b6c"}',
          { 'Content-Type': 'application/json' },
        );
      case '/json/small':
        return send(res, 200, '{"a":1,"b":[true,null]}', { 'Content-Type': 'application/json' });
      case '/echo':
        return json(res, 200, {
          method: req.method,
          path,
          query: Object.fromEntries(url.searchParams),
          rawQuery: url.search,
          headers: req.headers,
          body,
        });
      case '/login': {
        const form = new URLSearchParams(body);
        if (form.get('user') === 'bob' && form.get('password') === 'secret#1') {
          return json(
            res,
            200,
            { ok: true },
            {
              'Set-Cookie': ['session=abc123; Path=/; HttpOnly; SameSite=Lax', 'theme=dark; Path=/; Max-Age=3600'],
            },
          );
        }
        return json(res, 401, { ok: false });
      }
      case '/me':
        return cookies(req).session === 'abc123'
          ? json(res, 200, { user: 'bob', theme: cookies(req).theme ?? null })
          : json(res, 401, { error: 'not logged in' });
      case '/cookies':
        return json(res, 200, cookies(req));
      case '/redirect':
        return send(res, 302, '', { Location: '/hello' });
      case '/redirect-chain':
        return send(res, 301, '', { Location: '/redirect' });
      case '/redirect-set-cookie':
        return send(res, 302, '', { Location: '/cookies', 'Set-Cookie': 'hop=1; Path=/' });
      case '/html':
        return send(res, 200, HTML, { 'Content-Type': 'text/html; charset=utf-8' });
      case '/xml':
        return send(res, 200, XML, { 'Content-Type': 'application/xml' });
      case '/xml-ns':
        return send(
          res,
          200,
          '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
            '<title>News</title><entry><dc:creator>Ann</dc:creator></entry></feed>',
          { 'Content-Type': 'application/atom+xml' },
        );
      case '/token':
        return json(res, 200, { token: 'tok-7c1d9e2f-secret' });
      case '/headers':
        return send(res, 200, 'ok', {
          'X-Multi': ['a', 'b'],
          'X-Single': 'one',
          'Content-Type': 'text/plain',
          'Set-Cookie': 'token=t1; Domain=127.0.0.1; Path=/api; Secure; HttpOnly; Max-Age=60',
        });
      case '/bytes':
        return send(res, 200, Buffer.from([0xde, 0xad, 0xbe, 0xef]), { 'Content-Type': 'application/octet-stream' });
      case '/gzip':
        return send(res, 200, gzipSync('compressed hello'), {
          'Content-Type': 'text/plain',
          'Content-Encoding': 'gzip',
        });
      case '/latin1':
        return send(res, 200, Buffer.from([0x63, 0x61, 0x66, 0xe9]), {
          'Content-Type': 'text/plain; charset=iso-8859-1',
        });
      case '/flaky': {
        const id = url.searchParams.get('id') ?? '';
        const n = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, n);
        return n < 3 ? json(res, 503, { attempt: n }) : json(res, 200, { attempt: n });
      }
      case '/upgrade':
        res.writeHead(101, { Connection: 'Upgrade', Upgrade: 'websocket' });
        return void res.end();
      default: {
        const status = /^\/status\/(\d{3})$/.exec(path);
        if (status) return send(res, Number(status[1]), '');
        return json(res, 404, { error: 'not found' });
      }
    }
  });
}
