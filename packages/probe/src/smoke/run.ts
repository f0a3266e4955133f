import { backoffDelay, type Clock, type Logger, formatDuration, systemClock } from '@deploy-actions/core';
import {
  type CheckOutcome,
  type CheckResult,
  type SmokeCheck,
  describeFailure,
  firstFailure,
  outcomePassed,
} from './model';

export interface SmokeOptions {
  /** How long to wait for the service to become ready (first request answered, not 502/503/504). */
  readyTimeoutMs: number;
  /** First wait between readiness attempts; grows with jitter up to maxIntervalMs. */
  readyIntervalMs: number;
  maxIntervalMs?: number;
  /** Extra runs, across all checks, allowed for checks whose assertions failed once ready. */
  flakeBudget: number;
  parallelism: number;
  clock?: Clock;
  signal?: AbortSignal;
  log: Logger;
}

export interface SmokeReport {
  results: CheckResult[];
  passed: boolean;
  failedCount: number;
  flakyCount: number;
  assertionCount: number;
  /** Latency of every request in the final runs, for percentiles. */
  latenciesMs: number[];
  p95Ms: number | undefined;
  durationMs: number;
  /** Set when the run as a whole failed for a reason beyond single checks (e.g. no assertion ran). */
  problem?: string;
}

/**
 * Two phases per check: wait until the service answers (retrying only what is retryable, within the
 * readiness deadline), then assert once; a check that fails its assertions may be run again while the
 * shared flake budget lasts, and is then reported as flaky rather than passed.
 */
export async function runSmoke(checks: readonly SmokeCheck[], options: SmokeOptions): Promise<SmokeReport> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const deadline = started + options.readyTimeoutMs;
  const budget = { left: options.flakeBudget };
  const signal = options.signal ?? new AbortController().signal;
  const results: CheckResult[] = new Array(checks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < checks.length; i = next++) {
      results[i] = await runCheck(checks[i]!, { ...options, clock, signal, deadline, budget, started });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallelism, checks.length)) }, worker));

  const latenciesMs = results.flatMap((r) =>
    r.steps.map((s) => s.durationMs).filter((d): d is number => d !== undefined),
  );
  const assertionCount = results.reduce((n, r) => n + r.steps.reduce((m, s) => m + s.assertions.length, 0), 0);
  const failedCount = results.filter((r) => r.status === 'failed').length;
  // Checks that failed already fail the run; this catches a run that "passed" without verifying anything.
  const problem =
    checks.length === 0
      ? 'no checks to run'
      : assertionCount === 0 && failedCount === 0
        ? 'no assertion was executed, so nothing was verified'
        : undefined;
  return {
    results,
    passed: failedCount === 0 && !problem,
    failedCount,
    flakyCount: results.filter((r) => r.status === 'flaky').length,
    assertionCount,
    latenciesMs,
    p95Ms: percentile(latenciesMs, 95),
    durationMs: clock.now() - started,
    problem,
  };
}

interface RunState extends SmokeOptions {
  clock: Clock;
  signal: AbortSignal;
  deadline: number;
  started: number;
  budget: { left: number };
}

async function runCheck(check: SmokeCheck, state: RunState): Promise<CheckResult> {
  const { clock, log } = state;
  let outcome: CheckOutcome;
  // Phase 1: until the first request gets a real answer.
  for (let attempt = 1; ; attempt++) {
    outcome = await check.run(state.signal);
    const first = outcome.steps[0];
    const notReady = first?.retryable === true && !outcomePassed(outcome);
    if (!notReady) break;
    const wait = backoffDelay(attempt, {
      initialDelayMs: state.readyIntervalMs,
      maxDelayMs: state.maxIntervalMs ?? 5_000,
    });
    if (clock.now() + wait > state.deadline) {
      const why = first.error ?? `HTTP ${first.status}`;
      log.info(`${check.name}: not ready after ${formatDuration(clock.now() - state.started)} (${why})`);
      return result(
        check,
        'failed',
        1,
        clock.now() - state.started,
        outcome,
        `not ready within ${formatDuration(state.readyTimeoutMs)}: ${first.request}: ${why}`,
      );
    }
    log.debug(
      `${check.name}: not ready (${first.error ?? `HTTP ${first.status}`}), next try in ${formatDuration(wait)}`,
    );
    await clock.sleep(wait, state.signal);
  }
  const readyAfterMs = clock.now() - state.started;
  // Phase 2: the assertions count from the first ready run; re-runs only from the flake budget.
  let attempts = 1;
  while (!outcomePassed(outcome) && state.budget.left > 0) {
    state.budget.left--;
    attempts++;
    log.info(
      `${check.name}: failed (${describe(outcome)}); running again from the flake budget (${state.budget.left} left)`,
    );
    outcome = await check.run(state.signal);
  }
  if (!outcomePassed(outcome)) return result(check, 'failed', attempts, readyAfterMs, outcome, describe(outcome));
  return result(check, attempts > 1 ? 'flaky' : 'passed', attempts, readyAfterMs, outcome);
}

function describe(outcome: CheckOutcome): string {
  const failure = firstFailure(outcome.steps);
  return failure ? describeFailure(failure) : 'no requests were made';
}

function result(
  check: SmokeCheck,
  status: CheckResult['status'],
  attempts: number,
  readyAfterMs: number,
  outcome: CheckOutcome,
  reason?: string,
): CheckResult {
  return { name: check.name, file: check.file, status, attempts, readyAfterMs, steps: outcome.steps, reason };
}

/** Nearest-rank percentile; undefined for no data. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
