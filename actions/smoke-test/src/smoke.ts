import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type HttpRequest, markdown, oneLine, request } from '@deploy-actions/core';
import type { ActionContext } from '@deploy-actions/core/runner';
import {
  failureAnnotations,
  hurlCheck,
  requestHttp2,
  junitXml,
  runSmoke,
  type SmokeReport,
  summaryMarkdown,
  urlCheck,
} from '@deploy-actions/probe';
import type { SmokeConfig } from './config';

export async function smoke(ctx: ActionContext, config: SmokeConfig): Promise<void> {
  if (config.specErrors.length) return reportSpecErrors(ctx, config);
  if (config.insecure)
    ctx.log.warning(
      '`insecure: true`: TLS certificates are not verified, so anyone on the path can read and change these requests (and any credential in them); prefer `ca-file`',
    );
  let report: SmokeReport;
  // Safety net: if the event loop empties while checks are still pending (a promise that can never
  // settle), node would exit 0 with nothing reported. Fail with outputs instead.
  const stalled = (): void => {
    const reason = 'smoke test stopped before finishing: a request never completed';
    setOutputs(ctx, config, { passed: false, total: config.urls.length + config.specs.length, reason });
    ctx.log.error(reason);
    process.exitCode = 1;
  };
  process.once('beforeExit', stalled);
  try {
    report = await runChecks(ctx, config);
  } catch (error) {
    // An engine error or a cancelled job still leaves outputs and a summary for the next step.
    const reason = `smoke test could not finish: ${oneLine(error)}`;
    setOutputs(ctx, config, { passed: false, total: config.urls.length + config.specs.length, reason });
    ctx.summary.append(`### Smoke test: ❌ failed\n\n**${markdown.escapeCell(reason)}**\n`);
    throw error;
  } finally {
    process.off('beforeExit', stalled);
  }

  mkdirSync(dirname(config.junitPath), { recursive: true });
  // Raw secrets are redacted before XML or Markdown escaping, and the escaped forms once more after.
  const redact = (text: string): string => ctx.secrets.redact(text);
  writeFileSync(config.junitPath, redact(junitXml(report, undefined, redact)));
  ctx.summary.append(summaryMarkdown(report, undefined, redact));
  for (const annotation of failureAnnotations(report)) ctx.log.error(annotation.message, annotation);
  const firstProblem = report.problem ?? report.results.find((r) => r.status === 'failed')?.reason ?? '';
  setOutputs(ctx, config, {
    passed: report.passed,
    total: report.results.length,
    failed: report.failedCount,
    flaky: report.flakyCount,
    p95: report.p95Ms,
    reason: firstProblem,
  });
  for (const result of report.results) {
    ctx.log.info(`${result.status.padEnd(6)} ${result.name}${result.reason ? `: ${result.reason}` : ''}`);
  }
  if (!report.passed) {
    throw new Error(
      `smoke test failed: ${report.problem ?? `${report.failedCount} of ${report.results.length} check(s) failed: ${firstProblem}`}`,
    );
  }
  ctx.log.info(`smoke test passed: ${report.results.length} check(s), ${report.assertionCount} assertion(s)`);
}

async function runChecks(ctx: ActionContext, config: SmokeConfig): Promise<SmokeReport> {
  const send = (req: HttpRequest, signal: AbortSignal) =>
    request({
      timeoutMs: config.timeoutMs,
      insecure: config.insecure,
      ca: config.ca,
      ...req,
      signal,
      secrets: ctx.secrets,
    });
  const sendHttp2 = (req: HttpRequest, signal: AbortSignal) =>
    requestHttp2(
      { timeoutMs: config.timeoutMs, insecure: config.insecure, ca: config.ca, ...req, signal, secrets: ctx.secrets },
      request,
    );
  const checks = [
    ...config.urls.map((url) =>
      urlCheck(
        {
          url,
          method: config.method,
          headers: config.headers,
          body: config.body,
          expectedStatus: config.expectedStatus,
          asserts: config.asserts,
          variables: config.variables,
        },
        send,
      ),
    ),
    ...config.specs.map((file) =>
      hurlCheck(file, {
        send,
        sendHttp2,
        variables: config.variables,
        secrets: ctx.secrets,
        workspace: ctx.run.workspace,
      }),
    ),
  ];
  ctx.log.info(`smoke test: ${checks.length} check(s), ready within ${config.readyTimeoutMs / 1000}s`);
  return runSmoke(checks, {
    readyTimeoutMs: config.readyTimeoutMs,
    readyIntervalMs: config.readyIntervalMs,
    flakeBudget: config.flakeBudget,
    parallelism: config.parallelism,
    signal: ctx.signal,
    log: ctx.log,
  });
}

/** Spec files that do not parse: every error as an annotation, no request sent, outputs and summary set. */
function reportSpecErrors(ctx: ActionContext, config: SmokeConfig): void {
  const errors = config.specErrors;
  for (const e of errors) {
    ctx.log.error(e.problem, { file: e.file, line: e.line, column: e.column, title: 'Hurl spec error' });
  }
  const reason = `${errors.length} error(s) in spec files, no request sent: ${errors[0]!.message}`;
  setOutputs(ctx, config, { passed: false, total: config.urls.length + config.specs.length + 1, reason });
  ctx.summary.append(
    [
      '### Smoke test: ❌ failed',
      '',
      `**${errors.length} error(s) in spec files; no request was sent.**`,
      '',
      markdown.table(
        ['Where', 'Problem'],
        errors.map((e) => [e.location, e.problem]),
      ),
    ].join('\n'),
  );
  throw new Error(reason);
}

function setOutputs(
  ctx: ActionContext,
  config: SmokeConfig,
  o: { passed: boolean; total: number; failed?: number; flaky?: number; p95?: number; reason: string },
): void {
  ctx.outputs.set('passed', String(o.passed));
  ctx.outputs.set('total', String(o.total));
  ctx.outputs.set('failed', String(o.failed ?? (o.passed ? 0 : 1)));
  ctx.outputs.set('flaky', String(o.flaky ?? 0));
  ctx.outputs.set('p95-latency-ms', o.p95 === undefined ? '' : String(Math.round(o.p95)));
  ctx.outputs.set('reason', o.reason);
  ctx.outputs.set('junit-report', config.junitPath);
}
