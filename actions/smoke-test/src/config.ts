import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { type Inputs, type RunContext, InputError, validateUrl } from '@deploy-actions/core/runner';
import {
  type Assert,
  fileProblems,
  type HurlFile,
  type HurlValue,
  MAX_SPEC_ERRORS,
  parseAssertLines,
  parseHurl,
  renderTemplate,
  SpecError,
  SpecErrors,
  typedVariable,
} from '@deploy-actions/probe/spec';

export interface SmokeConfig {
  urls: string[];
  method: string;
  headers: Array<[string, string]>;
  body: string | undefined;
  expectedStatus: string;
  asserts: Assert[];
  specs: HurlFile[];
  /** Syntax errors in spec files: reported as annotations, with outputs and summary, before any request. */
  specErrors: SpecError[];
  variables: Record<string, HurlValue>;
  timeoutMs: number;
  readyTimeoutMs: number;
  readyIntervalMs: number;
  flakeBudget: number;
  parallelism: number;
  insecure: boolean;
  ca: string | undefined;
  junitPath: string;
}

/** RFC 9110 token: the grammar of methods and header names. */
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function parse(inputs: Inputs, run: RunContext, env: NodeJS.ProcessEnv = process.env): SmokeConfig {
  // Hurl's order: HURL_* environment variables, then the variables file, then `--variable`.
  const variables: Record<string, HurlValue> = {
    ...hurlEnvVariables(env),
    ...variablesFile(inputs.string('variables-file'), run.workspace),
    ...typedMap(inputs.map('variables')),
    ...inputs.secretMap('secret-variables'),
  };
  const urls = inputs.lines('url').map((url) => {
    const rendered = renderInput('url', url, variables);
    return validateUrl('url', rendered);
  });
  const expectedStatus = inputs.raw('expected-status') || '200';
  if (!/^\s*([1-5]\d\d|[1-5]xx)(\s*,\s*([1-5]\d\d|[1-5]xx))*\s*$/.test(expectedStatus)) {
    throw new InputError(
      'expected-status',
      `'${expectedStatus}' is not a status code, list or class`,
      'use e.g. 200, 200,204 or 2xx',
    );
  }
  const asserts = specInput('assertions', () => parseAssertLines(inputs.raw('assertions'), 'assertions'));
  const bodyContains = inputs.string('body-contains');
  if (bodyContains) asserts.push(...parseAssertLines(`body contains ${JSON.stringify(bodyContains)}`, 'body-contains'));
  const specs: HurlFile[] = [];
  const specErrors: SpecError[] = [];
  for (const file of specFiles(inputs.lines('spec'), run.workspace)) {
    try {
      const spec = parseHurl(readFileSync(join(run.workspace, file), 'utf8'), file);
      const problems = fileProblems(spec, run.workspace);
      if (problems.length) throw new SpecErrors(problems);
      specs.push(spec);
    } catch (error) {
      if (!(error instanceof SpecErrors)) throw error;
      specErrors.push(...error.errors.slice(0, MAX_SPEC_ERRORS - specErrors.length));
    }
  }
  if (!urls.length && !specs.length && !specErrors.length) {
    throw new InputError('url', 'nothing to check', 'set `url:` to the address to check, or `spec:` to Hurl files');
  }
  const ca = inputs.fileText('ca-file', run.workspace);
  const method = (inputs.raw('method') || 'GET').toUpperCase();
  if (!HTTP_TOKEN.test(method) || method.length > 32)
    throw new InputError('method', `'${method}' is not an HTTP method`, 'use GET, POST, PUT, PATCH, DELETE or HEAD');
  const headers = Object.entries(inputs.map('headers')).map(([name, value]): [string, string] => {
    if (!HTTP_TOKEN.test(name))
      throw new InputError('headers', `'${name}' is not a header name`, 'write one `Name: value` per line');
    const rendered = renderInput('headers', value, variables);
    // eslint-disable-next-line no-control-regex -- a header value may hold no control character but tab (RFC 9110 5.5)
    if (/[\u0000-\u0008\u000A-\u001F\u007F]/.test(rendered))
      throw new InputError('headers', `the value of ${name} holds a control character`, 'remove it');
    return [name, rendered];
  });
  return {
    urls,
    method,
    headers,
    body: inputs.string('body'),
    expectedStatus,
    asserts,
    specs,
    specErrors,
    variables,
    timeoutMs: inputs.duration('timeout', { min: 1 }) ?? 10_000,
    readyTimeoutMs: inputs.duration('ready-timeout', { min: 0 }) ?? 60_000,
    readyIntervalMs: inputs.duration('ready-interval', { min: 1 }) ?? 1_000,
    flakeBudget: inputs.int('flake-budget', { min: 0, max: 100 }) ?? 0,
    parallelism: inputs.int('parallelism', { min: 1, max: 256 }) ?? 8,
    insecure: inputs.bool('insecure'),
    ca,
    junitPath: inputs.outputFile('junit-report', run) ?? join(run.runnerTemp, 'smoke-test-junit.xml'),
  };
}

