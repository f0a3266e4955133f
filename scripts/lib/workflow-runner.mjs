// Runs one job of a workflow file the way GitHub's runner does, so tests and the demo exercise the
// workflow itself rather than a copy of its wiring: each step's `if:` (default `success()`) and
// every `${{ }}` expression are evaluated by GitHub's own expression engine (@actions/expressions)
// against the github, inputs, vars, secrets, needs, steps, job and env contexts; our actions run
// from their committed bundles through the local runner (post steps at the end of the job, in
// reverse order); `run:` steps run in `bash --noprofile --norc -eo pipefail`, as on a Linux runner.
// Third-party actions cannot run here: a step that would run one needs a handler from the caller
// (actions/checkout is a no-op: the working directory is the checkout).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { actionMetadata, repoRoot } from './actions.mjs';
import { parseFileCommands, runStep } from './local-runner.mjs';

const contextNames = ['github', 'inputs', 'vars', 'secrets', 'needs', 'steps', 'job', 'env', 'runner', 'matrix'];
const statusFunctions = ['success', 'failure', 'always', 'cancelled'];

/** `uses:` of one of this repository's actions: `<owner>/deploy-actions/actions/<name>@<ref>` or `./actions/<name>`. */
export function ourAction(uses) {
  return /^(?:[\w.-]+\/deploy-actions\/actions\/([\w-]+)@.+|\.\/actions\/([\w-]+))$/.exec(uses)?.slice(1).find(Boolean);
}

/** Plain JSON-like value → the expression engine's data. */
function toData(value) {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver);
}

/** Expression data → a plain value (strings, numbers, booleans, null, objects, arrays). */
function fromData(value) {
  return JSON.parse(JSON.stringify(value, data.replacer));
}

/**
 * Evaluates one expression (the text inside `${{ }}`, or a bare `if:` condition) against plain contexts.
 * @param {string} expression
 * @param {Record<string, unknown>} contexts
 * @param {{ status?: 'success'|'failure'|'cancelled' }} [options] the job's status so far, for success()/failure()
 */
export function evaluateExpression(expression, contexts, { status = 'success' } = {}) {
  const lexed = new Lexer(expression).lex();
  const functions = new Map(
    statusFunctions.map((name) => [
      name,
      {
        name,
        minArgs: 0,
        maxArgs: 0,
        call: () =>
          new data.BooleanData(
            name === 'always'
              ? true
              : name === 'success'
                ? status === 'success'
                : name === 'failure'
                  ? status === 'failure'
                  : status === 'cancelled',
          ),
      },
    ]),
  );
  const parsed = new Parser(lexed.tokens, contextNames, [...functions.values()]).parse();
  const dictionary = new data.Dictionary();
  for (const name of contextNames) dictionary.add(name, toData(contexts[name] ?? {}));
  return fromData(new Evaluator(parsed, dictionary, functions).evaluate());
}

/** A value as the runner turns it into a string: `${{ }}` parts evaluated and spliced in. */
export function interpolate(value, contexts, options) {
  if (typeof value !== 'string') return value;
  // One expression and nothing else keeps its type (a boolean stays a boolean), as the runner does.
  const whole = /^\s*\$\{\{((?:(?!\}\})[\s\S])*)\}\}\s*$/.exec(value);
  if (whole) return evaluateExpression(whole[1], contexts, options);
  return value.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression) => {
    const result = evaluateExpression(expression, contexts, options);
    return result === null ? '' : typeof result === 'object' ? JSON.stringify(result) : String(result);
  });
}

/** As the runner decides a step's `if:`: a bare expression, with `success()` added when no status function is named. */
export function condition(text, contexts, status) {
  if (text === undefined) return status === 'success';
  const expression = String(text).replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, '$1');
  const withStatus = statusFunctions.some((f) => new RegExp(`\\b${f}\\(\\)`).test(expression))
    ? expression
    : `success() && (${expression})`;
  return truthy(evaluateExpression(withStatus, contexts, { status }));
}

function truthy(value) {
  return !(value === false || value === null || value === 0 || value === '' || value === undefined);
}

const asString = (value) =>
  value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);

export function loadWorkflow(file) {
  return parse(readFileSync(file.startsWith('/') ? file : join(repoRoot, file), 'utf8'));
}

/**
 * @typedef {{ id?: string, name: string, ran: boolean, outcome: 'success'|'failure'|'skipped', conclusion: 'success'|'failure'|'skipped', outputs: Record<string,string>, action?: string, inputs?: Record<string,string>, log: string }} StepRecord
 * @typedef {(step: { uses: string, with: Record<string,string>, env: Record<string,string> }) => Promise<{ outcome?: 'success'|'failure', outputs?: Record<string,string>, env?: Record<string,string> }>} UsesHandler
 */

