import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  endLeftovers,
  exec,
  InputError,
  leftovers,
  markdown,
  parseLeftovers,
  request,
  SecretRegistry,
} from '@deploy-actions/core';
import { Inputs } from '@deploy-actions/core/runner';

const HOSTILE = 'p&"<>|\' +~*!x/y=z%41';

describe('every form a secret takes on the way out is redacted', () => {
  const secrets = new SecretRegistry();
  secrets.add(HOSTILE);
  const forms: Record<string, string> = {
    raw: HOSTILE,
    base64: Buffer.from(HOSTILE).toString('base64'),
    'URL component': encodeURIComponent(HOSTILE),
    'form-encoded': new URLSearchParams({ v: HOSTILE }).toString().slice(2),
    'JSON-escaped': JSON.stringify(HOSTILE).slice(1, -1),
    'XML-escaped': HOSTILE.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
    'Markdown cell': markdown.escapeCell(HOSTILE),
  };
  test.each(Object.entries(forms))('%s', (_form, text) => {
    expect(text).not.toBe('');
    const redacted = secrets.redact(`before ${text} after`);
    expect(redacted).toBe('before *** after');
    expect(secrets.contains(`x${text}x`)).toBe(true);
  });
  test('a value no URL encoder accepts (a lone surrogate) is still registered raw', () => {
    const s = new SecretRegistry();
    s.add('ab\ud800cd');
    expect(s.redact('x ab\ud800cd y')).toBe('x *** y');
  });
  test('base64 of user:password, and the userinfo of a URL', () => {
    const s = new SecretRegistry();
    s.addUrlCredentials('https://ci:p%40ss@prometheus.example/');
    expect(s.redact(`Basic ${Buffer.from('ci:p@ss').toString('base64')} p@ss p%40ss`)).toBe('Basic *** *** ***');
  });
  test('a URL password anywhere in any input is registered when the input is read', () => {
    const secrets = new SecretRegistry();
    const inputs = new Inputs(secrets, {
      INPUT_URL: 'https://status.example/health\nhttps://probe:pr0be-pw@shop.example/ready',
    });
    expect(inputs.lines('url')).toHaveLength(2);
    expect(secrets.redact('GET https://probe:pr0be-pw@shop.example/ready')).toBe(
      'GET https://probe:***@shop.example/ready',
    );
  });
  test('Inputs.url registers the password of any URL input before validating it', () => {
    const s = new Inputs(new SecretRegistry(), { 'INPUT_PROMETHEUS-URL': 'https://ci:hunter22@prom.example/' });
    expect(s.url('prometheus-url')).toBe('https://ci:hunter22@prom.example/');
    const bad = new Inputs(new SecretRegistry(), { 'INPUT_PROMETHEUS-URL': 'ftp://ci:hunter22@prom.example/' });
    expect(() => bad.url('prometheus-url')).toThrow(/ci:\*\*\*@/);
    expect(() => bad.url('prometheus-url')).not.toThrow(/hunter22/);
  });
});

