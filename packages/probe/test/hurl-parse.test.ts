import { describe, expect, test } from '@jest/globals';
import { parseAssertLines, parseHurl, type SpecError, SpecErrors, templateSource } from '../src/spec';
import { parseJsonTyped, typedVariable } from '../src/hurl/value';
import { render, renderJson } from '../src/hurl/template';

const flow = `# Log in and list items
POST {{base}}/api/login?x=1
Content-Type: application/json
X-Trace: smoke  # not sent
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
HTTP/1.1 200
[Asserts]
jsonpath "$.items" count == 2
header "X-Debug" not exists
body matches /widget/

POST {{base}}/form
[FormParams]
name: a b
HTTP *
`;

function errorsOf(text: string): SpecError[] {
  try {
    parseHurl(text, 'e.hurl');
  } catch (error) {
    if (error instanceof SpecErrors) return error.errors;
    throw error;
  }
  throw new Error('expected the file not to parse');
}

describe('parseHurl', () => {
  const file = parseHurl(flow, 'flow.hurl');

  test('entries, lines, headers, sections, bodies and status lines', () => {
    expect(
      file.entries.map((e) => [e.line, e.request.method, e.response?.line, e.response?.version, e.response?.status]),
    ).toEqual([
      [2, 'POST', 9, 'HTTP', 200],
      [18, 'GET', 27, 'HTTP/1.1', 200],
      [33, 'POST', 36, 'HTTP', undefined],
    ]);
    const [login, items] = file.entries;
    expect(login!.request.headers.map((h) => [h.line, templateSource(h.name), templateSource(h.value)])).toEqual([
      [3, 'Content-Type', 'application/json'],
      [4, 'X-Trace', 'smoke'],
    ]);
    expect(login!.request.body).toMatchObject({ kind: 'json', line: 5 });
    const body = login!.request.body as { template: Parameters<typeof render>[0] };
    expect(JSON.parse(renderJson(body.template, { password: 'p"w' }, 'f'))).toEqual({ user: 'ci', password: 'p"w' });
    expect(login!.response!.captures.map((c) => [c.line, c.name, c.redact, c.filters.map((f) => f.kind)])).toEqual([
      [12, 'token', true, []],
      [13, 'id', false, ['regex', 'toInt']],
    ]);
    expect(items!.request.queryParams.map((q) => [templateSource(q.name), templateSource(q.value)])).toEqual([
      ['page', '2'],
      ['q', 'red shoes'],
    ]);
    expect(items!.request.options.map((o) => [o.name, o.value])).toEqual([
      ['retry', { kind: 'integer', value: 3n }],
      ['retry-interval', { kind: 'string', template: [{ text: '250ms' }] }],
    ]);
  });

  test('every section under its current name and its old alias', () => {
    const f = parseHurl(
      `POST http://h/a
[Query]
a: 1
[QueryStringParams]
b: 2
[Form]
c: 3
[FormParams]
d: 4
[Cookies]
e: 5
[BasicAuth]
user: pass
[Options]
location: true

POST http://h/b
[Multipart]
f: file,x.txt; text/plain
[MultipartFormData]
g: 7
`,
      's.hurl',
    );
    const [a, b] = f.entries.map((e) => e.request);
    expect(a!.queryParams).toHaveLength(2);
    expect(a!.formParams).toHaveLength(2);
    expect(a!.cookies).toHaveLength(1);
    expect(a!.basicAuth && templateSource(a!.basicAuth.value)).toBe('pass');
    expect(
      b!.multipart.map((p) => [templateSource(p.name), p.file && templateSource(p.file.path), p.file?.contentType]),
    ).toEqual([
      ['f', 'x.txt', 'text/plain'],
      ['g', undefined, undefined],
    ]);
  });

  test('templates in header names, URLs, option values; comments and escapes in values', () => {
    const f = parseHurl(
      'GET {{ base }}/x\n{{key}}: {{value}}\nHost: x  # comment\nX-A: a\\#b\\u{2708}\n[Options]\ndelay: {{d}}\n',
      't.hurl',
    );
    const r = f.entries[0]!.request;
    expect(templateSource(r.url)).toBe('{{base}}/x');
    const vars = { key: 'X-Key', value: 'v', base: 'http://h', d: 5n };
    expect(r.headers.map((h) => [render(h.name, vars, 't'), render(h.value, vars, 't')])).toEqual([
      ['X-Key', 'v'],
      ['Host', 'x'],
      ['X-A', 'a#b✈'],
    ]);
    expect(r.options[0]).toMatchObject({ name: 'delay', value: { kind: 'string', template: [{ expr: 'd' }] } });
  });

  test('implicit response bodies of every kind', () => {
    const kinds = (text: string) => parseHurl(`GET http://h/\nHTTP 200\n${text}`, 'b.hurl').entries[0]!.response!.body;
    expect(kinds('{"a": [1, 2]}\n')).toMatchObject({ kind: 'json' });
    expect(kinds('[\n  1,\n  2\n]\n')).toMatchObject({ kind: 'json' });
    expect(kinds('<a>\n  <b/>\n</a>\n')).toMatchObject({ kind: 'xml' });
    expect(kinds('```json\n{"a": 1}\n```\n')).toMatchObject({ kind: 'json', template: [{ text: '{"a": 1}\n' }] });
    expect(kinds('```\nplain\n```\n')).toMatchObject({ kind: 'text', template: [{ text: 'plain\n' }] });
    expect(kinds('`one line`\n')).toMatchObject({ kind: 'text', template: [{ text: 'one line' }] });
    expect(kinds('base64,aGk=;\n')).toEqual({ kind: 'bytes', line: 3, bytes: Buffer.from('hi') });
    expect(kinds('hex,6869;\n')).toEqual({ kind: 'bytes', line: 3, bytes: Buffer.from('hi') });
    expect(kinds('file,expected.json;\n')).toMatchObject({ kind: 'file', path: [{ text: 'expected.json' }] });
  });

  test('a JSON body line that starts like a key is still a body; a templated key is a header', () => {
    const f = parseHurl('POST http://h/\n{{name}}: x\n{"a": 1}\n', 'j.hurl');
    expect(f.entries[0]!.request.headers).toHaveLength(1);
    expect(f.entries[0]!.request.body).toMatchObject({ kind: 'json' });
  });

  test('predicate values keep Hurl types', () => {
    const [a, b, c, d, e] = parseAssertLines(
      'jsonpath "$.a" == 1\njsonpath "$.a" == 1.0\njsonpath "$.a" == "1"\njsonpath "$.a" == {{x}}\nbytes == hex,00ff;',
      't',
    );
    expect([a, b, c, d, e].map((x) => x!.predicate.value!.kind)).toEqual([
      'integer',
      'float',
      'string',
      'placeholder',
      'bytes',
    ]);
  });

  test('every error of a file is reported, each with file:line:column, before anything runs', () => {
    const errors = errorsOf(`GET http://h/
X-Bad: \\q
HTTP 200
[Asserts]
status === 200
jsonpath "$.a" almostEquals 3
body count == 1 trailing

GET http://h/
[Options]
http3: true
ntlm: true
frobnicate: 1
HTTP 200
[Asserts]
header "X" toUpper == "A"
`);
    expect(errors.map((e) => e.message)).toEqual([
      "e.hurl:2:8: invalid escape '\\q'; allowed here: \\\\ \\b \\f \\n \\r \\t \\u{…} \\#",
      expect.stringMatching(/^e\.hurl:5:8: unknown predicate '==='/),
      expect.stringMatching(/^e\.hurl:6:16: unknown predicate 'almostEquals'/),
      "e.hurl:7:17: unexpected 'trailing'",
      "e.hurl:11:1: option 'http3' is unsupported by deploy-actions smoke-test (see docs/actions/smoke-test.md)",
      "e.hurl:12:1: option 'ntlm' is unsupported by deploy-actions smoke-test (see docs/actions/smoke-test.md)",
      expect.stringMatching(/^e\.hurl:13:1: unknown option 'frobnicate'/),
      expect.stringMatching(/^e\.hurl:16:12: unknown predicate 'toUpper'/),
    ]);
    for (const e of errors) {
      expect(e.file).toBe('e.hurl');
      expect(e.message).not.toContain('\n');
    }
  });

  const invalid: Array<[string, string, string]> = [
    ['not a request', 'hello world\n', 'e.hurl:1:1: expected a request line'],
    ['response first', 'HTTP 200\n', 'e.hurl:1:1: a response line (HTTP <status>) needs a request line before it'],
    ['unknown section', 'GET http://h/\n[Headers]\nx: y\n', 'e.hurl:2:1: unknown section [Headers]'],
    [
      'misplaced section',
      'GET http://h/\n[Asserts]\nstatus == 200\n',
      'e.hurl:2:1: [Asserts] belongs after the response line',
    ],
    [
      'request section after response',
      'GET http://h/\nHTTP 200\n[Query]\na: 1\n',
      'e.hurl:3:1: [Query] belongs to the request',
    ],
    ['bad status line', 'GET http://h/\nHTTP two\n', "e.hurl:2:1: expected 'HTTP <status>'"],
    ['bad version', 'GET http://h/\nHTTP/1.2 200\n', "e.hurl:2:1: expected 'HTTP <status>' with version"],
    ['unclosed JSON', 'POST http://h/\n{"a": 1\n', 'e.hurl:2:1: JSON body is not closed'],
    ['invalid JSON', 'POST http://h/\n{"a": }\n', 'e.hurl:2:1: invalid JSON body'],
    ['unclosed multiline', 'POST http://h/\n```\nabc\n', 'e.hurl:2:1: multiline string is not closed'],
    [
      'unknown multiline type',
      'POST http://h/\n```yaml\na: 1\n```\n',
      "e.hurl:2:4: unknown multiline string type 'yaml'",
    ],
    [
      'code point too large',
      'GET http://h/\nX: \\u{110000}\n',
      'e.hurl:2:4: invalid unicode escape \\u{110000}: not a Unicode scalar value',
    ],
    ['surrogate escape', 'GET http://h/\nX: \\u{D800}\n', 'e.hurl:2:4: invalid unicode escape \\u{D800}'],
    [
      'unclosed unicode escape',
      'GET http://h/\nX: \\u{41\n',
      'e.hurl:2:4: invalid unicode escape: write \\u{hex digits}',
    ],
    [
      'escape in quoted string',
      'GET http://h/\nHTTP 200\n[Asserts]\nbody == "\\x"\n',
      "e.hurl:4:10: invalid escape '\\x'",
    ],
    ['unknown query', 'GET http://h/\nHTTP 200\n[Asserts]\nhtml "a" exists\n', "e.hurl:4:1: unknown query 'html'"],
    ['missing predicate', 'GET http://h/\nHTTP 200\n[Asserts]\nstatus\n', 'e.hurl:4:7: missing predicate'],
    ['bad regex', 'GET http://h/\nHTTP 200\n[Asserts]\nbody matches /(/\n', 'e.hurl:4:14: invalid regex'],
    [
      'bad certificate field',
      'GET http://h/\nHTTP 200\n[Asserts]\ncertificate "Owner" exists\n',
      "e.hurl:4:1: certificate field 'Owner'",
    ],
    [
      'bad option value',
      'GET http://h/\n[Options]\nlocation: maybe\n',
      "e.hurl:3:1: option 'location' takes true or false",
    ],
    ['bad template', 'GET http://h/{{a b}}\n', "e.hurl:1:14: unsupported placeholder '{{a b}}'"],
    ['unclosed template', 'GET http://h/{{a\n', 'e.hurl:1:14: placeholder is not closed'],
    ['URL without scheme', 'GET example.com/x\n', "e.hurl:1:5: 'example.com/x' is not an http:// or https:// URL"],
    ['bad hex', 'POST http://h/\nhex,zz;\n', 'e.hurl:2:1: invalid hex data'],
    [
      'jsonpath without $',
      'GET http://h/\nHTTP 200\n[Asserts]\njsonpath "a.b" exists\n',
      'e.hurl:4:1: a JSONPath expression starts with $',
    ],
    ['two basic auths', 'GET http://h/\n[BasicAuth]\na: b\nc: d\n', 'e.hurl:4:1: [BasicAuth] takes exactly one'],
  ];
  test.each(invalid)('%s is an error naming file:line:column', (_name, text, message) => {
    const errors = errorsOf(text);
    expect(errors[0]!.message.startsWith(message)).toBe(true);
  });

  test('errors are capped so the first ones are not buried', () => {
    const text = Array.from({ length: 40 }, (_, i) => `GET http://h/${i}\nX: \\q\n`).join('\n');
    expect(errorsOf(text)).toHaveLength(20);
  });

  test('assertion lines from an input report "line N"', () => {
    expect(() => parseAssertLines('status == 200\njsonpath "$.a" almostEquals 3', 'assertions')).toThrow(
      /^line 2: unknown predicate 'almostEquals'/,
    );
  });
});