/**
 * Runs the steps of `jobId` in `file` (a path under the repository).
 * @param {string} file
 * @param {string} jobId
 * @param {{
 *   inputs?: Record<string, unknown>, vars?: Record<string,string>, secrets?: Record<string,string>,
 *   needs?: Record<string, { result: string, outputs: Record<string,string> }>,
 *   github?: Record<string, unknown>, env?: Record<string,string>, cwd?: string,
 *   handlers?: Record<string, UsesHandler>,
 *   beforeStep?: (step: { id?: string, name: string }) => void | Promise<void>,
 *   timeoutMs?: number,
 * }} options
 */
export async function runJob(file, jobId, options = {}) {
  const workflow = loadWorkflow(file);
  const job = workflow.jobs?.[jobId];
  if (!job) throw new Error(`${file} has no job ${jobId}`);
  const declared = workflow.on?.workflow_call?.inputs ?? workflow.on?.workflow_dispatch?.inputs ?? {};
  const inputs = Object.fromEntries(
    Object.entries(declared).map(([name, spec]) => [
      name,
      options.inputs?.[name] ?? spec.default ?? (spec.type === 'boolean' ? false : ''),
    ]),
  );
  for (const name of Object.keys(options.inputs ?? {}))
    if (!(name in declared)) throw new Error(`${file} declares no input ${name}`);
  const cwd = options.cwd ?? repoRoot;
  const runnerTemp = mkdtempSync(join(tmpdir(), `job-${jobId}-`));
  const github = {
    repository: 'acme/shop',
    repository_owner: 'acme',
    server_url: 'https://github.com',
    api_url: 'https://api.github.com',
    run_id: '1001',
    run_attempt: '1',
    actor: 'octocat',
    sha: '0123456789abcdef0123456789abcdef01234567',
    ref: 'refs/heads/main',
    event_name: 'push',
    workspace: cwd,
    token: options.env?.GITHUB_TOKEN ?? '',
    ...options.github,
  };
  /** @type {Record<string, { outputs: Record<string,string>, outcome: string, conclusion: string }>} */
  const steps = {};
  const contexts = {
    github,
    inputs,
    vars: options.vars ?? {},
    secrets: options.secrets ?? {},
    needs: options.needs ?? {},
    steps,
    job: { status: 'success' },
    env: {},
    runner: { os: 'Linux', temp: runnerTemp },
    matrix: {},
  };
  /** The environment every step starts from: the caller's, what earlier steps wrote to GITHUB_ENV, the job's `env:`. */
  const jobEnv = { ...options.env };
  for (const [name, value] of Object.entries(job.env ?? {})) jobEnv[name] = asString(interpolate(value, contexts));
  let status = 'success';
  /** @type {StepRecord[]} */
  const records = [];
  /** @type {Array<{ action: string, state: Record<string,string>, dir: string, env: Record<string,string>, inputs: Record<string,string> }>} */
  const posts = [];

  for (const [index, step] of (job.steps ?? []).entries()) {
    const name = step.name ?? step.id ?? step.uses ?? `step ${index + 1}`;
    contexts.job = { status };
    contexts.env = { ...jobEnv };
    const run = condition(step.if, contexts, status);
    if (!run) {
      const record = { id: step.id, name, ran: false, outcome: 'skipped', conclusion: 'skipped', outputs: {}, log: '' };
      records.push(record);
      if (step.id) steps[step.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
      continue;
    }
    await options.beforeStep?.({ id: step.id, name });
    const env = { ...jobEnv };
    for (const [key, value] of Object.entries(step.env ?? {}))
      env[key] = asString(interpolate(value, contexts, { status }));
    /** @type {StepRecord} */
    let record;
    if (step.run !== undefined) {
      record = {
        id: step.id,
        name,
        ran: true,
        ...(await runScript(interpolate(step.run, contexts, { status }), env, cwd, runnerTemp, options.timeoutMs)),
      };
      Object.assign(jobEnv, record.env);
    } else {
      const withInputs = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([key, value]) => [
          key,
          asString(interpolate(value, contexts, { status })),
        ]),
      );
      const action = ourAction(step.uses);
      if (action) {
        const main = await runStep(action, 'main', {
          inputs: withInputs,
          env,
          cwd,
          timeoutMs: options.timeoutMs ?? 300_000,
        });
        if (actionMetadata(action).runs.post)
          posts.push({ action, state: main.state, dir: main.files.dir, env, inputs: withInputs });
        Object.assign(jobEnv, main.env);
        record = {
          id: step.id,
          name,
          ran: true,
          action,
          inputs: withInputs,
          outcome: main.exitCode === 0 ? 'success' : 'failure',
          outputs: main.outputs,
          log: `${main.log}${main.stderr}`,
        };
      } else {
        const key = step.uses.replace(/@.*$/, '');
        const handler = options.handlers?.[key] ?? (key === 'actions/checkout' ? async () => ({}) : undefined);
        if (!handler)
          throw new Error(`step "${name}" would run ${step.uses}, which cannot run here: pass a handler for ${key}`);
        const handled = await handler({ uses: step.uses, with: withInputs, env });
        Object.assign(jobEnv, handled.env ?? {});
        record = {
          id: step.id,
          name,
          ran: true,
          inputs: withInputs,
          outcome: handled.outcome ?? 'success',
          outputs: handled.outputs ?? {},
          log: '',
        };
      }
    }
    const continueOnError = truthy(interpolate(step['continue-on-error'] ?? false, contexts, { status }));
    record.conclusion = record.outcome === 'failure' && continueOnError ? 'success' : record.outcome;
    if (record.conclusion === 'failure') status = 'failure';
    records.push(record);
    if (step.id) steps[step.id] = { outputs: record.outputs, outcome: record.outcome, conclusion: record.conclusion };
  }

  // Post steps run after every main step, last started first (the runner's order).
  for (const post of posts.reverse()) {
    const result = await runStep(post.action, 'post', {
      inputs: post.inputs,
      env: post.env,
      cwd,
      state: post.state,
      dir: post.dir,
      timeoutMs: options.timeoutMs ?? 300_000,
    });
    records.push({
      name: `Post ${post.action}`,
      ran: true,
      action: post.action,
      outcome: result.exitCode === 0 ? 'success' : 'failure',
      conclusion: result.exitCode === 0 ? 'success' : 'failure',
      outputs: {},
      log: `${result.log}${result.stderr}`,
    });
    if (result.exitCode !== 0) status = 'failure';
  }

  rmSync(runnerTemp, { recursive: true, force: true });
  contexts.job = { status };
  const outputs = Object.fromEntries(
    Object.entries(job.outputs ?? {}).map(([name, value]) => [
      name,
      asString(interpolate(value, contexts, { status })),
    ]),
  );
  return { result: status, outputs, steps: records, step: (id) => records.find((r) => r.id === id) };
}

