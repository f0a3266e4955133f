// The actions in this repository and their metadata, read from actions/<name>/action.yml.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** @returns {string[]} action names (folders under actions/ with an action.yml), sorted */
export function actionNames() {
  const dir = join(repoRoot, 'actions');
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'action.yml')))
    .sort();
}

/**
 * @param {string} name
 * @returns {{ name: string, description: string, inputs: Record<string, {description?: string, required?: boolean, default?: string, deprecationMessage?: string}>, outputs: Record<string, {description?: string}>, runs: {using: string, main: string, post?: string, 'post-if'?: string} }}
 */
export function actionMetadata(name) {
  const file = join(repoRoot, 'actions', name, 'action.yml');
  const meta = parse(readFileSync(file, 'utf8'));
  return { inputs: {}, outputs: {}, ...meta };
}
