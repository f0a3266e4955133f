import { markdown } from '@deploy-actions/core';
import type { ForeignHistory } from './adopt';
import type { ApplyResult, PlanItem, Status } from './engine';
import type { Finding } from './lint';

/** GitHub refuses a comment (and a job summary) longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

function adoptedLine(adopted: ForeignHistory): string {
  return `**Adopted:** ${adopted.applied.length} migration(s) that ${adopted.tool} recorded as applied in \`${adopted.table}\` (up to ${adopted.applied.at(-1)!.version}) are recorded in our history, not run.\n`;
}

const transactionNote = (item: PlanItem): string =>
  item.migration.transactional
    ? '(one transaction)'
    : `(**no transaction**: ${item.migration.noTransactionReason ?? 'asked for'})`;

/** For a file a job left half done outside a transaction: where the next apply takes it up. */
function interruptedNote(item: PlanItem, interrupted: Status['interrupted'] | undefined): string {
  const row = interrupted?.find((r) => r.version === item.migration.version);
  if (!row) return '';
  const done = row.statements_done ?? 0;
  return ` — **interrupted** after ${done} of ${item.statements.length} statement(s): apply takes it up at statement ${done + 1}`;
}

/**
 * The plan as Markdown: usable as the job summary and as a pull-request comment. Kept under `limit`
 * characters: past it, the statement tables of the last files give way to a one-line entry each, and
 * a note says how many and where the whole plan is.
 */
export function planMarkdown(
  plan: PlanItem[],
  findings: Finding[],
  status: Pick<Status, 'current' | 'adopted'> & Partial<Pick<Status, 'interrupted'>>,
  {
    limit = GITHUB_COMMENT_LIMIT,
    fullPlan,
    docsUrl,
  }: { limit?: number; fullPlan?: string; docsUrl?: (rule: string) => string } = {},
): string {
  const head = [`### Migration plan: ${plan.length} pending (database at ${status.current ?? 'no version'})`, ''];
  if (status.adopted) head.push(adoptedLine(status.adopted));
  if (!plan.length) head.push('Nothing to apply.', '');
  const lint = lintMarkdown(findings, docsUrl);
  const items = plan.map((item) => {
    const m = item.migration;
    return [
      `#### \`${m.file}\` ${transactionNote(item)}${interruptedNote(item, status.interrupted)}`,
      '',
      markdown.table(
        ['Line', 'Statement', 'Lock taken'],
        item.statements.map((s) => [s.line, `\`${s.text.replace(/\s+/g, ' ').slice(0, 120)}\``, s.lock]),
      ),
    ].join('\n');
  });
  const whole = [...head, ...items, lint].join('\n');
  if (whole.length <= limit) return whole;
  // Room for the note and one line per file left out, then as many full entries as fit.
  const shortLine = (item: PlanItem): string =>
    `- \`${item.migration.file}\` ${transactionNote(item)}: ${item.statements.length} statement(s)`;
  const note = (cut: number): string =>
    `> **Cut to fit GitHub's ${limit.toLocaleString('en')}-character limit:** the statements of the last ${cut} file(s) are not shown, only one line each${fullPlan ? `; the whole plan is in ${fullPlan}` : ''}.\n`;
  let budget = limit - [...head, lint].join('\n').length - 200;
  let kept = 0;
  for (; kept < items.length; kept++) {
    const rest = plan.slice(kept + 1).reduce((n, item) => n + shortLine(item).length + 1, 0);
    if (items[kept]!.length + 1 + rest + note(plan.length - kept).length > budget) break;
    budget -= items[kept]!.length + 1;
  }
  const shortLines = plan.slice(kept).map(shortLine);
  let cut = [...head, note(plan.length - kept), ...items.slice(0, kept), ...shortLines, '', lint].join('\n');
  // The lint table itself may be what is too long.
  if (cut.length > limit) cut = `${cut.slice(0, limit - 120)}\n\n… (cut at ${limit.toLocaleString('en')} characters)\n`;
  return cut;
}

export function lintMarkdown(findings: Finding[], docsUrl?: (rule: string) => string): string {
  if (!findings.length) return '**Lint:** no dangerous statements found.\n';
  return [
    `**Lint:** ${findings.length} finding(s)`,
    '',
    markdown.table(
      ['', 'Where', 'Rule', 'Problem', 'Instead'],
      findings.map((f) => [
        f.severity === 'error' ? '❌' : '⚠️',
        `${f.file}:${f.line}`,
        docsUrl ? `[${f.rule}](${docsUrl(f.rule)})` : f.rule,
        f.message,
        f.fix,
      ]),
    ),
  ].join('\n');
}

function statusRows(status: Status): string[][] {
  return [
    ...(status.adopted?.applied ?? []).map((m) => [
      m.version,
      m.name,
      `applied by ${status.adopted!.tool}`,
      '',
      '',
      '',
    ]),
    ...status.applied.map((r) => [
      r.version,
      r.name,
      'applied',
      r.applied_at.toISOString(),
      `${r.duration_ms} ms`,
      r.applied_by,
    ]),
    ...status.pending.map((m) => {
      const row = status.interrupted.find((r) => r.version === m.version);
      const state = row
        ? `interrupted after ${row.statements_done ?? 0} of ${m.statements.length} statement(s)${row.error ? ` (failed: ${row.error.slice(0, 80)})` : ''}`
        : 'pending';
      return [m.version, m.name, state, row?.applied_at.toISOString() ?? '', '', row?.applied_by ?? ''];
    }),
  ];
}

const STATUS_HEADERS = ['Version', 'Name', 'State', 'Applied at', 'Took', 'By'];

export function statusMarkdown(status: Status): string {
  const icon = (state: string): string =>
    state.startsWith('applied') ? `✅ ${state}` : state.startsWith('interrupted') ? `⚠️ ${state}` : `⏳ ${state}`;
  return [
    `### Migration status: at ${status.current ?? 'no version'}, ${status.pending.length} pending`,
    '',
    ...(status.adopted ? [adoptedLine(status.adopted)] : []),
    markdown.table(
      STATUS_HEADERS,
      statusRows(status).map((r) => r.map((cell, i) => (i === 2 ? icon(cell) : cell))),
    ),
  ].join('\n');
}

/** The status as a plain-text table for the log, columns padded to line up. */
export function statusText(status: Status): string {
  const rows = [STATUS_HEADERS, ...statusRows(status)];
  const widths = STATUS_HEADERS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return [
    `migration status: at ${status.current ?? 'no version'}, ${status.pending.length} pending${status.adopted ? `, ${status.adopted.applied.length} recorded by ${status.adopted.tool} (adopted at the next apply)` : ''}`,
    ...rows.map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    ),
  ].join('\n');
}

export function applyMarkdown(result: ApplyResult, verb = 'applied'): string {
  return [
    `### Migrations: ${result.applied.length} ${verb}, ${result.before ?? 'no version'} → ${result.after ?? 'no version'}`,
    '',
    ...(result.adopted
      ? [
          `**Adopted:** ${result.adopted.count} migration(s) that ${result.adopted.tool} recorded as applied in \`${result.adopted.table}\` were recorded in our history, not run.\n`,
        ]
      : []),
    result.applied.length
      ? markdown.table(
          ['Version', 'Name', 'Took'],
          result.applied.map((a) => [a.version, a.name, `${a.durationMs} ms`]),
        )
      : 'Nothing to do: the database is up to date.\n',
  ].join('\n');
}
