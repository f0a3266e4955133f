import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import dockerignore from '@balena/dockerignore';

/** The label (and annotation) that records which build inputs an image came from. */
export const CONTENT_KEY_LABEL = 'dev.deploy-actions.content-key';
/** Labels that change with every run without changing the image; left out of the key. */
export const VOLATILE_LABELS = [
  'org.opencontainers.image.created',
  'org.opencontainers.image.revision',
  'org.opencontainers.image.version',
];
const KEY_SCHEME = 'deploy-actions content key v1';
const MAX_FILES = 200_000;

export interface BuildInputs {
  context: string;
  /** The Dockerfile, absolute or relative to the working directory. */
  file: string;
  target?: string;
  platforms: string[];
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
  /** Secret ids only: values are not part of the image, and a key must never encode them. */
  secretIds: string[];
  builder: string;
}

/**
 * A sha256 over everything that decides the image: the context files docker would send (after
 * .dockerignore), the Dockerfile, build args, target, platforms, the stable labels and the builder.
 * Two runs with the same key build the same image, so the second can reuse the first's digest.
 */
export function contentKey(inputs: BuildInputs): string {
  const hash = createHash('sha256');
  const line = (...parts: string[]): void => {
    hash.update(`${parts.join('\u0000')}\n`);
  };
  line(KEY_SCHEME, inputs.builder);
  line('dockerfile', readFileSync(inputs.file, 'utf8'));
  line('target', inputs.target ?? '');
  line('platforms', ...[...inputs.platforms].sort());
  for (const [k, v] of Object.entries(inputs.buildArgs).sort(([a], [b]) => a.localeCompare(b))) line('arg', k, v);
  for (const [k, v] of Object.entries(inputs.labels)
    .filter(([k]) => !VOLATILE_LABELS.includes(k) && k !== CONTENT_KEY_LABEL)
    .sort(([a], [b]) => a.localeCompare(b)))
    line('label', k, v);
  for (const id of [...inputs.secretIds].sort()) line('secret', id);
  for (const file of contextFiles(inputs.context, inputs.file)) {
    const path = join(inputs.context, file);
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) line('link', file, readlinkSync(path));
    else
      line('file', file, stat.mode & 0o111 ? 'x' : '-', createHash('sha256').update(readFileSync(path)).digest('hex'));
  }
  return hash.digest('hex');
}

/**
 * Left out of every build context unless a .dockerignore line brings them back (`!.git`): what a
 * job's earlier steps leave in the workspace that differs on every run of the same commit and may
 * hold a credential. The checkout's repository (fetch times, the index, a persisted token in
 * .git/config) and google-github-actions/auth's credentials file, which its README asks to ignore.
 * Keyed, they would defeat reuse; sent, `COPY . .` would bake them into the image.
 */
export const DEFAULT_IGNORES = ['.git', 'gha-creds-*.json'];

/** The .dockerignore rules a build applies: ours first, then <Dockerfile>.dockerignore or .dockerignore, whose lines win. */
export function ignoreRules(context: string, dockerfile?: string): string[] {
  const ignoreFile = [dockerfile && `${dockerfile}.dockerignore`, join(context, '.dockerignore')].find(
    (f) => f && existsSync(f),
  );
  return [...DEFAULT_IGNORES, ...(ignoreFile ? readFileSync(ignoreFile, 'utf8').split(/\r?\n/) : [])];
}

/** Files of the build context the builder is sent, relative, sorted (see ignoreRules). */
export function contextFiles(context: string, dockerfile?: string): string[] {
  const ig = dockerignore({ ignorecase: false });
  ig.add(ignoreRules(context, dockerfile));
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = relative(context, join(dir, entry.name));
      if (ig.ignores(rel)) {
        // An ignored folder may still hold re-included files (!pattern), so look inside it anyway.
        if (!entry.isDirectory()) continue;
      }
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (!ig.ignores(rel)) out.push(rel);
      if (out.length > MAX_FILES)
        throw new Error(`the build context ${context} has more than ${MAX_FILES} files; add a .dockerignore`);
    }
  };
  walk(context);
  return out;
}
