// A small app context for build tests; buildah itself is set up by scripts/lib/buildah.mjs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { createBuildahEnv } from '../../scripts/lib/buildah.mjs';

export type BuildahEnv = ReturnType<typeof createBuildahEnv>;

/** A small app to build: a file, a build arg, a secret that must be there during RUN only. */
export function writeAppContext(parent: string, { version = '1', base = 'localhost/busybox-base:1' } = {}): string {
  const dir = mkdtempSync(join(parent, 'app-'));
  writeFileSync(
    join(dir, 'Containerfile'),
    `FROM ${base} AS base
ARG GREETING=hello
COPY app.txt /app/app.txt
RUN echo "$GREETING" > /app/greeting
RUN --mount=type=secret,id=npm_token test -s /run/secrets/npm_token
CMD ["/bin/cat", "/app/app.txt"]
`,
  );
  writeFileSync(join(dir, 'app.txt'), `app version ${version}\n`);
  writeFileSync(join(dir, 'notes.md'), 'not part of the image\n');
  writeFileSync(join(dir, '.dockerignore'), '*.md\n');
  return dir;
}