describe('real-world layouts', () => {
  test('values with colons, headers without a space, a multiline predicate value, comments between asserts, any method, indented lines', () => {
    const f = parseHurl(
      `GET http://h/x
  Authorization: Bearer a:b
  X-No-Space:value
  HTTP 200
  [Asserts]
  body == \`\`\`
  hello
  \`\`\`
  # comment between asserts
  jsonpath "$.a" == -1.5e3
  jsonpath "$.b" == -1
  header "Set-Cookie" regex "id=([^;]+)" == "1"
  {"done": true}

  PROPFIND http://h/dav
  HTTP 207
  `,
      's.hurl',
    );
    expect(f.entries).toHaveLength(2);
    const r = f.entries[0]!;
    expect(r.request.headers.map((h) => h.value)).toEqual([[{ text: 'Bearer a:b' }], [{ text: 'value' }]]);
    expect(r.response!.asserts.map((a) => a.predicate.value)).toEqual([
      { kind: 'string', template: [{ text: '  hello\n' }] },
      { kind: 'float', value: -1500 },
      { kind: 'integer', value: -1n },
      { kind: 'string', template: [{ text: '1' }] },
    ]);
    expect(r.response!.body).toMatchObject({ kind: 'json' });
    expect(f.entries[1]!.request.method).toBe('PROPFIND');
  });
});

