import { formatDuration } from '@deploy-actions/core';
import { alphaAtCount, binomialUpperTail, type ErrorCounts, errorSplitTail, FIRST_DECISIVE_COUNT } from './stats';
import type { MetricSample, Observation, Percentile, QueryRecord, RouterCounts, SideMetrics } from './types';

export type Outcome = 'pass' | 'fail' | 'inconclusive';

/** Which check decided a verdict. */
export type CheckName =
  | 'metrics-source'
  | 'traffic'
  | 'canary-series'
  | 'router-agreement'
  | 'errors-vs-baseline'
  | 'error-rate-limit'
  | 'blast-radius'
  | 'latency-limit'
  | 'latency-vs-baseline'
  | 'sample-size'
  | 'all';

export interface JudgeConfig {
  /**
   * Chance that a canary as good as its baseline is ever failed by the error test, over the
   * whole rollout however often it is judged (spent by error count, see alphaAtCount; most of
   * it at the 3rd and 4th error: the benchmark's healthy 5-minute rollouts are failed 0.45 % of
   * the time at 0.5 % with the baseline lookback, 0.15 % without).
   */
  falseAlarmRate: number;
  /** Canary requests needed before a pass, and before latency is judged. */
  minRequests: number;
  /** Absolute limit on the canary's error rate (0.05 = 5 %). */
  maxErrorRate: number;
  /**
   * A pass needs confidence (passConfidence) that the canary's error rate is at most the
   * baseline's plus this much (0.02 = two percentage points) and under maxErrorRate: a canary is
   * not passed on too little data.
   */
  errorRateTolerance: number;
  passConfidence: number;
  /** Absolute limits on the canary's latency percentiles, in ms. */
  maxLatencyMs: Partial<Record<Percentile, number>>;
  /** Percentiles compared with the baseline's. */
  comparedPercentiles: readonly Percentile[];
  /** A canary percentile may exceed the baseline's by this fraction ... */
  latencyTolerance: number;
  /** ... plus this many ms, so a 2 ms vs 3 ms difference on a fast service is not a regression. */
  latencySlackMs: number;
  /** How long the metrics source may fail before the verdict is a failure (fail closed). */
  metricsGraceMs: number;
  /** Most failed canary requests beyond what the baseline's error rate explains; undefined: no cap. */
  blastRadius?: number;
  /** Dry run: judge and report, but a failure becomes a pass carrying `shadowed`. */
  shadow: boolean;
}

