import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type HttpRequest, request } from '@deploy-actions/core';
import type { ActionContext } from '@deploy-actions/core/runner';
import { failureAnnotations, hurlCheck, junitXml, runSmoke, summaryMarkdown, urlCheck } from '@deploy-actions/probe';
import type { SmokeConfig } from './config';

export async function smoke(ctx: ActionContext, config: SmokeConfig): Promise<void> {
  if (config.insecure)
    ctx.log.warning(
      '`insecure: true`: TLS certificates are not verified, so anyone on the path can read and change these requests (and any credential in them); prefer `ca-file`',
    );
  const send = (req: HttpRequest, signal: AbortSignal) =>
    request({
      timeoutMs: config.timeoutMs,
      insecure: config.insecure,
      ca: config.ca,
      ...req,
      signal,
      secrets: ctx.secrets,
    });
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
    ...config.specs.map((file) => hurlCheck(file, { send, variables: config.variables, secrets: ctx.secrets })),
  ];
  ctx.log.info(`smoke test: ${checks.length} check(s), ready within ${config.readyTimeoutMs / 1000}s`);
  const report = await runSmoke(checks, {
    readyTimeoutMs: config.readyTimeoutMs,
    readyIntervalMs: config.readyIntervalMs,
    flakeBudget: config.flakeBudget,
    parallelism: config.parallelism,
    signal: ctx.signal,
    log: ctx.log,
  });

  mkdirSync(dirname(config.junitPath), { recursive: true });
  // Raw secrets are redacted before XML or Markdown escaping, and the escaped forms once more after.
  const redact = (text: string): string => ctx.secrets.redact(text);
  writeFileSync(config.junitPath, redact(junitXml(report, undefined, redact)));
  ctx.summary.append(summaryMarkdown(report, undefined, redact));
  for (const annotation of failureAnnotations(report)) ctx.log.error(annotation.message, annotation);
  const firstProblem = report.problem ?? report.results.find((r) => r.status === 'failed')?.reason ?? '';
  ctx.outputs.set('passed', String(report.passed));
  ctx.outputs.set('total', String(report.results.length));
  ctx.outputs.set('failed', String(report.failedCount));
  ctx.outputs.set('flaky', String(report.flakyCount));
  ctx.outputs.set('p95-latency-ms', report.p95Ms === undefined ? '' : String(Math.round(report.p95Ms)));
  ctx.outputs.set('reason', firstProblem);
  ctx.outputs.set('junit-report', config.junitPath);
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
