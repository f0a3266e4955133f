// buildah as the tests run it: vfs storage, chroot isolation, and every containers config file
// (storage.conf, registries.conf, policy.json) in a temp folder named through environment
// variables, so the machine's own /etc/containers and /var/lib/containers are never touched.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BuildahEnv {
  dir: string;
  /** Variables for any process that runs buildah (merge into process.env or a child's env). */
  env: Record<string, string>;
  signaturePolicy: string;
  graphRoot: string;
  /** A local image made from busybox-static, to build FROM without pulling anything. */
  baseImage: string;
  cleanup(): void;
}

export function createBuildahEnv(): BuildahEnv {
  const dir = mkdtempSync(join(tmpdir(), 'buildah-'));
  const graphRoot = join(dir, 'storage');
  writeFileSync(join(dir, 'storage.conf'), `[storage]\ndriver = "vfs"\nrunroot = "${join(dir, 'run')}"\ngraphroot = "${graphRoot}"\n`);
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
  writeFileSync(join(base, 'Containerfile'), 'FROM scratch\nCOPY bin/busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCMD ["/bin/sh"]\n');
  const baseImage = 'localhost/busybox-base:1';
  execFileSync('buildah', ['build', '--signature-policy', join(dir, 'policy.json'), '--isolation', 'chroot', '--tag', baseImage, base], {
    env: { ...process.env, ...env }, stdio: 'pipe',
  });
  return {
    dir, env, signaturePolicy: join(dir, 'policy.json'), graphRoot, baseImage,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A small app to build: a file, a build arg, a secret that must be there during RUN only. */
export function writeAppContext(parent: string, { version = '1', base = 'localhost/busybox-base:1' } = {}): string {
  const dir = mkdtempSync(join(parent, 'app-'));
  writeFileSync(join(dir, 'Containerfile'), `FROM ${base} AS base
ARG GREETING=hello
COPY app.txt /app/app.txt
RUN echo "$GREETING" > /app/greeting
RUN --mount=type=secret,id=npm_token test -s /run/secrets/npm_token
CMD ["/bin/cat", "/app/app.txt"]
`);
  writeFileSync(join(dir, 'app.txt'), `app version ${version}\n`);
  writeFileSync(join(dir, 'notes.md'), 'not part of the image\n');
  writeFileSync(join(dir, '.dockerignore'), '*.md\n');
  return dir;
}
