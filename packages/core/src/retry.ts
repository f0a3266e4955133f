import { type Clock, systemClock, abortReason } from './clock';
import { DeadlineError, isTransient, oneLine } from './errors';

export interface RetryOptions {
  /** Give up once this much time has passed since the first attempt (ms). */
  timeoutMs: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  factor?: number;
  /** Upper bound on attempts, on top of the deadline. */
  maxAttempts?: number;
  isRetryable?: (error: unknown) => boolean;
  /** Lets a failure say how long to wait (e.g. Retry-After); the backoff is the floor. */
  delayHint?: (error: unknown) => number | undefined;
  onRetry?: (info: { attempt: number; error: unknown; delayMs: number }) => void;
  signal?: AbortSignal;
  clock?: Clock;
  random?: () => number;
  /** What the operation is, for the error when the deadline runs out. */
  what?: string;
}

/** Exponential backoff with full jitter ("Exponential Backoff And Jitter", AWS), bounded by a deadline. */
export function backoffDelay(
  attempt: number,
  opts: Pick<RetryOptions, 'initialDelayMs' | 'maxDelayMs' | 'factor' | 'random'>,
): number {
  const initial = opts.initialDelayMs ?? 250;
  const cap = opts.maxDelayMs ?? 10_000;
  const ceiling = Math.min(cap, initial * Math.pow(opts.factor ?? 2, attempt - 1));
  const random = opts.random ?? Math.random;
  // Half fixed, half jittered: never a zero wait, still spreads out a thundering herd.
  return ceiling / 2 + random() * (ceiling / 2);
}

/**
 * Runs fn until it succeeds, a non-retryable error is thrown, or the deadline passes.
 * The last error is kept as the cause of the DeadlineError so the log says why.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const clock = opts.clock ?? systemClock;
  const isRetryable = opts.isRetryable ?? isTransient;
  const started = clock.now();
  for (let attempt = 1; ; attempt++) {
    if (opts.signal?.aborted) throw abortReason(opts.signal);
    try {
      return await fn(attempt);
    } catch (error) {
      if (opts.signal?.aborted) throw abortReason(opts.signal);
      if (!isRetryable(error)) throw error;
      const elapsed = clock.now() - started;
      const hinted = opts.delayHint?.(error);
      const delayMs = Math.max(backoffDelay(attempt, opts), hinted ?? 0);
      const outOfAttempts = opts.maxAttempts !== undefined && attempt >= opts.maxAttempts;
      if (outOfAttempts || elapsed + delayMs > opts.timeoutMs) {
        const what = opts.what ?? 'operation';
        throw new DeadlineError(
          `${what} still failing after ${attempt} attempt(s) in ${Math.round(elapsed)}ms: ${oneLine(error)}`,
          { cause: error },
        );
      }
      opts.onRetry?.({ attempt, error, delayMs });
      await clock.sleep(delayMs, opts.signal);
    }
  }
}
