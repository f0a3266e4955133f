/**
 * One error model for every action. The kind decides what happens next:
 * - input: the user gave something unusable; fail at once, before any side effect.
 * - transient: worth retrying (HTTP 429/5xx, resets, timeouts, lock timeouts).
 * - permanent: retrying cannot help (401, 404, a failed assertion); fail with the cause.
 */
export type ErrorKind = 'input' | 'transient' | 'permanent';

export class ActionError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.name = new.target.name;
  }
}

/** Bad input: names the input and says how to fix it, in one line. */
export class InputError extends ActionError {
  readonly input: string;
  constructor(input: string, problem: string, fix: string) {
    super('input', `Input '${input}': ${shorten(problem)}. Fix: ${fix}`);
    this.input = input;
  }
}

/** A problem quoting a bad value stays one readable line: line breaks shown escaped, a 100 KB middle elided. */
function shorten(text: string, max = 300): string {
  const line = text.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  return line.length <= max
    ? line
    : `${line.slice(0, max / 2)}…(${line.length - max} characters)…${line.slice(-max / 2)}`;
}

export class TransientError extends ActionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('transient', message, options);
  }
}

export class PermanentError extends ActionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('permanent', message, options);
  }
}

/** The deadline ran out while a retryable operation kept failing. */
export class DeadlineError extends ActionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('permanent', message, options);
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Classifies any thrown value; network errors from Node count as transient. */
export function errorKind(error: unknown): ErrorKind {
  if (error instanceof ActionError) return error.kind;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return 'transient';
  return 'permanent';
}

export function isTransient(error: unknown): boolean {
  return errorKind(error) === 'transient';
}

/** A one-line message for logs and setFailed: the message and its causes, newlines folded. */
export function oneLine(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    const text = current instanceof Error ? current.message : String(current);
    if (text && !parts.some((p) => p.includes(text))) parts.push(text);
    current = current instanceof Error ? current.cause : undefined;
  }
  return (
    parts
      .join(': ')
      .replace(/\s*\n\s*/g, ' ')
      .trim() || 'unknown error'
  );
}
