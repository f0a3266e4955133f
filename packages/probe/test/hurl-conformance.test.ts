// Conformance: Hurl files written from the Hurl documentation (one or more per documented feature),
// run by the engine against a local server. Files under pass/ must pass; files under fail/ must fail
// with the reason their `# expect:` line names (a silent pass would be a wrong answer).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { request, SecretRegistry } from '@deploy-actions/core';
import { startHurlServer } from '../../../test/support/hurl-server';
import { startServer, type TestServer } from '../../../test/support/servers';
import { selfSignedCert } from '../../../scripts/lib/tls.mjs';
import { parseHurl } from '../src/hurl/parse';
import { requestHttp2 } from '../src/hurl/http2';
import { runHurlFile } from '../src/hurl/run';
import { describeFailure, firstFailure } from '../src/smoke/model';

const root = join(import.meta.dirname, 'conformance');
const files = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.hurl'))
    .sort();

let server: TestServer;
let run = 0;
const perFeature = new Map<string, { files: number; assertions: number }>();

beforeAll(async () => {
  server = await startHurlServer();
});
afterAll(async () => {
  await server.close();
  const rows = [...perFeature].map(([feature, n]) => `  ${feature}: ${n.files} file(s), ${n.assertions} assertion(s)`);
  process.stdout.write(`Hurl conformance, per feature:\n${rows.join('\n')}\n`);
  // Kept beside the test results (.tmp/ is ignored by git) for the CI log and later comparison.
  const out = join(import.meta.dirname, '../../../.tmp');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'hurl-conformance.json'), `${JSON.stringify(Object.fromEntries(perFeature), null, 2)}\n`);
});

async function runSpec(path: string) {
  const text = readFileSync(join(root, path), 'utf8');
  const secrets = new SecretRegistry();
  const steps = await runHurlFile(parseHurl(text, path), {
    send: (req, signal) => request({ timeoutMs: 5000, ...req, signal }),
    variables: {
      base: server.url,
      header_name: 'X-Templated',
      greeting_value: 'hello',
      name: 'a "quoted" name',
      age: 30n,
      expected: 'text',
      one: 1n,
      ratio: 0.5,
      follow: true,
      nothing: null,
      path: 'echo',
      run: `run${++run}`,
      outside: '/etc/hostname',
    },
    secrets,
    signal: new AbortController().signal,
    workspace: root,
  });
  return { text, steps };
}

describe('Hurl conformance: files that pass under Hurl pass here', () => {
  test.each(files('pass'))('%s', async (name) => {
    const { text, steps } = await runSpec(`pass/${name}`);
    const failure = firstFailure(steps);
    expect(failure ? describeFailure(failure) : 'passed').toBe('passed');
    expect(steps.length).toBeGreaterThan(0);
    const feature = /^# feature: ([^(\n]+)/.exec(text)?.[1]?.trim() ?? name;
    const counts = perFeature.get(feature) ?? { files: 0, assertions: 0 };
    counts.files++;
    counts.assertions += steps.reduce((n, s) => n + s.assertions.length, 0);
    perFeature.set(feature, counts);
  });
});

describe('Hurl conformance: files that fail under Hurl fail here, for the same reason', () => {
  test.each(files('fail'))('%s', async (name) => {
    const { text, steps } = await runSpec(`fail/${name}`);
    const expected = /^# expect: (.*)$/m.exec(text)![1]!;
    const failure = firstFailure(steps);
    expect(failure && describeFailure(failure)).toContain(expected);
  });
});

describe('redact', () => {
  test('a redact capture is a secret from the moment it is captured, before any assert of its entry runs', async () => {
    const path = 'redact.hurl';
    const text = `GET {{base}}/token\nHTTP 200\n[Captures]\ntoken: jsonpath "$.token" redact\n[Asserts]\nvariable "token" == "other"\n`;
    const secrets = new SecretRegistry();
    const steps = await runHurlFile(parseHurl(text, path), {
      send: (req, signal) => request({ timeoutMs: 5000, ...req, signal }),
      variables: { base: server.url },
      secrets,
      signal: new AbortController().signal,
      workspace: root,
    });
    const failure = describeFailure(firstFailure(steps)!);
    expect(failure).toContain('tok-7c1d9e2f-secret');
    expect(secrets.has('tok-7c1d9e2f-secret')).toBe(true);
    expect(secrets.redact(failure)).not.toContain('tok-7c1d9e2f-secret');
  });
});

