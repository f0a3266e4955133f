// buildah as the tests, benchmarks and demo run it: vfs storage, chroot isolation, and every
// containers config file (storage.conf, registries.conf, policy.json) in a temp folder named
// through environment variables, so the machine's own /etc/containers and /var/lib/containers
// are never touched.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * @typedef {{
 *   dir: string,
 *   env: Record<string, string>,
 *   signaturePolicy: string,
 *   graphRoot: string,
 *   baseImage: string,
 *   cleanup: () => void,
 * }} BuildahEnv
 * `env`: variables for any process that runs buildah (merge into process.env or a child's env).
 * `baseImage`: a local image made from busybox-static, to build FROM without pulling anything.
 */

/** @param {string} [parent] where the folder goes (a temp folder by default) @returns {BuildahEnv} */
export function createBuildahEnv(parent = tmpdir()) {
  const dir = mkdtempSync(join(parent, 'buildah-'));
  const graphRoot = join(dir, 'storage');
  writeFileSync(
    join(dir, 'storage.conf'),
    `[storage]\ndriver = "vfs"\nrunroot = "${join(dir, 'run')}"\ngraphroot = "${graphRoot}"\n`,
  );
  writeFileSync(join(dir, 'registries.conf'), 'unqualified-search-registries = []\n');
  writeFileSync(join(dir, 'policy.json'), JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
  writeFileSync(join(dir, 'containers.conf'), '[engine]\n');
  const env = {
    CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf'),
    CONTAINERS_REGISTRIES_CONF: join(dir, 'registries.conf'),
    CONTAINERS_CONF: join(dir, 'containers.conf'),
    BUILDAH_ISOLATION: 'chroot',
  };
  const base = join(dir, 'base');
  mkdirSync(join(base, 'bin'), { recursive: true });
  copyFileSync('/usr/bin/busybox', join(base, 'bin', 'busybox'));
  writeFileSync(
    join(base, 'Containerfile'),
    'FROM scratch\nCOPY bin/busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCMD ["/bin/sh"]\n',
  );
  const baseImage = 'localhost/busybox-base:1';
  execFileSync(
    'buildah',
    ['build', '--signature-policy', join(dir, 'policy.json'), '--isolation', 'chroot', '--tag', baseImage, base],
    {
      env: { ...process.env, ...env },
      stdio: 'pipe',
    },
  );
  return {
    dir,
    env,
    signaturePolicy: join(dir, 'policy.json'),
    graphRoot,
    baseImage,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
