import { splitCommand } from '../args';
import { parseDuration } from '../clock';
import { InputError } from '../errors';
import type { SecretRegistry } from '../secrets';
import { inputVariable } from './protocol';

export interface NumberRange {
  min?: number;
  max?: number;
}

/**
 * Typed access to the action's inputs. Every getter validates and throws an InputError that names
 * the input and the fix; action.yml holds the defaults (the runner applies them, and so does the
 * local harness), so an empty value here means the user cleared it.
 */
export class Inputs {
  constructor(
    private readonly secrets: SecretRegistry,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  raw(name: string): string {
    return (this.env[inputVariable(name)] ?? '').trim();
  }

  /** The value exactly as given, whitespace kept (separators such as `sep-tags: ' '`). */
  verbatim(name: string): string {
    return this.env[inputVariable(name)] ?? '';
  }

  string(name: string): string | undefined {
    return this.raw(name) || undefined;
  }

  required(name: string): string {
    const value = this.raw(name);
    if (!value) throw new InputError(name, 'is required and was empty', `set \`${name}:\` in the step's \`with:\``);
    return value;
  }

  /** A secret value: registered for masking before anything else can see it. */
  secret(name: string): string | undefined {
    const value = this.env[inputVariable(name)] ?? '';
    if (!value.trim()) return undefined;
    this.secrets.add(value.trim());
    return value.trim();
  }

  /** `name=value` lines whose values are secrets: each value is registered for masking. */
  secretMap(name: string): Record<string, string> {
    const values = this.map(name);
    for (const value of Object.values(values)) this.secrets.add(value);
    return values;
  }

  /**
   * A URL that carries a credential (postgres://user:pass@host/db): the whole value and the password,
   * raw and decoded, are registered for masking before it is parsed.
   */
  secretUrl(name: string, protocols: readonly string[], example: string): string | undefined {
    const value = this.secret(name);
    if (!value) return undefined;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new InputError(name, 'is not a URL', `use ${example}`);
    }
    if (url.password) {
      this.secrets.add(url.password);
      this.secrets.add(decodeURIComponent(url.password));
    }
    if (!protocols.includes(url.protocol)) throw new InputError(name, `has scheme ${url.protocol}`, `use ${example}`);
    return value;
  }

  bool(name: string): boolean {
    const value = this.raw(name);
    if (value === '' || /^(false|False|FALSE)$/.test(value)) return false;
    if (/^(true|True|TRUE)$/.test(value)) return true;
    throw new InputError(name, `'${value}' is not a boolean`, 'use true or false');
  }

  number(name: string, range: NumberRange & { integer?: boolean } = {}): number | undefined {
    const value = this.raw(name);
    if (!value) return undefined;
    const n = Number(value);
    const kind = range.integer ? 'a whole number' : 'a number';
    if (!Number.isFinite(n) || (range.integer && !Number.isInteger(n))) {
      throw new InputError(name, `'${value}' is not ${kind}`, `use ${kind}${describeRange(range)}`);
    }
    checkRange(name, n, value, range, kind);
    return n;
  }

  int(name: string, range: NumberRange = {}): number | undefined {
    return this.number(name, { ...range, integer: true });
  }

  /** "30s", "5m", "250ms", "1m30s" or bare seconds, in milliseconds. */
  duration(name: string, range: NumberRange = {}): number | undefined {
    const value = this.raw(name);
    if (!value) return undefined;
    const ms = parseDuration(value);
    if (ms === undefined) {
      throw new InputError(
        name,
        `'${value}' is not a duration`,
        'use a positive duration such as 250ms, 30s, 5m or 1m30s',
      );
    }
    checkRange(name, ms, value, range, 'a duration', 'ms');
    return ms;
  }

  /** Items separated by newlines or commas, trimmed, empty ones dropped. */
  list(name: string): string[] {
    return this.raw(name)
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter(Boolean);
  }

  /** Items separated by newlines only (values may contain commas). */
  lines(name: string): string[] {
    return this.raw(name)
      .split('\n')
      .map((s) => s.trim())
      .filter((s) => s && !s.startsWith('#'));
  }

  /** `key=value` (or `key: value`) per line. */
  map(name: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const line of this.lines(name)) {
      const match = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
      if (!match) throw new InputError(name, `line '${line}' is not key=value`, 'write one `key=value` per line');
      out[match[1]!] = match[2]!;
    }
    return out;
  }

  /** A command line, split into arguments the way a shell would but to be run without one. */
  command(name: string): string[] | undefined {
    const value = this.raw(name);
    if (!value) return undefined;
    try {
      return splitCommand(value);
    } catch (error) {
      throw new InputError(
        name,
        (error as Error).message,
        'write the command as a program and its arguments, quoting arguments with spaces',
      );
    }
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.raw(name);
    if (!value) return undefined;
    if (!(allowed as readonly string[]).includes(value)) {
      throw new InputError(name, `'${value}' is not one of ${allowed.join(', ')}`, `use one of ${allowed.join(', ')}`);
    }
    return value as T;
  }

  url(name: string, protocols: readonly string[] = ['http:', 'https:']): string | undefined {
    const value = this.raw(name);
    return value ? validateUrl(name, value, protocols) : undefined;
  }

  json(name: string): unknown {
    const value = this.raw(name);
    if (!value) return undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch (error) {
      throw new InputError(name, `is not valid JSON (${(error as Error).message})`, 'pass a JSON value');
    }
  }
}

export function validateUrl(name: string, value: string, protocols: readonly string[] = ['http:', 'https:']): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new InputError(
      name,
      `'${value}' is not a valid URL`,
      `use an absolute URL such as ${protocols[0]}//host:port/path`,
    );
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new InputError(name, `'${value}' has scheme ${parsed.protocol}`, `use ${protocols.join(' or ')}`);
  }
  return value;
}

function describeRange(range: NumberRange, unit = ''): string {
  if (range.min !== undefined && range.max !== undefined) return ` from ${range.min}${unit} to ${range.max}${unit}`;
  if (range.min !== undefined) return ` of at least ${range.min}${unit}`;
  if (range.max !== undefined) return ` of at most ${range.max}${unit}`;
  return '';
}

function checkRange(name: string, n: number, value: string, range: NumberRange, kind: string, unit = ''): void {
  if ((range.min !== undefined && n < range.min) || (range.max !== undefined && n > range.max)) {
    throw new InputError(name, `'${value}' is out of range`, `use ${kind}${describeRange(range, unit)}`);
  }
}
