export const id = 405;
export const ids = [405];
export const modules = {

/***/ 405:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  canary: () => (/* binding */ canary),
  restoreStable: () => (/* binding */ restoreStable)
});

// EXTERNAL MODULE: ./packages/core/src/index.ts + 4 modules
var src = __webpack_require__(9417);
;// CONCATENATED MODULE: ./packages/analysis/src/stats.ts
/**
 * The few statistics the judge and the benchmark need, written out rather than pulled from a
 * library: a binomial tail, its α spending by count and a histogram quantile are a few dozen
 * lines, and jstat or simple-statistics would add their whole bundle for them.
 */
/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; about 15 significant digits). */
function logGamma(x) {
    if (x < 0.5)
        return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
    const c = [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];
    const z = x - 1;
    let sum = c[0];
    for (let i = 1; i < 9; i++)
        sum += c[i] / (z + i);
    const t = z + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
function logBinomialPmf(k, n, p) {
    if (k < 0 || k > n)
        return -Infinity;
    if (p <= 0)
        return k === 0 ? 0 : -Infinity;
    if (p >= 1)
        return k === n ? 0 : -Infinity;
    return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}
/**
 * P(X ≥ k) for X ~ Binomial(n, p). Sums the smaller tail from k outwards with the pmf
 * recurrence and stops once terms no longer change the sum, so a call costs a few standard
 * deviations' worth of terms rather than n.
 */
function binomialUpperTail(k, n, p) {
    const from = Math.max(0, Math.ceil(k));
    if (from <= 0)
        return 1;
    if (from > n)
        return 0;
    if (p <= 0)
        return 0;
    if (p >= 1)
        return 1;
    const odds = p / (1 - p);
    const upper = from > n * p;
    let i = upper ? from : from - 1;
    let term = Math.exp(logBinomialPmf(i, n, p));
    let sum = 0;
    while (i >= 0 && i <= n && term > 0) {
        sum += term;
        if (term < sum * 1e-17)
            break;
        if (upper) {
            term *= ((n - i) / (i + 1)) * odds;
            i++;
        }
        else {
            term *= i / (n - i + 1) / odds;
            i--;
        }
    }
    return upper ? Math.min(1, sum) : Math.max(0, 1 - sum);
}
/** Fewest bad requests (errors, or requests over a latency limit) any test fails a canary on: one or two are too easily chance. */
const FIRST_DECISIVE_COUNT = 3;
/** Share of the false-alarm budget spent at the first decisive count, where a clear regression is caught soonest. */
const FIRST_COUNT_SHARE = 0.6;
/**
 * The false-alarm budget spent on failing the canary at its `count`-th bad request (α spending
 * by count). Bad requests only accumulate, so "the x-th came sooner than chance allows" is one
 * question per x: failing when P(at least x by now | no regression) ≤ α(x) fails a good canary
 * at its x-th bad request with probability at most α(x), however often it is looked at (the tail
 * only grows while the count stays at x), and at all with at most the sum over x, which is the
 * whole budget. 60 % goes to the 3rd, so a 10x regression at 2 canary requests per second is
 * caught in about the 27 s one fixed test at the full budget would need; the rest goes to the
 * 4th, 5th, … as 1/((x − 3)(x − 2)), a sum that telescopes to 1, so the larger counts of a
 * smaller regression in a long rollout still get a share.
 */
function alphaAtCount(count, falseAlarmRate) {
    const x = Math.round(count);
    if (x < FIRST_DECISIVE_COUNT)
        return 0;
    if (x === FIRST_DECISIVE_COUNT)
        return falseAlarmRate * FIRST_COUNT_SHARE;
    const beyond = x - FIRST_DECISIVE_COUNT;
    return (falseAlarmRate * (1 - FIRST_COUNT_SHARE)) / (beyond * (beyond + 1));
}
/**
 * P(the canary has at least its errors among all the errors) if the two sides err alike: given
 * the total, each error is the canary's with probability equal to its share of the requests.
 * Conditioning on the total removes the unknown common rate, and the baseline's traffic
 * (including any lookback before the canary started) is what makes the split informative. The
 * binomial tail is slightly above the exact hypergeometric one (errors fall on distinct
 * requests), so the test errs on the side of not failing. 1 when a side has no requests. Counts
 * are rounded: custom queries may give increase()'s fractions.
 */
function errorSplitTail(counts) {
    if (counts.canaryRequests <= 0 || counts.baselineRequests <= 0)
        return 1;
    const canaryErrors = Math.round(counts.canaryErrors);
    const total = canaryErrors + Math.max(0, Math.round(counts.baselineErrors));
    return binomialUpperTail(canaryErrors, total, counts.canaryRequests / (counts.canaryRequests + counts.baselineRequests));
}
/**
 * The q-quantile of a cumulative histogram, interpolated linearly inside the bucket it falls
 * in, as Prometheus's histogram_quantile does. undefined without observations.
 */
function histogramQuantile(q, buckets) {
    const sorted = [...buckets].sort((a, b) => a.le - b.le);
    const total = sorted.at(-1)?.count ?? 0;
    if (total <= 0)
        return undefined;
    const rank = q * total;
    let lowerLe = 0;
    let lowerCount = 0;
    for (const bucket of sorted) {
        if (bucket.count >= rank) {
            if (!Number.isFinite(bucket.le))
                return lowerLe;
            const inBucket = bucket.count - lowerCount;
            return inBucket <= 0 ? bucket.le : lowerLe + ((bucket.le - lowerLe) * (rank - lowerCount)) / inBucket;
        }
        lowerLe = bucket.le;
        lowerCount = bucket.count;
    }
    return lowerLe;
}
/** The q-quantile of raw values (linear interpolation between closest ranks). */
function quantile(values, q) {
    if (values.length === 0)
        return undefined;
    const sorted = [...values].sort((a, b) => a - b);
    const position = (sorted.length - 1) * q;
    const lower = Math.floor(position);
    const upper = Math.ceil(position);
    return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

;// CONCATENATED MODULE: ./packages/analysis/src/judge.ts


/** Defaults from the deploy plans (error rate > 5 %, p95 > 1 s) and from the detection benchmark. */
const DEFAULT_JUDGE_CONFIG = {
    falseAlarmRate: 0.005,
    minRequests: 100,
    maxErrorRate: 0.05,
    errorRateTolerance: 0.02,
    passConfidence: 0.95,
    maxLatencyMs: { p95: 1000 },
    comparedPercentiles: ['p95'],
    latencyTolerance: 0.25,
    latencySlackMs: 25,
    metricsGraceMs: 60_000,
    blastRadius: undefined,
    shadow: false,
};
/** Counts a router's and a metrics source's may differ by from timing alone (requests in flight, scrape lag). */
const ROUTER_SLACK = { requests: 5, share: 0.1 };
/**
 * Judges the canary from everything observed since it started. Pure: the same observations,
 * config, `now` and context give the same verdict. Counts in samples are cumulative since the
 * canary's start, so the latest sample is weighed for the tests; the sample at the step's start
 * tells what arrived during the step, and earlier ones give the traffic rate and the uptime of
 * the metrics source.
 */
function judge(observations, config, now, context = {}) {
    const verdict = judgeStrictly(observations, config, now, context);
    if (!config.shadow || verdict.outcome !== 'fail')
        return verdict;
    return {
        ...verdict,
        outcome: 'pass',
        reason: `shadow mode, not enforced: ${verdict.reason}`,
        shadowed: { check: verdict.check, reason: verdict.reason },
    };
}
function judgeStrictly(observations, config, now, context) {
    const samples = observations.filter((o) => 'sample' in o);
    const latest = samples.at(-1);
    const lastObservation = observations.at(-1);
    const failing = lastObservation && 'error' in lastObservation ? lastObservation : undefined;
    const firstAt = observations[0]?.at;
    const healthySince = latest?.at ?? firstAt;
    const stale = latest !== undefined && now - latest.at > config.metricsGraceMs;
    const router = [...observations].reverse().find((o) => o.router)?.router;
    if (!latest || failing || stale) {
        const downFor = healthySince === undefined ? 0 : now - healthySince;
        const cause = failing ? failing.error : latest ? 'no sample since the last one' : 'no sample yet';
        const routerNote = router
            ? `; meanwhile the router sent the canary ${router.canary.requests} requests, ${router.canary.errors} failed`
            : '';
        // The router saw every request it sent: while the metrics source is down its counts still judge errors.
        const routerFailure = router && judgeRouterAlone(router, config);
        if (routerFailure) {
            return {
                outcome: 'fail',
                check: routerFailure.check,
                at: now,
                evidence: latest?.sample.queries ?? [],
                reason: `${routerFailure.reason}, counted by the router while the metrics source is down (${cause})`,
            };
        }
        if (healthySince !== undefined && downFor > config.metricsGraceMs) {
            return {
                outcome: 'fail',
                check: 'metrics-source',
                at: now,
                evidence: latest?.sample.queries ?? [],
                reason: `metrics source failing for ${(0,src/* formatDuration */.a3)(downFor)}, longer than the ${(0,src/* formatDuration */.a3)(config.metricsGraceMs)} grace period (fail closed): ${cause}${routerNote}`,
            };
        }
        return {
            outcome: 'inconclusive',
            check: 'metrics-source',
            at: now,
            evidence: latest?.sample.queries ?? [],
            reason: `no metrics (${cause}); failing closed after ${(0,src/* formatDuration */.a3)(config.metricsGraceMs)}${routerNote}`,
        };
    }
    const sample = latest.sample;
    const { canary } = sample;
    const baselineChange = baselineShift(sample.baseline);
    // A baseline whose error rate just changed is judged on the window alone, not its older history.
    const baseline = baselineChange ? { ...sample.baseline, ...sample.baseline.inWindow } : sample.baseline;
    const counts = {
        canaryRequests: canary.requests,
        canaryErrors: canary.errors,
        baselineRequests: baseline.requests,
        baselineErrors: baseline.errors,
    };
    const pValue = errorSplitTail(counts);
    const alpha = alphaAtCount(canary.errors, config.falseAlarmRate);
    const canaryRate = canary.requests > 0 ? canary.errors / canary.requests : 0;
    const baselineRate = baseline.requests > 0 ? baseline.errors / baseline.requests : 0;
    // The best count of what users saw: the router sees every request it sent, labels or not.
    const failures = Math.max(canary.errors, router?.canary.errors ?? 0);
    const served = Math.max(canary.requests, router?.canary.requests ?? 0);
    const excessErrors = failures - served * baselineRate;
    const stats = {
        canary,
        baseline,
        pValue,
        alpha,
        excessErrors,
        failures,
        served,
        ...(router ? { router } : {}),
    };
    const pick = (...wanted) => wanted.flatMap(([side, metric]) => sample.queries.filter((q) => q.side === side && q.metric === metric));
    const errorEvidence = pick(['canary', 'errors'], ['canary', 'requests'], ['baseline', 'errors'], ['baseline', 'requests']);
    const baselineNote = baselineChange ? ` (baseline judged on the window alone: ${baselineChange})` : '';
    const failure = findFailure();
    if (failure)
        return { outcome: 'fail', ...failure, at: now, stats };
    const rate = canaryRequestRate(samples);
    const stepBase = context.stepStartedAt === undefined ? undefined : sampleAtOrBefore(samples, context.stepStartedAt);
    const stepRequests = canary.requests - (stepBase?.canary.requests ?? 0);
    const needMore = (requests, check, why, evidence) => {
        const etaMs = rate > 0 ? (requests / rate) * 1000 : undefined;
        const eta = etaMs !== undefined
            ? `~${(0,src/* formatDuration */.a3)(etaMs)} at current traffic`
            : canary.series === 0
                ? 'no canary series matched yet'
                : canary.requests > 0
                    ? 'no new canary traffic seen lately'
                    : 'no canary traffic seen yet';
        return {
            outcome: 'inconclusive',
            check,
            at: now,
            stats,
            evidence,
            need: { requests, etaMs },
            reason: `inconclusive, need ${requests} more canary requests (${eta}); ${why}`,
        };
    };
    if (canary.requests < config.minRequests) {
        return needMore(Math.ceil(config.minRequests - canary.requests), 'sample-size', `${canary.requests} of ${config.minRequests} so far`, pick(['canary', 'requests'], ['canary', 'series']));
    }
    if (stepBase !== undefined && stepRequests < config.minRequests) {
        return needMore(Math.ceil(config.minRequests - stepRequests), 'sample-size', `a step passes only on requests that arrived during it: ${stepRequests} of ${config.minRequests} in this step (${canary.requests} since the canary started)`, pick(['canary', 'requests']));
    }
    const allowedRate = Math.min(config.maxErrorRate, baselineRate + config.errorRateTolerance);
    const enough = requestsToBoundErrorRate(canary.errors, canary.requests, allowedRate, config.passConfidence);
    if (enough === Infinity) {
        return {
            outcome: 'inconclusive',
            check: 'errors-vs-baseline',
            at: now,
            stats,
            evidence: errorEvidence,
            reason: `inconclusive, canary error rate ${percent(canaryRate)} so far is above the ${percent(allowedRate)} a pass allows, not yet significantly worse than the baseline${alsoFailing(baselineInWindow(sample.baseline), config.maxErrorRate, 'failing')}${baselineNote}`,
        };
    }
    if (enough > canary.requests) {
        const why = `to be ${config.passConfidence * 100} % sure the error rate (${percent(canaryRate)} so far) is under ${percent(allowedRate)}`;
        return needMore(Math.ceil(enough - canary.requests), 'errors-vs-baseline', why, errorEvidence);
    }
    const missing = latencyPercentilesNeeded(config).filter((p) => (canary.latencyMs[p] === undefined && !(p in config.maxLatencyMs && canary.slow)) ||
        (config.comparedPercentiles.includes(p) &&
            (canary.latencyMs[p] === undefined || baseline.latencyMs[p] === undefined)));
    if (missing.length) {
        const p = missing[0];
        return {
            outcome: 'inconclusive',
            check: config.comparedPercentiles.includes(p) ? 'latency-vs-baseline' : 'latency-limit',
            at: now,
            stats,
            evidence: pick(['canary', p], ['baseline', p]),
            reason: `inconclusive, no ${p} latency from the metrics source yet`,
        };
    }
    return {
        outcome: 'pass',
        check: 'all',
        at: now,
        stats,
        evidence: sample.queries,
        reason: `canary within limits after ${canary.requests} requests${stepBase ? ` (${stepRequests} in this step)` : ''}: errors ${canary.errors}/${canary.requests} (${percent(canaryRate)}) vs baseline ${baseline.errors}/${baseline.requests} (${percent(baselineRate)}), chance of such a split if it were as good ${chance(pValue)} (${bar(alpha, 'errors')})${slowSummary(canary, baseline)}${latencySummary(canary, baseline, config)}${baselineNote}`,
    };
    function findFailure() {
        const trafficFor = context.trafficSince === undefined ? 0 : now - context.trafficSince;
        if (canary.series === 0 && trafficFor > config.metricsGraceMs && (!router || router.canary.requests > 0)) {
            return {
                check: 'canary-series',
                evidence: pick(['canary', 'requests'], ['canary', 'series']),
                reason: `no canary series: ${pick(['canary', 'requests'])[0]?.query ?? 'the canary query'} matched nothing ${(0,src/* formatDuration */.a3)(trafficFor)} after the canary got traffic${router ? `, while the router sent it ${router.canary.requests} requests (${router.canary.errors} failed)` : ''}; the selector does not find the canary, failing closed`,
            };
        }
        const disagreement = routerDisagreement(samples, samples.length - 1);
        if (disagreement && routerDisagreement(samples, samples.length - 2)) {
            return {
                check: 'router-agreement',
                evidence: pick(['canary', 'requests'], ['canary', 'errors']),
                reason: disagreement,
            };
        }
        if (pValue <= alpha) {
            return {
                check: 'errors-vs-baseline',
                evidence: errorEvidence,
                reason: `canary errors ${canary.errors}/${canary.requests} (${percent(canaryRate)}) vs baseline ${baseline.errors}/${baseline.requests} (${percent(baselineRate)}): chance of such a split if it were as good ${chance(pValue)}, at or under the ${chance(alpha)} allowed at ${Math.round(canary.errors)} errors (false-alarm rate ${config.falseAlarmRate} per rollout)${baselineNote}`,
            };
        }
        const tail = binomialUpperTail(canary.errors, Math.round(canary.requests), config.maxErrorRate);
        if (tail <= alpha) {
            return {
                check: 'error-rate-limit',
                evidence: errorEvidence,
                reason: `canary error rate ${percent(canaryRate)} (${canary.errors}/${canary.requests}) is above the ${percent(config.maxErrorRate)} limit (P = ${tail.toExponential(1)} at the limit)${alsoFailing(baselineInWindow(sample.baseline), config.maxErrorRate, 'failing')}`,
            };
        }
        if (config.blastRadius !== undefined && excessErrors > config.blastRadius) {
            const source = router && router.canary.errors >= canary.errors ? ` (counted by ${router.source.canary})` : '';
            return {
                check: 'blast-radius',
                evidence: errorEvidence,
                reason: `canary cost ${excessErrors.toFixed(1)} failed requests${source} beyond the baseline's error rate, over the blast-radius budget of ${config.blastRadius}`,
            };
        }
        const slowFailure = judgeSlowRequests();
        if (slowFailure)
            return slowFailure;
        if (canary.requests < config.minRequests)
            return undefined;
        for (const [p, limit] of Object.entries(config.maxLatencyMs)) {
            const value = canary.latencyMs[p];
            if (!canary.slow && value !== undefined && value > limit) {
                return {
                    check: 'latency-limit',
                    evidence: pick(['canary', p]),
                    reason: `canary ${p} latency ${ms(value)} is over the ${ms(limit)} limit`,
                };
            }
        }
        if (baseline.requests < config.minRequests)
            return undefined;
        for (const p of config.comparedPercentiles) {
            const c = canary.latencyMs[p];
            const b = baseline.latencyMs[p];
            if (c === undefined || b === undefined)
                continue;
            // Over the limit, the exact count of slow requests decides, not a percentile interpolated inside a bucket.
            const limit = config.maxLatencyMs[p];
            if (canary.slow && limit !== undefined && c > limit)
                continue;
            const allowed = b * (1 + config.latencyTolerance) + config.latencySlackMs;
            if (c > allowed) {
                return {
                    check: 'latency-vs-baseline',
                    evidence: pick(['canary', p], ['baseline', p]),
                    reason: `canary ${p} latency ${ms(c)} vs baseline ${ms(b)}: over the allowed ${ms(allowed)} (+${Math.round(config.latencyTolerance * 100)} % + ${config.latencySlackMs} ms)`,
                };
            }
        }
        return undefined;
    }
    /**
     * "p95 ≤ 1 s" is "at most 5 % of requests slower than 1 s": the slow requests are counted and
     * tested like errors, from the first request, against the limit and against the baseline.
     */
    function judgeSlowRequests() {
        const slow = canary.slow;
        const limit = Object.entries(config.maxLatencyMs)[0];
        if (!slow || !limit || slow.boundMs < limit[1])
            return undefined;
        const [p, limitMs] = limit;
        const allowedShare = 1 - QUANTILE_OF[p];
        const share = slow.timed > 0 ? slow.slow / slow.timed : 0;
        const bound = boundText(slow.boundMs, limitMs);
        const evidence = pick(['canary', 'slow'], ['baseline', 'slow']);
        const tail = binomialUpperTail(slow.slow, slow.timed, allowedShare);
        const alpha = alphaAtCount(slow.slow, config.falseAlarmRate);
        if (tail <= alpha) {
            const base = sample.baseline.slow;
            return {
                check: 'latency-limit',
                evidence,
                reason: `canary: ${slow.slow} of ${slow.timed} requests (${percent(share)}) slower than ${bound}, above the ${percent(allowedShare)} a ${p} limit of ${ms(limitMs)} allows (P = ${tail.toExponential(1)} at the limit)${base && base.timed > 0 ? alsoFailing({ requests: base.timed, errors: base.slow }, allowedShare, 'slow') : ''}`,
            };
        }
        const base = baseline.slow;
        if (!base)
            return undefined;
        const split = errorSplitTail({
            canaryRequests: slow.timed,
            canaryErrors: slow.slow,
            baselineRequests: base.timed,
            baselineErrors: base.slow,
        });
        if (split > alpha)
            return undefined;
        return {
            check: 'latency-vs-baseline',
            evidence,
            reason: `canary: ${slow.slow} of ${slow.timed} requests (${percent(share)}) slower than ${bound} vs baseline ${base.slow} of ${base.timed} (${percent(base.timed ? base.slow / base.timed : 0)}): chance of such a split if it were as fast ${chance(split)}, at or under the ${chance(alpha)} allowed at ${slow.slow} slow requests`,
        };
    }
}
/**
 * The error checks on the router's own counts alone (both sides since the canary started, no
 * lookback), for when the metrics source cannot answer: the same split test and error-rate limit
 * with the same count-by-count bar, and the blast radius.
 */
function judgeRouterAlone(router, config) {
    const { canary, baseline } = router;
    const alpha = alphaAtCount(canary.errors, config.falseAlarmRate);
    const counts = `${router.source.canary} ${canary.errors}/${canary.requests} failed (${percent(canary.requests ? canary.errors / canary.requests : 0)}) vs ${router.source.baseline} ${baseline.errors}/${baseline.requests} (${percent(baseline.requests ? baseline.errors / baseline.requests : 0)})`;
    const split = errorSplitTail({
        canaryRequests: canary.requests,
        canaryErrors: canary.errors,
        baselineRequests: baseline.requests,
        baselineErrors: baseline.errors,
    });
    if (split <= alpha)
        return {
            check: 'errors-vs-baseline',
            reason: `canary errors: ${counts}: chance of such a split if it were as good ${chance(split)}, at or under the ${chance(alpha)} allowed at ${canary.errors} errors`,
        };
    const tail = binomialUpperTail(canary.errors, canary.requests, config.maxErrorRate);
    if (tail <= alpha)
        return {
            check: 'error-rate-limit',
            reason: `canary error rate above the ${percent(config.maxErrorRate)} limit: ${counts} (P = ${tail.toExponential(1)} at the limit)`,
        };
    const excess = canary.errors - (baseline.requests > 0 ? (canary.requests * baseline.errors) / baseline.requests : 0);
    if (config.blastRadius !== undefined && excess > config.blastRadius)
        return {
            check: 'blast-radius',
            reason: `canary cost ${excess.toFixed(1)} failed requests beyond the baseline's error rate, over the blast-radius budget of ${config.blastRadius}: ${counts}`,
        };
    return undefined;
}
const QUANTILE_OF = { p50: 0.5, p95: 0.95, p99: 0.99 };
/** "1000 ms" for an exact bound; the bucket's own bound when the histogram has none at the limit. */
function boundText(boundMs, limitMs) {
    return boundMs === limitMs
        ? `${ms(boundMs)}`
        : `${ms(boundMs)} (the histogram's first bucket bound at or above the ${ms(limitMs)} limit)`;
}
/** The baseline's counts in the canary's window, without the lookback. */
function baselineInWindow(baseline) {
    return baseline.inWindow ?? baseline;
}
/** "; baseline also failing 7.1 % — likely shared" when the baseline breaches the same limit in the same window. */
function alsoFailing(baseline, limit, what) {
    if (baseline.requests <= 0 || baseline.errors / baseline.requests <= limit)
        return '';
    return `; baseline also ${what} ${percent(baseline.errors / baseline.requests)} (${baseline.errors}/${baseline.requests}) in the same window — likely shared`;
}
/**
 * Whether the baseline's error rate inside the window differs from its rate in the lookback
 * before it, beyond chance (two-sided exact test at 0.1 %): then the lookback would dilute it.
 */
function baselineShift(baseline) {
    const recent = baseline.inWindow;
    if (!recent || recent.requests <= 0)
        return undefined;
    const before = { requests: baseline.requests - recent.requests, errors: baseline.errors - recent.errors };
    if (before.requests <= 0)
        return undefined;
    const earlier = Math.max(before.errors, 0.5) / before.requests;
    const rose = binomialUpperTail(recent.errors, recent.requests, earlier) <= 0.001;
    const fell = 1 - binomialUpperTail(recent.errors + 1, recent.requests, earlier) <= 0.001;
    if (!rose && !fell)
        return undefined;
    return `its error rate ${rose ? 'rose' : 'fell'} to ${percent(recent.errors / recent.requests)} from ${percent(before.errors / before.requests)} in the lookback`;
}
/** The latest sample taken at or before `at`. */
function sampleAtOrBefore(samples, at) {
    return [...samples].reverse().find((s) => s.at <= at)?.sample;
}
/**
 * Whether the router's counts and the metrics source's disagree beyond timing noise at sample
 * `index`: the source's count, as of its last scrape, must lie between the router's readings
 * just before and just after that scrape, give or take requests in flight.
 */
function routerDisagreement(samples, index) {
    const observation = samples[index];
    const canary = observation?.sample.canary;
    // Only whole counts with a known scrape time compare: not increase()'s extrapolated fractions from
    // custom queries, and not a canary whose series have not been scraped yet (the grace period's case).
    if (!observation?.router || !canary?.series || canary.observedAt === undefined)
        return undefined;
    const seenAt = canary.observedAt;
    const readings = samples.slice(0, index + 1).flatMap((s) => (s.router ? [s.router] : []));
    const before = [...readings].reverse().find((r) => r.at <= seenAt);
    const after = readings.find((r) => r.at >= seenAt) ?? observation.router;
    const slack = (n) => ROUTER_SLACK.requests + ROUTER_SLACK.share * n;
    for (const what of ['requests', 'errors']) {
        const low = before?.canary[what] ?? 0;
        const high = after.canary[what];
        const counted = canary[what];
        if (counted >= low - slack(low) && counted <= high + slack(high))
            continue;
        const routed = low === high ? `${high}` : `${low} to ${high}`;
        return `the router and the metrics source disagree about the canary: ${after.source.canary} counts ${routed} ${what === 'requests' ? 'requests' : 'failed requests'} by the last scrape, the metrics source ${counted}${counted > high ? ' (does it count health checks or traffic from elsewhere?)' : ' (does the selector miss some of the canary?)'}; failing closed`;
    }
    return undefined;
}
function slowSummary(canary, baseline) {
    if (!canary.slow)
        return '';
    const b = baseline.slow;
    return `, slower than ${ms(canary.slow.boundMs)}: ${canary.slow.slow}/${canary.slow.timed}${b ? ` vs ${b.slow}/${b.timed}` : ''}`;
}
/**
 * Canary requests needed before `confidence` says the error rate is at most `allowedRate`, if
 * errors keep coming at the rate seen so far (the current count when that is already enough).
 * One-sided exact binomial bound: P(X ≤ errors | n, allowedRate) ≤ 1 − confidence.
 */
function requestsToBoundErrorRate(errors, requests, allowedRate, confidence) {
    const observedRate = requests > 0 ? errors / requests : 0;
    if (allowedRate <= 0 || observedRate >= allowedRate)
        return Infinity;
    const bounded = (n) => 1 - binomialUpperTail(Math.round(observedRate * n) + 1, n, allowedRate) <= 1 - confidence;
    if (requests > 0 && bounded(requests))
        return requests;
    let high = Math.max(1, requests);
    while (!bounded(high)) {
        high *= 2;
        if (high > 1e6)
            return Infinity;
    }
    let low = Math.max(1, requests, high / 2);
    while (high - low > 1) {
        const mid = Math.floor((low + high) / 2);
        if (bounded(mid))
            high = mid;
        else
            low = mid;
    }
    return high;
}
function latencyPercentilesNeeded(config) {
    return [...new Set([...Object.keys(config.maxLatencyMs), ...config.comparedPercentiles])];
}
function latencySummary(canary, baseline, config) {
    return latencyPercentilesNeeded(config)
        .map((p) => `, ${p} ${ms(canary.latencyMs[p])} vs ${ms(baseline.latencyMs[p])}`)
        .join('');
}
/** Canary requests per second over the last two samples (or since the first one). */
function canaryRequestRate(samples) {
    const last = samples.at(-1);
    const previous = samples.at(-2);
    if (!last || !previous || last.at <= previous.at)
        return 0;
    const recent = (last.sample.canary.requests - previous.sample.canary.requests) / ((last.at - previous.at) / 1000);
    if (recent > 0)
        return recent;
    const first = samples[0];
    return last.at > first.at
        ? (last.sample.canary.requests - first.sample.canary.requests) / ((last.at - first.at) / 1000)
        : 0;
}
/** A small probability as "P = 3.1e-4". */
function chance(p) {
    return `P = ${p >= 0.01 ? p.toFixed(2) : p.toExponential(1)}`;
}
/** The bar the error test's chance must fall to, or why there is none yet. */
function bar(alpha, what) {
    return alpha > 0 ? `fails at ${chance(alpha)}` : `fails only from ${FIRST_DECISIVE_COUNT} ${what}`;
}
function percent(rate) {
    return `${(rate * 100).toFixed(rate < 0.1 ? 2 : 1)} %`;
}
function ms(value) {
    return value === undefined ? 'n/a' : `${Math.round(value)} ms`;
}

// EXTERNAL MODULE: ./packages/analysis/src/promql.ts
var promql = __webpack_require__(8574);
;// CONCATENATED MODULE: ./packages/analysis/src/counters.ts
/**
 * Counts since a start snapshot, series by series, the way Prometheus's rate() treats counters
 * but without its extrapolation: a value below the last one is a restart (the counter began
 * again from zero), and a series that appears after the start counted from zero. The totals stay
 * whole numbers of requests, which is what the sequential error test needs; increase() over the
 * canary's lifetime extrapolates to the window edges and returns fractions.
 */
class CounterTracker {
    series = new Map();
    seeded = false;
    /** The values at the start: what each series had already counted before the window. */
    seed(values) {
        for (const [key, value] of values)
            this.series.set(key, { last: value, total: 0 });
        this.seeded = true;
    }
    get isSeeded() {
        return this.seeded;
    }
    /** Folds in the current values and returns the total counted since the start. */
    update(values) {
        for (const [key, value] of values) {
            const known = this.series.get(key);
            if (!known)
                this.series.set(key, { last: value, total: value });
            else {
                known.total += value >= known.last ? value - known.last : value;
                known.last = value;
            }
        }
        return this.total();
    }
    total() {
        let sum = 0;
        for (const { total } of this.series.values())
            sum += total;
        return sum;
    }
}

;// CONCATENATED MODULE: ./packages/analysis/src/prometheus.ts



const QUANTILES = { p50: 0.5, p95: 0.95, p99: 0.99 };
/**
 * Metrics from Prometheus's HTTP API (/api/v1/query). Built-in request and error counts are
 * per-series deltas of http_requests_total from a snapshot at the canary's start (see
 * CounterTracker); percentiles come from histogram_quantile over increase() of the duration
 * histogram since the start. Custom queries replace any of them.
 */
class PrometheusProvider {
    name = 'prometheus';
    config;
    clock;
    trackers = new Map();
    /** Series the built-in request counter matched at the last sample, per side. */
    seriesSeen = new Map();
    /** The `le` label value of the bucket used to count slow requests, exactly as Prometheus has it. */
    slowBucket;
    constructor(config) {
        this.config = {
            excludePaths: [],
            pathLabel: 'path',
            slowerThanMs: 0,
            requestsMetric: 'http_requests_total',
            durationMetric: 'http_request_duration_seconds',
            errorMatcher: 'code=~"5.."',
            baselineLookbackMs: 0,
            inputName: 'queries',
            timeoutMs: 10_000,
            ...config,
        };
        this.clock = config.clock ?? src/* systemClock */.ml;
        const problem = (0,promql/* prometheusInputProblem */.oo)(config.queries ?? {}, { canary: config.canarySelector, baseline: config.baselineSelector }, this.config.inputName);
        if (problem)
            throw new src/* InputError */.dz(...problem);
    }
    /** The query behind each metric for one side, as it will be sent for the given window. */
    queryFor(side, metric, window) {
        const mode = this.mode(side, metric);
        return mode.kind === 'counter'
            ? mode.query
            : (0,promql/* renderQuery */.no)(mode.template, { selector: this.selector(side), window: (0,promql/* promDuration */.Jn)(this.span(side, window)) });
    }
    /**
     * Prometheus parses every query, and the baseline selector matches series (the canary may not
     * exist yet: see validateCanary). Also picks the histogram bucket slow requests are counted at.
     */
    async validate() {
        const now = this.clock.now();
        const window = { start: now - 60_000, end: now };
        for (const side of ['canary', 'baseline']) {
            for (const metric of ['requests', 'errors', 'p50', 'p95', 'p99']) {
                await this.query(this.queryFor(side, metric, window), now);
            }
        }
        await this.expectSeries('baseline');
        if (this.config.slowerThanMs > 0 && !this.config.queries?.p95)
            this.slowBucket = await this.findSlowBucket(now);
    }
    /** The canary selector matches series; called once the canary is deployed, before it gets traffic. */
    async validateCanary() {
        await this.expectSeries('canary');
    }
    async expectSeries(side) {
        const query = `count({${this.selector(side)}})`;
        const value = single(await this.query(query, this.clock.now()), query, `${side}-selector`, 'requests');
        if (!value)
            throw new src/* InputError */.dz(`${side}-selector`, `'${this.selector(side)}' matches no series in Prometheus (${query} is empty)${side === 'canary' ? ' with the canary deployed' : ''}`, `select the ${side}'s series by labels its targets really have (look at /api/v1/targets), e.g. ${side === 'canary' ? 'slot="{{canary-slot}}"' : 'slot="{{stable-slot}}"'}`);
    }
    /** The smallest bucket bound at or above the latency limit, among the buckets the baseline reports. */
    async findSlowBucket(at) {
        const query = `count by (le) (${(0,promql/* withMatchers */.EK)(`${this.config.durationMetric}_bucket`, this.config.baselineSelector)})`;
        const data = await this.query(query, at);
        if (data.resultType !== 'vector' || !Array.isArray(data.result))
            return undefined;
        const bounds = data.result
            .map((item) => ({ le: item.metric.le ?? '', boundMs: Number(item.metric.le) * 1000 }))
            .filter((b) => Number.isFinite(b.boundMs) && b.boundMs >= this.config.slowerThanMs - 1e-6)
            .sort((a, b) => a.boundMs - b.boundMs);
        return bounds[0];
    }
    async sample(window) {
        const queries = [];
        const side = async (which) => {
            const [requests, errors, p50, p95, p99] = await Promise.all(['requests', 'errors', 'p50', 'p95', 'p99'].map(async (metric) => {
                const record = await this.measure(which, metric, window);
                queries.push(record);
                return record.value;
            }));
            const toMs = (seconds) => seconds === undefined ? undefined : seconds * 1000;
            const metrics = {
                requests: requests ?? 0,
                errors: errors ?? 0,
                latencyMs: { p50: toMs(p50), p95: toMs(p95), p99: toMs(p99) },
                series: this.seriesSeen.get(which) ?? (requests === undefined ? 0 : 1),
            };
            const extra = await this.extras(which, window, queries);
            return { ...metrics, ...extra };
        };
        const [canary, baseline] = await Promise.all([side('canary'), side('baseline')]);
        const order = (q) => (q.side === 'canary' ? 0 : 10) + ['requests', 'errors', 'series', 'slow', 'p50', 'p95', 'p99'].indexOf(q.metric);
        return { at: window.end, canary, baseline, queries: queries.sort((a, b) => order(a) - order(b)) };
    }
    async close() { }
    /**
     * Beyond counts and percentiles: when the counted series were last scraped, slow requests from
     * the histogram bucket at the latency limit, and the baseline's counts inside the window alone.
     */
    async extras(side, window, queries) {
        const extra = {};
        const builtIn = this.mode(side, 'requests').kind === 'counter';
        if (builtIn) {
            const query = `max(timestamp(${this.queryFor(side, 'requests', window)}))`;
            const seconds = single(await this.query(query, window.end), query, this.config.inputName, 'requests');
            if (seconds !== undefined)
                extra.observedAt = seconds * 1000;
        }
        queries.push({
            side,
            metric: 'series',
            query: `series matched by ${this.queryFor(side, 'requests', window)}`,
            value: this.seriesSeen.get(side) ?? 0,
        });
        if (this.slowBucket) {
            const { le, boundMs } = this.slowBucket;
            const histogram = `${this.config.durationMetric}_bucket`;
            const count = (0,promql/* withMatchers */.EK)(`${this.config.durationMetric}_count`, this.selector(side), this.excludeMatcher());
            const within = (0,promql/* withMatchers */.EK)(histogram, this.selector(side), this.excludeMatcher(), `le="${le}"`);
            const timed = await this.count(`${side}:timed`, count, window.end, window.end - this.span(side, window));
            const fast = await this.count(`${side}:fast`, within, window.end, window.end - this.span(side, window));
            extra.slow = { slow: Math.max(0, timed - fast), timed, boundMs };
            queries.push({ side, metric: 'slow', query: `${count} - ${within}`, value: extra.slow.slow });
        }
        if (side === 'baseline' &&
            this.config.baselineLookbackMs > 0 &&
            builtIn &&
            this.mode(side, 'errors').kind === 'counter') {
            const requests = await this.count('baseline:requests:window', this.queryFor(side, 'requests', window), window.end, window.start);
            const errors = await this.count('baseline:errors:window', this.queryFor(side, 'errors', window), window.end, window.start);
            extra.inWindow = { requests, errors };
        }
        return extra;
    }
    /** A counter's total since `from`, series by series (see CounterTracker). */
    async count(key, query, at, from) {
        let tracker = this.trackers.get(key);
        if (!tracker) {
            tracker = new CounterTracker();
            tracker.seed(seriesValues(await this.query(query, from)));
            this.trackers.set(key, tracker);
        }
        const values = seriesValues(await this.query(query, at));
        if (key.endsWith(':requests'))
            this.seriesSeen.set(key.startsWith('canary') ? 'canary' : 'baseline', values.size);
        return tracker.update(values);
    }
    /** Leaves health-check paths out of the built-in queries. */
    excludeMatcher() {
        const paths = this.config.excludePaths;
        if (!paths.length)
            return '';
        const regex = paths.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
        return `${this.config.pathLabel}!~"${regex.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    }
    selector(side) {
        return side === 'canary' ? this.config.canarySelector : this.config.baselineSelector;
    }
    span(side, window) {
        return window.end - window.start + (side === 'baseline' ? this.config.baselineLookbackMs : 0);
    }
    mode(side, metric) {
        const custom = this.config.queries?.[metric];
        if (custom)
            return { kind: 'instant', template: custom };
        const { requestsMetric, durationMetric, errorMatcher } = this.config;
        const exclude = this.excludeMatcher();
        if (metric === 'requests')
            return { kind: 'counter', query: (0,promql/* withMatchers */.EK)(requestsMetric, this.selector(side), exclude) };
        if (metric === 'errors')
            return { kind: 'counter', query: (0,promql/* withMatchers */.EK)(requestsMetric, this.selector(side), errorMatcher, exclude) };
        return {
            kind: 'instant',
            template: `histogram_quantile(${QUANTILES[metric]}, sum by (le) (increase(${durationMetric}_bucket{ {{selector}}${exclude ? `, ${exclude}` : ''} }[{{window}}])))`,
        };
    }
    async measure(side, metric, window) {
        const mode = this.mode(side, metric);
        const query = this.queryFor(side, metric, window);
        if (mode.kind === 'instant') {
            return {
                side,
                metric,
                query,
                value: single(await this.query(query, window.end), query, this.config.inputName, metric),
            };
        }
        const value = await this.count(`${side}:${metric}`, query, window.end, window.end - this.span(side, window));
        return { side, metric, query, value };
    }
    /** One instant query at `at` (ms), retried briefly on transient faults; a query Prometheus rejects is bad input. */
    async query(query, at) {
        const url = new URL('api/v1/query', this.config.url.endsWith('/') ? this.config.url : `${this.config.url}/`);
        url.searchParams.set('query', query);
        url.searchParams.set('time', (at / 1000).toFixed(3));
        return (0,src/* retry */.L5)(async () => {
            const response = await (0,src/* request */.Em)({
                url: url.toString(),
                headers: this.config.headers,
                timeoutMs: this.config.timeoutMs,
            });
            let body;
            try {
                body = response.json();
            }
            catch {
                body = undefined;
            }
            if (response.status === 400 && body?.errorType === 'bad_data') {
                throw new src/* InputError */.dz(this.config.inputName, `Prometheus rejects the query ${query}: ${body.error ?? 'bad_data'}`, 'correct the PromQL');
            }
            if (response.status >= 300)
                throw (0,src/* statusError */.$C)(response, `Prometheus query ${query}`);
            if (body?.status !== 'success' || !body.data)
                throw new src/* TransientError */.N_(`Prometheus query ${query}: unexpected answer ${response.text().slice(0, 200)}`);
            return body.data;
        }, {
            timeoutMs: Math.min(5_000, this.config.timeoutMs),
            initialDelayMs: 200,
            clock: this.clock,
            what: `Prometheus at ${url.origin}`,
        });
    }
}
/** The series of a vector result by their label sets, for counter tracking. */
function seriesValues(data) {
    const values = new Map();
    if (data.resultType !== 'vector' || !Array.isArray(data.result))
        return values;
    for (const item of data.result) {
        const key = JSON.stringify(Object.entries(item.metric).sort(([a], [b]) => a.localeCompare(b)));
        const value = Number(item.value[1]);
        if (Number.isFinite(value))
            values.set(key, value);
    }
    return values;
}
/** The one number a custom or percentile query returns; no data or NaN is undefined. */
function single(data, query, inputName, metric) {
    let raw;
    if (data.resultType === 'scalar')
        raw = data.result[1];
    else if (data.resultType === 'vector') {
        const result = data.result;
        if (result.length > 1)
            throw new src/* InputError */.dz(inputName, `the ${metric} query returns ${result.length} series: ${query}`, 'aggregate it to one value, e.g. wrap it in sum()');
        raw = result[0]?.value[1];
    }
    else
        throw new src/* PermanentError */.Dr(`Prometheus query ${query}: a ${data.resultType} result, expected one value`);
    const value = raw === undefined ? NaN : Number(raw);
    return Number.isFinite(value) ? value : undefined;
}

;// CONCATENATED MODULE: ./packages/analysis/src/probe.ts


/**
 * For teams with no metrics system: the action itself sends the same request to the canary and
 * the baseline at a steady rate and counts what comes back. A 5xx, a reset or a timeout is an
 * error; latency is measured to the last byte of the body. Latencies are kept whole (8 bytes
 * each, about 1.4 MB for an hour at 50 req/s) so the percentiles are exact.
 */
class HttpProbeProvider {
    config;
    name = 'http-probe';
    clock;
    tallies = {
        canary: { requests: 0, errors: 0, latenciesMs: [], inFlight: 0 },
        baseline: { requests: 0, errors: 0, latenciesMs: [], inFlight: 0 },
    };
    pending = new Set();
    stopper = new AbortController();
    loop;
    constructor(config) {
        this.config = config;
        this.clock = config.clock ?? src/* systemClock */.ml;
    }
    async validate() { }
    /** Starts sending traffic; counts run from here. Calling it again does nothing. */
    start() {
        this.loop ??= this.run();
    }
    async sample(window) {
        this.start();
        const queries = [];
        const side = (which) => {
            const tally = this.tallies[which];
            const what = `${this.config.method ?? 'GET'} ${(0,src/* redactUrl */.BO)(which === 'canary' ? this.config.canaryUrl : this.config.baselineUrl)} at ${this.config.ratePerSecond} req/s`;
            const latencyMs = {
                p50: quantile(tally.latenciesMs, 0.5),
                p95: quantile(tally.latenciesMs, 0.95),
                p99: quantile(tally.latenciesMs, 0.99),
            };
            queries.push({ side: which, metric: 'requests', query: `${what}: requests answered`, value: tally.requests }, { side: which, metric: 'errors', query: `${what}: 5xx, resets and timeouts`, value: tally.errors }, ...['p50', 'p95', 'p99'].map((p) => ({
                side: which,
                metric: p,
                query: `${what}: ${p} latency to last byte (ms)`,
                value: latencyMs[p],
            })));
            const bound = this.config.slowerThanMs;
            if (!bound)
                return { requests: tally.requests, errors: tally.errors, latencyMs };
            const slow = {
                slow: tally.latenciesMs.filter((ms) => ms > bound).length,
                timed: tally.latenciesMs.length,
                boundMs: bound,
            };
            queries.push({
                side: which,
                metric: 'slow',
                query: `${what}: answers slower than ${bound} ms`,
                value: slow.slow,
            });
            return { requests: tally.requests, errors: tally.errors, latencyMs, slow };
        };
        return { at: window.end, canary: side('canary'), baseline: side('baseline'), queries };
    }
    /** Stops the traffic and waits for requests in flight. */
    async close() {
        this.stopper.abort(new Error('probe closed'));
        await this.loop;
        await Promise.all([...this.pending]);
    }
    async run() {
        const intervalMs = 1000 / this.config.ratePerSecond;
        const started = this.clock.now();
        for (let tick = 0; !this.stopper.signal.aborted; tick++) {
            for (const side of ['canary', 'baseline'])
                this.send(side);
            const wait = started + (tick + 1) * intervalMs - this.clock.now();
            try {
                await this.clock.sleep(Math.max(0, wait), this.stopper.signal);
            }
            catch (error) {
                if (error !== (0,src/* abortReason */.Js)(this.stopper.signal))
                    throw error;
            }
        }
    }
    send(side) {
        const tally = this.tallies[side];
        if (tally.inFlight >= (this.config.maxInFlight ?? 32))
            return;
        tally.inFlight++;
        const exchange = (0,src/* request */.Em)({
            url: side === 'canary' ? this.config.canaryUrl : this.config.baselineUrl,
            method: this.config.method,
            headers: this.config.headers,
            body: this.config.body,
            timeoutMs: this.config.timeoutMs ?? 5000,
        })
            .then((response) => {
            tally.requests++;
            if (response.status >= 500)
                tally.errors++;
            tally.latenciesMs.push(response.durationMs);
        }, () => {
            tally.requests++;
            tally.errors++;
        })
            .finally(() => {
            tally.inFlight--;
            this.pending.delete(exchange);
        });
        this.pending.add(exchange);
    }
}

;// CONCATENATED MODULE: ./packages/analysis/src/report.ts

/**
 * The per-step table for the job summary: traffic, errors within the step on each side,
 * latency since the start, and the verdict with its reason.
 */
function stepTable(steps, percentile = 'p95') {
    const zero = { requests: 0, errors: 0, latencyMs: {} };
    const rows = steps.map((step, i) => {
        const before = i > 0 ? steps[i - 1] : { canary: zero, baseline: zero };
        const canary = delta(step.canary, before.canary);
        const baseline = delta(step.baseline, before.baseline);
        return [
            i + 1,
            `${step.weight} %`,
            (0,src/* formatDuration */.a3)(step.endedAt - step.startedAt),
            `${canary.errors} / ${canary.requests}`,
            rate(canary),
            rate(baseline),
            `${latency(step.canary.latencyMs[percentile])} / ${latency(step.baseline.latencyMs[percentile])}`,
            `${verdictIcon(step.verdict)} ${step.verdict.outcome}`,
            step.verdict.reason,
        ];
    });
    return src/* markdown.table */.wD.table([
        'step',
        'canary weight',
        'duration',
        'canary errors / requests',
        'canary error rate',
        'baseline error rate',
        `${percentile} canary / baseline`,
        'verdict',
        'reason',
    ], rows);
}
/** The exact queries and values a verdict rests on, for the summary. */
function evidenceMarkdown(verdict) {
    const lines = verdict.evidence.map((q) => `${q.side} ${q.metric} = ${q.value === undefined ? 'no data' : round(q.value)}\n  ${q.query}`);
    const head = `**${verdict.outcome}** (${verdict.check}): ${verdict.reason}\n\n`;
    return head + (lines.length ? src/* markdown.codeBlock */.wD.codeBlock(lines.join('\n')) : '_no query behind this verdict_\n');
}
/**
 * Two mermaid xychart-beta charts over the rollout: error rate per interval and latency since
 * the start, canary as the first line and baseline as the second (xychart has no legend).
 * `start` is the canary's start; observations without a sample are skipped.
 */
function analysisChart(observations, start, options = {}) {
    const percentile = options.percentile ?? 'p95';
    const samples = observations.flatMap((o) => ('sample' in o ? [o.sample] : []));
    if (samples.length === 0)
        return '_no metrics to chart_\n';
    const points = thin(samples, options.maxPoints ?? 30);
    const labels = points.map((s) => clockLabel(s.at - start));
    const intervalRate = (side) => points.map((s, i) => {
        const previous = i > 0 ? points[i - 1][side] : { requests: 0, errors: 0 };
        const requests = s[side].requests - previous.requests;
        const errors = s[side].errors - previous.errors;
        return requests > 0
            ? (100 * errors) / requests
            : s[side].requests > 0
                ? (100 * s[side].errors) / s[side].requests
                : 0;
    });
    const latencies = (side) => {
        let last = 0;
        return points.map((s) => (last = s[side].latencyMs[percentile] ?? last));
    };
    const chart = (title, axis, canary, baseline) => {
        const top = Math.max(1, ...canary, ...baseline) * 1.1;
        return src/* markdown.codeBlock */.wD.codeBlock([
            'xychart-beta',
            `  title "${title}"`,
            `  x-axis [${labels.map((l) => `"${l}"`).join(', ')}]`,
            `  y-axis "${axis}" 0 --> ${round(top)}`,
            `  line [${canary.map(round).join(', ')}]`,
            `  line [${baseline.map(round).join(', ')}]`,
        ].join('\n'), 'mermaid');
    };
    return [
        chart('Error rate per interval: canary (1st line) vs baseline (2nd line)', 'errors (%)', intervalRate('canary'), intervalRate('baseline')),
        chart(`${percentile} latency since start: canary (1st line) vs baseline (2nd line)`, `${percentile} (ms)`, latencies('canary'), latencies('baseline')),
    ].join('\n');
}
function thin(samples, maxPoints) {
    if (samples.length <= maxPoints)
        return [...samples];
    const step = (samples.length - 1) / (maxPoints - 1);
    return Array.from({ length: maxPoints }, (_, i) => samples[Math.round(i * step)]);
}
function delta(now, before) {
    return { requests: now.requests - before.requests, errors: now.errors - before.errors };
}
function rate(counts) {
    return counts.requests > 0 ? `${((100 * counts.errors) / counts.requests).toFixed(2)} %` : 'n/a';
}
function latency(value) {
    return value === undefined ? 'n/a' : `${Math.round(value)} ms`;
}
function verdictIcon(verdict) {
    if (verdict.shadowed)
        return '👻';
    return verdict.outcome === 'pass' ? '✅' : verdict.outcome === 'fail' ? '❌' : '⏳';
}
function clockLabel(ms) {
    const seconds = Math.max(0, Math.round(ms / 1000));
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
function round(value) {
    return String(Math.round(value * 100) / 100);
}

;// CONCATENATED MODULE: ./packages/analysis/src/observe.ts

/**
 * Samples the provider once. A source that cannot answer becomes an observation carrying the
 * cause, which the judge turns into a failure after its grace period (fail closed); a bad query
 * is the user's to fix and is thrown at once.
 */
async function observe(provider, window) {
    try {
        return { at: window.end, sample: await provider.sample(window) };
    }
    catch (error) {
        if (error instanceof src/* InputError */.dz)
            throw error;
        return { at: window.end, error: `${provider.name}: ${(0,src/* oneLine */.TN)(error)}` };
    }
}

;// CONCATENATED MODULE: ./packages/analysis/src/index.ts










// EXTERNAL MODULE: ./packages/traffic/src/weights.ts
var weights = __webpack_require__(5539);
;// CONCATENATED MODULE: ./packages/traffic/src/rollout.ts


function isReleaseTarget(target) {
    return target.kind === 'release';
}
/**
 * Runs a canary rollout: deploy, then for each step shift traffic and judge the canary every interval
 * until the step has lasted its minimum and the judge passes it; 100 % is the promotion. A failing
 * verdict, the progress deadline or a cancelled job aborts: all traffic back to stable, verified.
 * If putting traffic back fails, that error wins: a rollout must never end quietly on a bad version.
 */
async function runRollout(target, judge, plan, options) {
    const invalid = (0,weights/* validateWeights */.a)(plan.weights);
    if (invalid)
        throw new src/* PermanentError */.Dr(`rollout steps: ${invalid}`);
    const clock = options.clock ?? src/* systemClock */.ml;
    const signal = options.signal ?? new AbortController().signal;
    const { log } = options;
    const started = clock.now();
    let firstTraffic;
    let index = plan.fromStep;
    let last = { kind: 'inconclusive', reason: 'not judged yet', canaryRequests: 0, canaryFailures: 0 };
    const shadowFailures = [];
    const result = (kind, reason) => ({
        result: kind,
        reason,
        stepIndex: index,
        weight: plan.weights[index] ?? 0,
        decisionMs: firstTraffic === undefined ? undefined : clock.now() - firstTraffic,
        canaryRequests: last.canaryRequests,
        canaryFailures: last.canaryFailures,
        shadowFailures,
    });
    const abort = async (reason) => {
        log.warning(`aborting: ${reason}`);
        const t0 = clock.now();
        try {
            await target.abort();
        }
        catch (error) {
            throw new src/* PermanentError */.Dr(`ROLLBACK FAILED: traffic may still reach the canary. Aborting because ${reason}, then putting traffic back on stable failed: ${(0,src/* oneLine */.TN)(error)}`, { cause: error });
        }
        log.info(`all traffic back on stable in ${(0,src/* formatDuration */.a3)(clock.now() - t0)}`);
        return result('aborted', reason);
    };
    try {
        if (plan.deploy) {
            log.info('deploying the canary');
            await target.deployCanary(signal);
        }
        await options.events?.beforeTraffic?.();
        for (; index < plan.weights.length; index++) {
            const weight = plan.weights[index];
            if (weight === 100) {
                log.info('promoting the canary to stable');
                await target.promote(signal);
                firstTraffic ??= clock.now();
                return result('promoted', last.kind === 'pass' ? `every step passed: ${last.reason}` : 'promoted');
            }
            await target.setWeight(weight, signal);
            const step = { index, weight, startedAt: clock.now() };
            firstTraffic ??= step.startedAt;
            options.events?.onStep?.(step);
            log.info(`step ${index + 1}/${plan.weights.length}: ${weight}% of traffic on the canary`);
            for (;;) {
                await clock.sleep(plan.intervalMs, signal);
                last = await judge(step);
                options.events?.onVerdict?.(step, last, clock.now());
                if (last.kind === 'fail') {
                    if (!plan.dryRun)
                        return await abort(last.reason);
                    shadowFailures.push(`step ${weight}%: ${last.reason}`);
                    log.warning(`dry run: the judge would abort here: ${last.reason}`);
                }
                const lasted = clock.now() - step.startedAt;
                if (lasted >= plan.stepDurationMs && (last.kind === 'pass' || (plan.dryRun && last.kind === 'fail')))
                    break;
                if (clock.now() - started >= plan.progressDeadlineMs) {
                    return await abort(`no decision within the progress deadline of ${(0,src/* formatDuration */.a3)(plan.progressDeadlineMs)} at ${weight}%: ${last.reason}`);
                }
            }
            log.info(`step ${weight}% passed: ${last.reason}`);
            if (plan.pauseAt === weight)
                return result('paused', `paused after ${weight}% for approval: ${last.reason}`);
        }
        return result('promoted', 'promoted');
    }
    catch (error) {
        if (error instanceof src/* PermanentError */.Dr && error.message.startsWith('ROLLBACK FAILED'))
            throw error;
        const reason = signal.aborted ? (0,src/* oneLine */.TN)((0,src/* abortReason */.Js)(signal)) : (0,src/* oneLine */.TN)(error);
        const aborted = await abort(reason);
        if (signal.aborted)
            return aborted;
        throw new src/* PermanentError */.Dr(`rollout failed and traffic is back on stable: ${reason}`, { cause: error });
    }
}

;// CONCATENATED MODULE: ./packages/traffic/src/readback.ts
// Reading the target back during a step: the traffic being judged must be the traffic the step set,
// to the release being rolled out, against the stable version the rollout started from. Anything
// else (a reload that reset the weights, another deploy, a person with the console) fails the step
// at once, with what changed; so does a canary with a share of traffic and no instance ready to serve it.

/**
 * Every reading, each with the weight that was set ("green 0 (set to 50), blue 100 (set to 50)"),
 * when any of them differs; undefined when all are as set. The comparison is exact: every target
 * writes whole numbers its router or platform keeps as given (HAProxy's weight, nginx's `weight=`,
 * HTTPRoute and VirtualService weights, ingress-nginx's canary-weight, ALB forward weights, Cloud
 * Run's integer percent), and the one share that is only approximated, Kubernetes by replica ratio,
 * is predicted exactly by the target (ReleaseTarget.reportedWeight). A tolerance would only hide a
 * real change.
 */
function changedWeights(readings, unit = '') {
    if (readings.every((r) => r.weight === r.set))
        return undefined;
    return readings.map((r) => `${r.name} ${r.weight}${unit} (set to ${r.set}${unit})`).join(', ');
}
/** Why the slots' weights are not the ones the step set, or undefined. Slot weights are server weights, not percentages. */
function slotDrift(readings) {
    const changed = changedWeights(readings);
    return (changed &&
        `the target's weights changed under the rollout: ${changed}; a reload without a state file, or another tool, reset them, so the canary is not getting the traffic being judged`);
}
/** Why what a release target reports is not what the step set, or undefined; every change is named. */
function releaseDrift(expected, state) {
    const stableChanged = state.stable.image !== expected.stableImage
        ? `stable runs ${state.stable.image}, not ${expected.stableImage} as when the rollout started`
        : undefined;
    if (!state.canary) {
        return `the canary is gone from the target under the rollout (set to ${expected.weight} %)${stableChanged ? `, and ${stableChanged}` : ''}; another deploy or tool removed it, so no canary is getting the traffic being judged`;
    }
    const changes = [];
    const effects = [];
    const weights = changedWeights([{ name: 'canary', weight: state.canary.weight, set: expected.weight }], ' %');
    if (weights) {
        changes.push(weights);
        effects.push('the canary is not getting the traffic being judged');
    }
    if (state.canary.image !== expected.canaryImage) {
        changes.push(`the canary runs ${state.canary.image}, not the release being rolled out (${expected.canaryImage})`);
        effects.push('what is judged is not this release');
    }
    if (stableChanged) {
        changes.push(stableChanged);
        effects.push('the baseline is not the version the canary would replace');
    }
    const unready = state.canary.instances && noneReady(state.canary.instances, state.canary.weight);
    if (!changes.length)
        return unready;
    const changed = `the target changed under the rollout: ${changes.join('; ')}; another deploy or tool changed it, so ${effects.join(' and ')}`;
    return unready ? `${changed}; and ${unready}` : changed;
}
/**
 * Why a canary with a share of traffic and no instance ready cannot be judged, or undefined. Some
 * ready is normal while a Deployment or service scales or replaces one, and the judge sees any errors
 * that come of it; none ready is an outage of the canary's whole share that the app's own metrics
 * never see (the router answers it, or stable takes it), so it fails at once.
 */
function noneReady(instances, weight) {
    if (weight <= 0 || instances.ready > 0)
        return undefined;
    const { desired, noun } = instances;
    const toErrors = instances.shareWhenNoneReady === 'errors';
    const share = `while it ${toErrors ? 'takes' : 'is set to take'} ${weight} % of traffic`;
    const none = desired > 0
        ? `the canary has no ready ${noun} (0 of ${desired}) ${share}; they crashed or fail their readiness checks`
        : `the canary has no ${noun} (scaled to 0) ${share}; another tool or an autoscaler scaled it down`;
    return toErrors
        ? `${none}, so its share of users gets errors from the router`
        : `${none}, so the Service sends that share to stable and the canary is not getting the traffic being judged`;
}
/**
 * Reads a release target back and says why it is not what the step set, or undefined. describe()
 * already retries transient faults (429, 5xx, resets) inside the target's API deadline, so an error
 * that reaches here is permanent (an expired credential, a deleted workload) or outlasted that
 * deadline: the canary's share is then unknown, and that fails the step rather than passing it on
 * traffic nobody can confirm. A cancelled job is not a read-back failure: its error goes on as it is.
 */
async function releaseTrouble(target, expected, signal) {
    let state;
    try {
        state = await target.describe(signal);
    }
    catch (error) {
        if (signal.aborted)
            throw error;
        return `could not read the target back during the step (${(0,src/* oneLine */.TN)(error)}), so the canary's share of traffic is unknown; failing closed`;
    }
    return releaseDrift(expected, state);
}

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./packages/traffic/src/hooks.ts

/** Fills {{image}}, {{version}}, {{slot}}, {{weight}} in each argument; an unknown name is an error. */
function fillArgs(argv, values) {
    return argv.map((arg) => arg.replace(/\{\{\s*([\w-]+)\s*\}\}/g, (_m, name) => {
        if (!(name in values))
            throw new src/* PermanentError */.Dr(`unknown placeholder {{${name}}} in '${arg}'; available: ${Object.keys(values)
                .map((k) => `{{${k}}}`)
                .join(', ')}`);
        return String(values[name]);
    }));
}
/** Runs a user's hook (argument list, no shell), streaming its output; failures carry what it was for. */
async function runHook(what, argv, options = {}) {
    try {
        const result = await (0,src/* execChecked */.$h)(argv[0], argv.slice(1), {
            signal: options.signal,
            timeoutMs: options.timeoutMs ?? 600_000,
            onLine: options.log ? (line) => options.log.info(line) : undefined,
        });
        return result.stdout;
    }
    catch (error) {
        if (options.signal?.aborted)
            throw error;
        throw new src/* PermanentError */.Dr(`${what} failed: ${(0,src/* oneLine */.TN)(error)}`, { cause: error });
    }
}

;// CONCATENATED MODULE: ./packages/traffic/src/haproxy.ts




const CHECK_PASSED = 3;
/**
 * `/run/haproxy/admin.sock` or `tcp://127.0.0.1:9999`. An address that has never answered is a
 * configuration error at once. Once it has answered, a refused or missing socket, a reset or a
 * silence is HAProxy reloading or restarting: the command is sent again for up to `retryMs`, so a
 * reload mid-rollout neither fails a step nor, worse, the abort that puts traffic back on stable.
 * Every command the targets send is idempotent (show, set weight, set server state), so sending
 * one again after a reset is safe.
 */
function runtimeApi(address, timeoutMs = 5_000, retryMs = 15_000) {
    const tcp = /^tcp:\/\/([^:]+):(\d+)$/.exec(address);
    let answered = false;
    const once = (line) => new Promise((resolve, reject) => {
        const socket = tcp ? (0,external_node_net_.createConnection)({ host: tcp[1], port: Number(tcp[2]) }) : (0,external_node_net_.createConnection)(address);
        let out = '';
        socket.setTimeout(timeoutMs, () => socket.destroy(new src/* TransientError */.N_(`HAProxy runtime API at ${address}: no answer within ${timeoutMs}ms`)));
        socket.on('data', (chunk) => (out += chunk.toString()));
        socket.on('end', () => resolve(out));
        socket.on('error', (error) => {
            const unreachable = error.code === 'ENOENT' || error.code === 'ECONNREFUSED';
            if (unreachable && answered) {
                reject(new src/* TransientError */.N_(`HAProxy runtime API at ${address} is not answering (${error.code}); reloading?`, {
                    cause: error,
                }));
            }
            else if (unreachable || error.code === 'EACCES') {
                reject(new src/* PermanentError */.Dr(`HAProxy runtime API at ${address} is not reachable (${error.code}); check the address and that haproxy.cfg has \`stats socket ${address} level admin\``, { cause: error }));
            }
            else
                reject(error);
        });
        socket.write(`${line}\n`);
    });
    return {
        command: async (line) => {
            const out = answered
                ? await (0,src/* retry */.L5)(() => once(line), {
                    timeoutMs: retryMs,
                    initialDelayMs: 100,
                    maxDelayMs: 1_000,
                    what: `HAProxy runtime API command '${line.split(' ').slice(0, 2).join(' ')}'`,
                })
                : await once(line);
            answered = true;
            return out;
        },
    };
}
/** Reads `show servers state <backend>`: the weights and health HAProxy is using right now. */
async function serverStates(api, backend) {
    const text = await api.command(`show servers state ${backend}`);
    if (/^Can't find backend/m.test(text))
        throw new src/* PermanentError */.Dr(`HAProxy has no backend '${backend}'`);
    const lines = text.split('\n').filter((l) => l && !l.startsWith('#') && !/^\d+$/.test(l));
    return lines.map((line) => {
        const f = line.split(' ');
        return {
            name: f[3],
            address: f[4],
            opState: Number(f[5]),
            adminState: Number(f[6]),
            weight: Number(f[7]),
            checkResult: Number(f[11]),
            port: Number(f[18]),
        };
    });
}
/** Reads `show stat` for the servers of one backend (CSV, the header names the fields). */
async function serverStats(api, backend) {
    const text = await api.command('show stat');
    const lines = text.split('\n');
    const header = lines[0]?.replace(/^# /, '').split(',') ?? [];
    const field = (row, name) => row[header.indexOf(name)] ?? '';
    const count = (row, name) => Number(field(row, name)) || 0;
    if (!header.includes('req_tot'))
        throw new src/* PermanentError */.Dr(`HAProxy's show stat has no per-server req_tot counter: ${lines[0]?.slice(0, 80) ?? ''}`);
    return lines
        .slice(1)
        .map((line) => line.split(','))
        .filter((row) => field(row, 'pxname') === backend && !['FRONTEND', 'BACKEND'].includes(field(row, 'svname')))
        .map((row) => ({
        name: field(row, 'svname'),
        status: field(row, 'status'),
        weight: count(row, header.includes('uweight') ? 'uweight' : 'weight'),
        requests: count(row, 'req_tot'),
        errors: count(row, 'hrsp_5xx') + count(row, 'econ') + count(row, 'eresp'),
        check: [field(row, 'check_status'), field(row, 'check_code'), field(row, 'check_desc')].filter(Boolean).join(' '),
    }));
}
/**
 * Blue/green slots behind HAProxy, driven through its runtime API. The canary is the slot that is not
 * stable; promotion hands it all traffic and leaves the old version running at weight 0, so a
 * rollback is an instant weight change.
 */
class HaproxyTarget {
    o;
    api;
    clock;
    constructor(o) {
        this.o = o;
        this.api = runtimeApi(o.socket);
        this.clock = o.clock ?? src/* systemClock */.ml;
        if (!o.slots.includes(o.stableSlot))
            throw new src/* PermanentError */.Dr(`stable slot '${o.stableSlot}' is not one of ${o.slots.join(', ')}`);
    }
    get stable() {
        return this.o.stableSlot;
    }
    get canary() {
        return this.o.slots.find((s) => s !== this.o.stableSlot);
    }
    /** Checks the API, the backend and both slots before any traffic moves. */
    async describe() {
        const states = await serverStates(this.api, this.o.backend);
        const missing = this.o.slots.filter((slot) => !states.some((s) => s.name === slot));
        if (missing.length)
            throw new src/* PermanentError */.Dr(`HAProxy backend '${this.o.backend}' has no server ${missing.join(', ')} (it has ${states.map((s) => s.name).join(', ') || 'none'})`);
        const live = states.filter((s) => this.o.slots.includes(s.name));
        const total = live.filter((s) => s.opState === 2).reduce((n, s) => n + s.weight, 0);
        return live.map((s) => ({
            slot: s.name,
            weight: s.weight,
            healthy: s.opState === 2,
            share: total && s.opState === 2 ? Math.round((100 * s.weight) / total) : 0,
        }));
    }
    async deployCanary(signal) {
        await this.describe();
        await this.setWeights({ [this.stable]: 100, [this.canary]: 0 });
        await this.api.command(`set server ${this.o.backend}/${this.canary} state maint`);
        if (this.o.deployCommand?.length) {
            this.o.log.info(`deploying ${this.o.release.version} to slot ${this.canary}`);
            await runHook(`deploy command for slot ${this.canary}`, fillArgs(this.o.deployCommand, { ...this.o.release, slot: this.canary }), { log: this.o.log, signal, timeoutMs: this.o.healthTimeoutMs });
        }
        // Leaving maintenance, HAProxy counts the server as up at once, on check results from before
        // the deploy. Forcing its health down in the same command (the canary has weight 0, so no
        // request falls in between) means only checks made after this moment, against the new
        // release, can bring it up.
        const server = `${this.o.backend}/${this.canary}`;
        const command = `set server ${server} state ready; set server ${server} health down`;
        const answer = (await this.api.command(command)).trim();
        if (answer)
            throw new src/* PermanentError */.Dr(`HAProxy refused '${command}': ${answer}`);
        await this.waitHealthy(this.canary, signal);
    }
    /** Weights, health and request counters of both slots, as HAProxy sees them now. */
    async inspect() {
        const stats = await serverStats(this.api, this.o.backend);
        const missing = this.o.slots.filter((slot) => !stats.some((s) => s.name === slot));
        if (missing.length)
            throw new src/* PermanentError */.Dr(`HAProxy backend '${this.o.backend}' no longer has server ${missing.join(', ')}`);
        return stats.filter((s) => this.o.slots.includes(s.name));
    }
    async setWeight(percent) {
        await this.setWeights({ [this.canary]: percent, [this.stable]: 100 - percent });
    }
    /** The canary takes all traffic; the old stable stays up at weight 0 for an instant rollback. */
    async promote() {
        await this.setWeights({ [this.canary]: 100, [this.stable]: 0 });
    }
    async abort() {
        await this.setWeights({ [this.stable]: 100, [this.canary]: 0 });
    }
    /** Rollback: all traffic to `slot` (instant when the version there is still running). */
    async restore(slot, signal) {
        const other = this.o.slots.find((s) => s !== slot);
        await this.waitHealthy(slot, signal);
        await this.setWeights({ [slot]: 100, [other]: 0 });
    }
    /** Sets weights (stable side first, so traffic never lands nowhere), verifies them, saves state. */
    async setWeights(weights) {
        const order = Object.entries(weights).sort(([, a], [, b]) => b - a);
        for (const [slot, weight] of order) {
            const answer = (await this.api.command(`set weight ${this.o.backend}/${slot} ${weight}`)).trim();
            if (answer)
                throw new src/* PermanentError */.Dr(`HAProxy refused 'set weight ${this.o.backend}/${slot} ${weight}': ${answer}`);
        }
        const states = await serverStates(this.api, this.o.backend);
        for (const [slot, weight] of order) {
            const actual = states.find((s) => s.name === slot)?.weight;
            if (actual !== weight)
                throw new src/* PermanentError */.Dr(`HAProxy reports weight ${actual} for ${this.o.backend}/${slot} after setting ${weight}`);
        }
        if (this.o.stateFile)
            await this.saveState();
    }
    /** Dumps server state where haproxy.cfg's server-state-file points, so a reload keeps these weights. */
    async saveState() {
        const text = await this.api.command('show servers state');
        const tmp = `${this.o.stateFile}.tmp-${process.pid}`;
        await (0,promises_.writeFile)(tmp, text);
        await (0,promises_.rename)(tmp, this.o.stateFile);
    }
    async waitHealthy(slot, signal) {
        const started = this.clock.now();
        for (;;) {
            const state = (await serverStates(this.api, this.o.backend)).find((s) => s.name === slot);
            if (state?.opState === 2 && state.checkResult === CHECK_PASSED)
                return;
            if (this.clock.now() - started > this.o.healthTimeoutMs) {
                throw new src/* PermanentError */.Dr(`slot ${slot} did not pass HAProxy's health checks within ${(0,src/* formatDuration */.a3)(this.o.healthTimeoutMs)} (state ${state?.opState ?? 'missing'}); no traffic was moved to it`);
            }
            await this.clock.sleep(200, signal);
        }
    }
}

;// CONCATENATED MODULE: ./packages/traffic/src/nginx.ts



/**
 * Blue/green slots as a weighted nginx upstream. Every change is written to a new file, checked with
 * `nginx -t` while in place, and put back as it was when the check fails; only then is nginx reloaded.
 */
class NginxTarget {
    o;
    clock;
    names;
    constructor(o) {
        this.o = o;
        this.clock = o.clock ?? src/* systemClock */.ml;
        const names = Object.keys(o.slots);
        if (names.length !== 2)
            throw new src/* PermanentError */.Dr(`nginx target needs exactly two slots, got ${names.join(', ') || 'none'}`);
        this.names = names;
        if (!names.includes(o.stableSlot))
            throw new src/* PermanentError */.Dr(`stable slot '${o.stableSlot}' is not one of ${names.join(', ')}`);
    }
    get stable() {
        return this.o.stableSlot;
    }
    get canary() {
        return this.names.find((s) => s !== this.o.stableSlot);
    }
    /** The upstream block for the given canary share. nginx forbids weight=0, so a slot without traffic is `down`. */
    render(weights) {
        const servers = this.names.map((slot) => {
            const w = weights[slot] ?? 0;
            return `    server ${this.o.slots[slot]} ${w > 0 ? `weight=${w}` : 'down'};  # slot ${slot}`;
        });
        return `# Managed by deploy-actions canary-deploy; changes here are overwritten.\n# stable=${this.stable} canary=${this.canary}\nupstream ${this.o.upstream} {\n${servers.join('\n')}\n}\n`;
    }
    /** Reads the weights back from the file this target wrote. */
    async describe() {
        const text = await (0,promises_.readFile)(this.o.upstreamFile, 'utf8').catch((error) => {
            throw new src/* PermanentError */.Dr(`cannot read the nginx upstream file ${this.o.upstreamFile} (${error.code}); check \`nginx-upstream-file\``);
        });
        return this.names.map((slot) => {
            const line = text.split('\n').find((l) => l.includes(`server ${this.o.slots[slot]} `));
            const weight = line && !/\bdown\b/.test(line) ? Number(/weight=(\d+)/.exec(line)?.[1] ?? 1) : 0;
            return { slot, weight };
        });
    }
    async deployCanary(signal) {
        await this.apply({ [this.stable]: 100, [this.canary]: 0 });
        if (this.o.deployCommand?.length) {
            this.o.log.info(`deploying ${this.o.release.version} to slot ${this.canary}`);
            await runHook(`deploy command for slot ${this.canary}`, fillArgs(this.o.deployCommand, { ...this.o.release, slot: this.canary }), { log: this.o.log, signal, timeoutMs: this.o.healthTimeoutMs });
        }
        await this.waitHealthy(this.canary, signal);
    }
    async setWeight(percent) {
        await this.apply({ [this.canary]: percent, [this.stable]: 100 - percent });
    }
    async promote() {
        await this.apply({ [this.canary]: 100, [this.stable]: 0 });
    }
    async abort() {
        await this.apply({ [this.stable]: 100, [this.canary]: 0 });
    }
    async restore(slot, signal) {
        await this.waitHealthy(slot, signal);
        const other = this.names.find((s) => s !== slot);
        await this.apply({ [slot]: 100, [other]: 0 });
    }
    async apply(weights) {
        const file = this.o.upstreamFile;
        const previous = await (0,promises_.readFile)(file, 'utf8').catch(() => undefined);
        const next = this.render(weights);
        const tmp = `${file}.deploy-actions-${process.pid}`;
        await (0,promises_.writeFile)(tmp, next);
        await (0,promises_.rename)(tmp, file);
        try {
            await runHook('nginx config test', this.o.testCommand);
        }
        catch (error) {
            if (previous === undefined)
                throw error;
            await (0,promises_.writeFile)(tmp, previous);
            await (0,promises_.rename)(tmp, file);
            throw new src/* PermanentError */.Dr(`the new upstream failed nginx's config test, and the previous file was put back: ${(0,src/* oneLine */.TN)(error)}`, { cause: error });
        }
        const before = await this.workers();
        await runHook('nginx reload', this.o.reloadCommand);
        await this.settle(before);
        const written = await this.describe();
        for (const { slot, weight } of written) {
            if (weight !== (weights[slot] ?? 0))
                throw new src/* PermanentError */.Dr(`${file} reads weight ${weight} for slot ${slot} after writing ${weights[slot]}`);
        }
    }
    /** The master's worker processes, from the pid file and /proc. */
    async workers() {
        if (!this.o.pidFile)
            return new Set();
        const master = (await (0,promises_.readFile)(this.o.pidFile, 'utf8').catch(() => '')).trim();
        if (!master)
            return new Set();
        const children = await (0,promises_.readFile)(`/proc/${master}/task/${master}/children`, 'utf8').catch(() => '');
        return new Set(children.split(/\s+/).filter(Boolean));
    }
    /** A reload is asynchronous: old workers keep serving the old weights until they exit. */
    async settle(before) {
        if (!before.size)
            return;
        const started = this.clock.now();
        for (;;) {
            const now = await this.workers();
            if (![...before].some((pid) => now.has(pid)))
                return;
            if (this.clock.now() - started > 10_000) {
                this.o.log.warning('nginx workers from before the reload are still running after 10s; they finish their open connections with the previous weights');
                return;
            }
            await this.clock.sleep(20);
        }
    }
    /**
     * One health request to a slot, as nginx has no active checks of its own: undefined when it
     * answers 2xx, else what it answered.
     */
    async health(slot) {
        const url = `http://${this.o.slots[slot]}${this.o.healthPath}`;
        try {
            const res = await (0,src/* request */.Em)({ url, timeoutMs: 2_000 });
            return res.status >= 200 && res.status < 300 ? undefined : `${url} answered HTTP ${res.status}`;
        }
        catch (error) {
            return `${url}: ${(0,src/* oneLine */.TN)(error)}`;
        }
    }
    async waitHealthy(slot, signal) {
        const url = `http://${this.o.slots[slot]}${this.o.healthPath}`;
        const started = this.clock.now();
        let last;
        for (;;) {
            try {
                const res = await (0,src/* request */.Em)({ url, timeoutMs: 2_000, signal });
                if (res.status >= 200 && res.status < 300)
                    return;
                last = `HTTP ${res.status}`;
            }
            catch (error) {
                if (signal?.aborted)
                    throw error;
                last = (0,src/* oneLine */.TN)(error);
            }
            if (this.clock.now() - started > this.o.healthTimeoutMs) {
                throw new src/* PermanentError */.Dr(`slot ${slot} did not answer ${url} with 2xx within ${(0,src/* formatDuration */.a3)(this.o.healthTimeoutMs)} (${last}); no traffic was moved to it`);
            }
            await this.clock.sleep(250, signal);
        }
    }
}

;// CONCATENATED MODULE: ./packages/traffic/src/command.ts


/**
 * A target driven by the user's own commands: the way to roll out on Railway, Render, Fly.io or any
 * platform with a CLI. A platform that cannot split traffic leaves out setWeight and uses steps of 100.
 */
class CommandTarget {
    o;
    constructor(o) {
        this.o = o;
        if (!o.abort.length)
            throw new src/* PermanentError */.Dr('the command target needs an abort command to put traffic back on stable');
    }
    async deployCanary(signal) {
        if (this.o.deploy?.length)
            await this.run('deploy command', this.o.deploy, {}, signal);
    }
    async setWeight(percent, signal) {
        if (!this.o.setWeight?.length)
            throw new src/* PermanentError */.Dr(`cannot send ${percent}% to the canary: no set-weight command (use steps: 100 on a platform without traffic splitting)`);
        await this.run('set-weight command', this.o.setWeight, { weight: percent }, signal);
    }
    async promote(signal) {
        if (this.o.promote?.length)
            await this.run('promote command', this.o.promote, { weight: 100 }, signal);
    }
    async abort() {
        await this.run('abort command', this.o.abort, { weight: 0 });
    }
    async run(what, argv, extra, signal) {
        await runHook(what, fillArgs(argv, { ...this.o.release, ...extra }), {
            log: this.o.log,
            signal,
            timeoutMs: this.o.timeoutMs,
        });
    }
}

;// CONCATENATED MODULE: ./packages/traffic/src/index.ts








// EXTERNAL MODULE: ./actions/shared/src/inputs.ts
var inputs = __webpack_require__(9015);
;// CONCATENATED MODULE: ./actions/shared/src/build.ts
// Builds what both canary-deploy and auto-rollback drive from their parsed inputs: the traffic
// target, the metric provider with the judge's settings, and the deployment history.




function isSlotTarget(target) {
    return target instanceof HaproxyTarget || target instanceof NginxTarget;
}
/** Platform targets (Kubernetes, ECS, Cloud Run) load their client code only when used. */
async function makeTarget(ctx, config, stableSlot) {
    const t = config.target;
    const release = config.release;
    if (t.kind === 'command')
        return new CommandTarget({ ...t, release, timeoutMs: config.healthTimeoutMs, log: ctx.log });
    if (t.kind === 'kubernetes') {
        const [{ KubernetesTarget }, { loadKubeconfig }, { readFile }] = await Promise.all([
            __webpack_require__.e(/* import() */ 552).then(__webpack_require__.bind(__webpack_require__, 6552)),
            Promise.all(/* import() */[__webpack_require__.e(9), __webpack_require__.e(843)]).then(__webpack_require__.bind(__webpack_require__, 7843)),
            Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 1455, 23)),
        ]);
        const files = 'text' in t.kubeconfig
            ? t.kubeconfig.text
            : await Promise.all(t.kubeconfig.paths.map(async (path) => ({ path, text: await readFile(path, 'utf8') })));
        const cluster = await loadKubeconfig(files, { context: t.context });
        for (const secret of [cluster.token, cluster.key?.toString('utf8'), cluster.basic?.password])
            if (secret)
                ctx.secrets.add(secret);
        return new KubernetesTarget({
            cluster,
            namespace: t.namespace ?? cluster.namespace ?? 'default',
            deployment: t.deployment,
            container: t.container,
            traffic: t.traffic,
            route: t.route,
            service: t.service,
            release,
            readyTimeoutMs: config.healthTimeoutMs,
            http: src/* request */.Em,
            log: ctx.log,
            onToken: (token) => ctx.secrets.add(token),
        });
    }
    if (t.kind === 'ecs') {
        const [{ EcsTarget }, { sdkEcsApi }] = await Promise.all([
            __webpack_require__.e(/* import() */ 411).then(__webpack_require__.bind(__webpack_require__, 2411)),
            __webpack_require__.e(/* import() */ 10).then(__webpack_require__.bind(__webpack_require__, 10)),
        ]);
        return new EcsTarget({
            ...t,
            api: await sdkEcsApi({ region: t.region, log: ctx.log }),
            release,
            readyTimeoutMs: config.healthTimeoutMs,
            log: ctx.log,
        });
    }
    if (t.kind === 'cloud-run') {
        const { CloudRunTarget, credentialsFileToken, staticToken } = await __webpack_require__.e(/* import() */ 889).then(__webpack_require__.bind(__webpack_require__, 3270));
        const auth = t.accessToken
            ? staticToken(t.accessToken)
            : await credentialsFileToken({
                path: t.credentialsFile,
                http: src/* request */.Em,
                log: ctx.log,
                onSecret: (value) => ctx.secrets.add(value),
            });
        return new CloudRunTarget({
            ...t,
            auth,
            release,
            readyTimeoutMs: config.healthTimeoutMs,
            http: src/* request */.Em,
            log: ctx.log,
        });
    }
    if (!stableSlot)
        throw new src/* PermanentError */.Dr('cannot tell which slot is stable; pass `stable-slot`');
    if (t.kind === 'haproxy') {
        return new HaproxyTarget({
            socket: t.socket,
            backend: t.backend,
            slots: t.slots,
            stableSlot,
            deployCommand: t.deployCommand,
            release,
            healthTimeoutMs: config.healthTimeoutMs,
            stateFile: t.stateFile,
            log: ctx.log,
        });
    }
    return new NginxTarget({
        ...t,
        stableSlot,
        release,
        healthPath: config.healthPath,
        healthTimeoutMs: config.healthTimeoutMs,
        log: ctx.log,
    });
}
/** For a new rollout on a VM target: the slot carrying the most traffic now is the stable one. */
async function currentStable(ctx, config) {
    const t = config.target;
    if (t.kind !== 'haproxy' && t.kind !== 'nginx')
        return undefined;
    const probe = (await makeTarget(ctx, config, (0,inputs/* slotNames */.Do)(t)[0]));
    const slots = await probe.describe();
    return [...slots].sort((a, b) => b.weight - a.weight)[0]?.slot;
}
/**
 * `slots`: the canary and stable slot of this rollout, for `{{canary-slot}}` / `{{stable-slot}}` in
 * selectors. `slowerThanMs`: the latency limit, at which slow requests are counted.
 */
function makeProvider(secrets, m, slots, slowerThanMs) {
    if (m.kind === 'http-probe')
        return new HttpProbeProvider({
            canaryUrl: m.canaryUrl,
            baselineUrl: m.baselineUrl,
            ratePerSecond: m.ratePerSecond,
            slowerThanMs,
        });
    for (const url of [m.url]) {
        const password = new URL(url).password;
        if (password)
            secrets.add(password);
    }
    const select = (selector) => {
        const filled = slots ? (0,inputs/* fillSlots */.Hv)(selector, slots.canary, slots.stable) : selector;
        if (filled.includes('{{'))
            throw new src/* PermanentError */.Dr(`selector '${selector}' uses {{canary-slot}} or {{stable-slot}}, which only a haproxy or nginx target fills; select by labels instead`);
        return filled;
    };
    return new PrometheusProvider({
        url: m.url,
        canarySelector: select(m.canarySelector),
        baselineSelector: select(m.baselineSelector),
        queries: m.queries,
        baselineLookbackMs: m.baselineLookbackMs,
        excludePaths: m.excludePaths,
        pathLabel: m.pathLabel,
        slowerThanMs,
    });
}
/** The judge's settings from the inputs; the rest are the analysis package's defaults. */
function judgeConfig(inputs, overrides = {}) {
    return {
        ...DEFAULT_JUDGE_CONFIG,
        maxErrorRate: inputs.maxErrorRate,
        maxLatencyMs: { p95: inputs.maxP95Ms },
        latencyTolerance: inputs.latencyTolerance,
        minRequests: inputs.minRequests,
        blastRadius: inputs.blastRadius,
        metricsGraceMs: inputs.metricsGraceMs,
        shadow: inputs.dryRun,
        ...overrides,
    };
}
/** Octokit for the job's token, against the API of the server the run is on (GitHub.com or GHES). */
async function openOctokit(config, apiUrl = process.env.GITHUB_API_URL ?? 'https://api.github.com') {
    if (!config.githubToken)
        throw new src/* PermanentError */.Dr('`github-token` is empty; pass a token with `deployments: write` (and `issues: write` for issue comments)');
    const { getOctokit } = await Promise.all(/* import() */[__webpack_require__.e(521), __webpack_require__.e(918)]).then(__webpack_require__.bind(__webpack_require__, 1918));
    return getOctokit(config.githubToken, { baseUrl: apiUrl });
}
/** A copy of a JSON-like value with every string redacted. */
function redactStrings(value, secrets) {
    if (typeof value === 'string')
        return secrets.redact(value);
    if (Array.isArray(value))
        return value.map((item) => redactStrings(item, secrets));
    if (value && typeof value === 'object')
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactStrings(v, secrets)]));
    return value;
}
async function openHistory(ctx, config) {
    const [octokit, { DeploymentHistory }] = await Promise.all([
        openOctokit(config, ctx.run.apiUrl),
        __webpack_require__.e(/* import() */ 380).then(__webpack_require__.bind(__webpack_require__, 7380)),
    ]);
    // Deployment descriptions and payloads carry reasons: secrets are redacted from every string sent.
    const redacting = (route, params) => octokit.request(route, params && redactStrings(params, ctx.secrets));
    return new DeploymentHistory({
        request: redacting,
        owner: ctx.run.owner,
        repo: ctx.run.repo,
        log: ctx.log,
    });
}