/**
 * Runs one `run:` step of a job on its own, given the steps context and job status the earlier steps
 * left (for a caller that ran those steps its own way, as the demo does): its `if:`, `env:` and script
 * exactly as written in the workflow.
 * @param {string} file
 * @param {string} jobId
 * @param {string} stepId
 * @param {{ steps: Record<string, { outputs: Record<string,string>, outcome: string, conclusion?: string }>, status: 'success'|'failure', inputs?: Record<string,unknown>, vars?: Record<string,string> }} state
 */
export async function runWorkflowStep(file, jobId, stepId, state) {
  const step = loadWorkflow(file).jobs?.[jobId]?.steps?.find((s) => s.id === stepId);
  if (step?.run === undefined) throw new Error(`${file} job ${jobId} has no run: step with id ${stepId}`);
  const steps = Object.fromEntries(Object.entries(state.steps).map(([id, s]) => [id, { conclusion: s.outcome, ...s }]));
  const contexts = { inputs: state.inputs ?? {}, vars: state.vars ?? {}, steps, job: { status: state.status } };
  if (!condition(step.if, contexts, state.status)) return { ran: false, outcome: 'skipped', outputs: {}, log: '' };
  const env = Object.fromEntries(
    Object.entries(step.env ?? {}).map(([key, value]) => [
      key,
      asString(interpolate(value, contexts, { status: state.status })),
    ]),
  );
  const runnerTemp = mkdtempSync(join(tmpdir(), `step-${stepId}-`));
  try {
    return {
      ran: true,
      ...(await runScript(interpolate(step.run, contexts, { status: state.status }), env, repoRoot, runnerTemp)),
    };
  } finally {
    rmSync(runnerTemp, { recursive: true, force: true });
  }
}

/** One `run:` step: bash as on a Linux runner, with GITHUB_OUTPUT and GITHUB_ENV files. */
async function runScript(script, env, cwd, runnerTemp, timeoutMs = 60_000) {
  const dir = mkdtempSync(join(runnerTemp, 'run-'));
  const files = { output: join(dir, 'output'), env: join(dir, 'env'), script: join(dir, 'script.sh') };
  writeFileSync(files.output, '');
  writeFileSync(files.env, '');
  writeFileSync(files.script, script);
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', files.script], {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...env,
      GITHUB_OUTPUT: files.output,
      GITHUB_ENV: files.env,
      RUNNER_TEMP: runnerTemp,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  return {
    outcome: code === 0 ? 'success' : 'failure',
    outputs: parseFileCommands(readFileSync(files.output, 'utf8')),
    env: parseFileCommands(readFileSync(files.env, 'utf8')),
    log,
  };
}
