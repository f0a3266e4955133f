/**
 * Query templates for Prometheus: placeholders and a cheap local syntax check, so an unparsable
 * query is bad input with a clear message before anything runs (Prometheus's own parser, asked
 * through the query API in validate(), has the last word).
 */

/** Placeholders a query template may use: the side's label selector and the span since the canary started. */
export const PLACEHOLDERS = ['selector', 'window'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export function renderQuery(template: string, values: Record<Placeholder, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    (PLACEHOLDERS as readonly string[]).includes(name) ? values[name as Placeholder] : whole,
  );
}

/** A PromQL range duration covering ms, rounded up to whole seconds ("95s"). */
export function promDuration(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))}s`;
}

const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/**
 * Problems a parser would reject at once: unknown placeholders, unclosed quotes, unbalanced
 * brackets, empty text. Returns the first problem, or undefined when the query looks parsable.
 * Placeholders are allowed; check the template before rendering it.
 */
export function checkPromQL(template: string): string | undefined {
  if (!template.trim()) return 'the query is empty';
  const unknown = [...template.matchAll(/\{\{\s*(\w*)\s*\}\}/g)]
    .map((m) => m[1]!)
    .find((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown !== undefined)
    return `unknown placeholder {{${unknown}}} (known: ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')})`;
  const text = template.replace(/\{\{\s*\w+\s*\}\}/g, 'x');
  const stack: Array<{ char: string; at: number }> = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"' || char === "'" || char === '`') {
      const end = findClosingQuote(text, i);
      if (end < 0) return `unclosed ${char} quote at column ${i + 1}`;
      i = end;
    } else if (char === '#') {
      const newline = text.indexOf('\n', i);
      i = newline < 0 ? text.length : newline;
    } else if (char in CLOSERS) {
      stack.push({ char, at: i });
    } else if (char === ')' || char === ']' || char === '}') {
      const open = stack.pop();
      if (!open) return `unexpected ${char} at column ${i + 1}`;
      if (CLOSERS[open.char] !== char)
        return `${open.char} at column ${open.at + 1} closed by ${char} at column ${i + 1}`;
    }
  }
  const open = stack.pop();
  if (open) return `${open.char} at column ${open.at + 1} is never closed`;
  return undefined;
}

function findClosingQuote(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\' && quote !== '`') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

/** Adds matchers to a metric selector: withMatchers('m', 'track="canary"', 'code=~"5.."'). */
export function withMatchers(metric: string, ...matchers: string[]): string {
  const inside = matchers
    .map((m) => m.trim())
    .filter(Boolean)
    .join(',');
  return `${metric}{${inside}}`;
}

export const METRIC_NAMES = ['requests', 'errors', 'p50', 'p95', 'p99'] as const;

/**
 * What is wrong with custom queries or selectors, as [input, problem, fix] for an InputError, or
 * undefined. Pure, so the action checks its inputs with it before loading anything else.
 */
export function prometheusInputProblem(
  queries: Readonly<Record<string, string | undefined>>,
  selectors: { canary: string; baseline: string },
  inputName = 'queries',
): [string, string, string] | undefined {
  for (const [metric, template] of Object.entries(queries)) {
    if (!(METRIC_NAMES as readonly string[]).includes(metric))
      return [inputName, `unknown metric '${metric}'`, 'name queries requests, errors, p50, p95 or p99'];
    const problem = checkPromQL(template ?? '');
    if (problem) return [inputName, `the ${metric} query cannot be parsed: ${problem}`, 'correct the PromQL'];
  }
  for (const [side, selector] of Object.entries(selectors)) {
    const problem = checkPromQL(`m{${selector}}`);
    if (problem || /[{}]/.test(selector)) {
      return [
        `${side}-selector`,
        `'${selector}' is not a list of label matchers${problem ? `: ${problem}` : ''}`,
        `write matchers without braces, e.g. track="${side}"`,
      ];
    }
  }
  return undefined;
}
