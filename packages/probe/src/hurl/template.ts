import { SpecError } from './ast';

const TEMPLATE = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

/** Fills `{{name}}` from variables; an unknown name is an error that says where it was used. */
export function renderTemplate(text: string, variables: Readonly<Record<string, unknown>>, where: string): string {
  return text.replace(TEMPLATE, (_m, name: string) => {
    if (!(name in variables)) {
      const known = Object.keys(variables);
      throw new SpecError(
        where,
        `unknown variable '${name}'${known.length ? ` (known: ${known.join(', ')})` : ''}; pass it in \`variables\` or capture it earlier`,
      );
    }
    const value = variables[name];
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

/** A JSON body: string variables go in as they are; inside JSON strings they are escaped. */
export function renderJsonTemplate(text: string, variables: Readonly<Record<string, unknown>>, where: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '{' && text[i + 1] === '{') {
      const end = text.indexOf('}}', i);
      const piece = renderTemplate(text.slice(i, end + 2), variables, where);
      out += inString ? JSON.stringify(piece).slice(1, -1) : piece;
      i = end + 1;
      continue;
    }
    if (inString && ch === '\\') {
      out += ch + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') inString = !inString;
    out += ch;
  }
  return out;
}