;// CONCATENATED MODULE: ./actions/canary-deploy/src/canary.ts




async function canary(ctx, config) {
    const history = config.recordDeployment ? await openHistory(ctx, config) : undefined;
    const resumed = config.action === 'promote' || config.action === 'abort' ? await findRollout(history, config) : undefined;
    const stableSlot = config.stableSlot ?? resumed?.stableSlot ?? (await currentStable(ctx, config));
    const target = await makeTarget(ctx, config, stableSlot);
    // A bad socket, file, API address or credential fails here, before anything moves. A release
    // target's stable image is what each step's read-back expects it to stay.
    if (isSlotTarget(target))
        await target.describe();
    const stableImage = isReleaseTarget(target) ? (await target.describe(ctx.signal)).stable.image : undefined;
    ctx.state.save('stable-slot', stableSlot ?? '');
    if (config.action === 'abort') {
        await target.abort();
        if (history && resumed)
            await history.setState(resumed.id, 'failure', 'aborted by hand: all traffic back on stable', {
                logUrl: ctx.run.runUrl,
            });
        report(ctx, config, {
            result: 'aborted',
            reason: 'aborted by hand',
            stepIndex: 0,
            weight: 0,
            decisionMs: undefined,
            canaryRequests: 0,
            canaryFailures: 0,
            shadowFailures: [],
        }, [], [], resumed?.id);
        return;
    }
    const slots = isSlotTarget(target) ? { canary: target.canary, stable: target.stable } : undefined;
    const provider = makeProvider(ctx.secrets, config.metrics, slots, config.judge.maxP95Ms);
    await provider.validate(); // an unparsable query, unreachable source or empty baseline selector fails before traffic moves
    const settings = judgeConfig(config.judge);
    const router = config.routerCounters && target instanceof HaproxyTarget ? new RouterCounter(target) : undefined;
    const observations = [];
    const steps = [];
    let canaryStart = 0;
    let lastVerdict;
    // What the source had counted when the current step began: a step passes only on what came after.
    let stepStartObservation;
    const judgeStep = async (step) => {
        if (stepStartObservation) {
            observations.push(await stepStartObservation);
            stepStartObservation = undefined;
        }
        const now = Date.now();
        const observation = await observe(provider, { start: canaryStart, end: now });
        const servers = target instanceof HaproxyTarget ? await target.inspect() : undefined;
        if (router && servers)
            observation.router = router.update(servers, Date.now());
        observations.push(observation);
        const trouble = isSlotTarget(target)
            ? await slotTrouble(target, step.weight, servers)
            : isReleaseTarget(target) && stableImage !== undefined
                ? await releaseTrouble(target, { canaryImage: config.release.image, stableImage, weight: target.reportedWeight(step.weight) }, ctx.signal)
                : undefined;
        const verdict = trouble
            ? { outcome: 'fail', check: 'traffic', reason: trouble, evidence: [], at: now, stats: lastVerdict?.stats }
            : judge(observations, settings, now, { trafficSince: canaryStart, stepStartedAt: step.startedAt });
        lastVerdict = verdict;
        const sample = [...observations].reverse().find((o) => 'sample' in o);
        if (sample && 'sample' in sample) {
            const record = {
                weight: step.weight,
                startedAt: step.startedAt,
                endedAt: now,
                canary: sample.sample.canary,
                baseline: sample.sample.baseline,
                verdict,
            };
            if (steps.at(-1)?.weight === step.weight)
                steps[steps.length - 1] = record;
            else
                steps.push(record);
        }
        ctx.log.info(`${step.weight}%: ${verdict.outcome} (${verdict.check}): ${verdict.reason}`);
        return {
            kind: verdict.outcome,
            reason: verdict.reason,
            canaryRequests: verdict.stats?.served ?? 0,
            canaryFailures: verdict.stats?.failures ?? 0,
        };
    };
    const deploymentId = resumed?.id ??
        (history
            ? await history.start({
                environment: config.environment,
                ref: ctx.run.ref,
                sha: ctx.run.sha,
                description: `canary ${config.release.version}: starting`,
                logUrl: ctx.run.runUrl,
                environmentUrl: config.environmentUrl,
                payload: {
                    image: config.release.image,
                    version: config.release.version,
                    schemaVersion: config.schemaVersion,
                    target: config.target.kind,
                    runId: `${ctx.run.runId}.${ctx.run.runAttempt}`,
                    targetState: { stableSlot, canarySlot: isSlotTarget(target) ? target.canary : undefined },
                },
            })
            : undefined);
    if (deploymentId !== undefined)
        ctx.outputs.set('deployment-id', String(deploymentId));
    // A resumed rollout continues after the share the canary has now, as the target reports it.
    const current = !resumed
        ? 0
        : isSlotTarget(target)
            ? ((await target.describe()).find((s) => s.slot !== stableSlot)?.weight ?? 0)
            : isReleaseTarget(target)
                ? ((await target.describe()).canary?.weight ?? 0)
                : 0;
    const fromStep = resumed
        ? Math.max(0, config.weights.findIndex((w) => w > current))
        : 0;
    ctx.state.save('rollout', 'moving');
    let result;
    try {
        result = await runRollout(target, judgeStep, {
            weights: config.weights,
            fromStep,
            deploy: !resumed,
            pauseAt: config.pauseAt,
            stepDurationMs: config.stepDurationMs,
            intervalMs: config.intervalMs,
            progressDeadlineMs: config.progressDeadlineMs,
            dryRun: config.judge.dryRun,
        }, {
            log: ctx.log,
            signal: ctx.signal,
            events: {
                beforeTraffic: async () => {
                    await provider.validateCanary?.();
                    if (router)
                        router.seed(await target.inspect());
                },
                onStep: (step) => {
                    if (!canaryStart)
                        canaryStart = step.startedAt;
                    stepStartObservation = observe(provider, { start: canaryStart, end: step.startedAt });
                    if (history && deploymentId !== undefined)
                        void history
                            .setState(deploymentId, 'in_progress', `canary ${config.release.version}: ${step.weight}% of traffic`, {
                            logUrl: ctx.run.runUrl,
                        })
                            .catch((e) => ctx.log.warning(`could not record the step: ${(0,src/* oneLine */.TN)(e)}`));
                },
            },
        });
    }
    finally {
        await provider.close();
    }
    ctx.state.save('rollout', 'settled');
    if (history && deploymentId !== undefined) {
        const state = result.result === 'promoted' ? 'success' : result.result === 'aborted' ? 'failure' : 'in_progress';
        const what = result.result === 'paused' ? `paused at ${result.weight}% for approval` : `${result.result}: ${result.reason}`;
        await history.setState(deploymentId, state, `canary ${config.release.version} ${what}`, {
            logUrl: ctx.run.runUrl,
            environmentUrl: config.environmentUrl,
        });
    }
    report(ctx, config, result, steps, observations, deploymentId, lastVerdict, canaryStart);
    if (result.result === 'aborted')
        throw new src/* PermanentError */.Dr(`canary aborted, all traffic back on stable: ${result.reason}`);
}
function report(ctx, config, result, steps, observations, deploymentId, verdict, start) {
    ctx.outputs.set('result', result.result);
    ctx.outputs.set('reason', result.reason);
    ctx.outputs.set('decision-time', result.decisionMs === undefined ? '' : (result.decisionMs / 1000).toFixed(1));
    ctx.outputs.set('requests-judged', String(result.canaryRequests));
    ctx.outputs.set('failed-canary-requests', String(result.canaryFailures));
    const icon = result.result === 'promoted' ? '✅' : result.result === 'paused' ? '⏸️' : '❌';
    const parts = [
        `### Canary ${config.release.version} → ${config.environment}: ${icon} ${result.result}`,
        '',
        `${result.reason}`,
        '',
        src/* markdown.table */.wD.table(['Image', 'Target', 'Decision after', 'Canary requests judged', 'Failed canary requests', 'Deployment'], [
            [
                `\`${config.release.image}\``,
                config.target.kind,
                result.decisionMs === undefined ? '' : (0,src/* formatDuration */.a3)(result.decisionMs),
                result.canaryRequests,
                result.canaryFailures,
                deploymentId ?? '',
            ],
        ]),
    ];
    if (steps.length)
        parts.push('#### Steps', '', stepTable(steps));
    if (verdict)
        parts.push('#### What decided', '', evidenceMarkdown(verdict));
    if (observations.length && start)
        parts.push('#### Canary vs baseline over time', '', analysisChart(observations, start));
    if (result.shadowFailures.length)
        parts.push('#### Dry run: the judge would have aborted', '', ...result.shadowFailures.map((f) => `- ${f}`), '');
    ctx.summary.append(parts.join('\n'));
}
/** Post step: the job was cancelled or died with traffic moving. Put it all back on stable, or fail loudly. */
async function restoreStable(ctx, config) {
    const target = await makeTarget(ctx, config, ctx.state.get('stable-slot') || config.stableSlot);
    try {
        await target.abort();
    }
    catch (error) {
        throw new src/* PermanentError */.Dr(`ROLLBACK FAILED: the job stopped mid-rollout and traffic could not be put back on stable: ${(0,src/* oneLine */.TN)(error)}. Restore it by hand now.`, { cause: error });
    }
    ctx.log.warning('the job stopped mid-rollout: all traffic is back on the stable version');
    ctx.summary.append(`### Canary ${config.release.version}: the job stopped mid-rollout\n\nThe post step put all traffic back on the stable version.\n`);
}
/** The rollout a `promote` or `abort` job continues: the newest in-progress deployment of the environment. */
async function findRollout(history, config) {
    if (!history) {
        if (config.action === 'promote')
            throw new src/* PermanentError */.Dr('`action: promote` continues a recorded rollout; set `record-deployment: true` in both jobs');
        return undefined;
    }
    const rollout = (await history.list(config.environment, { maxPages: 1 })).find((d) => d.state === 'in_progress');
    if (!rollout) {
        if (config.action === 'promote')
            throw new src/* PermanentError */.Dr(`no paused rollout of ${config.environment} to promote (no in-progress deployment)`);
        return undefined;
    }
    return { id: rollout.id, stableSlot: rollout.payload.targetState?.stableSlot };
}
/**
 * Why the slots are not what the step is judging, or undefined: the weights read back from the
 * target are not the ones this step set (a reload without a state file, or another tool, changed
 * them), or HAProxy's health checks mark the canary down.
 */
