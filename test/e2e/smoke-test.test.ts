// End-to-end: the committed dist/smoke-test bundle, run as the runner runs it, against real HTTP(S) servers.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStep } from '../../scripts/lib/local-runner.mjs';
import { freePort } from '../../scripts/lib/services.mjs';
import { selfSignedCert } from '../../scripts/lib/tls.mjs';
import { json, startServer, type TestServer } from '../support/servers';

const PASSWORD = 'pa55-Word-xyzzy-42';
const TOKEN = 'tok-9f8e7d6c5b4a-secret';

let api: TestServer;
let workspace: string;

beforeAll(async () => {
  api = await startServer((req, res, body) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/health') return json(res, 200, { status: 'ok', version: 'v2' });
    if (path === '/degraded') return json(res, 200, { status: 'degraded' });
    if (path === '/slow') return void setTimeout(() => json(res, 200, { status: 'ok' }), 300);
    if (path === '/api/login') {
      const creds = JSON.parse(body || '{}') as { user?: string; password?: string };
      return creds.password === PASSWORD
        ? json(res, 200, { token: TOKEN })
        : json(res, 401, { error: 'bad credentials' });
    }
    if (path === '/api/items') {
      return req.headers.authorization === `Bearer ${TOKEN}`
        ? json(res, 200, {
            items: [
              { id: 1, name: 'widget' },
              { id: 2, name: 'gadget' },
            ],
          })
        : json(res, 401, { error: 'unauthorized' });
    }
    if (path === '/session/login') {
      return json(res, 200, { ok: true }, { 'Set-Cookie': 'sid=s-42; Path=/; HttpOnly' });
    }
    if (path === '/session/me') {
      return /(^|; )sid=s-42(;|$)/.test(req.headers.cookie ?? '')
        ? json(res, 200, { user: 'ci', age: 30 })
        : json(res, 401, { error: 'no session' });
    }
    if (path === '/upgrade') {
      res.writeHead(101, { Connection: 'Upgrade', Upgrade: 'websocket' });
      return void res.end();
    }
    return json(res, 404, { error: 'not found' });
  });
  workspace = mkdtempSync(join(tmpdir(), 'smoke-ws-'));
});
afterAll(() => api.close());

function spec(name: string, text: string): string {
  writeFileSync(join(workspace, name), text);
  return name;
}

const smoke = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runStep('smoke-test', 'main', { inputs, cwd: workspace, env: { GITHUB_WORKSPACE: workspace, ...env } });

