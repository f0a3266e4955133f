import { describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Clock,
  DeadlineError,
  exec,
  execChecked,
  InputError,
  oneLine,
  parseDuration,
  PermanentError,
  request,
  retry,
  SecretRegistry,
  statusError,
  TransientError,
  redactUrl,
} from '@deploy-actions/core';
import { Inputs } from '@deploy-actions/core/runner';

function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('retry', () => {
  test('retries transient errors with growing, jittered delays until success', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await retry(
      async () => {
        calls++;
        if (calls < 4) throw new TransientError('503');
        return 'ok';
      },
      { timeoutMs: 60_000, initialDelayMs: 100, clock, random: () => 1 },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(4);
    expect(clock.slept).toEqual([100, 200, 400]);
  });

  test('a permanent error fails at once', async () => {
    const clock = fakeClock();
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new PermanentError('401 unauthorized');
        },
        { timeoutMs: 60_000, clock },
      ),
    ).rejects.toThrow('401 unauthorized');
    expect(calls).toBe(1);
  });

  test('gives up at the deadline and keeps the last cause', async () => {
    const clock = fakeClock();
    const error = await retry(
      async () => {
        throw new TransientError('connection reset');
      },
      { timeoutMs: 5_000, clock, what: 'push' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineError);
    expect(oneLine(error)).toMatch(/^push still failing after \d+ attempt\(s\) in \d+ms: connection reset$/);
    expect(clock.now()).toBeLessThanOrEqual(5_000);
  });

  test('honours a server-given delay hint', async () => {
    const clock = fakeClock();
    let calls = 0;
    await retry(
      async () => {
        if (calls++ === 0) throw new TransientError('429');
      },
      {
        timeoutMs: 60_000,
        clock,
        initialDelayMs: 10,
        delayHint: () => 3_000,
      },
    );
    expect(clock.slept).toEqual([3_000]);
  });
});

