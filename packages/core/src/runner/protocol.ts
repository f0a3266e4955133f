/**
 * The few pieces of the runner's protocol needed before @actions/core is loaded. Inputs are read and
 * validated first and a bad input fails from here, so that path never pays for loading
 * @actions/core and its HTTP stack (about half of an action's cold start).
 */

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

/** True in the post step: main saved isPost=true in state, which the runner hands back as STATE_isPost. */
export function isPostPhase(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.STATE_isPost === 'true';
}
