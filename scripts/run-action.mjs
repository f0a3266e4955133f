#!/usr/bin/env node
// Runs an action locally exactly as the runner would, from its committed bundle.
//   node scripts/run-action.mjs smoke-test --input url=http://localhost:8080/health --input retries=3
//   options: --input name=value (repeatable), --env NAME=value (repeatable), --no-post
import { runAction, runStep } from './lib/local-runner.mjs';
import { actionNames } from './lib/actions.mjs';

const [action, ...rest] = process.argv.slice(2);
if (!action || !actionNames().includes(action)) {
  console.error(
    `usage: run-action <${actionNames().join('|')}> [--input name=value]... [--env NAME=value]... [--no-post]`,
  );
  process.exit(2);
}
const inputs = {};
const env = {};
let post = true;
for (let i = 0; i < rest.length; i++) {
  const flag = rest[i];
  if (flag === '--no-post') {
    post = false;
    continue;
  }
  const value = rest[++i] ?? '';
  const eq = value.indexOf('=');
  if ((flag !== '--input' && flag !== '--env') || eq < 1) {
    console.error(`run-action: expected --input name=value or --env NAME=value, got '${flag} ${value}'`);
    process.exit(2);
  }
  (flag === '--input' ? inputs : env)[value.slice(0, eq)] = value.slice(eq + 1);
}
// The runner swallows ::add-mask:: lines; so does this, or the secrets they carry would print.
const options = {
  inputs,
  env: { ...process.env, ...env },
  onLine: (line) => {
    if (!line.startsWith('::add-mask::')) console.log(line);
  },
};
const { main, post: postResult } = post
  ? await runAction(action, options)
  : { main: await runStep(action, 'main', options) };
for (const step of [main, postResult].filter(Boolean)) {
  if (step.stderr.trim()) console.error(step.stderr.trimEnd());
  if (step.phase === 'post') console.log(`-- post step exited ${step.exitCode}`);
}
console.log(`-- outputs: ${JSON.stringify(main.outputs, null, 2)}`);
console.log(`-- job summary: ${main.files.summary}`);
process.exit(main.exitCode || postResult?.exitCode || 0);
