// The check entry (@deploy-actions/probe/check): the status check against a real HTTP server, and
// the promise it exists for, that it loads none of the Hurl engine's libraries.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { type Clock, MemoryLogger, request } from '@deploy-actions/core';
import { runSmoke, type Send, statusCheck } from '../src/check';
import { parseAssertLines, urlCheck } from '../src/index';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

function fakeClock(): Clock {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
}

const send: Send = (req, signal) => request({ timeoutMs: 5_000, ...req, signal });
const options = () => ({
  readyTimeoutMs: 10_000,
  readyIntervalMs: 500,
  flakeBudget: 0,
  parallelism: 1,
  clock: fakeClock(),
  log: new MemoryLogger(),
});
const get = (url: string, expectedStatus = '2xx') => ({ url, method: 'GET', headers: [], expectedStatus });

describe('statusCheck against a real server', () => {
  let server: Server;
  let base: string;
  const hits: Record<string, number> = {};
  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      hits[path] = (hits[path] ?? 0) + 1;
      // /starting answers 503 twice, as a service does while it comes up.
      const status = path === '/health' ? 200 : path === '/starting' ? (hits[path]! <= 2 ? 503 : 200) : 404;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: status === 200 ? 'ok' : 'starting' }));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((done) => server.close(done));
  });

  test('a 2xx answer passes on its status assertion', async () => {
    const report = await runSmoke([statusCheck(get(`${base}/health`), send)], options());
    expect(report).toMatchObject({ passed: true, assertionCount: 1 });
    expect(report.results[0]!.steps[0]).toMatchObject({ request: `GET ${base}/health`, status: 200 });
  });

  test('503 is "not ready yet": waited for, then asserted once', async () => {
    const report = await runSmoke([statusCheck(get(`${base}/starting`), send)], options());
    expect(report.passed).toBe(true);
    expect(report.results[0]).toMatchObject({ status: 'passed', attempts: 1 });
    expect(hits['/starting']).toBe(3);
  });

  test('a wrong status that is not 502/503/504 fails at once, naming the request', async () => {
    const report = await runSmoke([statusCheck(get(`${base}/missing`), send)], options());
    expect(report.passed).toBe(false);
    expect(report.results[0]!.reason).toBe(`GET ${base}/missing: HTTP 2xx: expected 2xx, actual 404`);
    expect(hits['/missing']).toBe(1);
  });

  test('a refused connection is waited for until the deadline, then fails with its cause', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/health`;
    await new Promise((done) => closed.close(done));
    const report = await runSmoke([statusCheck(get(url), send)], options());
    expect(report.passed).toBe(false);
    expect(report.results[0]!.reason).toMatch(new RegExp(`^not ready within 10\\.0s: GET ${url}: .*ECONNREFUSED`));
    expect(report.results[0]!.steps[0]).toMatchObject({ retryable: true });
  });

  test("the main entry's urlCheck adds the Hurl assertions after the status", async () => {
    const asserts = parseAssertLines('jsonpath "$.status" == "ok"\njsonpath "$.status" == "up"', 'assertions');
    const report = await runSmoke(
      [urlCheck({ ...get(`${base}/health`, '200'), asserts, variables: {} }, send)],
      options(),
    );
    expect(report.results[0]!.steps[0]!.assertions).toEqual([
      { source: 'HTTP 200', ok: true, expected: '200', actual: '200' },
      expect.objectContaining({ source: 'jsonpath "$.status" == "ok"', ok: true }),
      expect.objectContaining({ source: 'jsonpath "$.status" == "up"', ok: false, actual: '"ok"' }),
    ]);
  });
});

/**
 * The packages a module loads at run time, directly or through the package's own modules. `import
 * type` and `export type` are erased; an import with only inline `type` names is not (with
 * verbatimModuleSyntax it stays as `import {} from`), so it is followed.
 */
function runtimePackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
    for (const statement of source.statements) {
      const typeOnly =
        (ts.isImportDeclaration(statement) && statement.importClause?.isTypeOnly) ||
        (ts.isExportDeclaration(statement) && statement.isTypeOnly);
      const specifier =
        (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier;
      if (typeOnly || !specifier || !ts.isStringLiteral(specifier)) continue;
      if (specifier.text.startsWith('.')) visit(`${resolve(dirname(file), specifier.text)}.ts`);
      else if (!specifier.text.startsWith('node:')) packages.add(specifier.text);
    }
  };
  visit(entry);
  return packages;
}

describe('the check entry', () => {
  const engine = ['json-p3', 'tough-cookie', 'parse5', 'xpath', '@xmldom/xmldom'];

  test('loads only core, none of the Hurl engine', () => {
    expect([...runtimePackages(join(src, 'check.ts'))]).toEqual(['@deploy-actions/core']);
  });

  test('while the main entry loads the whole engine', () => {
    expect([...runtimePackages(join(src, 'index.ts'))]).toEqual(expect.arrayContaining(engine));
  });
});
