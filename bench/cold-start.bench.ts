// Bundle size and cold start of every action: node start to the first input error (no inputs set),
// beside a bare `node` start measured in the same loop, since this machine is noisy.
import { spawnSync } from 'node:child_process';
import { statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { actionNames, repoRoot } from '../scripts/lib/actions.mjs';
import { type BenchRow, median } from './types';

const RUNS = 15;
/**
 * Inputs that make an action stop at its first input error. Most need none: a required input is
 * missing. build-push-image without inputs is a valid metadata-only run (as metadata-action with
 * none), so it is asked to build, which needs an image.
 */
const TO_INPUT_ERROR: Record<string, NodeJS.ProcessEnv> = { 'build-push-image': { INPUT_BUILD: 'true' } };

function time(args: string[], env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, args, { env, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export default async function coldStart(): Promise<BenchRow[]> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(INPUT|STATE|GITHUB)_/.test(k)));
  const names = actionNames();
  const samples: Record<string, number[]> = { node: [] };
  for (const name of names) samples[name] = [];
  for (let i = 0; i < RUNS; i++) {
    samples.node!.push(time(['-e', '0'], env));
    for (const name of names)
      samples[name]!.push(time([join(repoRoot, 'dist', name, 'index.js')], { ...env, ...TO_INPUT_ERROR[name] }));
  }
  const rows: BenchRow[] = [
    { bench: 'cold-start', case: 'bare node', metric: 'median start', value: `${median(samples.node!).toFixed(0)} ms` },
  ];
  for (const name of names) {
    const dir = join(repoRoot, 'dist', name);
    const size = readdirSync(dir)
      .filter((f) => f.endsWith('.js'))
      .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    const entry = statSync(join(dir, 'index.js')).size;
    const ms = median(samples[name]!);
    rows.push({
      bench: 'cold-start',
      case: name,
      metric: 'bundle size (entry / all chunks)',
      value: `${(entry / 1024).toFixed(0)} / ${(size / 1024).toFixed(0)} KiB`,
    });
    // Files an action loads on demand beside its bundle (run-migrations: PostgreSQL's parser, to lint).
    const beside = readdirSync(dir).filter((f) => !f.endsWith('.js') && f !== 'licenses.txt' && f !== 'package.json');
    if (beside.length)
      rows.push({
        bench: 'cold-start',
        case: name,
        metric: `loaded on demand beside the bundle (${beside.join(', ')})`,
        value: `${(beside.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0) / 1024).toFixed(0)} KiB`,
      });
    rows.push({
      bench: 'cold-start',
      case: name,
      metric: 'median cold start to input error',
      value: `${ms.toFixed(0)} ms`,
      goal: '<= 150 ms',
      pass: ms <= 150,
    });
  }
  // What linting adds once there are files to lint: loading PostgreSQL's parser from beside the bundle.
  const glue = join(repoRoot, 'dist', 'run-migrations', 'libpg-query.cjs');
  const load = `require(${JSON.stringify(glue)})().then((m) => { if (!m._wasm_parse_query_raw) process.exit(1); })`;
  const parser: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(time(['-e', '0'], env));
    parser.push(time(['-e', load], env));
  }
  rows.push({
    bench: 'cold-start',
    case: 'run-migrations',
    metric: "loading PostgreSQL's parser (libpg_query WASM), when there are files to lint: median over bare node",
    value: `${(median(parser) - median(bare)).toFixed(0)} ms`,
  });
  return rows;
}
