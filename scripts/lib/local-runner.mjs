// Runs an action's committed bundle the way GitHub's runner does: INPUT_* variables with the
// defaults from action.yml, the GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY / GITHUB_ENV /
// GITHUB_PATH files, workflow commands parsed from stdout, and a post step fed STATE_* variables.
// Cancellation is SIGINT, then SIGTERM 7.5 s later, then SIGKILL, as the runner does.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { actionMetadata, repoRoot } from './actions.mjs';

/**
 * @typedef {{ level: 'error'|'warning'|'notice', message: string, file?: string, line?: number, title?: string }} Annotation
 * @typedef {{
 *   action: string, phase: 'main'|'post', exitCode: number|null, signal: string|null,
 *   stdout: string, stderr: string, log: string,
 *   outputs: Record<string,string>, state: Record<string,string>, summary: string,
 *   env: Record<string,string>, path: string[], annotations: Annotation[], masks: string[],
 *   files: { output: string, state: string, summary: string, env: string, path: string, dir: string },
 *   durationMs: number,
 * }} StepResult
 * @typedef {{
 *   inputs?: Record<string, string|number|boolean|undefined>,
 *   env?: Record<string, string|undefined>,
 *   state?: Record<string,string>,
 *   cwd?: string,
 *   timeoutMs?: number,
 *   dist?: string,
 *   onLine?: (line: string, control: { cancel: () => void, kill: () => void }) => void,
 *   cancelAfterMs?: number,
 *   onSpawn?: (control: { pid: number, cancel: () => void, kill: () => void }) => void,
 *   allowUnknownInputs?: boolean,
 *   dir?: string,
 * }} StepOptions
 */

/** Parses the runner's file-command format: `name<<DELIM` heredocs and plain `name=value` lines. */
export function parseFileCommands(text) {
  /** @type {Record<string,string>} */
  const out = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]);
      if (i >= lines.length) throw new Error(`file command for '${name}' has no closing delimiter`);
      out[name] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

