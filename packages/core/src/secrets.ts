/**
 * Every credential and every value derived from one is registered here before anything can print it.
 * The runner seam forwards each registration to the runner's masking; reports and summaries written by
 * the library itself go through redact() as well, because files are not masked by the runner.
 */
export class SecretRegistry {
  private readonly values = new Set<string>();
  private readonly listeners: Array<(value: string) => void> = [];

  /** Registers a secret and the encodings it commonly appears in (base64 for basic auth, URL-encoded). */
  add(value: string | undefined | null): void {
    if (!value || value.length < 3) return;
    for (const form of [value, Buffer.from(value).toString('base64'), encodeURIComponent(value)]) {
      if (this.values.has(form)) continue;
      this.values.add(form);
      for (const listener of this.listeners) listener(form);
    }
  }

  /** Registers a user:password pair the way it travels in a Basic auth header. */
  addBasicAuth(user: string, password: string): void {
    this.add(password);
    this.add(Buffer.from(`${user}:${password}`).toString('base64'));
  }

  onAdd(listener: (value: string) => void): void {
    this.listeners.push(listener);
    for (const value of this.values) listener(value);
  }

  has(value: string): boolean {
    return this.values.has(value);
  }

  redact(text: string): string {
    let out = text;
    // Longest first so a secret containing another is replaced whole.
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) {
      out = out.split(value).join('***');
    }
    return out;
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
