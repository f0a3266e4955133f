#!/usr/bin/env node
// Cuts a release: checks dist/ matches the sources (the actions run from it), tags vX.Y.Z, moves the
// major tag (v1) to it, and with --push pushes both.
//   node scripts/release.mjs 1.4.0 [--push]
import { execFileSync } from 'node:child_process';
import { repoRoot } from './lib/actions.mjs';
import { tagRelease } from './lib/release.mjs';

const args = process.argv.slice(2);
const push = args.includes('--push');
const version = args.find((a) => !a.startsWith('--'));
try {
  if (!version || args.some((a) => a.startsWith('--') && a !== '--push'))
    throw new Error('usage: node scripts/release.mjs X.Y.Z [--push]');
  execFileSync(process.execPath, ['scripts/check-dist.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  const { tag, major, commit } = tagRelease(repoRoot, version);
  console.log(
    `tagged ${tag}${major ? ` and moved ${major}` : ' (pre-release: the major tag stays)'} at ${commit.slice(0, 12)}`,
  );
  if (push) {
    execFileSync('git', ['push', 'origin', tag], { cwd: repoRoot, stdio: 'inherit' });
    if (major) execFileSync('git', ['push', '--force', 'origin', major], { cwd: repoRoot, stdio: 'inherit' });
  } else {
    console.log(`push with: git push origin ${tag}${major ? ` && git push --force origin ${major}` : ''}`);
  }
} catch (error) {
  console.error(`release: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
  process.exit(1);
}
