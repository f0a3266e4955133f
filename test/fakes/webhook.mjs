// A Slack-compatible incoming-webhook receiver on loopback: records every JSON body; can fail the
// next requests with a status code.
import { createServer } from 'node:http';

export async function startFakeWebhook() {
  const bodies = [];
  const faults = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const fault = faults.shift();
      if (fault) {
        res.writeHead(fault);
        res.end('error');
        return;
      }
      if (req.method !== 'POST' || !/json/.test(req.headers['content-type'] ?? '')) {
        res.writeHead(400);
        res.end('invalid_payload');
        return;
      }
      bodies.push(JSON.parse(raw));
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    // A path that looks like a real hook URL, with a secret-looking token to test masking.
    url: `http://127.0.0.1:${server.address().port}/services/T000/B000/hooksecret0123456789`,
    bodies,
    fail(...statuses) {
      faults.push(...statuses);
    },
    stop: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r(undefined));
      }),
  };
}
