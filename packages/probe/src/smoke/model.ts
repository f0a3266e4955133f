/** What one smoke check produced: the shape the scheduler, the reporters and the action share. */

export interface AssertionOutcome {
  /** Line in the spec file, when the assertion came from one. */
  line?: number;
  /** The assertion as written, e.g. `jsonpath "$.status" == "ok"`. */
  source: string;
  ok: boolean;
  expected?: string;
  actual?: string;
  message?: string;
}

export interface StepOutcome {
  /** e.g. `GET https://shop.example/health`. */
  request: string;
  line?: number;
  status?: number;
  durationMs?: number;
  /** A transport failure (refused, timeout, DNS) or an error building the request; no response then. */
  error?: string;
  /** The error was worth retrying while waiting for readiness (refused, timeout, 502/503/504). */
  retryable?: boolean;
  assertions: AssertionOutcome[];
}

export interface CheckOutcome {
  steps: StepOutcome[];
}

/** One independent check: a URL from the inputs, or a whole spec file run in order. */
export interface SmokeCheck {
  name: string;
  file?: string;
  run(signal: AbortSignal): Promise<CheckOutcome>;
}

export type CheckStatus = 'passed' | 'failed' | 'flaky';

export interface CheckResult {
  name: string;
  file?: string;
  status: CheckStatus;
  /** Runs of the check after it became ready (1 unless the flake budget was spent on it). */
  attempts: number;
  /** How long the check waited for the service to become ready. */
  readyAfterMs: number;
  steps: StepOutcome[];
  /** Why it failed, in one line: the first failing assertion or error. */
  reason?: string;
}

export function stepPassed(step: StepOutcome): boolean {
  return !step.error && step.assertions.every((a) => a.ok);
}

export function outcomePassed(outcome: CheckOutcome): boolean {
  return outcome.steps.length > 0 && outcome.steps.every(stepPassed);
}

/** The first thing that went wrong, for tables and annotations. */
export function firstFailure(
  steps: readonly StepOutcome[],
): { step: StepOutcome; assertion?: AssertionOutcome } | undefined {
  for (const step of steps) {
    if (step.error) return { step };
    const assertion = step.assertions.find((a) => !a.ok);
    if (assertion) return { step, assertion };
  }
  return undefined;
}

export function describeFailure(failure: { step: StepOutcome; assertion?: AssertionOutcome }): string {
  const { step, assertion } = failure;
  if (!assertion) return `${step.request}: ${step.error}`;
  // The request first: "HTTP 201: expected 201, actual 500" alone does not say which call broke.
  if (assertion.message) return `${step.request}: ${assertion.source}: ${assertion.message}`;
  return `${step.request}: ${assertion.source}: expected ${assertion.expected ?? '?'}, actual ${assertion.actual ?? '?'}`;
}
