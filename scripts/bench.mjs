#!/usr/bin/env node
// Runs every benchmark in bench/*.bench.ts (or those named) and prints one table.
//   pnpm bench                 all benchmarks
//   pnpm bench cold-start      only bench/cold-start.bench.ts
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';
import { repoRoot } from './lib/actions.mjs';

register();
const only = process.argv.slice(2);
const dir = join(repoRoot, 'bench');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only.length || only.includes(f.replace(/\.bench\.ts$/, '')))
  .sort();

const rows = [];
let failures = 0;
for (const file of files) {
  const started = Date.now();
  process.stderr.write(`bench: ${file} ...`);
  try {
    const mod = await import(pathToFileURL(join(dir, file)).href);
    rows.push(...(await mod.default()));
    process.stderr.write(` ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  } catch (error) {
    failures++;
    process.stderr.write(` failed\n${error?.stack ?? error}\n`);
    rows.push({
      bench: file.replace(/\.bench\.ts$/, ''),
      case: '-',
      metric: 'error',
      value: String(error?.message ?? error).slice(0, 80),
      pass: false,
    });
  }
}

const header = ['bench', 'case', 'metric', 'value', 'goal', 'ok'];
const table = rows.map((r) => [
  r.bench,
  r.case,
  r.metric,
  r.value,
  r.goal ?? '',
  r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => String(row[i]).length)));
const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of table) console.log(line(row));
const missed = rows.filter((r) => r.pass === false).length;
console.log(
  `\n${rows.length} measurements, ${missed} goal(s) missed${failures ? `, ${failures} benchmark(s) failed` : ''}`,
);
process.exit(failures ? 1 : 0);
