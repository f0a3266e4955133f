import { formatDuration, markdown } from '@deploy-actions/core';
import { type CheckResult, describeFailure, firstFailure } from './model';
import type { SmokeReport } from './run';

const ICON: Record<CheckResult['status'], string> = { passed: '✅ passed', failed: '❌ failed', flaky: '⚠️ flaky' };

/** Redacts secrets from raw text; reporters apply it before any escaping, so no escaped form slips through. */
export type Redact = (text: string) => string;
const keep: Redact = (text) => text;

/** The job summary: one row per check, failing assertion with expected vs actual. */
export function summaryMarkdown(report: SmokeReport, title = 'Smoke test', redact: Redact = keep): string {
  const verdict = report.passed ? '✅ passed' : '❌ failed';
  const p95 = report.p95Ms === undefined ? 'n/a' : `${Math.round(report.p95Ms)} ms`;
  const lines = [
    `### ${title}: ${verdict}`,
    '',
    `${report.results.length} check(s), ${report.failedCount} failed, ${report.flakyCount} flaky, ` +
      `${report.assertionCount} assertion(s), p95 latency ${p95}, in ${formatDuration(report.durationMs)}.`,
    '',
  ];
  if (report.problem) lines.push(`**${redact(report.problem)}**`, '');
  const rows = report.results.map((r) => {
    const latency = r.steps.map((s) => s.durationMs).filter((d): d is number => d !== undefined);
    const where = r.file ? `${r.file}${lineOf(r) ? `:${lineOf(r)}` : ''}` : '';
    return [
      r.name,
      ICON[r.status] + (r.attempts > 1 ? ` (${r.attempts} runs)` : ''),
      latency.length ? `${Math.round(Math.max(...latency))} ms` : '',
      r.status === 'failed' ? (r.reason ?? '') : '',
      where,
    ].map(redact);
  });
  if (rows.length)
    lines.push(
      markdown.table(['Check', 'Result', 'Slowest request', 'Failing assertion (expected vs actual)', 'Where'], rows),
    );
  return lines.join('\n');
}

function lineOf(result: CheckResult): number | undefined {
  const failure = firstFailure(result.steps);
  return failure?.assertion?.line ?? failure?.step.line;
}

/** Where each failure points, for file/line annotations on the spec. */
export function failureAnnotations(
  report: SmokeReport,
): Array<{ message: string; file?: string; line?: number; title: string }> {
  return report.results
    .filter((r) => r.status === 'failed')
    .map((r) => ({
      message: `${r.name}: ${r.reason ?? 'failed'}`,
      file: r.file,
      line: lineOf(r),
      title: 'Smoke check failed',
    }));
}

/** JUnit XML: one testcase per check, the failure with expected vs actual, the requests as system-out. */
export function junitXml(report: SmokeReport, suiteName = 'smoke-test', redact: Redact = keep): string {
  const xml = (text: string): string => escapeXml(redact(text));
  const failures = report.results.filter((r) => r.status === 'failed').length + (report.problem ? 1 : 0);
  const cases = report.results.map((r) => {
    const seconds = (r.steps.reduce((n, s) => n + (s.durationMs ?? 0), 0) / 1000).toFixed(3);
    const out = r.steps
      .map(
        (s) =>
          `${s.request} -> ${s.error ?? `HTTP ${s.status}`} (${Math.round(s.durationMs ?? 0)} ms)` +
          s.assertions
            .map(
              (a) =>
                `\n  ${a.ok ? 'ok  ' : 'FAIL'} ${a.source}${a.ok ? '' : ` (expected ${a.expected ?? '?'}, actual ${a.actual ?? '?'})`}`,
            )
            .join(''),
      )
      .join('\n');
    const failure =
      r.status === 'failed'
        ? `\n      <failure message="${xml(r.reason ?? 'failed')}" type="AssertionError">${xml(failureDetail(r))}</failure>`
        : '';
    const flaky =
      r.status === 'flaky'
        ? `\n      <properties><property name="flaky" value="true"/><property name="attempts" value="${r.attempts}"/></properties>`
        : '';
    return `    <testcase name="${xml(r.name)}" classname="${xml(r.file ?? suiteName)}" time="${seconds}">${flaky}${failure}\n      <system-out>${xml(out)}</system-out>\n    </testcase>`;
  });
  if (report.problem) {
    cases.push(
      `    <testcase name="smoke run" classname="${xml(suiteName)}" time="0"><failure message="${xml(report.problem)}"/></testcase>`,
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(suiteName)}" tests="${cases.length}" failures="${failures}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${xml(suiteName)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${(report.durationMs / 1000).toFixed(3)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function failureDetail(r: CheckResult): string {
  const failure = firstFailure(r.steps);
  return failure ? describeFailure(failure) : (r.reason ?? '');
}

function escapeXml(text: string): string {
  return (
    text
      // Characters XML 1.0 cannot hold at all.
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}