async function slotTrouble(target, weight, servers) {
    const set = { [target.canary]: weight, [target.stable]: 100 - weight };
    const readings = (servers ?? (await target.describe())).map((s) => {
        const name = 'slot' in s ? s.slot : s.name;
        return { name, weight: s.weight, set: set[name] ?? 0 };
    });
    const drift = slotDrift(readings);
    if (drift)
        return drift;
    const canary = servers?.find((s) => s.name === target.canary);
    if (canary && !canary.status.startsWith('UP')) {
        return `canary slot ${canary.name} is ${canary.status} in HAProxy during the step (last health check: ${canary.check || 'none'})`;
    }
    // nginx has no health checks of its own: the canary's health path is asked each interval.
    const unhealthy = target instanceof NginxTarget ? await target.health(target.canary) : undefined;
    return unhealthy && `canary slot ${target.canary} is unhealthy during the step: ${unhealthy}`;
}
/** Requests and failures HAProxy sent each slot since the canary started, from `show stat`. */
class RouterCounter {
    target;
    counters = {
        canary: { requests: new CounterTracker(), errors: new CounterTracker() },
        baseline: { requests: new CounterTracker(), errors: new CounterTracker() },
    };
    constructor(target) {
        this.target = target;
    }
    seed(servers) {
        for (const side of ['canary', 'baseline']) {
            const server = servers.find((s) => s.name === this.slot(side));
            this.counters[side].requests.seed(new Map([['n', server?.requests ?? 0]]));
            this.counters[side].errors.seed(new Map([['n', server?.errors ?? 0]]));
        }
    }
    update(servers, at) {
        const side = (which) => {
            const server = servers.find((s) => s.name === this.slot(which));
            return {
                requests: this.counters[which].requests.update(new Map([['n', server?.requests ?? 0]])),
                errors: this.counters[which].errors.update(new Map([['n', server?.errors ?? 0]])),
            };
        };
        return {
            at,
            source: {
                canary: `HAProxy show stat ${this.slot('canary')}`,
                baseline: `HAProxy show stat ${this.slot('baseline')}`,
            },
            canary: side('canary'),
            baseline: side('baseline'),
        };
    }
    slot(side) {
        return side === 'canary' ? this.target.canary : this.target.stable;
    }
}


