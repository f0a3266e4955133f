// The nginx target on a real nginx in front of two fixture apps, and the command target with scripts.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { chmodSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger } from '@deploy-actions/core';
import { startFixtureApp, startNginx } from '../../../scripts/lib/services.mjs';
import { CommandTarget } from '../src/command';
import { NginxTarget } from '../src/nginx';

type App = Awaited<ReturnType<typeof startFixtureApp>>;
let blue: App;
let green: App;
let nginx: Awaited<ReturnType<typeof startNginx>>;

beforeAll(async () => {
  [blue, green] = await Promise.all([startFixtureApp({ version: 'v1' }), startFixtureApp({ version: 'v2' })]);
  nginx = await startNginx({
    slots: [
      { name: 'blue', address: `127.0.0.1:${blue.port}`, weight: 100 },
      { name: 'green', address: `127.0.0.1:${green.port}` },
    ],
  });
}, 30_000);
afterAll(async () => {
  await Promise.all([blue?.stop(), green?.stop(), nginx?.stop()]);
});

const target = (over: Partial<ConstructorParameters<typeof NginxTarget>[0]> = {}) =>
  new NginxTarget({
    upstreamFile: nginx.upstreamFile,
    upstream: 'app',
    slots: { blue: `127.0.0.1:${blue.port}`, green: `127.0.0.1:${green.port}` },
    stableSlot: 'blue',
    testCommand: nginx.testCommand,
    reloadCommand: nginx.reloadCommand,
    release: { image: 'shop@sha256:abc', version: 'v2' },
    healthPath: '/health',
    healthTimeoutMs: 5_000,
    pidFile: nginx.pidFile,
    log: new MemoryLogger(),
    ...over,
  });

async function split(n: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${nginx.url}/version`, { headers: { connection: 'close' } });
    const { version } = (await res.json()) as { version: string };
    counts[version] = (counts[version] ?? 0) + 1;
  }
  return counts;
}

describe('NginxTarget', () => {
  test('weighted upstream: the observed split follows each step, abort and promote', async () => {
    const t = target();
    await t.deployCanary(new AbortController().signal);
    expect(await split(20)).toEqual({ v1: 20 });
    await t.setWeight(10);
    expect((await split(100)).v2).toBe(10);
    await t.setWeight(50);
    expect((await split(100)).v2).toBe(50);
    expect(await t.describe()).toEqual([
      { slot: 'blue', weight: 50 },
      { slot: 'green', weight: 50 },
    ]);
    await t.abort();
    expect(await split(40)).toEqual({ v1: 40 });
    await t.promote();
    expect(await split(20)).toEqual({ v2: 20 });
    await target({ stableSlot: 'green' }).restore('blue');
    expect(await split(20)).toEqual({ v1: 20 });
  });

  test('a change that fails nginx -t leaves the previous file in place', async () => {
    const t = target({ upstream: 'bad name with spaces' });
    const before = readFileSync(nginx.upstreamFile, 'utf8');
    await expect(t.setWeight(50)).rejects.toThrow(
      /the new upstream failed nginx's config test, and the previous file was put back: nginx config test failed: nginx exited with 1/,
    );
    expect(readFileSync(nginx.upstreamFile, 'utf8')).toBe(before);
    expect(await split(10)).toEqual({ v1: 10 });
  });

  test('a canary that does not answer its health path gets no traffic', async () => {
    const t = target({ slots: { blue: `127.0.0.1:${blue.port}`, green: '127.0.0.1:9' }, healthTimeoutMs: 600 });
    await expect(t.deployCanary(new AbortController().signal)).rejects.toThrow(
      /slot green did not answer http:\/\/127\.0\.0\.1:9\/health with 2xx within 600ms .*no traffic was moved to it/,
    );
    expect(await t.describe()).toEqual([
      { slot: 'blue', weight: 100 },
      { slot: 'green', weight: 0 },
    ]);
  });

  test('the health of a slot is one request to its health path', async () => {
    const t = target({ slots: { blue: `127.0.0.1:${blue.port}`, green: '127.0.0.1:9' } });
    expect(await t.health('blue')).toBeUndefined();
    expect(await t.health('green')).toMatch(/^http:\/\/127\.0\.0\.1:9\/health: .*ECONNREFUSED/);
  });
});

describe('CommandTarget', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paas-'));
  const cli = join(dir, 'paas');
  writeFileSync(cli, '#!/bin/sh\necho "$@" >> "$(dirname "$0")/calls"\n[ "$1" != "fail" ]\n');
  chmodSync(cli, 0o755);

  test('runs the user commands with the release and weight filled in, no shell', async () => {
    const t = new CommandTarget({
      deploy: [cli, 'deploy', '--image', '{{image}}', '--tag', '{{version}}'],
      setWeight: [cli, 'traffic', '{{weight}}'],
      promote: [cli, 'promote'],
      abort: [cli, 'rollback', '$(whoami)'],
      release: { image: 'reg/shop@sha256:1', version: 'v7' },
      timeoutMs: 10_000,
      log: new MemoryLogger(),
    });
    const signal = new AbortController().signal;
    await t.deployCanary(signal);
    await t.setWeight(25, signal);
    await t.promote(signal);
    await t.abort();
    expect(readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n')).toEqual([
      'deploy --image reg/shop@sha256:1 --tag v7',
      'traffic 25',
      'promote',
      'rollback $(whoami)',
    ]);
  });

  test('a failing command is a clear error; weights without a set-weight command are refused', async () => {
    const t = new CommandTarget({
      deploy: [cli, 'fail'],
      abort: [cli, 'rollback'],
      release: { image: 'i', version: 'v' },
      timeoutMs: 10_000,
      log: new MemoryLogger(),
    });
    await expect(t.deployCanary(new AbortController().signal)).rejects.toThrow(
      /^deploy command failed: .*paas exited with 1$/,
    );
    await expect(t.setWeight(10, new AbortController().signal)).rejects.toThrow(
      'cannot send 10% to the canary: no set-weight command (use steps: 100 on a platform without traffic splitting)',
    );
    expect(
      () =>
        new CommandTarget({ abort: [], release: { image: 'i', version: 'v' }, timeoutMs: 1, log: new MemoryLogger() }),
    ).toThrow('needs an abort command');
  });
});
