import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { splitCommand } from '../args';
import { formatDuration, parseDuration } from '../clock';
import { InputError } from '../errors';
import { redactUrl, type SecretRegistry } from '../secrets';
import { inputVariable } from './protocol';

/** The longest delay a Node timer can hold (2^31-1 ms, about 24.8 days); a longer one fires at once. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** A URL with userinfo, anywhere in a value (lists and maps hold several). */
const URL_WITH_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:[^\s/?#@]+@[^\s/?#]+/gi;

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

  /** The trimmed value; any URL password in it (scheme://user:password@host) is registered as a secret first. */
  raw(name: string): string {
    const value = (this.env[inputVariable(name)] ?? '').trim();
    for (const match of value.matchAll(URL_WITH_PASSWORD)) this.secrets.addUrlCredentials(match[0]);
    return value;
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
  secretUrl(
    name: string,
    protocols: readonly string[],
    example: string,
    options: { secretPath?: boolean } = {},
  ): string | undefined {
    const value = this.secret(name);
    if (!value) return undefined;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new InputError(name, 'is not a URL', `use ${example}`);
    }
    this.secrets.addUrlCredentials(url);
    // A webhook's path is its credential (hooks.slack.com/services/T…/B…/secret): masked on its own too.
    if (options.secretPath && url.pathname.length > 1) this.secrets.add(url.pathname + url.search);
    if (!protocols.includes(url.protocol)) throw new InputError(name, `has scheme ${url.protocol}`, `use ${example}`);
    // The URL parser drops tabs and line breaks silently (postgres://h/d\nb is database db): refuse them.
    // eslint-disable-next-line no-control-regex -- control characters are what is refused
    if (/[\u0000-\u001f\u007f]/.test(value))
      throw new InputError(name, 'contains a control character', `use ${example}`);
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
    const bounded = { ...range, max: Math.min(range.max ?? MAX_DURATION_MS, MAX_DURATION_MS) };
    checkRange(name, ms, value, bounded, 'a duration', formatDuration);
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

  /** A URL; a password in it (https://user:pass@host) is a credential and registered as a secret first. */
  url(name: string, protocols: readonly string[] = ['http:', 'https:']): string | undefined {
    const value = this.raw(name);
    if (!value) return undefined;
    this.secrets.addUrlCredentials(value);
    return validateUrl(name, value, protocols);
  }

  /**
   * The text of a file the user names (relative to the workspace): it must exist, be a regular file
   * and stay under maxBytes (1 MiB by default), so a directory or a device never reaches a parser.
   */
  fileText(name: string, workspace: string, maxBytes = 1024 * 1024): string | undefined {
    const value = this.raw(name);
    if (!value) return undefined;
    const path = isAbsolute(value) ? value : resolve(workspace, value);
    let size: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) throw new InputError(name, `'${value}' is not a regular file`, 'name a file, not a folder');
      size = stat.size;
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(name, `'${value}' does not exist`, 'give a path relative to the workspace or absolute');
    }
    if (size > maxBytes) throw new InputError(name, `'${value}' is over ${maxBytes} bytes`, 'name the right file');
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new InputError(
        name,
        `'${value}' cannot be read (${(error as NodeJS.ErrnoException).code})`,
        'make it readable',
      );
    }
  }

  /**
   * A file the action writes: relative paths resolve against the workspace, and the result must lie
   * inside the workspace or the runner's temp folder and not be a folder. An input never writes elsewhere.
   */
  outputFile(name: string, roots: { workspace: string; runnerTemp: string }): string | undefined {
    const value = this.raw(name);
    if (!value) return undefined;
    const fix = 'give a file path inside the workspace (relative to it) or the runner temp folder';
    if (value.endsWith('/')) throw new InputError(name, `'${value}' names a folder`, fix);
    if (value.length > 4096 || /[\p{Cc}\p{Cf}]/u.test(value))
      throw new InputError(name, `'${value}' is not a usable path (control characters, or over 4096 characters)`, fix);
    const path = isAbsolute(value) ? resolve(value) : resolve(roots.workspace, value);
    const inside = [roots.workspace, roots.runnerTemp].some((root) => {
      const rel = relative(resolve(root), path);
      return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
    });
    if (!inside) throw new InputError(name, `'${value}' is outside the workspace and the runner temp folder`, fix);
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      /* a new file */
    }
    if (isDirectory) throw new InputError(name, `'${value}' is a folder`, fix);
    return path;
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
  const shown = redactUrl(value);
  const example = `use an absolute URL such as ${protocols[0]}//host:port/path`;
  if (/\s/.test(value)) throw new InputError(name, `'${shown}' contains whitespace`, example);
  try {
    parsed = new URL(value);
  } catch {
    throw new InputError(name, `'${shown}' is not a valid URL`, example);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new InputError(name, `'${shown}' has scheme ${parsed.protocol}`, `use ${protocols.join(' or ')}`);
  }
  return value;
}

type Format = (n: number) => string;

function describeRange(range: NumberRange, format: Format = String): string {
  if (range.min !== undefined && range.max !== undefined) return ` from ${format(range.min)} to ${format(range.max)}`;
  if (range.min !== undefined) return ` of at least ${format(range.min)}`;
  if (range.max !== undefined) return ` of at most ${format(range.max)}`;
  return '';
}

function checkRange(name: string, n: number, value: string, range: NumberRange, kind: string, format?: Format): void {
  if ((range.min !== undefined && n < range.min) || (range.max !== undefined && n > range.max)) {
    throw new InputError(name, `'${value}' is out of range`, `use ${kind}${describeRange(range, format)}`);
  }
}
