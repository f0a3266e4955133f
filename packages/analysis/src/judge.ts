import { formatDuration } from '@deploy-actions/core';
import { binomialUpperTail, type ErrorCounts, mixtureLogLikelihoodRatio, type RatioWeight } from './stats';
import type { MetricSample, Observation, Percentile, QueryRecord, SideMetrics } from './types';

export type Outcome = 'pass' | 'fail' | 'inconclusive';

/** Which check decided a verdict. */
export type CheckName =
  | 'metrics-source'
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
   * whole rollout however often it is judged (Wald's bound; the chance in a 5-minute rollout is
   * about half of it).
   */
  falseAlarmRate: number;
  /** Regression sizes (canary error rate ÷ baseline's) the error test looks for, and their weights. */
  regressionMix: readonly RatioWeight[];
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

/**
 * Defaults from the deploy plans (error rate > 5 %, p95 > 1 s) and from the detection benchmark.
 * The mix leans towards large regressions because they spend the blast radius fastest.
 */
export const DEFAULT_JUDGE_CONFIG: JudgeConfig = {
  falseAlarmRate: 0.005,
  regressionMix: [
    { ratio: 2, weight: 0.1 },
    { ratio: 4, weight: 0.2 },
    { ratio: 8, weight: 0.35 },
    { ratio: 16, weight: 0.35 },
  ],
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
  /** The error test's log-likelihood ratio and the bar it must reach to fail the canary. */
  logLikelihoodRatio: number;
  threshold: number;
  /** Canary errors beyond what the baseline's error rate predicts for the canary's traffic. */
  excessErrors: number;
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

/**
 * Judges the canary from everything observed since it started. Pure: the same observations,
 * config and `now` give the same verdict. Counts in samples are cumulative since the canary's
 * start, so only the latest sample is weighed; earlier ones give the traffic rate and uptime of
 * the metrics source.
 */
export function judge(observations: readonly Observation[], config: JudgeConfig, now: number): Verdict {
  const verdict = judgeStrictly(observations, config, now);
  if (!config.shadow || verdict.outcome !== 'fail') return verdict;
  return {
    ...verdict,
    outcome: 'pass',
    reason: `shadow mode, not enforced: ${verdict.reason}`,
    shadowed: { check: verdict.check, reason: verdict.reason },
  };
}

function judgeStrictly(observations: readonly Observation[], config: JudgeConfig, now: number): Verdict {
  const samples = observations.filter((o): o is { at: number; sample: MetricSample } => 'sample' in o);
  const latest = samples.at(-1);
  const lastObservation = observations.at(-1);
  const failing = lastObservation && 'error' in lastObservation ? lastObservation : undefined;
  const firstAt = observations[0]?.at;
  const healthySince = latest?.at ?? firstAt;
  const stale = latest !== undefined && now - latest.at > config.metricsGraceMs;
  if (!latest || failing || stale) {
    const downFor = healthySince === undefined ? 0 : now - healthySince;
    const cause = failing ? failing.error : latest ? 'no sample since the last one' : 'no sample yet';
    if (healthySince !== undefined && downFor > config.metricsGraceMs) {
      return {
        outcome: 'fail',
        check: 'metrics-source',
        at: now,
        evidence: latest?.sample.queries ?? [],
        reason: `metrics source failing for ${formatDuration(downFor)}, longer than the ${formatDuration(config.metricsGraceMs)} grace period (fail closed): ${cause}`,
      };
    }
    return {
      outcome: 'inconclusive',
      check: 'metrics-source',
      at: now,
      evidence: latest?.sample.queries ?? [],
      reason: `no metrics (${cause}); failing closed after ${formatDuration(config.metricsGraceMs)}`,
    };
  }

  const sample = latest.sample;
  const { canary, baseline } = sample;
  const counts: ErrorCounts = {
    canaryRequests: canary.requests,
    canaryErrors: canary.errors,
    baselineRequests: baseline.requests,
    baselineErrors: baseline.errors,
  };
  const threshold = Math.log(1 / config.falseAlarmRate);
  const logLikelihoodRatio = mixtureLogLikelihoodRatio(counts, config.regressionMix);
  const canaryRate = canary.requests > 0 ? canary.errors / canary.requests : 0;
  const baselineRate = baseline.requests > 0 ? baseline.errors / baseline.requests : 0;
  const excessErrors = canary.errors - canary.requests * baselineRate;
  const stats: VerdictStats = { canary, baseline, logLikelihoodRatio, threshold, excessErrors };
  const pick = (...wanted: Array<[QueryRecord['side'], QueryRecord['metric']]>): QueryRecord[] =>
    wanted.flatMap(([side, metric]) => sample.queries.filter((q) => q.side === side && q.metric === metric));
  const errorEvidence = pick(
    ['canary', 'errors'],
    ['canary', 'requests'],
    ['baseline', 'errors'],
    ['baseline', 'requests'],
  );

  const failure = findFailure();
  if (failure) return { outcome: 'fail', ...failure, at: now, stats };

  const rate = canaryRequestRate(samples);
  const needMore = (requests: number, check: CheckName, why: string, evidence: QueryRecord[]): Verdict => {
    const etaMs = rate > 0 ? (requests / rate) * 1000 : undefined;
    const eta =
      etaMs !== undefined
        ? `~${formatDuration(etaMs)} at current traffic`
        : canary.requests > 0
          ? 'traffic rate not known yet'
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
      reason: `inconclusive, canary error rate ${percent(canaryRate)} so far is above the ${percent(allowedRate)} a pass allows, not yet significantly worse than the baseline`,
    };
  }
  if (enough > canary.requests) {
    const why = `to be ${config.passConfidence * 100} % sure the error rate (${percent(canaryRate)} so far) is under ${percent(allowedRate)}`;
    return needMore(Math.ceil(enough - canary.requests), 'errors-vs-baseline', why, errorEvidence);
  }
  const missing = latencyPercentilesNeeded(config).filter(
    (p) =>
      canary.latencyMs[p] === undefined ||
      (config.comparedPercentiles.includes(p) && baseline.latencyMs[p] === undefined),
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
    reason: `canary within limits after ${canary.requests} requests: errors ${canary.errors}/${canary.requests} (${percent(canaryRate)}) vs baseline ${baseline.errors}/${baseline.requests} (${percent(baselineRate)}), evidence of regression ${logLikelihoodRatio.toFixed(2)} < ${threshold.toFixed(2)}${latencySummary(canary, baseline, config)}`,
  };

  function findFailure(): Finding | undefined {
    if (logLikelihoodRatio >= threshold) {
      return {
        check: 'errors-vs-baseline',
        evidence: errorEvidence,
        reason: `canary errors ${canary.errors}/${canary.requests} (${percent(canaryRate)}) vs baseline ${baseline.errors}/${baseline.requests} (${percent(baselineRate)}): log-likelihood ratio ${logLikelihoodRatio.toFixed(2)} reached ${threshold.toFixed(2)} (false-alarm rate ${config.falseAlarmRate})`,
      };
    }
    const tail = binomialUpperTail(canary.errors, Math.round(canary.requests), config.maxErrorRate);
    if (canary.errors > 0 && tail <= config.falseAlarmRate) {
      return {
        check: 'error-rate-limit',
        evidence: pick(['canary', 'errors'], ['canary', 'requests']),
        reason: `canary error rate ${percent(canaryRate)} (${canary.errors}/${canary.requests}) is above the ${percent(config.maxErrorRate)} limit (P = ${tail.toExponential(1)} at the limit)`,
      };
    }
    if (config.blastRadius !== undefined && excessErrors > config.blastRadius) {
      return {
        check: 'blast-radius',
        evidence: errorEvidence,
        reason: `canary cost ${excessErrors.toFixed(1)} failed requests beyond the baseline's error rate, over the blast-radius budget of ${config.blastRadius}`,
      };
    }
    if (canary.requests < config.minRequests) return undefined;
    for (const [p, limit] of Object.entries(config.maxLatencyMs) as Array<[Percentile, number]>) {
      const value = canary.latencyMs[p];
      if (value !== undefined && value > limit) {
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

function percent(rate: number): string {
  return `${(rate * 100).toFixed(rate < 0.1 ? 2 : 1)} %`;
}

function ms(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${Math.round(value)} ms`;
}
