import { escapeCell } from './markdown';

/**
 * The forms a secret takes on its way out: every encoding a reporter, a request or a file format may
 * apply to it. Redaction replaces raw values before encoding where it can; these forms catch the
 * places where text was encoded first (a value inside a form body, a JSON string, XML, a Markdown cell).
 */
const ENCODINGS: ReadonlyArray<(value: string) => string> = [
  (v) => v,
  (v) => Buffer.from(v).toString('base64'),
  (v) => Buffer.from(v).toString('base64url'),
  encodeURIComponent,
  encodeURI,
  // application/x-www-form-urlencoded (URLSearchParams): space as '+', '*' kept, '~' '!' '(' ')' "'" encoded.
  (v) => new URLSearchParams({ v }).toString().slice(2),
  (v) => JSON.stringify(v).slice(1, -1),
  // A JSON string inside a JSON string (a payload carried as a string field).
  (v) => JSON.stringify(JSON.stringify(v).slice(1, -1)).slice(1, -1),
  (v) => escapeXml(v),
  (v) => escapeXml(v).replace(/'/g, '&apos;'),
  (v) => escapeXml(v).replace(/'/g, '&#39;'),
  escapeCell,
  (v) => escapeCell(escapeXml(v)),
  // Slack mrkdwn: & < > as entities.
  (v) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  // Workflow command data (::error::...): % CR LF escaped.
  (v) => v.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'),
];

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Every credential and every value derived from one is registered here before anything can print it.
 * The runner seam forwards each registration to the runner's masking; reports and summaries written by
 * the library itself go through redact() as well, because files are not masked by the runner.
 */
export class SecretRegistry {
  private readonly values = new Set<string>();
  private readonly listeners: Array<(value: string) => void> = [];
  private sorted: string[] | undefined;

  /** Registers a secret and every encoding it can appear in (see ENCODINGS). */
  add(value: string | undefined | null): void {
    if (!value || value.length < 3) return;
    for (const encode of ENCODINGS) {
      let form: string;
      try {
        form = encode(value);
      } catch {
        continue; // URL encoders throw on a lone surrogate; such a form cannot be printed either
      }
      if (this.values.has(form)) continue;
      this.values.add(form);
      this.sorted = undefined;
      for (const listener of this.listeners) listener(form);
    }
  }

  /** Registers a user:password pair the way it travels in a Basic auth header. */
  addBasicAuth(user: string, password: string): void {
    this.add(password);
    this.add(Buffer.from(`${user}:${password}`).toString('base64'));
  }

  /** Registers the credential parts of a URL: its password (raw and decoded) and the userinfo as a whole. */
  addUrlCredentials(url: string | URL): void {
    let parsed: URL;
    try {
      parsed = typeof url === 'string' ? new URL(url) : url;
    } catch {
      return;
    }
    if (!parsed.password) return;
    this.add(parsed.password);
    this.add(safeDecode(parsed.password));
    if (parsed.username) this.addBasicAuth(safeDecode(parsed.username), safeDecode(parsed.password));
  }

  onAdd(listener: (value: string) => void): void {
    this.listeners.push(listener);
    for (const value of this.values) listener(value);
  }

  has(value: string): boolean {
    return this.values.has(value);
  }

  /** True when the text holds any registered secret in any of its forms. */
  contains(text: string): boolean {
    return this.ordered().some((value) => text.includes(value));
  }

  redact(text: string): string {
    let out = text;
    for (const value of this.ordered()) {
      if (out.includes(value)) out = out.split(value).join('***');
    }
    return out;
  }

  /** Longest first, so a secret containing another is replaced whole. */
  private ordered(): string[] {
    this.sorted ??= [...this.values].sort((a, b) => b.length - a.length);
    return this.sorted;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Hides the password of a URL like postgres://user:pass@host/db for display. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@/]+@/, '//$1:***@');
  }
}
