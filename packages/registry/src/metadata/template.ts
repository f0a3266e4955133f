import { ExpressionError } from './fields';

/**
 * The part of Handlebars that docker/metadata-action's expressions use: `{{name}}`,
 * `{{helper 'arg' key='value'}}` and `{{{name}}}`, with Handlebars' HTML escaping of `{{ }}` output
 * (so tags come out byte for byte the same). Unlike Handlebars, an unknown name is an error rather
 * than an empty string: a typo in a tag expression should fail the step, not drop the tag.
 */
export type TemplateValue = string | number | boolean | readonly unknown[] | TemplateHelper | undefined;
/** Quoted arguments arrive as strings; a bare word is a lookup, which (as in Handlebars) finds nothing. */
export type TemplateHelper = (args: Array<string | undefined>, hash: Record<string, string>) => string;
export type TemplateContext = Record<string, TemplateValue>;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=]/g, (ch) => ESCAPES[ch]!);
}

interface Mustache {
  name: string;
  args: Array<string | undefined>;
  hash: Record<string, string>;
  escaped: boolean;
}

type Part = string | Mustache;

export function parseTemplate(text: string): Part[] {
  const parts: Part[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open === -1) {
      parts.push(text.slice(i));
      break;
    }
    if (open > i) parts.push(text.slice(i, open));
    const triple = text.startsWith('{{{', open);
    const close = text.indexOf(triple ? '}}}' : '}}', open);
    if (close === -1) throw new ExpressionError(`unclosed '{{' in '${text}'`);
    parts.push(parseMustache(text.slice(open + (triple ? 3 : 2), close), text, !triple));
    i = close + (triple ? 3 : 2);
  }
  return parts;
}

function parseMustache(body: string, text: string, escaped: boolean): Mustache {
  const tokens = body.trim().match(/[^\s'"=]+=(?:'[^']*'|"[^"]*"|[^\s'"]+)|'[^']*'|"[^"]*"|[^\s'"]+|\S/g) ?? [];
  const [name, ...rest] = tokens;
  if (!name || !/^[A-Za-z_][\w]*$/.test(name))
    throw new ExpressionError(`'{{${body}}}' in '${text}' is not an expression`);
  const args: Array<string | undefined> = [];
  const hash: Record<string, string> = {};
  for (const token of rest) {
    const eq = /^([^\s'"=]+)=(.*)$/.exec(token);
    if (eq) hash[eq[1]!] = unquote(eq[2]!);
    else if (/^['"]/.test(token)) args.push(unquote(token));
    else if (/^[\w.-]+$/.test(token)) args.push(undefined);
    else throw new ExpressionError(`'${token}' in '{{${body}}}' is not a quoted string`);
  }
  return { name, args, hash, escaped };
}

function unquote(token: string): string {
  return /^(['"]).*\1$/.test(token) ? token.slice(1, -1) : token;
}

export function render(text: string, context: TemplateContext): string {
  return parseTemplate(text)
    .map((part) => {
      if (typeof part === 'string') return part;
      if (!Object.prototype.hasOwnProperty.call(context, part.name)) {
        throw new ExpressionError(
          `unknown expression '{{${part.name}}}' in '${text}'; use one of ${Object.keys(context).join(', ')}`,
        );
      }
      const value = context[part.name];
      const out =
        typeof value === 'function'
          ? value(part.args, part.hash)
          : value === undefined || value === null
            ? ''
            : String(value);
      return part.escaped ? escapeHtml(out) : out;
    })
    .join('');
}

/** True when the pattern is exactly one `{{raw}}` (metadata-action keeps prerelease versions raw then). */
export function isRawStatement(pattern: string): boolean {
  try {
    const parts = parseTemplate(pattern);
    return parts.length === 1 && typeof parts[0] !== 'string' && parts[0]!.name === 'raw';
  } catch {
    return false;
  }
}