describe('durations', () => {
  test.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1m30s', 90_000],
    ['2', 2_000],
    ['1h', 3_600_000],
  ])('%s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
  test.each(['', 'soon', '10 s', '-5s', '5x'])('rejects %p', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('inputs', () => {
  const inputs = (env: Record<string, string>) => new Inputs(new SecretRegistry(), env);

  test('reads the runner variable names (spaces to underscores, upper case)', () => {
    expect(inputs({ 'INPUT_EXPECTED-STATUS': ' 200 ' }).string('expected-status')).toBe('200');
    expect(inputs({ INPUT_MY_INPUT: 'x' }).string('my input')).toBe('x');
  });

  test('errors name the input and the fix, on one line', () => {
    const bad = inputs({ INPUT_TIMEOUT: '-3s', INPUT_RETRIES: '2.5', INPUT_ENABLED: 'yes', INPUT_URL: 'htp:/x' });
    const messages = [
      () => bad.duration('timeout'),
      () => bad.int('retries', { min: 0 }),
      () => bad.bool('enabled'),
      () => bad.url('url'),
      () => bad.required('missing'),
    ].map((fn) => {
      try {
        fn();
        return 'no error';
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
    });
    expect(messages).toEqual([
      "Input 'timeout': '-3s' is not a duration. Fix: use a positive duration such as 250ms, 30s, 5m or 1m30s",
      "Input 'retries': '2.5' is not a whole number. Fix: use a whole number of at least 0",
      "Input 'enabled': 'yes' is not a boolean. Fix: use true or false",
      "Input 'url': 'htp:/x' has scheme htp:. Fix: use http: or https:",
      "Input 'missing': is required and was empty. Fix: set `missing:` in the step's `with:`",
    ]);
    for (const m of messages) expect(m).not.toContain('\n');
  });

  test('ranges, lists and maps', () => {
    const i = inputs({
      INPUT_WEIGHTS: '10, 25\n50',
      INPUT_HEADERS: 'Accept: application/json\nX-Id=7',
      INPUT_N: '150',
    });
    expect(i.list('weights')).toEqual(['10', '25', '50']);
    expect(i.map('headers')).toEqual({ Accept: 'application/json', 'X-Id': '7' });
    expect(() => i.int('n', { min: 0, max: 100 })).toThrow(
      "Input 'n': '150' is out of range. Fix: use a whole number from 0 to 100",
    );
  });

  test('secret inputs are registered for masking as they are read', () => {
    const secrets = new SecretRegistry();
    const value = new Inputs(secrets, { INPUT_TOKEN: 'ghp_abcdef123456' }).secret('token');
    expect(value).toBe('ghp_abcdef123456');
    expect(secrets.redact('Authorization: Bearer ghp_abcdef123456')).toBe('Authorization: Bearer ***');
  });
});

describe('secrets', () => {
  test('redacts the value and its base64 and URL-encoded forms', () => {
    const s = new SecretRegistry();
    s.add('p@ss word');
    expect(s.redact(`raw p@ss word, b64 ${Buffer.from('p@ss word').toString('base64')}, url p%40ss%20word`)).toBe(
      'raw ***, b64 ***, url ***',
    );
  });
  test('basic auth header value is covered', () => {
    const s = new SecretRegistry();
    s.addBasicAuth('ci', 'hunter22');
    expect(s.redact(`Basic ${Buffer.from('ci:hunter22').toString('base64')}`)).toBe('Basic ***');
  });
  test('redactUrl hides passwords in URLs', () => {
    expect(redactUrl('postgres://app:pw@127.0.0.1:5432/app')).toBe('postgres://app:***@127.0.0.1:5432/app');
  });
});

describe('exec', () => {
  test('passes arguments verbatim, never through a shell', async () => {
    const result = await execChecked('printf', ['%s|', '$(id)', 'a b', ';rm -rf /']);
    expect(result.stdout).toBe('$(id)|a b|;rm -rf /|');
  });
  test('a timeout kills the process group', async () => {
    const result = await exec('sh', ['-c', 'sleep 30 & sleep 30'], { timeoutMs: 200 });
    expect(result.timedOut).toBe(true);
    expect(result.durationMs).toBeLessThan(10_000);
  });
  test('non-zero exit carries the stderr tail', async () => {
    await expect(execChecked('sh', ['-c', 'echo boom >&2; exit 3'])).rejects.toThrow('sh exited with 3: boom');
  });
  test('a missing program is a clear error', async () => {
    await expect(exec('no-such-program-xyz', [])).rejects.toThrow('no-such-program-xyz: not found on PATH');
  });
});

describe('http', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { location: '/ok' });
        res.end();
        return;
      }
      if (req.url === '/busy') {
        res.writeHead(503, { 'retry-after': '2' });
        res.end('busy');
        return;
      }
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.end(JSON.stringify({ path: req.url, method: req.method }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test('follows redirects when asked, and measures time', async () => {
    const res = await request({ url: `${base}/redirect`, maxRedirects: 3 });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ path: '/ok', method: 'GET' });
    expect(res.rawHeaders.filter(([k]) => k.toLowerCase() === 'set-cookie').map(([, v]) => v)).toEqual(['a=1', 'b=2']);
    expect(res.durationMs).toBeGreaterThan(0);
  });

  test('503 with Retry-After is transient with a hint; 404 is permanent', async () => {
    const busy = statusError(await request({ url: `${base}/busy` }), 'GET /busy');
    expect(busy.kind).toBe('transient');
    expect(busy.retryAfterMs).toBe(2_000);
    const missing = statusError({ ...(await request({ url: `${base}/x` })), status: 404 }, 'GET /x');
    expect(missing.kind).toBe('permanent');
  });

  test('connection refused is transient', async () => {
    const error = await request({ url: 'http://127.0.0.1:1/' }).catch((e: unknown) => e);
    expect((error as TransientError).kind).toBe('transient');
    expect(oneLine(error)).toContain('ECONNREFUSED');
  });
});
