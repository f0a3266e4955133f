import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ExecResult, type Logger, PermanentError, exec } from '@deploy-actions/core';
import { type BuildIo, type BuildOutcome, type BuildSpec, type Builder, keyValueArgs } from './types';

export interface BuildahOptions {
  buildah?: string;
  /** A signature policy file other than /etc/containers/policy.json (tests keep to their own). */
  signaturePolicy?: string;
  /** Process isolation for RUN steps; chroot works without a container runtime or user namespaces. */
  isolation?: 'chroot' | 'oci' | 'rootless';
  /** Pushes retried by buildah itself on top of what the registry client does. */
  pushRetries?: number;
}

const CACHE_ERROR = /cache/i;

/**
 * buildah: builds without a daemon (what the tests here run, and on GitHub's Ubuntu runners too).
 * Builds into local storage under a job-local name, then pushes that to each destination and keeps
 * the digest buildah wrote. Several platforms become a manifest list pushed with --all.
 */
export class BuildahBuilder implements Builder {
  readonly name = 'buildah' as const;
  private readonly bin: string;

  constructor(private readonly options: BuildahOptions = {}) {
    this.bin = options.buildah ?? 'buildah';
  }

  async version(io: BuildIo): Promise<string> {
    const result = await exec(this.bin, ['--version'], { signal: io.signal, timeoutMs: 30_000 });
    if (result.exitCode !== 0) throw new PermanentError(`buildah is not available: ${result.stderr.trim()}`);
    return result.stdout.trim();
  }

  private policy(): string[] {
    return this.options.signaturePolicy ? ['--signature-policy', this.options.signaturePolicy] : [];
  }

  /** The build's argument array; secret values are written to files under workDir, never to argv. */
  buildCommand(spec: BuildSpec, localName: string, withCacheTo = true): string[] {
    const args = [
      'build',
      ...this.policy(),
      '--file',
      spec.file,
      '--isolation',
      this.options.isolation ?? 'chroot',
      '--layers',
    ];
    if (spec.target) args.push('--target', spec.target);
    if (spec.platforms.length > 1) args.push('--platform', spec.platforms.join(','), '--manifest', localName);
    else {
      if (spec.platforms.length === 1) args.push('--platform', spec.platforms[0]!);
      args.push('--tag', localName);
    }
    args.push(...keyValueArgs('--build-arg', spec.buildArgs));
    args.push(...keyValueArgs('--label', spec.labels));
    args.push(...keyValueArgs('--annotation', spec.annotations));
    spec.secrets.forEach((secret, i) => {
      const file = join(spec.workDir, `secret-${i}`);
      writeFileSync(file, secret.value, { mode: 0o600 });
      args.push('--secret', `id=${secret.id},src=${file}`);
    });
    if (spec.cache.kind === 'registry') {
      args.push('--cache-from', spec.cache.ref);
      if (withCacheTo) args.push('--cache-to', spec.cache.ref);
    }
    if (spec.certDir) args.push('--cert-dir', spec.certDir);
    const ignoreFile = join(spec.workDir, 'dockerignore');
    writeFileSync(ignoreFile, `${spec.ignoreRules.join('\n')}\n`);
    args.push('--ignorefile', ignoreFile, spec.context);
    return args;
  }

  pushCommand(spec: BuildSpec, localName: string, destination: string, digestFile: string): string[] {
    const list = spec.platforms.length > 1;
    const args = list ? ['manifest', 'push', '--all'] : ['push', ...this.policy()];
    args.push('--digestfile', digestFile, '--retry', String(this.options.pushRetries ?? 3));
    if (spec.certDir) args.push('--cert-dir', spec.certDir);
    args.push(localName, `docker://${destination}`);
    return args;
  }

  async build(spec: BuildSpec, io: BuildIo): Promise<BuildOutcome> {
    const warnings: string[] = [];
    const localName = `localhost/deploy-actions-build:${spec.contentKey.slice(0, 16)}`;
    const env = { ...spec.env, BUILDAH_ISOLATION: this.options.isolation ?? 'chroot' };
    let result = await this.run(this.buildCommand(spec, localName), env, io, spec.context);
    if (
      result.exitCode !== 0 &&
      spec.cache.kind === 'registry' &&
      CACHE_ERROR.test(result.stderr.split('\n').slice(-5).join('\n'))
    ) {
      // A cache that cannot be written must not cost the build: the layers are local, so the
      // second run is quick.
      warnings.push(`cache export to ${spec.cache.ref} failed, built without it: ${lastLine(result)}`);
      io.log.warning(warnings[warnings.length - 1]!);
      result = await this.run(this.buildCommand(spec, localName, false), env, io, spec.context);
    }
    if (result.exitCode !== 0)
      throw new PermanentError(`buildah build exited with ${result.exitCode ?? result.signal}: ${tail(result)}`);
    let digest: string | undefined;
    for (const [i, destination] of spec.destinations.entries()) {
      const digestFile = join(spec.workDir, `digest-${i}`);
      const pushed = await this.run(this.pushCommand(spec, localName, destination, digestFile), env, io, spec.context);
      if (pushed.exitCode !== 0) throw new PermanentError(`buildah push to ${destination} failed: ${tail(pushed)}`);
      const written = readFileSync(digestFile, 'utf8').trim();
      if (digest && written !== digest)
        io.log.warning(`${destination} got digest ${written}, the first destination ${digest}`);
      digest ??= written;
    }
    return { digest, warnings };
  }

  private run(args: string[], env: Record<string, string>, io: BuildIo, cwd: string): Promise<ExecResult> {
    logCommand(io.log, this.bin, args);
    return exec(this.bin, args, {
      env,
      signal: io.signal,
      timeoutMs: io.timeoutMs,
      cwd,
      onLine: (line) => io.log.info(line),
    });
  }
}

function logCommand(log: Logger, bin: string, args: string[]): void {
  log.info(`${bin} ${args.join(' ')}`);
}

function lastLine(result: ExecResult): string {
  return (result.stderr.trim() || result.stdout.trim()).split('\n').pop() ?? '';
}

function tail(result: ExecResult): string {
  return (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join(' | ');
}
