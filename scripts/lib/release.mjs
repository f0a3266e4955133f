// Tagging a release: vX.Y.Z on HEAD, and the major tag (v1) moved to it, the way users pin
// `org/deploy-actions/actions/<name>@v1`. Refuses anything that would surprise a user pinned to v1.
import { execFileSync } from 'node:child_process';
import semver from 'semver';

/**
 * @param {string} repo the repository folder
 * @param {string} requested e.g. 1.4.0 or v1.4.0
 * @returns {{ tag: string, major: string | undefined, commit: string }}
 */
export function tagRelease(repo, requested) {
  const git = (...args) =>
    execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const version = semver.valid(semver.clean(requested) ?? '');
  if (!version || requested.replace(/^v/, '') !== version)
    throw new Error(`version '${requested}' is not X.Y.Z; pass e.g. 1.4.0`);
  const tag = `v${version}`;
  if (git('status', '--porcelain'))
    throw new Error('the work tree has uncommitted changes; commit or stash them so the tag is what was tested');
  if (git('tag', '--list', tag))
    throw new Error(`${tag} already exists; releases are immutable, choose the next version`);
  const major = `v${semver.major(version)}`;
  const prerelease = semver.prerelease(version) !== null;
  const released = git('tag', '--list', `${major}.*`)
    .split('\n')
    .map((t) => semver.valid(t.replace(/^v/, '')))
    .filter((v) => v && !semver.prerelease(v));
  const newest = semver.rsort(released)[0];
  if (!prerelease && newest && semver.lte(version, newest))
    throw new Error(`${tag} is not newer than v${newest}; moving ${major} to it would take users backwards`);
  git('tag', '--annotate', tag, '--message', `deploy-actions ${tag}`);
  // A pre-release is tagged but never becomes what @v1 users get.
  if (!prerelease) git('tag', '--force', major, `${tag}^{commit}`);
  return { tag, major: prerelease ? undefined : major, commit: git('rev-parse', 'HEAD') };
}
