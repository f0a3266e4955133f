import { binomialUpperTail, type Bucket, histogramQuantile } from './stats';
import { judge, type JudgeConfig } from './judge';
import type { MetricSample, Observation, SideMetrics } from './types';

/**
 * A seeded traffic simulator for judging judges: Poisson arrivals split by the canary's weight,
 * independent errors at each side's rate, log-normal latencies recorded into a Prometheus-style
 * histogram, sampled every policy interval with counts cumulative since the canary started.
 */
export interface Scenario {
  name: string;
  /** Total requests per second across canary and baseline. */
  requestsPerSecond: number;
  /** Share of requests sent to the canary (0.1 = 10 %). */
  canaryWeight: number;
  canaryErrorRate: number;
  baselineErrorRate: number;
  /** Median latencies (log-normal, σ = 0.4), default 40 ms for both. */
  canaryLatencyMs?: number;
  baselineLatencyMs?: number;
  /** A tail regression: this share of the canary's requests takes slowMs instead. */
  canarySlowShare?: number;
  slowMs?: number;
  durationMs: number;
  /** Baseline traffic (at the full rate) before the canary started, counted as the Prometheus provider's baselineLookbackMs does. */
  baselineHistoryMs?: number;
}

/** Judges a run as it goes; returns a reason once it aborts the canary. */
export type PolicyRun = (observations: readonly Observation[], now: number) => string | undefined;

export interface Policy {
  name: string;
  /** How often the policy looks at the metrics (ms). */
  intervalMs: number;
  start(): PolicyRun;
}

export interface RunResult {
  /** Time from the canary's start to the abort, or undefined when the run finished without one. */
  abortedAtMs: number | undefined;
  reason: string | undefined;
  /** Canary requests that failed before the abort (or the end). */
  failedCanaryRequests: number;
  canaryRequests: number;
  /** Canary requests slower than the latency limit (1 s) served before the abort (or the end). */
  slowCanaryRequests: number;
}

/** The sequential judge of this package as a policy. */
export function judgePolicy(config: JudgeConfig, intervalMs: number, name = 'sequential judge'): Policy {
  return {
    name,
    intervalMs,
    start: () => (observations, now) => {
      const verdict = judge(observations, config, now);
      return verdict.outcome === 'fail' ? verdict.reason : undefined;
    },
  };
}

export interface FixedThresholdOptions {
  /** Lowest acceptable success rate in one interval (0.99 = 99 %). */
  minSuccessRate: number;
  intervalMs: number;
  /** Failed checks before the rollback. */
  threshold: number;
}

/**
 * A fixed per-interval threshold as Flagger documents it (request-success-rate ≥ 99 % over a 1 m
 * interval, rollback after 5 failed checks): each interval's canary success rate is checked on
 * its own, and an interval with no canary requests counts as failed, as missing data does there.
 */
export function fixedThresholdPolicy(options: FixedThresholdOptions, name = 'fixed threshold'): Policy {
  return {
    name,
    intervalMs: options.intervalMs,
    start: () => {
      let failedChecks = 0;
      let previous = { requests: 0, errors: 0 };
      return (observations) => {
        const last = observations.at(-1);
        if (!last || !('sample' in last)) return undefined;
        const { requests, errors } = last.sample.canary;
        const interval = { requests: requests - previous.requests, errors: errors - previous.errors };
        previous = { requests, errors };
        const successRate = interval.requests > 0 ? 1 - interval.errors / interval.requests : 0;
        if (successRate < options.minSuccessRate) failedChecks++;
        return failedChecks >= options.threshold
          ? `${failedChecks} checks below ${options.minSuccessRate * 100} % success (last ${(successRate * 100).toFixed(1)} %)`
          : undefined;
      };
    },
  };
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function poisson(random: () => number, mean: number): number {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(random)));
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

/** The fixture app's histogram buckets, in ms. */
const BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, Infinity];
/** The judge's default latency limit (p95 ≤ 1 s), a bucket bound of the fixture app's histogram. */
const SLOW_BOUND_MS = 1000;

class SimulatedSide {
  requests = 0;
  errors = 0;
  private readonly counts = BUCKETS_MS.map(() => 0);

  constructor(
    private readonly random: () => number,
    private readonly errorRate: number,
    private readonly medianLatencyMs: number,
    private readonly slow: { share: number; ms: number } = { share: 0, ms: 0 },
  ) {}

  serve(requests: number): number {
    let errors = 0;
    for (let i = 0; i < requests; i++) {
      if (this.random() < this.errorRate) errors++;
      const latency =
        // Without a tail regression no draw is spent on one, so other scenarios keep their random sequence.
        this.slow.share > 0 && this.random() < this.slow.share
          ? this.slow.ms
          : this.medianLatencyMs * Math.exp(0.4 * normal(this.random));
      this.counts[BUCKETS_MS.findIndex((le) => latency <= le)]!++;
    }
    this.requests += requests;
    this.errors += errors;
    return errors;
  }

