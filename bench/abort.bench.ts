// Abort on a real HAProxy and a real nginx: from the abort() call until the target has verified
// 100 % on stable, then 50 requests through the proxy to confirm none reached the canary afterwards.
import { MemoryLogger } from '@deploy-actions/core';
import { HaproxyTarget, NginxTarget, type RolloutTarget } from '@deploy-actions/traffic';
import { startFixtureApp, startHaproxy, startNginx } from '../scripts/lib/services.mjs';
import { type BenchRow, median } from './types';

const RUNS = 20;

/** setWeight(50), then abort(): the time abort takes, and requests that still reached the canary after it. */
async function measure(
  name: string,
  target: RolloutTarget & { setWeight(p: number): Promise<void> },
  url: string,
): Promise<BenchRow[]> {
  await target.deployCanary(new AbortController().signal);
  const times: number[] = [];
  let leaked = 0;
  for (let i = 0; i < RUNS; i++) {
    await target.setWeight(50);
    const started = performance.now();
    await target.abort();
    times.push(performance.now() - started);
    for (let j = 0; j < 50; j++) {
      const { version } = (await (await fetch(`${url}/version`, { headers: { connection: 'close' } })).json()) as {
        version: string;
      };
      if (version !== 'v1') leaked++;
    }
  }
  const ms = median(times);
  return [
    {
      bench: 'abort',
      case: `${name}, 50% canary -> 100% stable`,
      metric: `median of ${RUNS} aborts, until verified`,
      value: `${ms.toFixed(1)} ms`,
      goal: '<= 1000 ms',
      pass: ms <= 1000,
    },
    {
      bench: 'abort',
      case: `${name}, requests after abort`,
      metric: `reached the canary, of ${RUNS * 50}`,
      value: String(leaked),
      goal: '0',
      pass: leaked === 0,
    },
  ];
}

export default async function abortTime(): Promise<BenchRow[]> {
  const [blue, green] = await Promise.all([startFixtureApp({ version: 'v1' }), startFixtureApp({ version: 'v2' })]);
  const slots = [
    { name: 'blue', address: `127.0.0.1:${blue.port}`, weight: 100 },
    { name: 'green', address: `127.0.0.1:${green.port}` },
  ];
  const [proxy, nginx] = await Promise.all([startHaproxy({ slots }), startNginx({ slots })]);
  const release = { image: 'x', version: 'v2' };
  try {
    return [
      ...(await measure(
        'haproxy',
        new HaproxyTarget({
          socket: proxy.socket,
          backend: 'app',
          slots: ['blue', 'green'],
          stableSlot: 'blue',
          release,
          healthTimeoutMs: 10_000,
          stateFile: proxy.stateFile,
          log: new MemoryLogger(),
        }),
        proxy.url,
      )),
      ...(await measure(
        'nginx',
        new NginxTarget({
          upstreamFile: nginx.upstreamFile,
          upstream: 'app',
          slots: { blue: slots[0]!.address, green: slots[1]!.address },
          stableSlot: 'blue',
          testCommand: nginx.testCommand,
          reloadCommand: nginx.reloadCommand,
          pidFile: nginx.pidFile,
          release,
          healthPath: '/health',
          healthTimeoutMs: 10_000,
          log: new MemoryLogger(),
        }),
        nginx.url,
      )),
    ];
  } finally {
    await Promise.all([blue.stop(), green.stop(), proxy.stop(), nginx.stop()]);
  }
}