describe('input bounds and paths', () => {
  const inputs = (env: Record<string, string>) => new Inputs(new SecretRegistry(), env);
  test('a duration longer than a timer can hold is rejected', () => {
    expect(inputs({ INPUT_T: '596h' }).duration('t')).toBe(596 * 3_600_000);
    expect(() => inputs({ INPUT_T: '597h' }).duration('t')).toThrow(InputError);
    expect(() => inputs({ INPUT_T: '99999999999999999999' }).duration('t')).toThrow(/out of range/);
  });
  test('a 100 KB value is quoted shortened, on one line', () => {
    const error = (() => {
      try {
        inputs({ INPUT_N: 'x'.repeat(100_000) }).int('n');
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error!.message.length).toBeLessThan(600);
  });
  test('output files stay inside the workspace or the runner temp folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'paths-'));
    const roots = { workspace: join(root, 'ws'), runnerTemp: join(root, 'tmp') };
    mkdirSync(join(roots.workspace, 'reports'), { recursive: true });
    expect(inputs({ INPUT_R: 'reports/junit.xml' }).outputFile('r', roots)).toBe(
      join(roots.workspace, 'reports/junit.xml'),
    );
    expect(inputs({ INPUT_R: join(roots.runnerTemp, 'j.xml') }).outputFile('r', roots)).toBe(
      join(roots.runnerTemp, 'j.xml'),
    );
    for (const bad of ['/junit.xml', '../junit.xml', 'reports', 'reports/', join(roots.workspace, '..', 'x.xml')]) {
      expect(() => inputs({ INPUT_R: bad }).outputFile('r', roots)).toThrow(/Input 'r'/);
    }
  });
  test('files read from inputs must be regular files', () => {
    const ws = mkdtempSync(join(tmpdir(), 'files-'));
    mkdirSync(join(ws, 'dir'));
    writeFileSync(join(ws, 'ca.pem'), 'PEM');
    expect(inputs({ INPUT_CA: 'ca.pem' }).fileText('ca', ws)).toBe('PEM');
    expect(() => inputs({ INPUT_CA: 'dir' }).fileText('ca', ws)).toThrow(/not a regular file/);
    expect(() => inputs({ INPUT_CA: 'missing.pem' }).fileText('ca', ws)).toThrow(/does not exist/);
  });
});

describe('credentials do not follow a redirect to another origin', () => {
  let origin: Server;
  let other: Server;
  let seen: IncomingHttpHeaders | undefined;
  let sameOrigin: IncomingHttpHeaders | undefined;
  let otherUrl = '';
  beforeAll(async () => {
    other = createServer((req, res) => {
      seen = req.headers;
      res.end('other');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/landing`;
    origin = createServer((req, res) => {
      if (req.url === '/away') res.writeHead(302, { location: otherUrl }).end();
      else if (req.url === '/here') res.writeHead(302, { location: '/final' }).end();
      else {
        sameOrigin = req.headers;
        res.end('final');
      }
    });
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await new Promise((r) => origin.close(r));
    await new Promise((r) => other.close(r));
  });
  const headers = {
    authorization: 'Bearer tok-123',
    cookie: 'session=abc123',
    'proxy-authorization': 'Basic eHl6OnB3',
    'x-api-key': 'key-123',
    'x-custom-token': 'registered-secret-value',
    accept: 'text/plain',
  };

  test('another port is another origin: every credential header is dropped, the rest kept', async () => {
    const secrets = new SecretRegistry();
    secrets.add('registered-secret-value');
    const port = (origin.address() as AddressInfo).port;
    const res = await request({ url: `http://127.0.0.1:${port}/away`, headers, maxRedirects: 2, secrets });
    expect(res.text()).toBe('other');
    expect(seen).toBeDefined();
    for (const name of ['authorization', 'cookie', 'proxy-authorization', 'x-api-key', 'x-custom-token']) {
      expect(seen![name]).toBeUndefined();
    }
    expect(seen!.accept).toBe('text/plain');
  });
  test('the same origin keeps them', async () => {
    const port = (origin.address() as AddressInfo).port;
    await request({ url: `http://127.0.0.1:${port}/here`, headers, maxRedirects: 2 });
    expect(sameOrigin!.authorization).toBe('Bearer tok-123');
    expect(sameOrigin!.cookie).toBe('session=abc123');
  });
});

/** Running, not a zombie waiting for init to reap it. */
function isRunning(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('leftovers', () => {
  test('exec tracks a running child, and endLeftovers ends its whole process group', async () => {
    const snapshots: string[] = [];
    leftovers.onChange((s) => snapshots.push(JSON.stringify(s)));
    // A shell whose own child (sleep) would outlive it if only the leader were killed.
    const running = exec('sh', ['-c', 'sleep 30 & echo $!; wait']);
    const grandchild = await new Promise<number>((resolve) => {
      const poll = setInterval(() => {
        const tracked = leftovers.snapshot().children[0];
        if (!tracked) return;
        const out = spawnSync('pgrep', ['-g', String(tracked.pid), 'sleep'], { encoding: 'utf8' }).stdout.trim();
        if (out) {
          clearInterval(poll);
          resolve(Number(out.split('\n')[0]));
        }
      }, 20);
    });
    const saved = parseLeftovers(snapshots.at(-1)!);
    expect(saved.children).toHaveLength(1);
    const dir = mkdtempSync(join(tmpdir(), 'secret-'));
    writeFileSync(join(dir, 'token'), 'secret');
    const { killed, removed } = await endLeftovers({ ...saved, paths: [dir] });
    expect(killed).toEqual([saved.children[0]!.pid]);
    expect(removed).toEqual([dir]);
    expect(existsSync(dir)).toBe(false);
    const result = await running;
    expect(result.signal).toBe('SIGTERM');
    expect(isRunning(grandchild)).toBe(false);
    expect(leftovers.snapshot().children).toEqual([]);
  });
  test('a pid now used by another process is left alone', async () => {
    const { killed } = await endLeftovers({ children: [{ pid: process.pid, startTime: 'not-this-one' }] });
    expect(killed).toEqual([]);
  });
});