/** Spec syntax errors are input errors: one line naming the input, the file and the line. */
function specInput<T>(input: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof SpecError)
      throw new InputError(
        input,
        error.message,
        'correct the Hurl syntax there (see docs/actions/smoke-test.md for what is supported)',
      );
    throw error;
  }
}

function renderInput(input: string, text: string, variables: Record<string, HurlValue>): string {
  return specInput(input, () => renderTemplate(text, variables, input));
}

/** Files and folders (their *.hurl files, sorted), relative to the workspace. */
function specFiles(entries: string[], workspace: string): string[] {
  return entries.flatMap((entry) => {
    const path = isAbsolute(entry) ? entry : join(workspace, entry);
    if (!existsSync(path))
      throw new InputError('spec', `'${entry}' does not exist`, 'give Hurl files or folders relative to the workspace');
    if (!statSync(path).isDirectory()) return [relative(workspace, path)];
    const files = readdirSync(path)
      .filter((f) => f.endsWith('.hurl'))
      .sort();
    if (!files.length)
      throw new InputError(
        'spec',
        `folder '${entry}' has no *.hurl files`,
        'point `spec:` at Hurl files or a folder holding them',
      );
    return files.map((f) => relative(workspace, join(path, f)));
  });
}

function typedMap(map: Record<string, string>): Record<string, HurlValue> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, typedVariable(v)]));
}

/** `HURL_VARIABLE_name=value` (and the older `HURL_name=value`) as Hurl reads them. */
export function hurlEnvVariables(env: NodeJS.ProcessEnv): Record<string, HurlValue> {
  const old: Record<string, HurlValue> = {};
  const current: Record<string, HurlValue> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const m = /^HURL_VARIABLE_([A-Za-z_][A-Za-z0-9_-]*)$/.exec(key);
    if (m) current[m[1]!] = typedVariable(value);
    else if (/^HURL_[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) old[key.slice(5)] = typedVariable(value);
  }
  return { ...old, ...current };
}

/** Hurl's variables file: `name=value` lines; blank lines and `#` comments are skipped. */
function variablesFile(path: string | undefined, workspace: string): Record<string, HurlValue> {
  if (!path) return {};
  const full = isAbsolute(path) ? path : join(workspace, path);
  if (!existsSync(full)) {
    throw new InputError(
      'variables-file',
      `'${path}' does not exist`,
      'give a file of name=value lines, relative to the workspace',
    );
  }
  const out: Record<string, HurlValue> = {};
  readFileSync(full, 'utf8')
    .split(/\r?\n/)
    .forEach((line, i) => {
      const text = line.trim();
      if (!text || text.startsWith('#')) return;
      const m = /^([A-Za-z_][A-Za-z0-9_-]*)=(.*)$/.exec(text);
      if (!m) {
        throw new InputError(
          'variables-file',
          `${path}:${i + 1}: expected name=value, got '${text}'`,
          'write one name=value per line',
        );
      }
      out[m[1]!] = typedVariable(m[2]!);
    });
  return out;
}
