/** Small Markdown helpers for job summaries and PR comments (GitHub-flavoured tables). */

export function escapeCell(value: unknown): string {
  return String(value ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

export function table(headers: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  const head = `| ${headers.map(escapeCell).join(' | ')} |`;
  const rule = `| ${headers.map(() => '---').join(' | ')} |`;
  const body = rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`);
  return [head, rule, ...body].join('\n') + '\n';
}

export function codeBlock(text: string, language = ''): string {
  const fence = text.includes('```') ? '~~~~' : '```';
  return `${fence}${language}\n${text.replace(/\n$/, '')}\n${fence}\n`;
}

export function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n</details>\n`;
}
