#!/usr/bin/env node
// Fails when the committed dist/ differs from a fresh build of the sources: users run dist/, not src/.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execFileSync } from 'node:child_process';
import { repoRoot } from './lib/actions.mjs';

const fresh = mkdtempSync(join(tmpdir(), 'dist-check-'));
execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs'), '--out', fresh], { stdio: 'inherit' });

function files(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d)) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

const committed = join(repoRoot, 'dist');
const a = files(committed);
const b = files(fresh);
const problems = [];
for (const f of new Set([...a, ...b])) {
  if (!a.includes(f)) problems.push(`missing from dist/: ${f}`);
  else if (!b.includes(f)) problems.push(`stale file in dist/: ${f}`);
  else if (!readFileSync(join(committed, f)).equals(readFileSync(join(fresh, f))))
    problems.push(`differs from a fresh build: dist/${f}`);
}
rmSync(fresh, { recursive: true, force: true });
if (problems.length) {
  console.error(problems.join('\n'));
  console.error('dist/ is stale: run `pnpm build` and commit dist/.');
  process.exit(1);
}
console.log(`dist/ matches the sources (${a.length} files)`);