describe('simple URL checks', () => {
  test('a healthy endpoint passes; outputs, summary and JUnit report are written', async () => {
    const step = await smoke({
      url: `${api.url}/health\n${api.url}/health?again=1`,
      'body-contains': 'ok',
      assertions: 'jsonpath "$.status" == "ok"\nduration < 5000',
    });
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ passed: 'true', total: '2', failed: '0', flaky: '0', reason: '' });
    expect(Number(step.outputs['p95-latency-ms'])).toBeGreaterThanOrEqual(0);
    expect(step.summary).toContain('### Smoke test: ✅ passed');
    expect(step.summary).toContain(`| GET ${api.url}/health | ✅ passed |`);
    const junit = readFileSync(step.outputs['junit-report']!, 'utf8');
    expect(junit).toContain('<testsuite name="smoke-test" tests="2" failures="0"');
  });

  test('a failing assertion fails the step with expected vs actual', async () => {
    const step = await smoke({ url: `${api.url}/degraded`, assertions: 'jsonpath "$.status" == "ok"' });
    expect(step.exitCode).toBe(1);
    expect(step.outputs.passed).toBe('false');
    expect(step.outputs.failed).toBe('1');
    expect(step.outputs.reason).toContain('jsonpath "$.status" == "ok"');
    expect(step.outputs.reason).toContain('degraded');
    expect(step.summary).toContain('❌ failed');
    const errors = step.annotations.filter((a) => a.level === 'error');
    expect(errors.at(-1)?.message).toMatch(/^smoke test failed: 1 of 1 check\(s\) failed: /);
  });

  test('waits for a server that starts late, and for one that answers 503 for a while', async () => {
    const port = await freePort();
    const started = Date.now();
    let late: TestServer | undefined;
    const timer = setTimeout(() => {
      void startServer((_req, res) => json(res, 200, { status: 'ok' }), { port }).then((server) => (late = server));
    }, 1500);
    const warming = await startServer((_req, res) =>
      Date.now() - started < 2000 ? json(res, 503, { status: 'starting' }) : json(res, 200, { status: 'ok' }),
    );
    try {
      const step = await smoke({
        url: `http://127.0.0.1:${port}/health\n${warming.url}/health`,
        'ready-timeout': '20s',
        'ready-interval': '200ms',
      });
      expect(step.exitCode).toBe(0);
      expect(step.outputs.passed).toBe('true');
      expect(warming.requests.length).toBeGreaterThan(1);
    } finally {
      clearTimeout(timer);
      await late?.close();
      await warming.close();
    }
  });

  test('a server that never comes up fails at the readiness deadline', async () => {
    const port = await freePort();
    const step = await smoke({
      url: `http://127.0.0.1:${port}/health`,
      'ready-timeout': '1s',
      'ready-interval': '100ms',
    });
    expect(step.exitCode).toBe(1);
    expect(step.outputs.reason).toMatch(
      /not ready within 1\.00s: GET http:\/\/127\.0\.0\.1:\d+\/health: .*ECONNREFUSED/,
    );
  });

  test('a slow endpoint fails its latency assertion', async () => {
    const step = await smoke({ url: `${api.url}/slow`, assertions: 'duration < 100' });
    expect(step.exitCode).toBe(1);
    expect(step.outputs.reason).toMatch(/duration < 100/);
  });

  test('the flake budget re-runs a failing check and reports it as flaky', async () => {
    let n = 0;
    const flaky = await startServer((_req, res) => json(res, 200, { status: n++ % 2 === 0 ? 'degraded' : 'ok' }));
    try {
      const step = await smoke({
        url: `${flaky.url}/health`,
        assertions: 'jsonpath "$.status" == "ok"',
        'flake-budget': '2',
      });
      expect(step.exitCode).toBe(0);
      expect(step.outputs).toMatchObject({ passed: 'true', flaky: '1' });
      expect(step.summary).toContain('⚠️ flaky (2 runs)');
    } finally {
      await flaky.close();
    }
  });
});

describe('Hurl specs', () => {
  test('a flow with captures and secret variables passes, and no secret leaks anywhere', async () => {
    const file = spec(
      'flow.hurl',
      `# log in, then list items with the token
POST {{base}}/api/login
Content-Type: application/json
{"user": "ci", "password": "{{password}}"}
HTTP 200
[Captures]
token: jsonpath "$.token" redact

GET {{base}}/api/items
Authorization: Bearer {{token}}
HTTP 200
[Asserts]
jsonpath "$.items" count == 2
jsonpath "$.items[0].name" == "widget"
header "Content-Type" contains "json"
`,
    );
    const step = await smoke({ spec: file, variables: `base=${api.url}`, 'secret-variables': `password=${PASSWORD}` });
    expect(step.exitCode).toBe(0);
    expect(step.outputs.passed).toBe('true');
    const junit = readFileSync(step.outputs['junit-report']!, 'utf8');
    for (const secret of [PASSWORD, TOKEN]) {
      for (const [where, text] of Object.entries({
        log: step.log,
        stderr: step.stderr,
        outputs: JSON.stringify(step.outputs),
        summary: step.summary,
        junit,
      })) {
        expect(`${where}: ${text.includes(secret)}`).toBe(`${where}: false`);
      }
    }
    expect(step.masks).toEqual(expect.arrayContaining([PASSWORD, TOKEN]));
  });

  test('a failing spec assertion is annotated on its file and line', async () => {
    const file = spec(
      'items.hurl',
      `POST ${api.url}/api/login
{"password": "wrong"}
HTTP 200
`,
    );
    const step = await smoke({ spec: file });
    expect(step.exitCode).toBe(1);
    const annotation = step.annotations.find((a) => a.file === 'items.hurl');
    expect(annotation).toMatchObject({ level: 'error', line: 3 });
    expect(step.summary).toContain('items.hurl:3');
    expect(readFileSync(step.outputs['junit-report']!, 'utf8')).toContain('<failure message=');
  });

  test('a spec whose requests assert nothing fails: zero assertions is not a pass', async () => {
    const file = spec('empty.hurl', `GET ${api.url}/health\n`);
    const step = await smoke({ spec: file });
    expect(step.exitCode).toBe(1);
    expect(step.log).toContain('no assertion was executed');
  });
});