  tally(): { failedCanaryRequests: number; canaryRequests: number; slowCanaryRequests: number } {
    return {
      failedCanaryRequests: this.errors,
      canaryRequests: this.requests,
      slowCanaryRequests: this.metrics().slow!.slow,
    };
  }

  metrics(): SideMetrics {
    let cumulative = 0;
    const buckets: Bucket[] = BUCKETS_MS.map((le, i) => ({ le, count: (cumulative += this.counts[i]!) }));
    const fast = buckets.find((b) => b.le === SLOW_BOUND_MS)!.count;
    return {
      requests: this.requests,
      errors: this.errors,
      latencyMs: {
        p50: histogramQuantile(0.5, buckets),
        p95: histogramQuantile(0.95, buckets),
        p99: histogramQuantile(0.99, buckets),
      },
      slow: { slow: this.requests - fast, timed: this.requests, boundMs: SLOW_BOUND_MS },
    };
  }
}

/** One rollout of the scenario judged by the policy, second by second. */
export function simulateRun(scenario: Scenario, policy: Policy, seed: number): RunResult {
  const random = seededRandom(seed);
  const canary = new SimulatedSide(random, scenario.canaryErrorRate, scenario.canaryLatencyMs ?? 40, {
    share: scenario.canarySlowShare ?? 0,
    ms: scenario.slowMs ?? 0,
  });
  const baseline = new SimulatedSide(random, scenario.baselineErrorRate, scenario.baselineLatencyMs ?? 40);
  baseline.serve(poisson(random, (scenario.requestsPerSecond * (scenario.baselineHistoryMs ?? 0)) / 1000));
  const decide = policy.start();
  const observations: Observation[] = [];
  const stepMs = 1000;
  for (let now = stepMs; now <= scenario.durationMs; now += stepMs) {
    const requests = poisson(random, (scenario.requestsPerSecond * stepMs) / 1000);
    let toCanary = 0;
    for (let i = 0; i < requests; i++) if (random() < scenario.canaryWeight) toCanary++;
    canary.serve(toCanary);
    baseline.serve(requests - toCanary);
    if (now % policy.intervalMs !== 0) continue;
    const sample: MetricSample = { at: now, canary: canary.metrics(), baseline: baseline.metrics(), queries: [] };
    observations.push({ at: now, sample });
    const reason = decide(observations, now);
    if (reason) return { abortedAtMs: now, reason, ...canary.tally() };
  }
  return { abortedAtMs: undefined, reason: undefined, ...canary.tally() };
}

export interface SimulationSummary {
  runs: number;
  aborts: number;
  /** Median over all runs; Infinity when at least half of them never aborted. */
  medianAbortMs: number;
  medianFailedCanaryRequests: number;
  results: RunResult[];
}

/** Many seeded runs of one scenario under one policy (run i uses seed firstSeed + i). */
export function simulate(scenario: Scenario, policy: Policy, runs: number, firstSeed = 1): SimulationSummary {
  const results = Array.from({ length: runs }, (_, i) => simulateRun(scenario, policy, firstSeed + i));
  return {
    runs,
    aborts: results.filter((r) => r.abortedAtMs !== undefined).length,
    medianAbortMs: median(results.map((r) => r.abortedAtMs ?? Infinity)),
    medianFailedCanaryRequests: median(results.map((r) => r.failedCanaryRequests)),
    results,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface FloorQuestion {
  canaryRequestsPerSecond: number;
  baselineErrorRate: number;
  canaryErrorRate: number;
  falseAlarmRate: number;
  /** Give up after this long (default 1 h). */
  maxMs?: number;
}

export interface Floor {
  /** Earliest whole second at which the test could decide, half the time. */
  ms: number;
  canaryRequests: number;
  /** Errors the test needs to see to call the canary bad. */
  criticalErrors: number;
  /** Failed canary requests expected by then. */
  expectedFailedRequests: number;
}

/**
 * The statistical floor: the earliest time at which one exact binomial test on the canary's
 * requests so far, against a baseline error rate known perfectly, at the given false-alarm
 * rate, would detect the bad canary at least half the time. No judge that looks at the same
 * traffic and keeps the same false-alarm rate decides reliably sooner, the sequential one
 * included (it also has to estimate the baseline and may look at any moment).
 */
export function binomialTestFloor(question: FloorQuestion): Floor | undefined {
  const maxMs = question.maxMs ?? 3_600_000;
  for (let ms = 1000; ms <= maxMs; ms += 1000) {
    const n = Math.floor((question.canaryRequestsPerSecond * ms) / 1000);
    let critical = 0;
    while (critical <= n && binomialUpperTail(critical, n, question.baselineErrorRate) > question.falseAlarmRate)
      critical++;
    if (critical > n) continue;
    if (binomialUpperTail(critical, n, question.canaryErrorRate) >= 0.5) {
      return { ms, canaryRequests: n, criticalErrors: critical, expectedFailedRequests: n * question.canaryErrorRate };
    }
  }
  return undefined;
}
