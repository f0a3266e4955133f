import { describe, expect, test } from '@jest/globals';
import { parseAssertLines, parseHurl, SpecError } from '../src/spec';
import { evaluateAssert, type ResponseLike } from '../src/hurl/evaluate';
import { buildRequest } from '../src/hurl/run';
import { renderJsonTemplate, renderTemplate } from '../src/hurl/template';

const flow = `# Log in and list items
POST {{base}}/api/login?x=1
Content-Type: application/json
X-Trace: smoke
{
  "user": "ci",
  "password": "{{password}}"
}
HTTP 200
Content-Type: application/json
[Captures]
token: jsonpath "$.token" redact
id: header "X-Id" regex /(\\d+)/ toInt
[Asserts]
jsonpath "$.token" isString
duration < 1000

GET {{base}}/api/items
Authorization: Bearer {{token}}
[QueryStringParams]
page: 2
q: red shoes
[Options]
retry: 3
retry-interval: 250ms
HTTP 200
[Asserts]
jsonpath "$.items" count == 2
jsonpath "$.items[0].name" == "widget"
jsonpath "$.items[*].price" contains 9.5
header "X-Debug" not exists
body matches /widget/

POST {{base}}/form
[FormParams]
name: a b
HTTP *
`;

describe('parseHurl', () => {
  const file = parseHurl(flow, 'flow.hurl');

  test('entries, lines, headers, sections and bodies', () => {
    expect(file.entries.map((e) => [e.line, e.request.method, e.response?.line, e.response?.status])).toEqual([
      [2, 'POST', 9, 200],
      [18, 'GET', 26, 200],
      [34, 'POST', 37, undefined],
    ]);
    const [login, items, form] = file.entries;
    expect(login!.request.headers.map((h) => [h.line, h.name, h.value])).toEqual([
      [3, 'Content-Type', 'application/json'],
      [4, 'X-Trace', 'smoke'],
    ]);
    expect(login!.request.body).toMatchObject({ kind: 'json', line: 5 });
    expect(JSON.parse(renderJsonTemplate(login!.request.body!.template, { password: 'p"w' }, 'x'))).toEqual({
      user: 'ci',
      password: 'p"w',
    });
    expect(login!.response!.headers).toEqual([{ line: 10, name: 'Content-Type', value: 'application/json' }]);
    expect(login!.response!.captures.map((c) => [c.line, c.name, c.redact, c.filters.map((f) => f.kind)])).toEqual([
      [12, 'token', true, []],
      [13, 'id', false, ['regex', 'toInt']],
    ]);
    expect(items!.request.queryParams.map((q) => [q.name, q.value])).toEqual([
      ['page', '2'],
      ['q', 'red shoes'],
    ]);
    expect(items!.request.options).toMatchObject({ retry: 3, retryIntervalMs: 250 });
    expect(items!.response!.asserts.map((a) => [a.line, a.predicate.not, a.predicate.op])).toEqual([
      [28, false, '=='],
      [29, false, '=='],
      [30, false, 'contains'],
      [31, true, 'exists'],
      [32, false, 'matches'],
    ]);
    expect(form!.request.formParams).toEqual([{ line: 36, name: 'name', value: 'a b' }]);
  });

  test('builds the request with templates, query params, form bodies and content types', () => {
    const [login, items, form] = file.entries;
    const vars = { base: 'http://127.0.0.1:9', password: 'pw', token: 't0k' };
    expect(buildRequest(login!, vars, 'flow.hurl')).toMatchObject({
      method: 'POST',
      url: 'http://127.0.0.1:9/api/login?x=1',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(buildRequest(items!, vars, 'flow.hurl')).toMatchObject({
      url: 'http://127.0.0.1:9/api/items?page=2&q=red+shoes',
      headers: { Authorization: 'Bearer t0k' },
    });
    expect(buildRequest(form!, vars, 'flow.hurl')).toMatchObject({
      body: 'name=a+b',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
  });

  test('multiline and one-line bodies, basic auth, HTTP/1.1 status line', () => {
    const f = parseHurl(
      'PUT http://h/x\n[BasicAuth]\nbob: s3cret\n```\nline one\nline two\n```\nHTTP/1.1 204\n\nPOST http://h/y\n`raw text`\n',
      'b.hurl',
    );
    expect(f.entries[0]!.request.body).toEqual({ kind: 'text', line: 4, template: 'line one\nline two\n' });
    expect(buildRequest(f.entries[0]!, {}, 'b.hurl').headers!.Authorization).toBe(
      `Basic ${Buffer.from('bob:s3cret').toString('base64')}`,
    );
    expect(f.entries[0]!.response!.status).toBe(204);
    expect(f.entries[1]!.request.body).toEqual({ kind: 'text', line: 11, template: 'raw text' });
  });

  const errors: Array<[string, string, string]> = [
    ['not a request', 'hello world\n', 'e.hurl:1:1: expected a request line'],
    ['unknown section', 'GET http://h/\n[Cookies]\nx: y\n', 'e.hurl:2:1: [Cookies] is not supported by deploy-actions'],
    [
      'misplaced section',
      'GET http://h/\n[Asserts]\nstatus == 200\n',
      'e.hurl:2:1: [Asserts] belongs after the response line',
    ],
    ['unknown query', 'GET http://h/\nHTTP 200\n[Asserts]\nxpath "//a" exists\n', "e.hurl:4:1: unknown query 'xpath'"],
    [
      'unknown predicate',
      'GET http://h/\nHTTP 200\n[Asserts]\nstatus === 200\n',
      "e.hurl:4:8: unknown predicate '==='",
    ],
    ['missing predicate', 'GET http://h/\nHTTP 200\n[Asserts]\nstatus\n', 'e.hurl:4:7: missing predicate'],
    [
      'trailing junk',
      'GET http://h/\nHTTP 200\n[Asserts]\nstatus == 200 200\n',
      "e.hurl:4:15: unexpected '200' after the predicate",
    ],
    [
      'bad status line',
      'GET http://h/\nHTTP two hundred\n',
      "e.hurl:2:1: expected 'HTTP <status>' (e.g. HTTP 200 or HTTP *), got 'HTTP two hundred'",
    ],
    ['unclosed JSON', 'POST http://h/\n{"a": 1\n', 'e.hurl:2:1: JSON body is not closed'],
    ['file body', 'POST http://h/\nfile,data.bin;\n', 'e.hurl:2:1: file bodies are not supported'],
    [
      'unknown option',
      'GET http://h/\n[Options]\nvery-verbose: true\n',
      "e.hurl:3:1: option 'very-verbose' is not supported",
    ],
    ['infinite retry', 'GET http://h/\n[Options]\nretry: -1\n', 'e.hurl:3:1: retry: -1 (forever) is not allowed'],
    ['bad regex', 'GET http://h/\nHTTP 200\n[Asserts]\nbody matches /(/\n', 'e.hurl:4:14: invalid regex'],
    [
      'bad certificate field',
      'GET http://h/\nHTTP 200\n[Asserts]\ncertificate "Owner" exists\n',
      "e.hurl:4:20: certificate field 'Owner' is not one of",
    ],
  ];
  test.each(errors)('%s is a one-line error with file:line:column', (_name, text, message) => {
    let error: unknown;
    try {
      parseHurl(text, 'e.hurl');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as Error).message.startsWith(message)).toBe(true);
    expect((error as Error).message).not.toContain('\n');
  });

  test('assertion lines from an input report "line N"', () => {
    expect(() => parseAssertLines('status == 200\njsonpath "$.a" almostEquals 3', 'assertions')).toThrow(
      /^line 2: unknown predicate 'almostEquals'/,
    );
  });

  test('unknown template variables are named', () => {
    expect(() => renderTemplate('{{base}}/x', { other: 1 }, 'url')).toThrow(
      "url: unknown variable 'base' (known: other)",
    );
  });
});

describe('evaluate', () => {
  const response = (body: unknown, extra: Partial<ResponseLike> = {}): ResponseLike => ({
    url: 'http://h/',
    status: 200,
    headers: { 'content-type': 'application/json' },
    rawHeaders: [
      ['Content-Type', 'application/json'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
    ],
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    durationMs: 42,
    ...extra,
  });
  const check = (line: string, res: ResponseLike, vars: Record<string, unknown> = {}) =>
    evaluateAssert(parseAssertLines(line, 't')[0]!, res, vars, Date.parse('2026-01-01T00:00:00Z'), 't');
  const body = {
    status: 'ok',
    n: 3,
    f: 1.5,
    items: [
      { id: 1, name: 'widget' },
      { id: 2, name: 'gadget' },
    ],
    empty: [],
    flag: true,
    none: null,
  };

  const passing = [
    'status == 200',
    'status >= 200',
    'status < 300',
    'duration < 100',
    'jsonpath "$.status" == "ok"',
    'jsonpath "$.n" == 3',
    'jsonpath "$.n" isInteger',
    'jsonpath "$.f" isFloat',
    'jsonpath "$.f" isNumber',
    'jsonpath "$.flag" isBoolean',
    'jsonpath "$.flag" == true',
    'jsonpath "$.none" == null',
    'jsonpath "$.status" isString',
    'jsonpath "$.items" isCollection',
    'jsonpath "$.empty" isEmpty',
    'jsonpath "$.items" count == 2',
    'jsonpath "$.items[*].name" contains "gadget"',
    'jsonpath "$.items[1].name" startsWith "gad"',
    'jsonpath "$.items[1].name" endsWith "get"',
    'jsonpath "$.items[0].name" matches "^wid"',
    'jsonpath "$.items" nth 1 exists',
    'jsonpath "$.missing" not exists',
    'jsonpath "$.status" != "down"',
    'header "content-type" contains "json"',
    'header "Set-Cookie" count == 2',
    'header "Set-Cookie" contains "b=2"',
    'body contains "widget"',
    'bytes count > 10',
    'regex /"status":"(\\w+)"/ == "ok"',
    'jsonpath "$.status" == "{{expected}}"',
    'variable "expected" == "ok"',
    'jsonpath "$.n" toFloat == 3',
  ];
  test.each(passing)('%s', (line) => {
    const result = check(line, response(body), { expected: 'ok' });
    expect({ line, ok: result.ok, result }).toMatchObject({ line, ok: true });
  });

  const failing: Array<[string, string, string]> = [
    ['jsonpath "$.status" == "degraded"', '"degraded"', '"ok"'],
    ['jsonpath "$.n" == "3"', '"3"', '3'],
    ['jsonpath "$.items" count == 3', '3', '2'],
    ['status == 201', '201', '200'],
    ['duration < 10', '< 10', '42'],
    ['header "X-Missing" exists', 'exists', 'nothing'],
    ['jsonpath "$.status" not isString', 'not isString', '"ok"'],
  ];
  test.each(failing)('%s fails with expected %s, actual %s', (line, expected, actual) => {
    expect(check(line, response(body))).toMatchObject({ ok: false, expected, actual });
  });

  test('a non-JSON body fails jsonpath with a reason', () => {
    expect(check('jsonpath "$.a" exists', response('<html>'))).toMatchObject({
      ok: false,
      message: expect.stringContaining('response body is not JSON'),
    });
  });

  test('certificate expiry in days', () => {
    const certificate = {
      subject: 'CN=h',
      issuer: 'CN=h',
      validFrom: new Date('2025-12-01T00:00:00Z'),
      validTo: new Date('2026-01-31T00:00:00Z'),
    };
    expect(check('certificate "Expire-Date" daysAfterNow > 29', response(body, { certificate }))).toMatchObject({
      ok: true,
      actual: '30',
    });
    expect(check('certificate "Expire-Date" daysAfterNow > 45', response(body, { certificate }))).toMatchObject({
      ok: false,
      actual: '30',
    });
    expect(check('certificate "Start-Date" daysBeforeNow == 31', response(body, { certificate }))).toMatchObject({
      ok: true,
    });
    expect(check('certificate "Expire-Date" exists', response(body))).toMatchObject({
      ok: false,
      message: 'no TLS certificate (not an https response)',
    });
  });
});
