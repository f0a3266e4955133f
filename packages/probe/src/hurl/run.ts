import {
  type Clock,
  errorKind,
  type HttpRequest,
  type HttpResponse,
  oneLine,
  type SecretRegistry,
  systemClock,
} from '@deploy-actions/core';
import type { Entry, HurlFile } from './ast';
import { evaluateAssert, evaluateCapture, implicitAsserts } from './evaluate';
import { renderJsonTemplate, renderTemplate } from './template';
import type { StepOutcome } from '../smoke/model';

export type Send = (request: HttpRequest, signal: AbortSignal) => Promise<HttpResponse>;

/** Statuses that mean "not up yet" while waiting for readiness. */
export const NOT_READY_STATUSES = new Set([502, 503, 504]);

export interface RunOptions {
  send: Send;
  variables: Readonly<Record<string, string>>;
  /** Captures marked `redact` are registered here before anything can print them. */
  secrets: SecretRegistry;
  signal: AbortSignal;
  clock?: Clock;
}

/** The HTTP request an entry describes, with every template filled in. */
export function buildRequest(entry: Entry, vars: Readonly<Record<string, unknown>>, file: string): HttpRequest {
  const r = entry.request;
  const at = (line: number) => `${file}:${line}`;
  const url = new URL(renderTemplate(r.url, vars, at(r.line)));
  for (const p of r.queryParams)
    url.searchParams.append(renderTemplate(p.name, vars, at(p.line)), renderTemplate(p.value, vars, at(p.line)));
  const headers: Record<string, string> = {};
  for (const h of r.headers)
    headers[renderTemplate(h.name, vars, at(h.line))] = renderTemplate(h.value, vars, at(h.line));
  const has = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name);
  let body: string | undefined;
  if (r.formParams.length) {
    body = new URLSearchParams(
      r.formParams.map((p): [string, string] => [
        renderTemplate(p.name, vars, at(p.line)),
        renderTemplate(p.value, vars, at(p.line)),
      ]),
    ).toString();
    if (!has('content-type')) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  } else if (r.body) {
    body =
      r.body.kind === 'json'
        ? renderJsonTemplate(r.body.template, vars, at(r.body.line))
        : renderTemplate(r.body.template, vars, at(r.body.line));
    if (r.body.kind === 'json' && !has('content-type')) headers['Content-Type'] = 'application/json';
  }
  if (r.basicAuth) {
    const user = renderTemplate(r.basicAuth.user, vars, at(r.line));
    const password = renderTemplate(r.basicAuth.password, vars, at(r.line));
    headers.Authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
  return {
    url: url.toString(),
    method: r.method,
    headers,
    body,
    insecure: r.options.insecure,
    maxRedirects: r.options.followRedirects ? (r.options.maxRedirects ?? 50) : 0,
  };
}

/**
 * Runs a file's entries in order, as Hurl does: captures feed later entries, an entry with
 * [Options] retry is re-run while it fails, and the first failing entry ends the flow.
 */
export async function runHurlFile(file: HurlFile, options: RunOptions): Promise<StepOutcome[]> {
  const clock = options.clock ?? systemClock;
  const vars: Record<string, unknown> = { ...options.variables };
  const steps: StepOutcome[] = [];
  for (const entry of file.entries) {
    for (const v of entry.request.options.variables)
      vars[v.name] = renderTemplate(v.value, vars, `${file.path}:${v.line}`);
    const retries = entry.request.options.retry ?? 0;
    let step: StepOutcome | undefined;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await clock.sleep(entry.request.options.retryIntervalMs ?? 1000, options.signal);
      if (entry.request.options.delayMs) await clock.sleep(entry.request.options.delayMs, options.signal);
      step = await runEntry(entry, vars, file.path, options, clock);
      if (!step.error && step.assertions.every((a) => a.ok)) break;
    }
    steps.push(step!);
    if (step!.error || step!.assertions.some((a) => !a.ok)) break;
  }
  return steps;
}

async function runEntry(
  entry: Entry,
  vars: Record<string, unknown>,
  path: string,
  options: RunOptions,
  clock: Clock,
): Promise<StepOutcome> {
  let label = `${entry.request.method} ${entry.request.url}`;
  let request: HttpRequest;
  try {
    request = buildRequest(entry, vars, path);
    label = `${request.method} ${request.url}`;
  } catch (error) {
    return { request: label, line: entry.line, error: oneLine(error), assertions: [] };
  }
  let response: HttpResponse;
  const started = clock.now();
  try {
    response = await options.send(request, options.signal);
  } catch (error) {
    if (options.signal.aborted) throw error;
    return {
      request: label,
      line: entry.line,
      error: oneLine(error),
      retryable: errorKind(error) === 'transient',
      durationMs: clock.now() - started,
      assertions: [],
    };
  }
  const spec = entry.response;
  const now = clock.now();
  const assertions = spec
    ? [
        ...implicitAsserts(spec, response, vars, path),
        ...spec.asserts.map((a) => evaluateAssert(a, response, vars, now, path)),
      ]
    : [];
  const statusFailed = assertions.some((a) => !a.ok && a.source.startsWith('HTTP '));
  const step: StepOutcome = {
    request: label,
    line: entry.line,
    status: response.status,
    durationMs: response.durationMs,
    assertions,
    retryable: NOT_READY_STATUSES.has(response.status) && statusFailed,
  };
  if (spec && assertions.every((a) => a.ok)) {
    try {
      for (const capture of spec.captures) {
        const { name, value, redact } = evaluateCapture(capture, response, vars, now, path);
        if (redact) options.secrets.add(typeof value === 'string' ? value : JSON.stringify(value));
        vars[name] = value;
      }
    } catch (error) {
      step.error = oneLine(error);
    }
  }
  return step;
}
