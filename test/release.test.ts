// scripts/lib/release.mjs on a real throwaway git repository.
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tagRelease } from '../scripts/lib/release.mjs';
import { repoRoot } from '../scripts/lib/actions.mjs';

let repo: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
const commit = (file: string) => {
  writeFileSync(join(repo, file), file);
  git('add', file);
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', file);
  return git('rev-parse', 'HEAD');
};
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'release-'));
  git('init', '-q');
  git('config', 'user.name', 't');
  git('config', 'user.email', 't@example.com');
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

test('tags vX.Y.Z and moves the major tag forward, release after release', () => {
  const first = commit('a');
  expect(tagRelease(repo, '1.0.0')).toEqual({ tag: 'v1.0.0', major: 'v1', commit: first });
  expect(git('rev-parse', 'v1^{commit}')).toBe(first);
  const second = commit('b');
  expect(tagRelease(repo, 'v1.1.0')).toMatchObject({ tag: 'v1.1.0', major: 'v1' });
  expect(git('rev-parse', 'v1^{commit}')).toBe(second);
  expect(git('rev-parse', 'v1.0.0^{commit}')).toBe(first);
  expect(git('cat-file', '-t', 'v1.1.0')).toBe('tag');
});

test('a pre-release is tagged but v1 stays; a new major gets its own tag', () => {
  const first = commit('a');
  tagRelease(repo, '1.0.0');
  commit('b');
  expect(tagRelease(repo, '1.1.0-rc.1')).toMatchObject({ tag: 'v1.1.0-rc.1', major: undefined });
  expect(git('rev-parse', 'v1^{commit}')).toBe(first);
  const third = commit('c');
  expect(tagRelease(repo, '2.0.0')).toMatchObject({ major: 'v2' });
  expect(git('rev-parse', 'v2^{commit}')).toBe(third);
  expect(git('rev-parse', 'v1^{commit}')).toBe(first);
});

test('refuses what would surprise users, and tags nothing', () => {
  commit('a');
  tagRelease(repo, '1.2.0');
  commit('b');
  const before = git('tag', '--list');
  expect(() => tagRelease(repo, '1.2.0')).toThrow('v1.2.0 already exists');
  expect(() => tagRelease(repo, '1.1.9')).toThrow(
    'v1.1.9 is not newer than v1.2.0; moving v1 to it would take users backwards',
  );
  expect(() => tagRelease(repo, '1.3')).toThrow("version '1.3' is not X.Y.Z");
  writeFileSync(join(repo, 'dirty'), 'x');
  expect(() => tagRelease(repo, '1.3.0')).toThrow('uncommitted changes');
  expect(git('tag', '--list')).toBe(before);
});

test('the command: bad usage is one line and exit 1', () => {
  const run = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'release.mjs')], { encoding: 'utf8' });
  expect(run.status).toBe(1);
  expect(run.stderr.trim()).toBe('release: usage: node scripts/release.mjs X.Y.Z [--push]');
});
