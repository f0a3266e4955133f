import { randomUUID } from 'node:crypto';
import { SpecError, type Template, type TemplatePart } from './ast';
import { type HurlValue, renderValue } from './value';

export type Variables = Readonly<Record<string, HurlValue>>;

/** The typed value of one placeholder: a variable, or one of Hurl's functions. */
export function placeholderValue(
  part: Extract<TemplatePart, { expr: string }>,
  vars: Variables,
  file: string,
): HurlValue {
  if (Object.prototype.hasOwnProperty.call(vars, part.expr)) return vars[part.expr]!;
  if (part.expr === 'newUuid') return randomUUID();
  if (part.expr === 'newDate') return new Date();
  const known = Object.keys(vars);
  throw SpecError.at(
    file,
    part.line,
    part.column,
    `unknown variable '${part.expr}'${known.length ? ` (known: ${known.join(', ')})` : ''}; pass it in \`variables\` or capture it earlier`,
  );
}

/** Fills every placeholder; an unknown variable is an error naming file:line:col. */
export function render(template: Template, vars: Variables, file: string): string {
  let out = '';
  for (const part of template) {
    if ('text' in part) out += part.text;
    else out += renderPart(part, vars, file);
  }
  return out;
}

function renderPart(part: Extract<TemplatePart, { expr: string }>, vars: Variables, file: string): string {
  try {
    return renderValue(placeholderValue(part, vars, file), part.expr);
  } catch (error) {
    if (error instanceof SpecError) throw error;
    throw SpecError.at(file, part.line, part.column, (error as Error).message);
  }
}

/** A JSON body: a placeholder inside a JSON string is escaped for it; elsewhere it goes in as is. */
export function renderJson(template: Template, vars: Variables, file: string): string {
  let out = '';
  let inString = false;
  for (const part of template) {
    if ('text' in part) {
      for (let i = 0; i < part.text.length; i++) {
        const ch = part.text[i];
        if (inString && ch === '\\') i++;
        else if (ch === '"') inString = !inString;
      }
      out += part.text;
      continue;
    }
    const text = renderPart(part, vars, file);
    out += inString ? JSON.stringify(text).slice(1, -1) : text;
  }
  return out;
}

/** The action's inputs (`url`, `headers`) use the same `{{name}}` placeholders as specs. */
export function renderTemplate(text: string, vars: Variables, where: string): string {
  return text.replace(/\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/g, (_m, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(vars, name)) {
      const known = Object.keys(vars);
      throw new SpecError(
        where,
        `unknown variable '${name}'${known.length ? ` (known: ${known.join(', ')})` : ''}; pass it in \`variables\``,
      );
    }
    return renderValue(vars[name], name);
  });
}