describe('HTTPS', () => {
  const cert = selfSignedCert({ validDays: 30 });
  let secure: TestServer;
  beforeAll(async () => {
    secure = await startServer((_req, res) => json(res, 200, { status: 'ok' }), { tls: cert });
  });
  afterAll(() => secure.close());

  test('trusts a CA file and checks certificate expiry', async () => {
    const file = spec(
      'tls.hurl',
      `GET ${secure.url}/health
HTTP 200
[Asserts]
certificate "Expire-Date" daysAfterNow > 20
certificate "Subject" contains "127.0.0.1"
`,
    );
    const step = await smoke({ spec: file, 'ca-file': cert.certFile });
    expect(step.log).not.toContain('::error');
    expect(step.exitCode).toBe(0);
  });

  test('an untrusted certificate fails at once, without waiting out the readiness deadline', async () => {
    const step = await smoke({ url: `${secure.url}/health`, 'ready-timeout': '30s' });
    expect(step.exitCode).toBe(1);
    expect(step.outputs.reason).toMatch(/certificate/i);
    expect(step.durationMs).toBeLessThan(20_000);
  });
});

describe('bad input: one line, exit 1, no request sent', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    [
      'no url and no spec',
      {},
      /^Input 'url': nothing to check\. Fix: set `url:` to the address to check, or `spec:` to Hurl files$/,
    ],
    [
      'invalid URL',
      { url: 'htp:/nowhere' },
      /^Input 'url': 'htp:\/nowhere' has scheme htp:\. Fix: use http: or https:$/,
    ],
    ['negative timeout', { url: 'http://127.0.0.1:9/', timeout: '-5s' }, /^Input 'timeout': '-5s' is not a duration/],
    [
      'unknown assertion',
      { url: 'http://127.0.0.1:9/', assertions: 'jsonpath "$.a" almostEquals 3' },
      /^Input 'assertions': line 1: /,
    ],
    [
      'bad expected status',
      { url: 'http://127.0.0.1:9/', 'expected-status': '2xy' },
      /^Input 'expected-status': '2xy'/,
    ],
    ['missing spec file', { spec: 'nope.hurl' }, /^Input 'spec': 'nope\.hurl' does not exist/],
  ];
  test.each(cases)('%s', async (_name, inputs, message) => {
    const before = api.requests.length;
    const step = await smoke(inputs);
    expect(step.exitCode).toBe(1);
    const errors = step.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(step.annotations[0]!.message).toMatch(message);
    expect(api.requests.length).toBe(before);
    expect(existsSync(join(step.files.dir, 'smoke-test-junit.xml'))).toBe(false);
  });

  test('a spec that does not parse: every error annotated with file, line and column; outputs and summary set', async () => {
    const before = api.requests.length;
    const file = spec(
      'broken.hurl',
      `GET ${api.url}/health\nX-Bad: \\q\nHTTP 200\n[Asserts]\njsonpath "$.status" === "ok"\n\nGET ${api.url}/health\n[Options]\nhttp3: true\n`,
    );
    const step = await smoke({ spec: file });
    expect(step.exitCode).toBe(1);
    const specErrors = step.annotations.filter((a) => a.title === 'Hurl spec error');
    expect(specErrors.map((a) => [a.file, a.line])).toEqual([
      ['broken.hurl', 2],
      ['broken.hurl', 5],
      ['broken.hurl', 9],
    ]);
    expect(specErrors[0]!.message).toBe("invalid escape '\\q'; allowed here: \\\\ \\b \\f \\n \\r \\t \\u{…} \\#");
    expect(step.stdout).toContain('file=broken.hurl,line=9,col=1');
    expect(specErrors[2]!.message).toMatch(/option 'http3' is unsupported/);
    expect(step.outputs).toMatchObject({ passed: 'false', failed: '1' });
    expect(step.outputs.reason).toMatch(/^3 error\(s\) in spec files, no request sent: broken\.hurl:2:8: /);
    expect(step.summary).toContain('broken.hurl:5:');
    expect(step.stdout).not.toMatch(/\n\s+at /);
    expect(api.requests.length).toBe(before);
  });

  test('a multipart file outside the workspace is bad input; no request is sent', async () => {
    const before = api.requests.length;
    const file = spec('upload.hurl', `POST ${api.url}/health\n[Multipart]\nf: file,../../../etc/passwd;\nHTTP 200\n`);
    const step = await smoke({ spec: file });
    expect(step.exitCode).toBe(1);
    expect(step.annotations[0]).toMatchObject({ file: 'upload.hurl', line: 3 });
    expect(step.annotations[0]!.message).toMatch(/outside the workspace/);
    expect(api.requests.length).toBe(before);
  });
});