/** Defaults from the deploy plans (error rate > 5 %, p95 > 1 s) and from the detection benchmark. */
export const DEFAULT_JUDGE_CONFIG: JudgeConfig = {
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

export interface VerdictStats {
  canary: SideMetrics;
  baseline: SideMetrics;
  /**
   * The error test: the chance of errors splitting at least this much against the canary if it
   * were as good as the baseline, and the bar that chance must fall to at this error count.
   */
  pValue: number;
  alpha: number;
  /** Canary errors beyond what the baseline's error rate predicts for the canary's traffic. */
  excessErrors: number;
  /** Failed and served canary requests from the best source: the larger of the router's and the metrics source's counts. */
  failures: number;
  served: number;
  router?: RouterCounts;
}

export interface Verdict {
  outcome: Outcome;
  check: CheckName;
  /** One line a person can act on. */
  reason: string;
  /** The exact queries and values the decision rests on. */
  evidence: QueryRecord[];
  /** When the judgement was made (the judge's `now`). */
  at: number;
  /** Present when the data is too thin: canary requests still needed and the time that takes at the current rate. */
  need?: { requests: number; etaMs: number | undefined };
  /** In shadow mode, the failure that was reported but not enforced. */
  shadowed?: { check: CheckName; reason: string };
  stats?: VerdictStats;
}

interface Finding {
  check: CheckName;
  reason: string;
  evidence: QueryRecord[];
}

/** What the caller knows about the rollout beyond the observations. */
export interface JudgeContext {
  /** When the canary first got traffic: from then on, no canary series for metricsGraceMs fails closed. */
  trafficSince?: number;
  /** When the current step began: a pass needs minRequests canary requests that arrived after it. */
  stepStartedAt?: number;
}

/** Counts a router's and a metrics source's may differ by from timing alone (requests in flight, scrape lag). */
const ROUTER_SLACK = { requests: 5, share: 0.1 };

/**
 * Judges the canary from everything observed since it started. Pure: the same observations,
 * config, `now` and context give the same verdict. Counts in samples are cumulative since the
 * canary's start, so the latest sample is weighed for the tests; the sample at the step's start
 * tells what arrived during the step, and earlier ones give the traffic rate and the uptime of
 * the metrics source.
 */
export function judge(
  observations: readonly Observation[],
  config: JudgeConfig,
  now: number,
  context: JudgeContext = {},
): Verdict {
  const verdict = judgeStrictly(observations, config, now, context);
  if (!config.shadow || verdict.outcome !== 'fail') return verdict;
  return {
    ...verdict,
    outcome: 'pass',
    reason: `shadow mode, not enforced: ${verdict.reason}`,
    shadowed: { check: verdict.check, reason: verdict.reason },
  };
}

type Sampled = { at: number; sample: MetricSample; router?: RouterCounts };

function judgeStrictly(
  observations: readonly Observation[],
  config: JudgeConfig,
  now: number,
  context: JudgeContext,
): Verdict {
  const samples = observations.filter((o): o is Sampled => 'sample' in o);
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
        reason: `metrics source failing for ${formatDuration(downFor)}, longer than the ${formatDuration(config.metricsGraceMs)} grace period (fail closed): ${cause}${routerNote}`,
      };
    }
    return {
      outcome: 'inconclusive',
      check: 'metrics-source',
      at: now,
      evidence: latest?.sample.queries ?? [],
      reason: `no metrics (${cause}); failing closed after ${formatDuration(config.metricsGraceMs)}${routerNote}`,
    };
  }

  const sample = latest.sample;
  const { canary } = sample;
  const baselineChange = baselineShift(sample.baseline);
  // A baseline whose error rate just changed is judged on the window alone, not its older history.
  const baseline: SideMetrics = baselineChange ? { ...sample.baseline, ...sample.baseline.inWindow! } : sample.baseline;
  const counts: ErrorCounts = {
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
  const stats: VerdictStats = {
    canary,
    baseline,
    pValue,
    alpha,
    excessErrors,
    failures,
    served,
    ...(router ? { router } : {}),
  };
  const pick = (...wanted: Array<[QueryRecord['side'], QueryRecord['metric']]>): QueryRecord[] =>
    wanted.flatMap(([side, metric]) => sample.queries.filter((q) => q.side === side && q.metric === metric));
  const errorEvidence = pick(
    ['canary', 'errors'],
    ['canary', 'requests'],
    ['baseline', 'errors'],
    ['baseline', 'requests'],
  );
  const baselineNote = baselineChange ? ` (baseline judged on the window alone: ${baselineChange})` : '';

  const failure = findFailure();
  if (failure) return { outcome: 'fail', ...failure, at: now, stats };

  const rate = canaryRequestRate(samples);
  const stepBase = context.stepStartedAt === undefined ? undefined : sampleAtOrBefore(samples, context.stepStartedAt);
  const stepRequests = canary.requests - (stepBase?.canary.requests ?? 0);
  const needMore = (requests: number, check: CheckName, why: string, evidence: QueryRecord[]): Verdict => {
    const etaMs = rate > 0 ? (requests / rate) * 1000 : undefined;
    const eta =
      etaMs !== undefined
        ? `~${formatDuration(etaMs)} at current traffic`
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
    return needMore(
      Math.ceil(config.minRequests - canary.requests),
      'sample-size',
      `${canary.requests} of ${config.minRequests} so far`,
      pick(['canary', 'requests'], ['canary', 'series']),
    );
  }
  if (stepBase !== undefined && stepRequests < config.minRequests) {
    return needMore(
      Math.ceil(config.minRequests - stepRequests),
      'sample-size',
      `a step passes only on requests that arrived during it: ${stepRequests} of ${config.minRequests} in this step (${canary.requests} since the canary started)`,
      pick(['canary', 'requests']),
    );
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
  const missing = latencyPercentilesNeeded(config).filter(
    (p) =>
      (canary.latencyMs[p] === undefined && !(p in config.maxLatencyMs && canary.slow)) ||
      (config.comparedPercentiles.includes(p) &&
        (canary.latencyMs[p] === undefined || baseline.latencyMs[p] === undefined)),
  );
  if (missing.length) {
    const p = missing[0]!;
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

  function findFailure(): Finding | undefined {
    const trafficFor = context.trafficSince === undefined ? 0 : now - context.trafficSince;
    if (canary.series === 0 && trafficFor > config.metricsGraceMs && (!router || router.canary.requests > 0)) {
      return {
        check: 'canary-series',
        evidence: pick(['canary', 'requests'], ['canary', 'series']),
        reason: `no canary series: ${pick(['canary', 'requests'])[0]?.query ?? 'the canary query'} matched nothing ${formatDuration(trafficFor)} after the canary got traffic${router ? `, while the router sent it ${router.canary.requests} requests (${router.canary.errors} failed)` : ''}; the selector does not find the canary, failing closed`,
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
    if (slowFailure) return slowFailure;
    if (canary.requests < config.minRequests) return undefined;
    for (const [p, limit] of Object.entries(config.maxLatencyMs) as Array<[Percentile, number]>) {
      const value = canary.latencyMs[p];
      if (!canary.slow && value !== undefined && value > limit) {
        return {
          check: 'latency-limit',
          evidence: pick(['canary', p]),
          reason: `canary ${p} latency ${ms(value)} is over the ${ms(limit)} limit`,
        };
      }
    }
    if (baseline.requests < config.minRequests) return undefined;
    for (const p of config.comparedPercentiles) {
      const c = canary.latencyMs[p];
      const b = baseline.latencyMs[p];
      if (c === undefined || b === undefined) continue;
      // Over the limit, the exact count of slow requests decides, not a percentile interpolated inside a bucket.
      const limit = config.maxLatencyMs[p];
      if (canary.slow && limit !== undefined && c > limit) continue;
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
  function judgeSlowRequests(): Finding | undefined {
    const slow = canary.slow;
    const limit = Object.entries(config.maxLatencyMs)[0] as [Percentile, number] | undefined;
    if (!slow || !limit || slow.boundMs < limit[1]) return undefined;
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
    if (!base) return undefined;
    const split = errorSplitTail({
      canaryRequests: slow.timed,
      canaryErrors: slow.slow,
      baselineRequests: base.timed,
      baselineErrors: base.slow,
    });
    if (split > alpha) return undefined;
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
function judgeRouterAlone(router: RouterCounts, config: JudgeConfig): Omit<Finding, 'evidence'> | undefined {
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

const QUANTILE_OF: Record<Percentile, number> = { p50: 0.5, p95: 0.95, p99: 0.99 };

/** "1000 ms" for an exact bound; the bucket's own bound when the histogram has none at the limit. */
function boundText(boundMs: number, limitMs: number): string {
  return boundMs === limitMs
    ? `${ms(boundMs)}`
    : `${ms(boundMs)} (the histogram's first bucket bound at or above the ${ms(limitMs)} limit)`;
}

/** The baseline's counts in the canary's window, without the lookback. */
function baselineInWindow(baseline: SideMetrics): { requests: number; errors: number } {
  return baseline.inWindow ?? baseline;
}

/** "; baseline also failing 7.1 % — likely shared" when the baseline breaches the same limit in the same window. */
function alsoFailing(baseline: { requests: number; errors: number }, limit: number, what: 'failing' | 'slow'): string {
  if (baseline.requests <= 0 || baseline.errors / baseline.requests <= limit) return '';
  return `; baseline also ${what} ${percent(baseline.errors / baseline.requests)} (${baseline.errors}/${baseline.requests}) in the same window — likely shared`;
}

/**
 * Whether the baseline's error rate inside the window differs from its rate in the lookback
 * before it, beyond chance (two-sided exact test at 0.1 %): then the lookback would dilute it.
 */
function baselineShift(baseline: SideMetrics): string | undefined {
  const recent = baseline.inWindow;
  if (!recent || recent.requests <= 0) return undefined;
  const before = { requests: baseline.requests - recent.requests, errors: baseline.errors - recent.errors };
  if (before.requests <= 0) return undefined;
  const earlier = Math.max(before.errors, 0.5) / before.requests;
  const rose = binomialUpperTail(recent.errors, recent.requests, earlier) <= 0.001;
  const fell = 1 - binomialUpperTail(recent.errors + 1, recent.requests, earlier) <= 0.001;
  if (!rose && !fell) return undefined;
  return `its error rate ${rose ? 'rose' : 'fell'} to ${percent(recent.errors / recent.requests)} from ${percent(before.errors / before.requests)} in the lookback`;
}

/** The latest sample taken at or before `at`. */
function sampleAtOrBefore(samples: readonly Sampled[], at: number): MetricSample | undefined {
  return [...samples].reverse().find((s) => s.at <= at)?.sample;
}

/**
 * Whether the router's counts and the metrics source's disagree beyond timing noise at sample
 * `index`: the source's count, as of its last scrape, must lie between the router's readings
 * just before and just after that scrape, give or take requests in flight.
 */
function routerDisagreement(samples: readonly Sampled[], index: number): string | undefined {
  const observation = samples[index];
  const canary = observation?.sample.canary;
  // Only whole counts with a known scrape time compare: not increase()'s extrapolated fractions from
  // custom queries, and not a canary whose series have not been scraped yet (the grace period's case).
  if (!observation?.router || !canary?.series || canary.observedAt === undefined) return undefined;
  const seenAt = canary.observedAt;
  const readings = samples.slice(0, index + 1).flatMap((s) => (s.router ? [s.router] : []));
  const before = [...readings].reverse().find((r) => r.at <= seenAt);
  const after = readings.find((r) => r.at >= seenAt) ?? observation.router;
  const slack = (n: number): number => ROUTER_SLACK.requests + ROUTER_SLACK.share * n;
  for (const what of ['requests', 'errors'] as const) {
    const low = before?.canary[what] ?? 0;
    const high = after.canary[what];
    const counted = canary[what];
    if (counted >= low - slack(low) && counted <= high + slack(high)) continue;
    const routed = low === high ? `${high}` : `${low} to ${high}`;
    return `the router and the metrics source disagree about the canary: ${after.source.canary} counts ${routed} ${what === 'requests' ? 'requests' : 'failed requests'} by the last scrape, the metrics source ${counted}${counted > high ? ' (does it count health checks or traffic from elsewhere?)' : ' (does the selector miss some of the canary?)'}; failing closed`;
  }
  return undefined;
}

function slowSummary(canary: SideMetrics, baseline: SideMetrics): string {
  if (!canary.slow) return '';
  const b = baseline.slow;
  return `, slower than ${ms(canary.slow.boundMs)}: ${canary.slow.slow}/${canary.slow.timed}${b ? ` vs ${b.slow}/${b.timed}` : ''}`;
}

/**
 * Canary requests needed before `confidence` says the error rate is at most `allowedRate`, if
 * errors keep coming at the rate seen so far (the current count when that is already enough).
 * One-sided exact binomial bound: P(X ≤ errors | n, allowedRate) ≤ 1 − confidence.
 */
export function requestsToBoundErrorRate(
  errors: number,
  requests: number,
  allowedRate: number,
  confidence: number,
): number {
  const observedRate = requests > 0 ? errors / requests : 0;
  if (allowedRate <= 0 || observedRate >= allowedRate) return Infinity;
  const bounded = (n: number): boolean =>
    1 - binomialUpperTail(Math.round(observedRate * n) + 1, n, allowedRate) <= 1 - confidence;
  if (requests > 0 && bounded(requests)) return requests;
  let high = Math.max(1, requests);
  while (!bounded(high)) {
    high *= 2;
    if (high > 1e6) return Infinity;
  }
  let low = Math.max(1, requests, high / 2);
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (bounded(mid)) high = mid;
    else low = mid;
  }
  return high;
}

function latencyPercentilesNeeded(config: JudgeConfig): Percentile[] {
  return [...new Set([...(Object.keys(config.maxLatencyMs) as Percentile[]), ...config.comparedPercentiles])];
}

function latencySummary(canary: SideMetrics, baseline: SideMetrics, config: JudgeConfig): string {
  return latencyPercentilesNeeded(config)
    .map((p) => `, ${p} ${ms(canary.latencyMs[p])} vs ${ms(baseline.latencyMs[p])}`)
    .join('');
}

/** Canary requests per second over the last two samples (or since the first one). */
function canaryRequestRate(samples: ReadonlyArray<{ at: number; sample: MetricSample }>): number {
  const last = samples.at(-1);
  const previous = samples.at(-2);
  if (!last || !previous || last.at <= previous.at) return 0;
  const recent = (last.sample.canary.requests - previous.sample.canary.requests) / ((last.at - previous.at) / 1000);
  if (recent > 0) return recent;
  const first = samples[0]!;
  return last.at > first.at
    ? (last.sample.canary.requests - first.sample.canary.requests) / ((last.at - first.at) / 1000)
    : 0;
}

/** A small probability as "P = 3.1e-4". */
function chance(p: number): string {
  return `P = ${p >= 0.01 ? p.toFixed(2) : p.toExponential(1)}`;
}

/** The bar the error test's chance must fall to, or why there is none yet. */
function bar(alpha: number, what: string): string {
  return alpha > 0 ? `fails at ${chance(alpha)}` : `fails only from ${FIRST_DECISIVE_COUNT} ${what}`;
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(rate < 0.1 ? 2 : 1)} %`;
}

function ms(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${Math.round(value)} ms`;
}