describe('TLS options', () => {
  test('cacert trusts a CA file (also outside the workspace), insecure skips verification, neither fails', async () => {
    const tls = selfSignedCert({ validDays: 30 });
    const secure = await startServer(
      (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('secure');
      },
      { tls },
    );
    const runText = async (options: string) => {
      const text = `GET ${secure.url}/\n${options}HTTP 200\n[Asserts]\nbody == "secure"\ncertificate "Subject" contains "127.0.0.1"\ncertificate "Serial-Number" matches /^[0-9a-f]{2}(:[0-9a-f]{2})+$/\ncertificate "Expire-Date" daysAfterNow > 20\n`;
      return firstFailure(
        await runHurlFile(parseHurl(text, 'tls.hurl'), {
          send: (req, signal) => request({ timeoutMs: 5000, ...req, signal }),
          variables: {},
          secrets: new SecretRegistry(),
          signal: new AbortController().signal,
          workspace: root,
        }),
      );
    };
    try {
      expect(await runText(`[Options]\ncacert: ${tls.certFile}\n`)).toBeUndefined();
      expect(await runText('[Options]\ninsecure: true\n')).toBeUndefined();
      expect(describeFailure((await runText(''))!)).toMatch(/certificate/i);
    } finally {
      await secure.close();
    }
  });
});

describe('HTTP versions', () => {
  test('option http2 speaks HTTP/2 to a server that offers h2, falls back to HTTP/1.1 otherwise; the status line is checked', async () => {
    const tls = selfSignedCert({ validDays: 30 });
    const h2 = createSecureServer({ key: tls.key, cert: tls.cert, allowHTTP1: true }, (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'h2=yes; Path=/' });
      res.end(JSON.stringify({ version: req.httpVersion, cookie: req.headers.cookie ?? null }));
    });
    await new Promise<void>((r) => h2.listen(0, '127.0.0.1', r));
    const h2url = `https://127.0.0.1:${(h2.address() as AddressInfo).port}`;
    const h1 = await startServer(
      (_req, res) => {
        res.writeHead(200);
        res.end('one');
      },
      { tls },
    );
    const runText = async (text: string) =>
      firstFailure(
        await runHurlFile(parseHurl(text, 'h2.hurl'), {
          send: (req, signal) => request({ timeoutMs: 5000, insecure: true, ...req, signal }),
          sendHttp2: (req, signal) => requestHttp2({ timeoutMs: 5000, insecure: true, ...req, signal }, request),
          variables: {},
          secrets: new SecretRegistry(),
          signal: new AbortController().signal,
          workspace: root,
        }),
      );
    const h2Option = '[Options]\nhttp2: true\n';
    try {
      expect(
        await runText(
          `GET ${h2url}/\n${h2Option}HTTP/2 200\n[Asserts]\nversion == "2"\njsonpath "$.version" == "2.0"\n\nGET ${h2url}/\n${h2Option}HTTP/2 200\n[Asserts]\njsonpath "$.cookie" == "h2=yes"\n`,
        ),
      ).toBeUndefined();
      expect(await runText(`GET ${h2url}/\nHTTP/1.1 200\n[Asserts]\nversion == "1.1"\n`)).toBeUndefined();
      expect(await runText(`GET ${h1.url}/\n${h2Option}HTTP/1.1 200\n[Asserts]\nbody == "one"\n`)).toBeUndefined();
      expect(describeFailure((await runText(`GET ${h2url}/\nHTTP/2 200\n`))!)).toContain(
        'expected HTTP/2, actual HTTP/1.1',
      );
    } finally {
      await h1.close();
      await new Promise<void>((r) => h2.close(() => r()));
    }
  });
});
