export const id = 25;
export const ids = [25];
export const modules = {

/***/ 9025:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runSmoke: () => (/* reexport */ runSmoke),
  statusCheck: () => (/* reexport */ statusCheck)
});

// UNUSED EXPORTS: NOT_READY_STATUSES, describeFailure, firstFailure, outcomePassed, percentile, statusMatches, stepPassed

// EXTERNAL MODULE: ./packages/core/src/index.ts + 4 modules
var src = __webpack_require__(9417);
;// CONCATENATED MODULE: ./packages/probe/src/smoke/model.ts
/** What one smoke check produced: the shape the scheduler, the reporters and the action share. */
function stepPassed(step) {
    return !step.error && step.assertions.every((a) => a.ok);
}
function outcomePassed(outcome) {
    return outcome.steps.length > 0 && outcome.steps.every(stepPassed);
}
/** The first thing that went wrong, for tables and annotations. */
function firstFailure(steps) {
    for (const step of steps) {
        if (step.error)
            return { step };
        const assertion = step.assertions.find((a) => !a.ok);
        if (assertion)
            return { step, assertion };
    }
    return undefined;
}
function describeFailure(failure) {
    const { step, assertion } = failure;
    if (!assertion)
        return `${step.request}: ${step.error}`;
    // The request first: "HTTP 201: expected 201, actual 500" alone does not say which call broke.
    if (assertion.message)
        return `${step.request}: ${assertion.source}: ${assertion.message}`;
    return `${step.request}: ${assertion.source}: expected ${assertion.expected ?? '?'}, actual ${assertion.actual ?? '?'}`;
}

;// CONCATENATED MODULE: ./packages/probe/src/smoke/run.ts


/**
 * Two phases per check: wait until the service answers (retrying only what is retryable, within the
 * readiness deadline), then assert once; a check that fails its assertions may be run again while the
 * shared flake budget lasts, and is then reported as flaky rather than passed.
 */
async function runSmoke(checks, options) {
    const clock = options.clock ?? src/* systemClock */.ml;
    const started = clock.now();
    const deadline = started + options.readyTimeoutMs;
    const budget = { left: options.flakeBudget };
    const signal = options.signal ?? new AbortController().signal;
    const results = new Array(checks.length);
    let next = 0;
    const worker = async () => {
        for (let i = next++; i < checks.length; i = next++) {
            results[i] = await runCheck(checks[i], { ...options, clock, signal, deadline, budget, started });
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallelism, checks.length)) }, worker));
    const latenciesMs = results.flatMap((r) => r.steps.map((s) => s.durationMs).filter((d) => d !== undefined));
    const assertionCount = results.reduce((n, r) => n + r.steps.reduce((m, s) => m + s.assertions.length, 0), 0);
    const failedCount = results.filter((r) => r.status === 'failed').length;
    // Checks that failed already fail the run; this catches a run that "passed" without verifying anything.
    const problem = checks.length === 0
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
async function runCheck(check, state) {
    const { clock, log } = state;
    let outcome;
    // Phase 1: until the first request gets a real answer.
    for (let attempt = 1;; attempt++) {
        outcome = await check.run(state.signal);
        const first = outcome.steps[0];
        const notReady = first?.retryable === true && !outcomePassed(outcome);
        if (!notReady)
            break;
        const wait = (0,src/* backoffDelay */.EY)(attempt, {
            initialDelayMs: state.readyIntervalMs,
            maxDelayMs: state.maxIntervalMs ?? 5_000,
        });
        if (clock.now() + wait > state.deadline) {
            const why = first.error ?? `HTTP ${first.status}`;
            log.info(`${check.name}: not ready after ${(0,src/* formatDuration */.a3)(clock.now() - state.started)} (${why})`);
            return result(check, 'failed', 1, clock.now() - state.started, outcome, `not ready within ${(0,src/* formatDuration */.a3)(state.readyTimeoutMs)}: ${first.request}: ${why}`);
        }
        log.debug(`${check.name}: not ready (${first.error ?? `HTTP ${first.status}`}), next try in ${(0,src/* formatDuration */.a3)(wait)}`);
        await clock.sleep(wait, state.signal);
    }
    const readyAfterMs = clock.now() - state.started;
    // Phase 2: the assertions count from the first ready run; re-runs only from the flake budget.
    let attempts = 1;
    while (!outcomePassed(outcome) && state.budget.left > 0) {
        state.budget.left--;
        attempts++;
        log.info(`${check.name}: failed (${describe(outcome)}); running again from the flake budget (${state.budget.left} left)`);
        outcome = await check.run(state.signal);
    }
    if (!outcomePassed(outcome))
        return result(check, 'failed', attempts, readyAfterMs, outcome, describe(outcome));
    return result(check, attempts > 1 ? 'flaky' : 'passed', attempts, readyAfterMs, outcome);
}
function describe(outcome) {
    const failure = firstFailure(outcome.steps);
    return failure ? describeFailure(failure) : 'no requests were made';
}
function result(check, status, attempts, readyAfterMs, outcome, reason) {
    return { name: check.name, file: check.file, status, attempts, readyAfterMs, steps: outcome.steps, reason };
}
/** Nearest-rank percentile; undefined for no data. */
function percentile(values, p) {
    if (!values.length)
        return undefined;
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

;// CONCATENATED MODULE: ./packages/probe/src/smoke/status.ts

/** Statuses that mean "not up yet" while waiting for readiness. */
const NOT_READY_STATUSES = new Set([502, 503, 504]);
function statusMatches(expected, status) {
    return expected
        .split(',')
        .map((s) => s.trim())
        .some((s) => (/^\dxx$/.test(s) ? String(status)[0] === s[0] : Number(s) === status));
}
/**
 * One request to a URL: its status, plus whatever `moreAssertions` judges of the response. Refused
 * connections, timeouts and 502/503/504 count as "not ready yet", so runSmoke waits for them.
 */
function statusCheck(spec, send, moreAssertions = () => []) {
    const label = `${spec.method} ${spec.url}`;
    return {
        name: label,
        async run(signal) {
            const started = Date.now();
            let response;
            try {
                response = await send({ url: spec.url, method: spec.method, headers: Object.fromEntries(spec.headers), body: spec.body }, signal);
            }
            catch (error) {
                if (signal.aborted)
                    throw error;
                return {
                    steps: [
                        {
                            request: label,
                            error: (0,src/* oneLine */.TN)(error),
                            retryable: (0,src/* errorKind */.f8)(error) === 'transient',
                            durationMs: Date.now() - started,
                            assertions: [],
                        },
                    ],
                };
            }
            const statusOk = statusMatches(spec.expectedStatus, response.status);
            const assertions = [
                {
                    source: `HTTP ${spec.expectedStatus}`,
                    ok: statusOk,
                    expected: spec.expectedStatus,
                    actual: String(response.status),
                },
                ...moreAssertions(response),
            ];
            return {
                steps: [
                    {
                        request: label,
                        status: response.status,
                        durationMs: response.durationMs,
                        assertions,
                        retryable: !statusOk && NOT_READY_STATUSES.has(response.status),
                    },
                ],
            };
        },
    };
}

;// CONCATENATED MODULE: ./packages/probe/src/check.ts
// The smoke runner (wait until ready, then assert once) and the status check, without the Hurl engine
// and its libraries (JSONPath, XPath, HTML and XML parsers, cookies): an action that only asks whether
// a URL answers imports this entry, so its bundle carries none of the engine.





/***/ })

};
