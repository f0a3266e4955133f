import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, resolve, sep } from 'node:path';
import { type HurlFile, SpecError, type Template } from './ast';

/**
 * Resolves a path a spec uses (a body or multipart file, an output, a certificate) against the
 * spec's folder, as Hurl does; a path that leaves the workspace is refused.
 */
export function workspacePath(workspace: string, specFile: string, path: string): string {
  const root = realpathSync(workspace);
  const full = resolve(dirname(resolve(root, specFile)), path);
  const real = existsSync(full)
    ? realpathSync(full)
    : resolve(realpathSync(nearestExisting(dirname(full))), basename(full));
  if (real !== root && !real.startsWith(root + sep)) {
    throw new Error(`'${path}' is outside the workspace; spec files may only read and write files inside it`);
  }
  return real;
}

function nearestExisting(path: string): string {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}

function constant(t: Template): string | undefined {
  return t.every((p) => 'text' in p) ? t.map((p) => (p as { text: string }).text).join('') : undefined;
}

/** Paths written as constants that leave the workspace: bad input, found before any request. */
export function fileProblems(file: HurlFile, workspace: string): SpecError[] {
  const problems: SpecError[] = [];
  const check = (path: string | undefined, line: number, column: number, what: string) => {
    if (path === undefined) return;
    try {
      workspacePath(workspace, file.path, path);
    } catch (error) {
      problems.push(SpecError.at(file.path, line, column, `${what}: ${(error as Error).message}`));
    }
  };
  for (const entry of file.entries) {
    const r = entry.request;
    for (const part of r.multipart) if (part.file) check(constant(part.file.path), part.line, 1, 'multipart file part');
    if (r.body?.kind === 'file') check(constant(r.body.path), r.body.line, 1, 'file body');
    if (entry.response?.body?.kind === 'file')
      check(constant(entry.response.body.path), entry.response.body.line, 1, 'file body');
    for (const o of r.options) {
      if (o.name !== 'output' || o.value.kind !== 'string') continue;
      check(constant(o.value.template), o.line, o.column, `option '${o.name}'`);
    }
  }
  return problems;
}
