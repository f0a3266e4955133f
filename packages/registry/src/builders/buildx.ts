import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ExecResult, PermanentError, exec } from '@deploy-actions/core';
import { type BuildIo, type BuildOutcome, type BuildSpec, type Builder, keyValueArgs } from './types';

/** Lines buildx prints when a cache export failed but ignore-error kept the build going. */
const CACHE_EXPORT_ERROR =
  /(error|failed).*(export(ing)? cache|cache export)|(export(ing)? cache|cache export).*(error|failed)/i;

/** docker buildx build: the builder of GitHub's hosted runners; pushes itself and writes a metadata file. */
export class BuildxBuilder implements Builder {
  readonly name = 'buildx' as const;

  constructor(private readonly docker = 'docker') {}

  async version(io: BuildIo): Promise<string> {
    const result = await exec(this.docker, ['buildx', 'version'], { signal: io.signal, timeoutMs: 30_000 });
    if (result.exitCode !== 0)
      throw new PermanentError(
        `docker buildx is not available: ${(result.stderr || result.stdout).trim().split('\n').pop()}; install Docker with the buildx plugin or set builder: buildah`,
      );
    return result.stdout.trim();
  }

  /** The argument array and the environment for one build (secrets travel as env=NAME, values in env). */
  command(spec: BuildSpec): { args: string[]; env: Record<string, string>; metadataFile: string } {
    const metadataFile = join(spec.workDir, 'buildx-metadata.json');
    const env: Record<string, string> = { ...spec.env };
    // buildx has no ignore-file flag; it reads <Dockerfile>.dockerignore beside the Dockerfile first,
    // so the build gets a copy of the Dockerfile with the rules next to it.
    const dockerfile = join(spec.workDir, 'Dockerfile');
    copyFileSync(spec.file, dockerfile);
    writeFileSync(`${dockerfile}.dockerignore`, `${spec.ignoreRules.join('\n')}\n`);
    const args = ['buildx', 'build', '--file', dockerfile, '--metadata-file', metadataFile, '--provenance=false'];
    if (spec.target) args.push('--target', spec.target);
    if (spec.platforms.length) args.push('--platform', spec.platforms.join(','));
    args.push(...keyValueArgs('--build-arg', spec.buildArgs));
    args.push(...keyValueArgs('--label', spec.labels));
    // Annotations go on the index (and each manifest) as metadata-action's docs recommend for buildx.
    for (const [k, v] of Object.entries(spec.annotations)) args.push('--annotation', `index,manifest:${k}=${v}`);
    spec.secrets.forEach((secret, i) => {
      const variable = `BUILD_SECRET_${i}`;
      env[variable] = secret.value;
      args.push('--secret', `id=${secret.id},env=${variable}`);
    });
    if (spec.cache.kind === 'registry') {
      args.push(
        '--cache-from',
        `type=registry,ref=${spec.cache.ref}`,
        '--cache-to',
        `type=registry,ref=${spec.cache.ref},mode=max,ignore-error=true`,
      );
    } else if (spec.cache.kind === 'gha') {
      args.push(
        '--cache-from',
        `type=gha,scope=${spec.cache.scope}`,
        '--cache-to',
        `type=gha,scope=${spec.cache.scope},mode=max,ignore-error=true`,
      );
    }
    for (const destination of spec.destinations) args.push('--tag', destination);
    if (spec.destinations.length) args.push('--push');
    args.push(spec.context);
    return { args, env, metadataFile };
  }

  async build(spec: BuildSpec, io: BuildIo): Promise<BuildOutcome> {
    const { args, env, metadataFile } = this.command(spec);
    const warnings: string[] = [];
    io.log.info(`docker ${args.join(' ')}`);
    const result: ExecResult = await exec(this.docker, args, {
      env,
      signal: io.signal,
      timeoutMs: io.timeoutMs,
      cwd: spec.context,
      onLine: (line) => {
        io.log.info(line);
        if (CACHE_EXPORT_ERROR.test(line))
          warnings.push(`cache export failed (the image was still built): ${line.trim()}`);
      },
    });
    if (result.exitCode !== 0)
      throw new PermanentError(`docker buildx build exited with ${result.exitCode ?? result.signal}: ${tail(result)}`);
    if (!spec.destinations.length) return { warnings };
    const metadata = JSON.parse(readFileSync(metadataFile, 'utf8')) as { 'containerimage.digest'?: string };
    const digest = metadata['containerimage.digest'];
    if (!digest)
      throw new PermanentError('docker buildx build pushed but wrote no containerimage.digest to its metadata file');
    return { digest, warnings };
  }
}

function tail(result: ExecResult): string {
  return (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join(' | ');
}
