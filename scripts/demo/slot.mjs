#!/usr/bin/env node
// The demo's deploy command: puts an image into a slot behind HAProxy, the way a deploy script
// would on a VM. canary-deploy and auto-rollback run it as `deploy-command: node slot.mjs {{slot}} {{image}}`.
// It pulls the image from the registry with buildah, mounts its filesystem and starts the app in it
// on the slot's port with the image's ENV (there is no container runtime here, so the host's node
// runs the image's /app/app.mjs). The process it replaces in that slot is stopped first.
// Environment: DEMO_DIR (slots.json, registry auth file and CA), plus buildah's config variables.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [slot, image] = process.argv.slice(2);
const dir = process.env.DEMO_DIR;
if (!slot || !image || !dir) {
  console.error('usage: DEMO_DIR=... node slot.mjs <slot> <image>');
  process.exit(2);
}
const ports = JSON.parse(readFileSync(join(dir, 'slots.json'), 'utf8'));
if (!(slot in ports)) throw new Error(`unknown slot ${slot}; slots are ${Object.keys(ports).join(', ')}`);
const buildah = (...args) =>
  execFileSync('buildah', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

const stateFile = join(dir, `slot-${slot}.json`);
if (existsSync(stateFile)) {
  const previous = JSON.parse(readFileSync(stateFile, 'utf8'));
  console.log(`stopping ${previous.image} in slot ${slot} (pid ${previous.pid})`);
  try {
    process.kill(previous.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  for (let i = 0; i < 50 && alive(previous.pid); i++) await new Promise((r) => setTimeout(r, 100));
  try {
    buildah('rm', previous.container);
  } catch {
    /* already removed */
  }
}

console.log(`pulling ${image}`);
const container = buildah(
  'from',
  '--pull-always',
  '--quiet',
  '--authfile',
  join(dir, 'auth.json'),
  '--cert-dir',
  join(dir, 'certs'),
  image,
);
const root = buildah('mount', container);
const config = JSON.parse(buildah('inspect', '--type', 'container', container));
const imageEnv = Object.fromEntries(
  (config.OCIv1?.config?.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
);
const log = openSync(join(dir, `slot-${slot}.log`), 'a');
const app = spawn(process.execPath, [join(root, 'app', 'app.mjs'), '--port', String(ports[slot])], {
  env: { PATH: process.env.PATH, ...imageEnv },
  stdio: ['ignore', log, log],
  detached: true,
});
app.unref();
writeFileSync(stateFile, JSON.stringify({ pid: app.pid, container, image }));
console.log(`started ${imageEnv.APP_VERSION ?? image} in slot ${slot} on port ${ports[slot]} (pid ${app.pid})`);

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
