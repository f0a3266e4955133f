#!/usr/bin/env node
// Bundles every action with @vercel/ncc into dist/<action>/ (or into --out DIR, for the dist check).
// Usage: node scripts/build.mjs [--out DIR] [action ...]
import { spawn } from 'node:child_process';
import { rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { actionNames, repoRoot } from './lib/actions.mjs';

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outRoot = outIndex >= 0 ? args.splice(outIndex, 2)[1] : join(repoRoot, 'dist');
const names = args.length ? args : actionNames();
const ncc = join(repoRoot, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

function build(name) {
  const out = join(outRoot, name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const entry = join(repoRoot, 'actions', name, 'src', 'main.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [ncc, 'build', entry, '-o', out, '--minify', '--license', 'licenses.txt', '--quiet'],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ncc failed for ${name} (exit ${code})`))));
  });
}

// Two at a time: ncc is CPU-bound and the machines here have two cores.
const queue = [...names];
const started = Date.now();
await Promise.all(
  [0, 1].map(async () => {
    for (let name = queue.shift(); name; name = queue.shift()) {
      await build(name);
      console.log(`built dist/${name}`);
    }
  }),
);
console.log(`bundled ${names.length} action(s) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
