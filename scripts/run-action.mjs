#!/usr/bin/env node
// Runs an action locally exactly as the runner would, from its committed bundle.
//   node scripts/run-action.mjs smoke-test --input url=http://localhost:8080/health --input retries=3
//   options: --input name=value (repeatable), --env NAME=value (repeatable), --no-post,
//            --timeout-minutes N (default 360, GitHub's limit for a job)
import { runAction, runStep } from './lib/local-runner.mjs';
import { actionNames } from './lib/actions.mjs';
import os from 'node:os';

const [action, ...rest] = process.argv.slice(2);
if (!action || !actionNames().includes(action)) {
  console.error(
    `usage: run-action <${actionNames().join('|')}> [--input name=value]... [--env NAME=value]... [--no-post] [--timeout-minutes N]`,
  );
  process.exit(2);
}
const inputs = {};
const env = {};
let post = true;
// GitHub ends a job after 360 minutes; a step here gets the same limit unless told otherwise.
let timeoutMinutes = 360;
for (let i = 0; i < rest.length; i++) {
  const flag = rest[i];
  if (flag === '--no-post') {
    post = false;
    continue;
  }
  if (flag === '--timeout-minutes') {
    timeoutMinutes = Number(rest[++i]);
    if (!(timeoutMinutes > 0)) {
      console.error(`run-action: --timeout-minutes needs a positive number of minutes, got '${rest[i] ?? ''}'`);
      process.exit(2);
    }
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
  timeoutMs: timeoutMinutes * 60_000,
  env: { ...process.env, ...env },
  onLine: (line) => {
    if (!line.startsWith('::add-mask::')) console.log(line);
  },
};
const { main, post: postResult } = post
  ? await runAction(action, options)
  : { main: await runStep(action, 'main', options) };
const steps = [main, postResult].filter(Boolean);
for (const step of steps) {
  if (step.stderr.trim()) console.error(step.stderr.trimEnd());
  if (step.signal)
    console.error(
      `-- ${step.phase} step was killed by ${step.signal}${step.signal === 'SIGKILL' ? ` (the ${timeoutMinutes}-minute limit, or killed from outside)` : ''}; its outputs are incomplete`,
    );
  else if (step.phase === 'post') console.log(`-- post step exited ${step.exitCode}`);
}
console.log(`-- outputs: ${JSON.stringify(main.outputs, null, 2)}`);
console.log(`-- job summary: ${main.files.summary}`);
// A step killed by a signal has no exit code; it failed all the same (128 + signal, as a shell reports it).
const failed = steps.find((step) => step.signal || step.exitCode);
process.exit(failed ? (failed.exitCode ?? 128 + (os.constants.signals[failed.signal] ?? 9)) : 0);
