/**
 * The shape every metric provider returns, so the judge never knows where numbers came from.
 * Prometheus and the HTTP probe implement it here; CloudWatch (GetMetricData on the load
 * balancer's RequestCount / HTTPCode_Target_5XX_Count / TargetResponseTime p95) and Datadog
 * (the metrics query API with the canary and baseline tags) fit the same contract: counts
 * cumulative since the window start, percentiles over the same span, and the exact query text
 * behind every number.
 */

export type Side = 'canary' | 'baseline';
export type Percentile = 'p50' | 'p95' | 'p99';
export type MetricName = 'requests' | 'errors' | Percentile;

/** Latency percentiles in milliseconds; a percentile is undefined when the source had no data for it. */
export type LatencyPercentiles = Partial<Record<Percentile, number>>;

/** One side's traffic since the window start: counts are cumulative, never per-interval. */
export interface SideMetrics {
  requests: number;
  /** Server errors (5xx, or a failed connection for probes). */
  errors: number;
  latencyMs: LatencyPercentiles;
}

/** The exact question asked of the source and the answer, kept so a verdict can show what decided. */
export interface QueryRecord {
  side: Side;
  metric: MetricName;
  /** The query text as sent (PromQL after templating, or a probe's description). */
  query: string;
  /** undefined when the source answered with no data. */
  value: number | undefined;
}

export interface MetricSample {
  /** When the sample was taken (ms since the epoch, from the provider's clock). */
  at: number;
  canary: SideMetrics;
  baseline: SideMetrics;
  queries: QueryRecord[];
}

/** The span a sample covers: from the canary's start to now (ms since the epoch). */
export interface SampleWindow {
  start: number;
  end: number;
}

export interface MetricProvider {
  /** A short name for logs and summaries ("prometheus", "http-probe"). */
  readonly name: string;
  /**
   * Checks the configuration against the source before any traffic moves (a query the source
   * cannot parse is an InputError). Providers with nothing to check resolve at once.
   */
  validate(): Promise<void>;
  /**
   * Counts and percentiles for both sides, cumulative over the window. Throws when the source
   * cannot answer (TransientError for an outage, InputError for a bad query).
   */
  sample(window: SampleWindow): Promise<MetricSample>;
  /** Releases whatever the provider holds (the probe's traffic loop). Safe to call twice. */
  close(): Promise<void>;
}

/** What the analysis loop saw at one moment: a sample, or the reason there was none. */
export type Observation = { at: number; sample: MetricSample } | { at: number; error: string };
