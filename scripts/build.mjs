#!/usr/bin/env node
// Bundles every action with @vercel/ncc into dist/<action>/ (or into --out DIR, for the dist check).
// Usage: node scripts/build.mjs [--out DIR] [action ...]
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { actionNames, repoRoot } from './lib/actions.mjs';

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outRoot = outIndex >= 0 ? args.splice(outIndex, 2)[1] : join(repoRoot, 'dist');
const names = args.length ? args : actionNames();
const ncc = join(repoRoot, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

// Files an action loads beside its bundle at run time, by the package that ships them (whose licence
// joins licenses.txt, as ncc adds those of the packages it bundles). PostgreSQL's parser (libpg_query's
// WASM build): its emscripten glue finds the .wasm from __dirname, which an ESM bundle does not have,
// so the glue stays a CommonJS file (.cjs) next to its .wasm.
const besideBundle = {
  'run-migrations': {
    from: 'packages/migrate',
    package: 'libpg-query',
    files: {
      'libpg-query.cjs': 'libpg-query/wasm/libpg-query.js',
      'libpg-query.wasm': 'libpg-query/wasm/libpg-query.wasm',
    },
  },
};

function copyBesideBundle(name, out) {
  const extra = besideBundle[name];
  if (!extra) return;
  const resolve = createRequire(join(repoRoot, extra.from, 'package.json')).resolve;
  // Contents only, so the committed files do not take the package's file modes.
  for (const [file, module] of Object.entries(extra.files))
    writeFileSync(join(out, file), readFileSync(resolve(module)));
  const { license } = JSON.parse(readFileSync(resolve(`${extra.package}/package.json`), 'utf8'));
  const text = readFileSync(resolve(`${extra.package}/LICENSE`), 'utf8');
  appendFileSync(join(out, 'licenses.txt'), `\n${extra.package}\n${license}\n${text}`);
}

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
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ncc failed for ${name} (exit ${code})`));
      copyBesideBundle(name, out);
      resolve();
    });
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
