import { markdown } from '@deploy-actions/core';
import type { ApplyResult, PlanItem, Status } from './engine';
import type { Finding } from './lint';

/** The plan as Markdown: usable as the job summary and as a pull-request comment. */
export function planMarkdown(plan: PlanItem[], findings: Finding[], current: string | undefined): string {
  const lines = [`### Migration plan: ${plan.length} pending (database at ${current ?? 'no version'})`, ''];
  if (!plan.length) lines.push('Nothing to apply.', '');
  for (const item of plan) {
    const m = item.migration;
    lines.push(`#### \`${m.file}\` ${m.transactional ? '(one transaction)' : '(**no transaction**)'}`, '');
    lines.push(
      markdown.table(
        ['Line', 'Statement', 'Lock taken'],
        item.statements.map((s) => [s.line, `\`${s.text.replace(/\s+/g, ' ').slice(0, 120)}\``, s.lock]),
      ),
    );
  }
  lines.push(lintMarkdown(findings));
  return lines.join('\n');
}

export function lintMarkdown(findings: Finding[]): string {
  if (!findings.length) return '**Lint:** no dangerous statements found.\n';
  return [
    `**Lint:** ${findings.length} finding(s)`,
    '',
    markdown.table(
      ['', 'Where', 'Rule', 'Problem', 'Instead'],
      findings.map((f) => [f.severity === 'error' ? '❌' : '⚠️', `${f.file}:${f.line}`, f.rule, f.message, f.fix]),
    ),
  ].join('\n');
}

export function statusMarkdown(status: Status): string {
  return [
    `### Migration status: at ${status.current ?? 'no version'}, ${status.pending.length} pending`,
    '',
    markdown.table(
      ['Version', 'Name', 'State', 'Applied at', 'Took', 'By'],
      [
        ...status.applied.map((r) => [
          r.version,
          r.name,
          '✅ applied',
          r.applied_at.toISOString(),
          `${r.duration_ms} ms`,
          r.applied_by,
        ]),
        ...status.pending.map((m) => [m.version, m.name, '⏳ pending', '', '', '']),
      ],
    ),
  ].join('\n');
}

export function applyMarkdown(result: ApplyResult, verb = 'applied'): string {
  return [
    `### Migrations: ${result.applied.length} ${verb}, ${result.before ?? 'no version'} → ${result.after ?? 'no version'}`,
    '',
    result.applied.length
      ? markdown.table(
          ['Version', 'Name', 'Took'],
          result.applied.map((a) => [a.version, a.name, `${a.durationMs} ms`]),
        )
      : 'Nothing to do: the database is up to date.\n',
  ].join('\n');
}