function unescapeData(s) {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
function unescapeProperty(s) {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

/** Reads workflow commands (::error file=a,line=3::msg) out of a step's stdout. */
export function parseWorkflowCommands(stdout) {
  /** @type {Annotation[]} */
  const annotations = [];
  /** @type {string[]} */
  const masks = [];
  const logLines = [];
  for (const line of stdout.split('\n')) {
    const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) {
      logLines.push(line);
      continue;
    }
    const [, command, rawProps = '', data] = m;
    if (command === 'add-mask') {
      masks.push(unescapeData(data));
      continue; // the runner swallows these lines
    }
    logLines.push(line);
    // Debug lines are log, not annotations.
    if (['error', 'warning', 'notice'].includes(command)) {
      /** @type {Record<string,string>} */
      const props = {};
      for (const pair of rawProps.split(',').filter(Boolean)) {
        const eq = pair.indexOf('=');
        props[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
      }
      annotations.push({
        level: /** @type {Annotation['level']} */ (command),
        message: unescapeData(data),
        ...(props.file ? { file: props.file } : {}),
        ...(props.line ? { line: Number(props.line) } : {}),
        ...(props.title ? { title: props.title } : {}),
      });
    }
  }
  return { annotations, masks, log: logLines.join('\n') };
}

/** The INPUT_* variables the runner would set: action.yml defaults, then the step's `with:`. */
export function inputEnvironment(action, inputs = {}, { allowUnknownInputs = false, env = {} } = {}) {
  const meta = actionMetadata(action);
  const unknown = Object.keys(inputs).filter((k) => !(k in meta.inputs));
  if (unknown.length && !allowUnknownInputs) {
    throw new Error(
      `${action}: unexpected input(s) ${unknown.join(', ')}; valid inputs are ${Object.keys(meta.inputs).join(', ')}`,
    );
  }
  /** @type {Record<string,string>} */
  const out = {};
  for (const [name, spec] of Object.entries(meta.inputs)) {
    if (spec.default === undefined) continue;
    // The one default expression the actions use; the runner would evaluate it to the job's token.
    out[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = String(spec.default).replace(
      /\$\{\{\s*github\.token\s*\}\}/g,
      env.GITHUB_TOKEN ?? '',
    );
  }
  for (const [name, value] of Object.entries(inputs)) {
    if (value === undefined) continue;
    out[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = String(value);
  }
  return out;
}

/**
 * Runs one step (main or post) of an action's bundle.
 * @param {string} action
 * @param {'main'|'post'} phase
 * @param {StepOptions} [options]
 * @returns {Promise<StepResult>}
 */
export async function runStep(action, phase, options = {}) {
  const meta = actionMetadata(action);
  const actionDir = join(repoRoot, 'actions', action);
  const entry = phase === 'main' ? meta.runs.main : meta.runs.post;
  if (!entry) throw new Error(`${action} has no ${phase} step`);
  const script = options.dist ? join(options.dist, action, 'index.js') : resolve(actionDir, entry);
  if (!existsSync(script)) throw new Error(`${script} does not exist: run pnpm build`);
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), `step-${action}-`));
  const files = {
    dir,
    output: join(dir, `output-${phase}`),
    state: join(dir, `state-${phase}`),
    summary: join(dir, `summary-${phase}.md`),
    env: join(dir, `env-${phase}`),
    path: join(dir, `path-${phase}`),
  };
  for (const f of [files.output, files.state, files.summary, files.env, files.path]) writeFileSync(f, '');
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(INPUT|STATE|GITHUB)_/.test(k)));
  /** @type {Record<string,string>} */
  const env = {
    ...base,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_RUN_ID: '1001',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW: 'deploy',
    GITHUB_JOB: 'deploy',
    GITHUB_ACTOR: 'octocat',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_WORKSPACE: options.cwd ?? repoRoot,
    RUNNER_TEMP: dir,
    ...Object.fromEntries(Object.entries(options.env ?? {}).filter(([, v]) => v !== undefined)),
    ...inputEnvironment(action, options.inputs, {
      allowUnknownInputs: options.allowUnknownInputs,
      env: options.env ?? {},
    }),
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
  };
  for (const [k, v] of Object.entries(options.state ?? {})) env[`STATE_${k}`] = v;

  const started = Date.now();
  const child = spawn(process.execPath, [script], {
    cwd: options.cwd ?? repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let partial = '';
  const timers = [];
  const cancel = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT');
    timers.push(setTimeout(() => child.kill('SIGTERM'), 7500));
    timers.push(setTimeout(() => child.kill('SIGKILL'), 10_000));
  };
  child.stdout.on('data', (chunk) => {
    const text = chunk.toString();
    stdout += text;
    if (options.onLine) {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      // kill: the job dies at once (runner machine lost, OOM), as opposed to a cancel.
      for (const line of lines) options.onLine(line, { cancel, kill: () => child.kill('SIGKILL') });
    }
  });
  child.stderr.on('data', (chunk) => (stderr += chunk.toString()));
  options.onSpawn?.({ pid: child.pid, cancel, kill: () => child.kill('SIGKILL') });
  if (options.cancelAfterMs !== undefined) timers.push(setTimeout(cancel, options.cancelAfterMs));
  const timeoutMs = options.timeoutMs ?? 120_000;
  timers.push(setTimeout(() => child.kill('SIGKILL'), timeoutMs));
  const [exitCode, signal] = await new Promise((res) => child.on('close', (code, sig) => res([code, sig])));
  for (const t of timers) clearTimeout(t);

  const { annotations, masks, log } = parseWorkflowCommands(stdout);
  const read = (f) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  return {
    action,
    phase,
    exitCode,
    signal,
    stdout,
    stderr,
    log,
    outputs: parseFileCommands(read(files.output)),
    state: parseFileCommands(read(files.state)),
    summary: read(files.summary),
    env: parseFileCommands(read(files.env)),
    path: read(files.path).split('\n').filter(Boolean),
    annotations,
    masks,
    files,
    durationMs: Date.now() - started,
  };
}

/**
 * Runs main, then (if the action has one) the post step with the state main saved, like a job does.
 * @param {string} action
 * @param {StepOptions} [options]
 */
export async function runAction(action, options = {}) {
  const main = await runStep(action, 'main', options);
  const meta = actionMetadata(action);
  if (!meta.runs.post) return { main, post: undefined };
  const post = await runStep(action, 'post', {
    ...options,
    cancelAfterMs: undefined,
    onLine: undefined,
    state: main.state,
    dir: main.files.dir,
  });
  return { main, post };
}
