// smoke-test throughput: 100 checks against a server that answers in 50 ms, through the committed
// bundle as the runner runs it (node start included), with all checks in parallel and with the default.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runStep } from '../scripts/lib/local-runner.mjs';
import { type BenchRow, median } from './types';

const CHECKS = 100;
const RUNS = 5;

export default async function smokeThroughput(): Promise<BenchRow[]> {
  const server = createServer((_req, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    }, 50);
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = Array.from({ length: CHECKS }, (_, i) => `${base}/health?check=${i}`).join('\n');
  const rows: BenchRow[] = [];
  try {
    for (const [label, parallelism, goal] of [
      ['100 checks, parallelism 100', '100', 1500],
      ['100 checks, parallelism 8 (default)', '8', undefined],
    ] as const) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const step = await runStep('smoke-test', 'main', {
          inputs: { url, parallelism, assertions: 'jsonpath "$.status" == "ok"' },
        });
        if (step.exitCode !== 0 || step.outputs.total !== String(CHECKS))
          throw new Error(`smoke-test failed in the benchmark: ${step.stdout.slice(-500)}`);
        times.push(step.durationMs);
      }
      const ms = median(times);
      rows.push({
        bench: 'smoke',
        case: label,
        metric: `median wall time of ${RUNS} runs (node start to exit)`,
        value: `${ms.toFixed(0)} ms`,
        ...(goal ? { goal: `<= ${goal} ms`, pass: ms <= goal } : {}),
      });
    }
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
  return rows;
}