/***/ }),

/***/ 9417:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  dz: () => (/* reexport */ errors/* InputError */.dz),
  Dr: () => (/* reexport */ errors/* PermanentError */.Dr),
  U3: () => (/* reexport */ RETRYABLE_STATUSES),
  N_: () => (/* reexport */ errors/* TransientError */.N_),
  Js: () => (/* reexport */ src_clock/* abortReason */.Js),
  $h: () => (/* reexport */ execChecked),
  a3: () => (/* reexport */ src_clock/* formatDuration */.a3),
  wD: () => (/* reexport */ markdown),
  TN: () => (/* reexport */ errors/* oneLine */.TN),
  BO: () => (/* reexport */ secrets/* redactUrl */.B),
  Em: () => (/* reexport */ request),
  L5: () => (/* reexport */ retry),
  $C: () => (/* reexport */ statusError),
  ml: () => (/* reexport */ src_clock/* systemClock */.ml)
});

// UNUSED EXPORTS: ActionError, DeadlineError, HttpError, Leftovers, MemoryLogger, SecretRegistry, backoffDelay, endLeftovers, errorKind, exec, isCredentialHeader, isTransient, leftovers, parseDuration, parseLeftovers, parseRetryAfter, processStartTime, silentLogger, splitCommand

// EXTERNAL MODULE: ./packages/core/src/errors.ts
var errors = __webpack_require__(637);
// EXTERNAL MODULE: ./packages/core/src/clock.ts
var src_clock = __webpack_require__(8538);
;// CONCATENATED MODULE: ./packages/core/src/retry.ts


