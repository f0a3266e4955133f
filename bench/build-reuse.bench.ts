// Build once: the second run of an unchanged source (found by its content key, re-tagged by digest
// through the registry API) beside a full build of a changed source, alternating in the same run,
// with buildah and a real registry (htpasswd + TLS) on loopback.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger, SecretRegistry } from '../packages/core/src/index';
import {
  AuthFile,
  BuildahBuilder,
  buildPushImage,
  parseImageName,
  type BuildPushConfig,
} from '../packages/registry/src/index';
import { startRegistry } from '../scripts/lib/services.mjs';
import { createBuildahEnv } from '../scripts/lib/buildah.mjs';
import { writeAppContext } from '../test/support/buildah';
import { type BenchRow, median } from './types';

const ROUNDS = 3;

export default async function buildReuse(): Promise<BenchRow[]> {
  const buildah = createBuildahEnv();
  const saved = { ...process.env };
  Object.assign(process.env, buildah.env);
  const registry = await startRegistry();
  const work = mkdtempSync(join(tmpdir(), 'bench-build-'));
  try {
    const context = writeAppContext(work, { version: 'bench', base: buildah.baseImage });
    const run = async (tags: string[]) => {
      const config: BuildPushConfig = {
        images: [parseImageName(`${registry.host}/bench/app`)],
        tags,
        labels: {},
        annotations: {},
        context,
        file: join(context, 'Containerfile'),
        platforms: [],
        buildArgs: {},
        secrets: [{ id: 'npm_token', value: 'bench-token' }],
        push: true,
        reuse: true,
        cache: 'none',
        credentials: { [registry.host]: { username: registry.username, password: registry.password } },
        ecrRegistries: [],
        ca: registry.ca,
        retryTimeoutMs: 30_000,
      };
      const started = performance.now();
      const result = await buildPushImage(config, {
        builder: new BuildahBuilder({ signaturePolicy: buildah.signaturePolicy }),
        authFile: AuthFile.create(work),
        secrets: new SecretRegistry(),
        log: new MemoryLogger(),
        tempDir: work,
      });
      return { ms: performance.now() - started, built: result.built };
    };
    const full: number[] = [];
    const reuse: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      writeFileSync(join(context, 'app.txt'), `app version ${i} ${Date.now()}\n`);
      const built = await run([`build-${i}`]);
      if (!built.built) throw new Error('a changed source was not rebuilt');
      full.push(built.ms);
      const reused = await run([`reuse-${i}`, 'latest']);
      if (reused.built) throw new Error('an unchanged source was rebuilt');
      reuse.push(reused.ms);
    }
    const f = median(full);
    const r = median(reuse);
    return [
      {
        bench: 'build-reuse',
        case: 'full build + push (changed source)',
        metric: `median of ${ROUNDS}`,
        value: `${(f / 1000).toFixed(2)} s`,
      },
      {
        bench: 'build-reuse',
        case: 'unchanged source: reuse + re-tag',
        metric: `median of ${ROUNDS}`,
        value: `${(r / 1000).toFixed(2)} s`,
      },
      {
        bench: 'build-reuse',
        case: 'reuse vs full build',
        metric: 'speed-up',
        value: `${(f / r).toFixed(1)}x`,
        goal: 'reuse faster than a build',
        pass: r < f,
      },
    ];
  } finally {
    await registry.stop();
    process.env = saved;
    buildah.cleanup();
    rmSync(work, { recursive: true, force: true });
  }
}