describe('Hurl files as Hurl runs them', () => {
  test('a login flow keeps its cookies; variables and captures are typed; HURL_VARIABLE_* is read', async () => {
    const file = spec(
      'session.hurl',
      [
        'POST {{base}}/session/login',
        'HTTP 200',
        '',
        'GET {{base}}/session/me',
        'HTTP 200',
        '[Captures]',
        'age: jsonpath "$.age"',
        '[Asserts]',
        'variable "age" == {{expected_age}}',
        'variable "expected_age" isInteger',
        'variable "from_env" == true',
        'jsonpath "$.user" == "{{user}}"',
      ].join('\n'),
    );
    const step = await smoke(
      { spec: file, variables: `base=${api.url}\nexpected_age=30\nuser=ci` },
      { HURL_VARIABLE_from_env: 'true' },
    );
    expect(step.outputs.reason).toBe('');
    expect(step.exitCode).toBe(0);
  });

  test('a variables file is read as Hurl reads it; `variables` wins over it', async () => {
    writeFileSync(join(workspace, 'smoke.env'), `# staging\nbase=${api.url}\nexpected_age=31\n\nuser=ci\n`);
    const file = spec('vars.hurl', 'GET {{base}}/session/me\nHTTP 401\n[Asserts]\nvariable "expected_age" == 30\n');
    const step = await smoke({ spec: file, 'variables-file': 'smoke.env', variables: 'expected_age=30' });
    expect(step.outputs.reason).toBe('');
    expect(step.exitCode).toBe(0);
  });

  test('a 101 Switching Protocols reply ends in a clear failure with outputs, never a silent exit 0', async () => {
    const file = spec('upgrade.hurl', `GET ${api.url}/upgrade\nHTTP 101\n`);
    const step = await smoke({ spec: file, 'ready-timeout': '2s' });
    expect(step.exitCode).toBe(1);
    expect(step.outputs.passed).toBe('false');
    expect(step.outputs.reason).toMatch(/switched protocols/);
    expect(step.summary).toContain('upgrade.hurl');
  });
});
