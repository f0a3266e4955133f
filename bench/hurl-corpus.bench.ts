// A corpus of 100 Hurl files (the conformance specs, written from the Hurl documentation, cycled)
// run by the committed smoke-test bundle as the runner runs it, against the conformance server:
// wall time per file, and the parse time per file in process.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStep } from '../scripts/lib/local-runner.mjs';
import { repoRoot } from '../scripts/lib/actions.mjs';
import { parseHurl } from '../packages/probe/src/hurl/parse';
import { startHurlServer } from '../test/support/hurl-server';
import { type BenchRow, median } from './types';

const FILES = 100;
const RUNS = 3;

export default async function hurlCorpus(): Promise<BenchRow[]> {
  const source = join(repoRoot, 'packages/probe/test/conformance');
  const specs = readdirSync(join(source, 'pass'))
    .filter((f) => f.endsWith('.hurl'))
    .sort()
    .map((f) => readFileSync(join(source, 'pass', f), 'utf8'));
  const workspace = mkdtempSync(join(tmpdir(), 'hurl-corpus-'));
  cpSync(join(source, 'files'), join(workspace, 'files'), { recursive: true });
  mkdirSync(join(workspace, 'corpus'));
  const corpus: string[] = [];
  for (let i = 0; i < FILES; i++) {
    // Each file gets its own retry counter on the server, as separate real files would.
    const text = specs[i % specs.length]!.replaceAll('{{run}}', `corpus-${i}-{{run}}`);
    corpus.push(text);
    writeFileSync(join(workspace, 'corpus', `${String(i).padStart(3, '0')}.hurl`), text);
  }
  const parseStarted = performance.now();
  for (const [i, text] of corpus.entries()) parseHurl(text, `corpus/${i}.hurl`);
  const parseMs = (performance.now() - parseStarted) / FILES;

  const server = await startHurlServer();
  const variables = [
    `base=${server.url}`,
    'header_name=X-Templated',
    'greeting_value=hello',
    'name=a "quoted" name',
    'age=30',
    'expected=text',
    'one=1',
    'ratio=0.5',
    'follow=true',
    'nothing=null',
    'path=echo',
  ].join('\n');
  const rows: BenchRow[] = [];
  try {
    for (const parallelism of ['8', '1']) {
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const step = await runStep('smoke-test', 'main', {
          inputs: { spec: 'corpus', variables: `${variables}\nrun=p${parallelism}r${run}`, parallelism },
          cwd: workspace,
          env: { GITHUB_WORKSPACE: workspace },
        });
        if (step.exitCode !== 0 || step.outputs.total !== String(FILES)) {
          throw new Error(`the Hurl corpus failed in the benchmark: ${step.outputs.reason ?? step.stdout.slice(-500)}`);
        }
        times.push(step.durationMs);
      }
      const ms = median(times);
      rows.push({
        bench: 'hurl-corpus',
        case: `${FILES} Hurl files, parallelism ${parallelism}`,
        metric: `median wall time of ${RUNS} runs (node start to exit) / per file`,
        value: `${ms.toFixed(0)} ms / ${(ms / FILES).toFixed(1)} ms`,
      });
    }
    rows.push({
      bench: 'hurl-corpus',
      case: `${FILES} Hurl files`,
      metric: 'parse time per file (in process)',
      value: `${parseMs.toFixed(2)} ms`,
    });
  } finally {
    await server.close();
    rmSync(workspace, { recursive: true, force: true });
  }
  return rows;
}
