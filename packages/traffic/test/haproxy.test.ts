// The HAProxy target on a real HAProxy 2.6 in front of two real fixture apps.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryLogger } from '@deploy-actions/core';
import { freePort, startFixtureApp, startHaproxy } from '../../../scripts/lib/services.mjs';
import { repoRoot } from '../../../scripts/lib/actions.mjs';
import { HaproxyTarget, serverStates } from '../src/haproxy';

type App = Awaited<ReturnType<typeof startFixtureApp>>;
type Proxy = Awaited<ReturnType<typeof startHaproxy>>;

let blue: App;
let green: App;
let proxy: Proxy;

beforeAll(async () => {
  [blue, green] = await Promise.all([startFixtureApp({ version: 'v1' }), startFixtureApp({ version: 'v2' })]);
  proxy = await startHaproxy({
    slots: [
      { name: 'blue', address: `127.0.0.1:${blue.port}`, weight: 100 },
      { name: 'green', address: `127.0.0.1:${green.port}` },
    ],
  });
}, 30_000);
afterAll(async () => {
  await Promise.all([blue?.stop(), green?.stop(), proxy?.stop()]);
});

const target = (over: Partial<ConstructorParameters<typeof HaproxyTarget>[0]> = {}) =>
  new HaproxyTarget({
    socket: proxy.socket,
    backend: 'app',
    slots: ['blue', 'green'],
    stableSlot: 'blue',
    release: { image: 'shop@sha256:abc', version: 'v2' },
    healthTimeoutMs: 5_000,
    stateFile: proxy.stateFile,
    log: new MemoryLogger(),
    ...over,
  });

/** Sends n requests through HAProxy and counts which version answered. */
async function split(n: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const version = ((await (await fetch(`${proxy.url}/version`)).json()) as { version: string }).version;
    counts[version] = (counts[version] ?? 0) + 1;
  }
  return counts;
}

describe('HaproxyTarget', () => {
  test('shifts the observed split step by step, promotes, and aborts back to stable at once', async () => {
    const t = target();
    await t.deployCanary(new AbortController().signal);
    expect(await split(20)).toEqual({ v1: 20 });
    await t.setWeight(10);
    const ten = await split(100);
    expect(ten.v2).toBe(10);
    await t.setWeight(50);
    expect((await split(100)).v2).toBe(50);
    expect(await t.describe()).toEqual([
      { slot: 'blue', weight: 50, share: 50, healthy: true },
      { slot: 'green', weight: 50, share: 50, healthy: true },
    ]);
    const started = performance.now();
    await t.abort();
    const abortMs = performance.now() - started;
    expect(await split(50)).toEqual({ v1: 50 });
    expect(abortMs).toBeLessThan(5_000); // sanity only; the benchmark measures it
    await t.setWeight(25);
    await t.promote();
    expect(await split(30)).toEqual({ v2: 30 });
    // The old version stays warm: a rollback is a weight change.
    await target({ stableSlot: 'green' }).restore('blue');
    expect(await split(30)).toEqual({ v1: 30 });
  });

  test('weights survive a reload through the server-state file', async () => {
    const t = target();
    await t.setWeight(30);
    expect(readFileSync(proxy.stateFile, 'utf8')).toMatch(/ app \d+ green 127\.0\.0\.1 \d+ \d+ 30 /);
    await proxy.reload();
    const states = await serverStates(t.api, 'app');
    expect(states.map((s) => [s.name, s.weight])).toEqual([
      ['blue', 70],
      ['green', 30],
    ]);
    await t.abort();
  });

  test('a deploy command puts the release on the canary slot, which must pass health checks first', async () => {
    const port = await freePort();
    const hooked = await startHaproxy({
      slots: [
        { name: 'blue', address: `127.0.0.1:${blue.port}`, weight: 100 },
        { name: 'green', address: `127.0.0.1:${port}` },
      ],
    });
    const pidFile = join(repoRoot, '.tmp', `canary-${port}.pid`);
    const t = new HaproxyTarget({
      socket: hooked.socket,
      backend: 'app',
      slots: ['blue', 'green'],
      stableSlot: 'blue',
      release: { image: 'shop@sha256:def', version: 'v3' },
      healthTimeoutMs: 10_000,
      log: new MemoryLogger(),
      deployCommand: [
        'sh',
        '-c',
        `mkdir -p .tmp; node test/fixtures/app.mjs --port ${port} --version {{version}} >/dev/null 2>&1 & echo $! > ${pidFile}`,
      ],
    });
    try {
      await t.deployCanary(new AbortController().signal);
      await t.setWeight(100);
      const version = ((await (await fetch(`${hooked.url}/version`)).json()) as { version: string }).version;
      expect(version).toBe('v3');
    } finally {
      if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8')));
      await hooked.stop();
    }
  });

  test('a canary that never passes health checks gets no traffic', async () => {
    const dead = await freePort();
    const lonely = await startHaproxy({
      slots: [
        { name: 'blue', address: `127.0.0.1:${blue.port}`, weight: 100 },
        { name: 'green', address: `127.0.0.1:${dead}` },
      ],
    });
    try {
      const t = new HaproxyTarget({
        socket: lonely.socket,
        backend: 'app',
        slots: ['blue', 'green'],
        stableSlot: 'blue',
        release: { image: 'x', version: 'v9' },
        healthTimeoutMs: 1_000,
        log: new MemoryLogger(),
      });
      await expect(t.deployCanary(new AbortController().signal)).rejects.toThrow(
        /slot green did not pass HAProxy's health checks within 1\.00s .*no traffic was moved to it/,
      );
      expect((await serverStates(t.api, 'app')).map((s) => [s.name, s.weight])).toEqual([
        ['blue', 100],
        ['green', 0],
      ]);
    } finally {
      await lonely.stop();
    }
  });

  test('a restart mid-rollout is waited out: once the runtime API has answered, a refused socket is asked again', async () => {
    const t = target();
    await t.deployCanary(new AbortController().signal);
    await t.setWeight(30);
    const restarting = proxy.restart();
    // The stop has begun: the socket refuses or is gone until the new process binds it.
    await new Promise((r) => setTimeout(r, 20));
    await t.setWeight(50);
    await restarting;
    expect(await t.describe()).toEqual([
      { slot: 'blue', weight: 50, share: 50, healthy: true },
      { slot: 'green', weight: 50, share: 50, healthy: true },
    ]);
    await t.abort();
    expect((await t.describe()).map((s) => [s.slot, s.weight])).toEqual([
      ['blue', 100],
      ['green', 0],
    ]);
  });

  test('a missing socket, backend or slot is a clear error before any change', async () => {
    await expect(target({ socket: '/nonexistent/admin.sock' }).describe()).rejects.toThrow(
      'HAProxy runtime API at /nonexistent/admin.sock is not reachable (ENOENT); check the address and that haproxy.cfg has `stats socket /nonexistent/admin.sock level admin`',
    );
    await expect(target({ backend: 'shop' }).describe()).rejects.toThrow("HAProxy has no backend 'shop'");
    await expect(target({ slots: ['blue', 'purple'] }).describe()).rejects.toThrow(
      "HAProxy backend 'app' has no server purple (it has blue, green)",
    );
    expect(() => target({ stableSlot: 'red' })).toThrow("stable slot 'red' is not one of blue, green");
  });
});
