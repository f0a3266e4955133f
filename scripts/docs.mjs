#!/usr/bin/env node
// Keeps the inputs/outputs tables in docs/actions/<action>.md in step with action.yml.
// The tables live between <!-- inputs:start --> / <!-- inputs:end --> (and outputs) markers.
//   node scripts/docs.mjs           rewrite the tables
//   node scripts/docs.mjs --check   fail when a page is missing or its tables drifted
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionMetadata, actionNames, repoRoot } from './lib/actions.mjs';

const cell = (text) =>
  String(text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();

export function inputsTable(meta) {
  const rows = Object.entries(meta.inputs).map(
    ([name, spec]) =>
      `| \`${name}\` | ${spec.required ? 'yes' : 'no'} | ${spec.default === undefined || spec.default === '' ? '' : `\`${cell(spec.default)}\``} | ${cell(spec.description)} |`,
  );
  return ['| Input | Required | Default | Description |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export function outputsTable(meta) {
  const rows = Object.entries(meta.outputs).map(([name, spec]) => `| \`${name}\` | ${cell(spec.description)} |`);
  return ['| Output | Description |', '| --- | --- |', ...rows].join('\n');
}

function render(page, meta) {
  let out = page;
  for (const [section, table] of [
    ['inputs', inputsTable(meta)],
    ['outputs', outputsTable(meta)],
  ]) {
    const re = new RegExp(`(<!-- ${section}:start -->)[\\s\\S]*?(<!-- ${section}:end -->)`);
    if (!re.test(out)) throw new Error(`missing <!-- ${section}:start --> / <!-- ${section}:end --> markers`);
    out = out.replace(re, `$1\n${table}\n$2`);
  }
  return out;
}

const check = process.argv.includes('--check');
const problems = [];
for (const name of actionNames()) {
  const file = join(repoRoot, 'docs', 'actions', `${name}.md`);
  if (!existsSync(file)) {
    problems.push(`docs/actions/${name}.md is missing`);
    continue;
  }
  const page = readFileSync(file, 'utf8');
  let next;
  try {
    next = render(page, actionMetadata(name));
  } catch (error) {
    problems.push(`docs/actions/${name}.md: ${error.message}`);
    continue;
  }
  if (next === page) continue;
  if (check) problems.push(`docs/actions/${name}.md: inputs/outputs tables differ from action.yml`);
  else writeFileSync(file, next);
}
if (problems.length) {
  console.error(problems.join('\n'));
  if (check) console.error('Run `pnpm docs` and commit the pages.');
  process.exit(1);
}
console.log(check ? `docs match action.yml (${actionNames().length} action(s))` : 'docs updated');
