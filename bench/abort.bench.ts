// Abort on a real HAProxy: from the abort() call until the target has verified 100 % on stable,
// then 50 requests through the proxy to confirm no request reached the canary afterwards.
import { MemoryLogger } from '@deploy-actions/core';
import { HaproxyTarget } from '@deploy-actions/traffic';
import { startFixtureApp, startHaproxy } from '../scripts/lib/services.mjs';
import { type BenchRow, median } from './types';

const RUNS = 20;

export default async function abortTime(): Promise<BenchRow[]> {
  const [blue, green] = await Promise.all([startFixtureApp({ version: 'v1' }), startFixtureApp({ version: 'v2' })]);
  const proxy = await startHaproxy({ slots: [{ name: 'blue', address: `127.0.0.1:${blue.port}`, weight: 100 }, { name: 'green', address: `127.0.0.1:${green.port}` }] });
  try {
    const target = new HaproxyTarget({ socket: proxy.socket, backend: 'app', slots: ['blue', 'green'], stableSlot: 'blue', release: { image: 'x', version: 'v2' }, healthTimeoutMs: 10_000, stateFile: proxy.stateFile, log: new MemoryLogger() });
    await target.deployCanary(new AbortController().signal);
    const times: number[] = [];
    let leaked = 0;
    for (let i = 0; i < RUNS; i++) {
      await target.setWeight(50);
      const started = performance.now();
      await target.abort();
      times.push(performance.now() - started);
      for (let j = 0; j < 50; j++) {
        const { version } = (await (await fetch(`${proxy.url}/version`)).json()) as { version: string };
        if (version !== 'v1') leaked++;
      }
    }
    const ms = median(times);
    return [
      { bench: 'abort', case: 'haproxy, 50% canary -> 100% stable', metric: `median of ${RUNS} aborts (set, verify, save state)`, value: `${ms.toFixed(1)} ms`, goal: '<= 1000 ms', pass: ms <= 1000 },
      { bench: 'abort', case: 'haproxy, requests after abort', metric: `reached the canary, of ${RUNS * 50}`, value: String(leaked), goal: '0', pass: leaked === 0 },
    ];
  } finally {
    await Promise.all([blue.stop(), green.stop(), proxy.stop()]);
  }
}