/** Exponential backoff with full jitter ("Exponential Backoff And Jitter", AWS), bounded by a deadline. */
function backoffDelay(attempt, opts) {
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
async function retry(fn, opts) {
    const clock = opts.clock ?? src_clock/* systemClock */.ml;
    const isRetryable = opts.isRetryable ?? errors/* isTransient */.dg;
    const started = clock.now();
    for (let attempt = 1;; attempt++) {
        if (opts.signal?.aborted)
            throw (0,src_clock/* abortReason */.Js)(opts.signal);
        try {
            return await fn(attempt);
        }
        catch (error) {
            if (opts.signal?.aborted)
                throw (0,src_clock/* abortReason */.Js)(opts.signal);
            if (!isRetryable(error))
                throw error;
            const elapsed = clock.now() - started;
            const hinted = opts.delayHint?.(error);
            const delayMs = Math.max(backoffDelay(attempt, opts), hinted ?? 0);
            const outOfAttempts = opts.maxAttempts !== undefined && attempt >= opts.maxAttempts;
            if (outOfAttempts || elapsed + delayMs > opts.timeoutMs) {
                const what = opts.what ?? 'operation';
                throw new errors/* DeadlineError */.j3(`${what} still failing after ${attempt} attempt(s) in ${Math.round(elapsed)}ms: ${(0,errors/* oneLine */.TN)(error)}`, { cause: error });
            }
            opts.onRetry?.({ attempt, error, delayMs });
            await clock.sleep(delayMs, opts.signal);
        }
    }
}

// EXTERNAL MODULE: ./packages/core/src/secrets.ts
var secrets = __webpack_require__(8517);
;// CONCATENATED MODULE: ./packages/core/src/logger.ts
/** A logger that remembers what it was told; for tests and for plain Node scripts. */
class MemoryLogger {
    echo;
    records = [];
    constructor(echo = false) {
        this.echo = echo;
    }
    push(record) {
        this.records.push(record);
        if (this.echo)
            process.stderr.write(`[${record.level}] ${record.message}\n`);
    }
    debug(message) {
        this.push({ level: 'debug', message });
    }
    info(message) {
        this.push({ level: 'info', message });
    }
    warning(message, annotation) {
        this.push({ level: 'warning', message, annotation });
    }
    error(message, annotation) {
        this.push({ level: 'error', message, annotation });
    }
    async group(title, fn) {
        this.info(title);
        return fn();
    }
    messages(level) {
        return this.records.filter((r) => !level || r.level === level).map((r) => r.message);
    }
}
const silentLogger = {
    debug() { },
    info() { },
    warning() { },
    error() { },
    group: (_title, fn) => fn(),
};

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ./packages/core/src/leftovers.ts
var leftovers = __webpack_require__(6012);
;// CONCATENATED MODULE: ./packages/core/src/exec.ts




/**
 * Runs a program with an argument array: never through a shell, so no input can be spliced into a
 * command line. The child gets its own process group so a timeout or cancel kills its children too,
 * and is tracked in `leftovers` while it runs, so a post step can end the group if the main step dies.
 */
function exec(command, args, opts = {}) {
    const started = Date.now();
    const maxBuffer = opts.maxBuffer ?? 4 * 1024 * 1024;
    return new Promise((resolve, reject) => {
        if (opts.signal?.aborted)
            return reject((0,src_clock/* abortReason */.Js)(opts.signal));
        const env = { ...process.env };
        for (const [k, v] of Object.entries(opts.env ?? {})) {
            if (v === undefined)
                delete env[k];
            else
                env[k] = v;
        }
        const child = (0,external_node_child_process_.spawn)(command, [...args], { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
        leftovers/* leftovers */.To.addChild(child.pid);
        const out = { stdout: '', stderr: '' };
        const partial = { stdout: '', stderr: '' };
        let timedOut = false;
        const kill = () => {
            if (child.pid === undefined || child.exitCode !== null)
                return;
            try {
                process.kill(-child.pid, 'SIGTERM');
            }
            catch {
                /* already gone */
            }
            setTimeout(() => {
                try {
                    process.kill(-child.pid, 'SIGKILL');
                }
                catch {
                    /* gone */
                }
            }, 3000).unref();
        };
        const timer = opts.timeoutMs
            ? setTimeout(() => {
                timedOut = true;
                kill();
            }, opts.timeoutMs)
            : undefined;
        const onAbort = () => kill();
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        const collect = (stream) => (chunk) => {
            const text = chunk.toString('utf8');
            out[stream] = (out[stream] + text).slice(-maxBuffer);
            if (opts.onLine) {
                const lines = (partial[stream] + text).split('\n');
                partial[stream] = lines.pop() ?? '';
                for (const line of lines)
                    opts.onLine(line, stream);
            }
        };
        child.stdout.on('data', collect('stdout'));
        child.stderr.on('data', collect('stderr'));
        child.on('error', (error) => {
            leftovers/* leftovers */.To.removeChild(child.pid);
            clearTimeout(timer);
            opts.signal?.removeEventListener('abort', onAbort);
            const code = error.code;
            reject(code === 'ENOENT'
                ? new errors/* PermanentError */.Dr(`${command}: not found on PATH; install it or set the path to it`, { cause: error })
                : error);
        });
        child.on('close', (exitCode, signal) => {
            leftovers/* leftovers */.To.removeChild(child.pid);
            clearTimeout(timer);
            opts.signal?.removeEventListener('abort', onAbort);
            for (const stream of ['stdout', 'stderr']) {
                if (partial[stream] && opts.onLine)
                    opts.onLine(partial[stream], stream);
            }
            if (opts.signal?.aborted)
                return reject((0,src_clock/* abortReason */.Js)(opts.signal));
            resolve({ command, exitCode, signal, ...out, durationMs: Date.now() - started, timedOut });
        });
        child.stdin.on('error', () => {
            /* the child may exit before reading its input */
        });
        child.stdin.end(opts.input ?? '');
    });
}
/** Like exec, but a non-zero exit or a timeout is an error carrying the tail of stderr. */
async function execChecked(command, args, opts = {}) {
    const result = await exec(command, args, opts);
    if (result.timedOut) {
        throw new errors/* TransientError */.N_(`${command} timed out after ${opts.timeoutMs}ms`);
    }
    if (result.exitCode !== 0) {
        const tail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join(' | ');
        throw new errors/* PermanentError */.Dr(`${command} exited with ${result.exitCode ?? result.signal}${tail ? `: ${tail}` : ''}`);
    }
    return result;
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
;// CONCATENATED MODULE: ./packages/core/src/http.ts



/** Statuses worth retrying when the operation is idempotent. */
const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);
/** A failed exchange; status is set when the server answered, code when the network failed. */
class HttpError extends errors/* ActionError */.lZ {
    status;
    retryAfterMs;
    code;
    constructor(kind, message, details = {}) {
        super(kind, message, { cause: details.cause });
        this.status = details.status;
        this.retryAfterMs = details.retryAfterMs;
        this.code = details.code;
    }
}
const agents = {
    http: new external_node_http_.Agent({ keepAlive: true, maxSockets: 64 }),
    https: new external_node_https_.Agent({ keepAlive: true, maxSockets: 64 }),
};
/**
 * One HTTP client for the library, on node:http(s) rather than fetch because smoke checks and
 * registries need what fetch hides: exact timings, the peer certificate, raw repeated headers.
 */
async function request(req) {
    let url = new URL(req.url);
    let method = (req.method ?? 'GET').toUpperCase();
    let body = req.body;
    let headers = { ...req.headers };
    const started = performance.now();
    for (let redirects = 0;; redirects++) {
        const response = await once(url, method, headers, body, req, started);
        const location = response.headers.location;
        if (location && response.status >= 300 && response.status < 400 && redirects < (req.maxRedirects ?? 0)) {
            const next = new URL(location, url);
            if (next.origin !== url.origin)
                headers = withoutCredentials(headers, req.secrets);
            if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
                method = 'GET';
                body = undefined;
            }
            url = next;
            continue;
        }
        return response;
    }
}
/** Headers that carry a credential by definition (RFC 9110 and RFC 6265), plus the common API-key headers. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'api-key']);
/** A header that must not follow a redirect to another origin: it is, or holds, a credential. */
function isCredentialHeader(name, value, secrets) {
    return CREDENTIAL_HEADERS.has(name.toLowerCase()) || Boolean(secrets?.contains(value));
}
function withoutCredentials(headers, secrets) {
    return Object.fromEntries(Object.entries(headers).filter(([name, value]) => !isCredentialHeader(name, value, secrets)));
}
function once(url, method, headers, body, req, started) {
    const isHttps = url.protocol === 'https:';
    if (!isHttps && url.protocol !== 'http:') {
        return Promise.reject(new errors/* PermanentError */.Dr(`unsupported URL scheme ${url.protocol} in ${url.origin}`));
    }
    const transport = isHttps ? external_node_https_ : external_node_http_;
    const customTls = isHttps && (req.insecure || req.ca || req.cert);
    const options = {
        method,
        headers: { 'user-agent': 'deploy-actions', ...headers },
        agent: customTls
            ? new external_node_https_.Agent({ rejectUnauthorized: !req.insecure, ca: req.ca, cert: req.cert, key: req.key })
            : isHttps
                ? agents.https
                : agents.http,
        signal: req.signal,
    };
    const maxBody = req.maxBodyBytes ?? 32 * 1024 * 1024;
    return new Promise((resolve, reject) => {
        const clientRequest = transport.request(url, options, (res) => {
            const chunks = [];
            const remoteAddress = res.socket?.remoteAddress;
            let size = 0;
            let certificate;
            const socket = res.socket;
            if (isHttps && typeof socket.getPeerCertificate === 'function') {
                const cert = socket.getPeerCertificate();
                if (cert && cert.valid_to) {
                    certificate = {
                        subject: formatName(cert.subject),
                        issuer: formatName(cert.issuer),
                        validFrom: new Date(cert.valid_from),
                        validTo: new Date(cert.valid_to),
                        serialNumber: cert.serialNumber
                            ?.toLowerCase()
                            .replace(/^(.(.{2})*)$/, '0$1')
                            .match(/.{2}/g)
                            ?.join(':'),
                    };
                }
            }
            res.on('data', (chunk) => {
                if (req.onData && (res.statusCode ?? 0) < 300)
                    return req.onData(chunk);
                size += chunk.length;
                if (size > maxBody) {
                    clientRequest.destroy(new errors/* PermanentError */.Dr(`${method} ${url.origin}${url.pathname}: response body over ${maxBody} bytes`));
                    return;
                }
                chunks.push(chunk);
            });
            res.on('error', reject);
            res.on('end', () => {
                clearTimeout(timer);
                const buffer = Buffer.concat(chunks);
                const rawHeaders = [];
                for (let i = 0; i < res.rawHeaders.length; i += 2)
                    rawHeaders.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
                const flat = {};
                for (const [name, value] of Object.entries(res.headers)) {
                    if (value !== undefined)
                        flat[name] = Array.isArray(value) ? value.join(', ') : value;
                }
                resolve({
                    url: url.toString(),
                    status: res.statusCode ?? 0,
                    headers: flat,
                    rawHeaders,
                    body: buffer,
                    text: () => buffer.toString('utf8'),
                    json: () => JSON.parse(buffer.toString('utf8')),
                    durationMs: performance.now() - started,
                    certificate,
                    httpVersion: res.httpVersion,
                    remoteAddress,
                });
            });
        });
        const timer = setTimeout(() => {
            clientRequest.destroy(new errors/* TransientError */.N_(`${method} ${url.origin}${url.pathname}: no complete response within ${req.timeoutMs}ms`));
        }, req.timeoutMs ?? 30_000);
        // A 101 Switching Protocols or a CONNECT reply never becomes a response: end with a clear error
        // instead of a promise that never settles (node would exit 0 with nothing reported).
        const switched = (what) => (res, socket) => {
            clearTimeout(timer);
            socket.destroy();
            reject(new errors/* PermanentError */.Dr(`${method} ${url.origin}${url.pathname}: ${what} (HTTP ${res.statusCode}) is unsupported`));
        };
        clientRequest.on('upgrade', switched('the server switched protocols'));
        clientRequest.on('connect', switched('a CONNECT tunnel'));
        clientRequest.on('error', (error) => {
            clearTimeout(timer);
            if (error instanceof errors/* PermanentError */.Dr || error instanceof errors/* TransientError */.N_)
                return reject(error);
            const where = `${method} ${url.origin}${url.pathname}`;
            const kind = (0,errors/* isTransient */.dg)(error) ? 'transient' : 'permanent';
            reject(new HttpError(kind, `${where}: ${error.code ?? error.message}`, { code: error.code, cause: error }));
        });
        if (body !== undefined)
            clientRequest.end(body);
        else
            clientRequest.end();
    });
}
function formatName(name) {
    if (!name || typeof name !== 'object')
        return '';
    return Object.entries(name)
        .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
        .join(', ');
}
/** Turns a non-2xx response into an error whose kind says whether a retry may help. */
function statusError(response, what) {
    const retryAfter = parseRetryAfter(response.headers['retry-after']);
    const detail = response.text().slice(0, 300).replace(/\s+/g, ' ').trim();
    const kind = RETRYABLE_STATUSES.has(response.status) ? 'transient' : 'permanent';
    return new HttpError(kind, `${what}: HTTP ${response.status}${detail ? ` ${detail}` : ''}`, {
        status: response.status,
        retryAfterMs: retryAfter,
    });
}
function parseRetryAfter(value) {
    if (!value)
        return undefined;
    if (/^\d+$/.test(value.trim()))
        return Number(value.trim()) * 1000;
    const at = Date.parse(value);
    return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

// EXTERNAL MODULE: ./packages/core/src/markdown.ts
var markdown = __webpack_require__(4867);
;// CONCATENATED MODULE: ./packages/core/src/index.ts












/***/ })

};
