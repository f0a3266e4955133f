import type * as actionsCore from '@actions/core';
import { oneLine, InputError } from '../errors';
import type { Annotation, Logger } from '../logger';
import { endLeftovers, leftovers, parseLeftovers } from '../leftovers';
import { SecretRegistry } from '../secrets';
import { readRunContext, type RunContext } from './context';
import { Inputs } from './inputs';
import { failEarly, isPostPhase, saveStateEarly } from './protocol';

export { Inputs, validateUrl } from './inputs';
export { readRunContext, type RunContext } from './context';
export { inputVariable, isPostPhase } from './protocol';
export { MAX_DURATION_MS } from './inputs';
// Re-exported so entries can validate inputs without loading the rest of core (HTTP, exec).
export { InputError } from '../errors';
export { parseDuration } from '../clock';
export { splitCommand } from '../args';

type ActionsCore = typeof actionsCore;

export interface Outputs {
  set(name: string, value: unknown): void;
}

export interface State {
  save(name: string, value: unknown): void;
  get(name: string): string;
}

export interface Summary {
  /** Appends Markdown; everything appended is written once, when the phase ends, even on failure. */
  append(markdown: string): void;
}

export interface Variables {
  /** Sets an environment variable for this step's process and every later step of the job (GITHUB_ENV). */
  export(name: string, value: string): void;
}

export interface ActionContext {
  phase: 'main' | 'post';
  log: Logger;
  outputs: Outputs;
  variables: Variables;
  state: State;
  summary: Summary;
  secrets: SecretRegistry;
  run: RunContext;
  env: NodeJS.ProcessEnv;
  /** Aborted when the runner cancels the job (SIGINT, then SIGTERM). */
  signal: AbortSignal;
}

export interface ActionDefinition<C> {
  /** Reads and validates every input into one config; throws InputError. Runs before any side effect. */
  parse(inputs: Inputs, run: RunContext): C;
  main(ctx: ActionContext, config: C): Promise<void>;
  /** Runs in the post step (`post-if: always()`), also after a cancelled or failed main. */
  post?(ctx: ActionContext, config: C): Promise<void>;
}

/** State key under which main saves what it leaves running or on disk (see core's Leftovers). */
const LEFTOVERS_STATE = 'leftovers';

/**
 * The one entry for every action. Order matters: inputs are parsed before @actions/core is even
 * loaded, so bad input fails fast and touches nothing; then secrets are masked before anything logs.
 * Main marks the post phase before parsing, so after a bad-input failure the post step knows it is
 * the post step, and does nothing: main already reported the input.
 */
export async function runAction<C>(
  definition: ActionDefinition<C>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const phase = isPostPhase(env) ? 'post' : 'main';
  if (phase === 'post' && !definition.post) return;
  if (phase === 'main' && definition.post) saveStateEarly('isPost', 'true', env);
  // What a killed main step left (read from state, so it is ended even if the inputs no longer parse):
  // its children first, before the post step acts on what they touched.
  const saved = phase === 'post' ? parseLeftovers(env[`STATE_${LEFTOVERS_STATE}`] ?? '') : undefined;
  const ended = saved?.children.length ? await endLeftovers({ children: saved.children }) : undefined;
  const secrets = new SecretRegistry();
  const run = readRunContext(env);
  let config: C;
  try {
    config = definition.parse(new Inputs(secrets, env), run);
  } catch (error) {
    if (saved?.paths.length) await endLeftovers({ paths: saved.paths });
    if (phase === 'post') return;
    failEarly(secrets.redact(oneLine(error)));
    if (!(error instanceof InputError))
      process.stderr.write(`${secrets.redact(String((error as Error)?.stack ?? error))}\n`);
    return;
  }

  const core: ActionsCore = await import('@actions/core');
  secrets.onAdd((value) => core.setSecret(value));
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!controller.signal.aborted) controller.abort(new Error(`job cancelled (${signal})`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const summaryParts: string[] = [];
  const log = actionsLogger(core, secrets);
  const ctx: ActionContext = {
    phase,
    log,
    secrets,
    run,
    env,
    signal: controller.signal,
    outputs: {
      set: (name, value) => {
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        const safe = secrets.redact(text);
        if (safe !== text) log.warning(`output '${name}' contained a secret; it was redacted`);
        core.setOutput(name, safe);
      },
    },
    variables: {
      export: (name, value) => {
        const safe = secrets.redact(value);
        if (safe !== value) log.warning(`variable '${name}' contained a secret; it was redacted`);
        core.exportVariable(name, safe);
      },
    },
    state: {
      save: (name, value) => core.saveState(name, typeof value === 'string' ? value : JSON.stringify(value)),
      get: (name) => core.getState(name),
    },
    summary: { append: (markdown) => summaryParts.push(markdown) },
  };

  if (phase === 'main') leftovers.onChange((snapshot) => core.saveState(LEFTOVERS_STATE, JSON.stringify(snapshot)));
  try {
    if (ended?.killed.length) log.warning(`ended ${ended.killed.length} process(es) the main step left running`);
    await (phase === 'main' ? definition.main(ctx, config) : definition.post!(ctx, config));
  } catch (error) {
    core.debug(secrets.redact(String((error as Error)?.stack ?? error)));
    core.setFailed(secrets.redact(oneLine(error)));
  } finally {
    if (saved?.paths.length) {
      const { removed } = await endLeftovers({ paths: saved.paths });
      if (removed.length) log.info(`removed ${removed.length} temp path(s) that held secrets`);
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (summaryParts.length && env.GITHUB_STEP_SUMMARY) {
      await core.summary.addRaw(secrets.redact(summaryParts.join('\n'))).write();
    }
  }
}

function actionsLogger(core: ActionsCore, secrets: SecretRegistry): Logger {
  const props = (a?: Annotation) =>
    a ? { file: a.file, startLine: a.line, endLine: a.endLine, startColumn: a.column, title: a.title } : {};
  return {
    debug: (m) => core.debug(secrets.redact(m)),
    info: (m) => core.info(secrets.redact(m)),
    warning: (m, a) => core.warning(secrets.redact(m), props(a)),
    error: (m, a) => core.error(secrets.redact(m), props(a)),
    group: (title, fn) => core.group(secrets.redact(title), fn),
  };
}
