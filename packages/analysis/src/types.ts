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

/** Requests slower than a latency bound, counted exactly (histogram buckets or the probe's own timings). */
export interface SlowCount {
  /** Requests that took longer than boundMs ... */
  slow: number;
  /** ... out of this many timed requests. */
  timed: number;
  /** The exact bound: a histogram bucket's upper bound (le), or the limit itself for exact timings. */
  boundMs: number;
}

/** One side's traffic since the window start: counts are cumulative, never per-interval. */
export interface SideMetrics {
  requests: number;
  /** Server errors (5xx, or a failed connection for probes). */
  errors: number;
  latencyMs: LatencyPercentiles;
  /**
   * Series behind the request count; 0 means the selector matched nothing, which is not the same
   * as no traffic. undefined when the source cannot tell.
   */
  series?: number;
  /** When the source last saw the counted series (the latest scrape), for comparing with other counts. */
  observedAt?: number;
  slow?: SlowCount;
  /**
   * With a baseline lookback: the counts inside the window alone, so a baseline whose error
   * rate just changed is not judged on its older, steadier history.
   */
  inWindow?: { requests: number; errors: number };
}

/** The exact question asked of the source and the answer, kept so a verdict can show what decided. */
export interface QueryRecord {
  side: Side;
  /** slow: requests over the latency bound; series: how many series the selector matched; router: the router's own counters. */
  metric: MetricName | 'slow' | 'series' | 'router';
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
   * Checks that the source can see the canary (its selector matches series), once the canary is
   * deployed and before it gets traffic. Providers that measure the canary directly have none.
   */
  validateCanary?(): Promise<void>;
  /**
   * Counts and percentiles for both sides, cumulative over the window. Throws when the source
   * cannot answer (TransientError for an outage, InputError for a bad query).
   */
  sample(window: SampleWindow): Promise<MetricSample>;
  /** Releases whatever the provider holds (the probe's traffic loop). Safe to call twice. */
  close(): Promise<void>;
}

/** Requests a router (HAProxy) sent to each side since the canary started, from its own counters. */
export interface RouterCounts {
  /** When the counters were read (ms since the epoch). */
  at: number;
  /** Where they come from, e.g. "HAProxy show stat app/green". */
  source: { canary: string; baseline: string };
  canary: { requests: number; errors: number };
  baseline: { requests: number; errors: number };
}

/**
 * What the analysis loop saw at one moment: a sample, or the reason there was none, with the
 * router's counters read at the same moment where the target has them.
 */
export type Observation =
  { at: number; sample: MetricSample; router?: RouterCounts } | { at: number; error: string; router?: RouterCounts };
