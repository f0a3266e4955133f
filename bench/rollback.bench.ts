// Breach to recovery on the real stack: a promoted version starts failing every request; the
// auto-rollback bundle, watching it through Prometheus, switches HAProxy back to the warm previous
// slot. Measured from the breach to the moment HAProxy serves the old slot at 100 %.
import { runStep } from '../scripts/lib/local-runner.mjs';
import { startFixtureApp, startHaproxy, startLoadGenerator, startPrometheus } from '../scripts/lib/services.mjs';
import { startFakeGitHub } from '../test/fakes/github.mjs';
import { haproxyCommand, slotWeights } from '../test/support/haproxy';
import { type BenchRow, median } from './types';

const RUNS = 3;

export default async function rollbackTime(): Promise<BenchRow[]> {
  const [blue, green] = await Promise.all([startFixtureApp({ version: 'v1' }), startFixtureApp({ version: 'v2' })]);
  const proxy = await startHaproxy({
    slots: [
      { name: 'blue', address: `127.0.0.1:${blue.port}`, weight: 0 },
      { name: 'green', address: `127.0.0.1:${green.port}`, weight: 100 },
    ],
  });
  const prometheus = await startPrometheus({
    targets: [
      { address: `127.0.0.1:${blue.port}`, labels: { slot: 'blue' } },
      { address: `127.0.0.1:${green.port}`, labels: { slot: 'green' } },
    ],
    scrapeIntervalMs: 250,
  });
  const github = await startFakeGitHub();
  const load = startLoadGenerator({ targets: [{ url: proxy.url, weight: 1 }], ratePerSecond: 50 });
  const headers = { authorization: `token ${github.token}`, 'content-type': 'application/json' };
  const seed = async (environment: string, version: string, slot: string) => {
    const { id } = (await (
      await fetch(`${github.url}/repos/acme/shop/deployments`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          ref: version,
          environment,
          payload: {
            format: 'deploy-actions/1',
            image: `shop@sha256:${version}`,
            version,
            target: 'haproxy',
            targetState: { canarySlot: slot },
            runId: `seed-${version}`,
          },
        }),
      })
    ).json()) as { id: number };
    await fetch(`${github.url}/repos/acme/shop/deployments/${id}/statuses`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ state: 'success' }),
    });
  };
  const times: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const env = `bench-${run}`;
      await seed(env, 'v1', 'blue');
      await seed(env, 'v2', 'green');
      const watcher = runStep('auto-rollback', 'main', {
        inputs: {
          environment: env,
          trigger: 'watch',
          'watch-duration': '60s',
          interval: '250ms',
          target: 'haproxy',
          'haproxy-socket': proxy.socket,
          'prometheus-url': prometheus.url,
          'canary-selector': 'slot="green"',
          'baseline-selector': 'slot="blue"',
          'min-requests': '20',
        },
        env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url },
      });
      await new Promise((r) => setTimeout(r, 2000)); // the watch is under way
      const breach = performance.now();
      await green.setKnobs({ errorRate: 1 });
      while ((await slotWeights(proxy.socket)).blue !== 100) {
        if (performance.now() - breach > 60_000) throw new Error('no rollback within 60 s');
        await new Promise((r) => setTimeout(r, 10));
      }
      times.push(performance.now() - breach);
      const step = await watcher;
      if (step.outputs['rolled-back'] !== 'true')
        throw new Error(`auto-rollback did not roll back: ${step.stdout.slice(-300)}`);
      await green.setKnobs({ errorRate: 0 });
      await new Promise((r) => setTimeout(r, 500));
      process.stderr.write(` ${Math.round(times.at(-1)!)}ms`);
      // Back to the promoted state for the next run.
      await haproxyCommand(proxy.socket, 'set weight app/blue 0; set weight app/green 100');
    }
  } finally {
    await load.stop();
    await Promise.all([blue.stop(), green.stop(), proxy.stop(), prometheus.stop(), github.stop()]);
  }
  const ms = median(times);
  return [
    {
      bench: 'rollback',
      case: 'haproxy, promoted version starts failing, watched via Prometheus (250 ms scrape)',
      metric: `median of ${RUNS}, breach to old version at 100 %`,
      value: `${(ms / 1000).toFixed(2)} s (${times.map((t) => (t / 1000).toFixed(2)).join(', ')})`,
      goal: '<= 2 s',
      pass: ms <= 2000,
    },
  ];
}