describe('Hurl values', () => {
  test('variables are typed as Hurl types them', () => {
    expect(['30', '-2', '1.5', 'true', 'false', 'null', 'abc', '1.0.0', '30x'].map(typedVariable)).toEqual([
      30n,
      -2n,
      1.5,
      true,
      false,
      null,
      'abc',
      '1.0.0',
      '30x',
    ]);
  });

  test('JSON keeps integers and floats apart', () => {
    expect(
      parseJsonTyped('{"a": 1, "b": 1.0, "c": [1e2, -0], "d": 12345678901234567890, "__proto__": {"x": 1}}'),
    ).toEqual(
      Object.assign(Object.create(null) as object, {
        a: 1n,
        b: 1,
        c: [100, 0n],
        d: 12345678901234567890n,
        ['__proto__']: Object.assign(Object.create(null) as object, { x: 1n }),
      }),
    );
    expect(() => parseJsonTyped('{"a": 1,}')).toThrow(SyntaxError);
  });

  test('an unknown variable names file:line:col', () => {
    const f = parseHurl('GET http://h/{{nope}}\n', 'v.hurl');
    expect(() => render(f.entries[0]!.request.url, { base: 1n }, 'v.hurl')).toThrow(
      "v.hurl:1:14: unknown variable 'nope' (known: base)",
    );
  });
});
