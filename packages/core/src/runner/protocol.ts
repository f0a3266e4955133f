/**
 * The few pieces of the runner's protocol needed before @actions/core is loaded. Inputs are read and
 * validated first and a bad input fails from here, so that path never pays for loading
 * @actions/core and its HTTP stack (about half of an action's cold start).
 */

import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';

/** The runner passes input `my input` as INPUT_MY INPUT: spaces become underscores, upper case. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Escaping for workflow command data, as the runner expects it. */
export function escapeCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Fails the step the way core.setFailed does: an error command and exit code 1. */
export function failEarly(message: string): void {
  process.stdout.write(`::error::${escapeCommandData(message)}\n`);
  process.exitCode = 1;
}

/**
 * Saves a state value without @actions/core, in the runner's file-command format, for use before
 * inputs are parsed. Without GITHUB_STATE (an old runner) it falls back to the save-state command.
 */
export function saveStateEarly(name: string, value: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_STATE;
  if (!file) {
    process.stdout.write(`::save-state name=${name}::${escapeCommandData(value)}\n`);
    return;
  }
  const delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

/** True in the post step: main saved isPost=true in state, which the runner hands back as STATE_isPost. */
export function isPostPhase(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.STATE_isPost === 'true';
}
