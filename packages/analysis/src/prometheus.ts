import {
  type Clock,
  InputError,
  PermanentError,
  request,
  retry,
  statusError,
  systemClock,
  TransientError,
} from '@deploy-actions/core';
import { CounterTracker } from './counters';
import { promDuration, prometheusInputProblem, renderQuery, withMatchers } from './promql';
import type {
  MetricName,
  MetricProvider,
  MetricSample,
  Percentile,
  QueryRecord,
  SampleWindow,
  Side,
  SideMetrics,
} from './types';

export interface PrometheusConfig {
  /** Base URL of the Prometheus HTTP API (http://prometheus:9090). */
  url: string;
  /** Extra request headers, e.g. authorization; register their values as secrets before use. */
  headers?: Record<string, string>;
  /** Label matchers that pick each side's series: `track="canary"`, `version="v2"`. */
  canarySelector: string;
  baselineSelector: string;
  /**
   * Query templates replacing the built-in ones, with {{selector}} (the side's matchers) and
   * {{window}} (the span since the canary started, as a PromQL duration). Counts must be
   * cumulative over {{window}}, e.g. `sum(increase(app_requests_total{ {{selector}} }[{{window}}]))`;
   * percentiles in seconds.
   */
  queries?: Partial<Record<MetricName, string>>;
  /** Counter of requests with a `code` label (default http_requests_total). */
  requestsMetric?: string;
  /** Histogram of request durations in seconds (default http_request_duration_seconds). */
  durationMetric?: string;
  /** Matcher for the status codes that count as errors (default `code=~"5.."`). */
  errorMatcher?: string;
  /**
   * Also count the baseline's traffic from this long before the canary started: the stable
   * version's error rate is then known better, so the error test decides sooner. Assumes the
   * baseline's error rate was steady over that time.
   */
  baselineLookbackMs?: number;
  /**
   * Request paths left out of the built-in queries (health checks are not user traffic), matched
   * exactly on the `pathLabel` label. Custom queries are taken as written.
   */
  excludePaths?: readonly string[];
  /** The label holding the request path (default `path`; `handler`, `route` or `uri` in some libraries). */
  pathLabel?: string;
  /**
   * The latency limit (ms): requests slower than it are counted from the histogram's buckets,
   * at the smallest bucket bound at or above it, so the judge weighs the share of slow requests.
   */
  slowerThanMs?: number;
  /** The input named in errors about a query (default "queries"). */
  inputName?: string;
  timeoutMs?: number;
  clock?: Clock;
}

type Mode = { kind: 'counter'; query: string } | { kind: 'instant'; template: string };

interface PrometheusResult {
  resultType: string;
  result: unknown;
}

const QUANTILES: Record<Percentile, number> = { p50: 0.5, p95: 0.95, p99: 0.99 };

/**
 * Metrics from Prometheus's HTTP API (/api/v1/query). Built-in request and error counts are
 * per-series deltas of http_requests_total from a snapshot at the canary's start (see
 * CounterTracker); percentiles come from histogram_quantile over increase() of the duration
 * histogram since the start. Custom queries replace any of them.
 */
export class PrometheusProvider implements MetricProvider {
  readonly name = 'prometheus';
  private readonly config: Required<Omit<PrometheusConfig, 'headers' | 'queries' | 'clock'>> & PrometheusConfig;
  private readonly clock: Clock;
  private readonly trackers = new Map<string, CounterTracker>();
  /** Series the built-in request counter matched at the last sample, per side. */
  private readonly seriesSeen = new Map<Side, number>();
  /** The `le` label value of the bucket used to count slow requests, exactly as Prometheus has it. */
  private slowBucket: { le: string; boundMs: number } | undefined;

  constructor(config: PrometheusConfig) {
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
    this.clock = config.clock ?? systemClock;
    const problem = prometheusInputProblem(
      config.queries ?? {},
      { canary: config.canarySelector, baseline: config.baselineSelector },
      this.config.inputName,
    );
    if (problem) throw new InputError(...problem);
  }

  /** The query behind each metric for one side, as it will be sent for the given window. */
  queryFor(side: Side, metric: MetricName, window: SampleWindow): string {
    const mode = this.mode(side, metric);
    return mode.kind === 'counter'
      ? mode.query
      : renderQuery(mode.template, { selector: this.selector(side), window: promDuration(this.span(side, window)) });
  }

  /**
   * Prometheus parses every query, and the baseline selector matches series (the canary may not
   * exist yet: see validateCanary). Also picks the histogram bucket slow requests are counted at.
   */
  async validate(): Promise<void> {
    const now = this.clock.now();
    const window = { start: now - 60_000, end: now };
    for (const side of ['canary', 'baseline'] as const) {
      for (const metric of ['requests', 'errors', 'p50', 'p95', 'p99'] as const) {
        await this.query(this.queryFor(side, metric, window), now);
      }
    }
    await this.expectSeries('baseline');
    if (this.config.slowerThanMs > 0 && !this.config.queries?.p95) this.slowBucket = await this.findSlowBucket(now);
  }

  /** The canary selector matches series; called once the canary is deployed, before it gets traffic. */
  async validateCanary(): Promise<void> {
    await this.expectSeries('canary');
  }

  private async expectSeries(side: Side): Promise<void> {
    const query = `count({${this.selector(side)}})`;
    const value = single(await this.query(query, this.clock.now()), query, `${side}-selector`, 'requests');
    if (!value)
      throw new InputError(
        `${side}-selector`,
        `'${this.selector(side)}' matches no series in Prometheus (${query} is empty)${side === 'canary' ? ' with the canary deployed' : ''}`,
        `select the ${side}'s series by labels its targets really have (look at /api/v1/targets), e.g. ${side === 'canary' ? 'slot="{{canary-slot}}"' : 'slot="{{stable-slot}}"'}`,
      );
  }

  /** The smallest bucket bound at or above the latency limit, among the buckets the baseline reports. */
  private async findSlowBucket(at: number): Promise<{ le: string; boundMs: number } | undefined> {
    const query = `count by (le) (${withMatchers(`${this.config.durationMetric}_bucket`, this.config.baselineSelector)})`;
    const data = await this.query(query, at);
    if (data.resultType !== 'vector' || !Array.isArray(data.result)) return undefined;
    const bounds = (data.result as Array<{ metric: Record<string, string> }>)
      .map((item) => ({ le: item.metric.le ?? '', boundMs: Number(item.metric.le) * 1000 }))
      .filter((b) => Number.isFinite(b.boundMs) && b.boundMs >= this.config.slowerThanMs - 1e-6)
      .sort((a, b) => a.boundMs - b.boundMs);
    return bounds[0];
  }

  async sample(window: SampleWindow): Promise<MetricSample> {
    const queries: QueryRecord[] = [];
    const side = async (which: Side): Promise<SideMetrics> => {
      const [requests, errors, p50, p95, p99] = await Promise.all(
        (['requests', 'errors', 'p50', 'p95', 'p99'] as const).map(async (metric) => {
          const record = await this.measure(which, metric, window);
          queries.push(record);
          return record.value;
        }),
      );
      const toMs = (seconds: number | undefined): number | undefined =>
        seconds === undefined ? undefined : seconds * 1000;
      const metrics: SideMetrics = {
        requests: requests ?? 0,
        errors: errors ?? 0,
        latencyMs: { p50: toMs(p50), p95: toMs(p95), p99: toMs(p99) },
        series: this.seriesSeen.get(which) ?? (requests === undefined ? 0 : 1),
      };
      const extra = await this.extras(which, window, queries);
      return { ...metrics, ...extra };
    };
    const [canary, baseline] = await Promise.all([side('canary'), side('baseline')]);
    const order = (q: QueryRecord): number =>
      (q.side === 'canary' ? 0 : 10) + ['requests', 'errors', 'series', 'slow', 'p50', 'p95', 'p99'].indexOf(q.metric);
    return { at: window.end, canary, baseline, queries: queries.sort((a, b) => order(a) - order(b)) };
  }

  async close(): Promise<void> {}

  /**
   * Beyond counts and percentiles: when the counted series were last scraped, slow requests from
   * the histogram bucket at the latency limit, and the baseline's counts inside the window alone.
   */
  private async extras(side: Side, window: SampleWindow, queries: QueryRecord[]): Promise<Partial<SideMetrics>> {
    const extra: Partial<SideMetrics> = {};
    const builtIn = this.mode(side, 'requests').kind === 'counter';
    if (builtIn) {
      const query = `max(timestamp(${this.queryFor(side, 'requests', window)}))`;
      const seconds = single(await this.query(query, window.end), query, this.config.inputName, 'requests');
      if (seconds !== undefined) extra.observedAt = seconds * 1000;
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
      const count = withMatchers(`${this.config.durationMetric}_count`, this.selector(side), this.excludeMatcher());
      const within = withMatchers(histogram, this.selector(side), this.excludeMatcher(), `le="${le}"`);
      const timed = await this.count(`${side}:timed`, count, window.end, window.end - this.span(side, window));
      const fast = await this.count(`${side}:fast`, within, window.end, window.end - this.span(side, window));
      extra.slow = { slow: Math.max(0, timed - fast), timed, boundMs };
      queries.push({ side, metric: 'slow', query: `${count} - ${within}`, value: extra.slow.slow });
    }
    if (
      side === 'baseline' &&
      this.config.baselineLookbackMs > 0 &&
      builtIn &&
      this.mode(side, 'errors').kind === 'counter'
    ) {
      const requests = await this.count(
        'baseline:requests:window',
        this.queryFor(side, 'requests', window),
        window.end,
        window.start,
      );
      const errors = await this.count(
        'baseline:errors:window',
        this.queryFor(side, 'errors', window),
        window.end,
        window.start,
      );
      extra.inWindow = { requests, errors };
    }
    return extra;
  }

  /** A counter's total since `from`, series by series (see CounterTracker). */
  private async count(key: string, query: string, at: number, from: number): Promise<number> {
    let tracker = this.trackers.get(key);
    if (!tracker) {
      tracker = new CounterTracker();
      tracker.seed(seriesValues(await this.query(query, from)));
      this.trackers.set(key, tracker);
    }
    const values = seriesValues(await this.query(query, at));
    if (key.endsWith(':requests')) this.seriesSeen.set(key.startsWith('canary') ? 'canary' : 'baseline', values.size);
    return tracker.update(values);
  }

  /** Leaves health-check paths out of the built-in queries. */
  private excludeMatcher(): string {
    const paths = this.config.excludePaths;
    if (!paths.length) return '';
    const regex = paths.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    return `${this.config.pathLabel}!~"${regex.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  }

  private selector(side: Side): string {
    return side === 'canary' ? this.config.canarySelector : this.config.baselineSelector;
  }

  private span(side: Side, window: SampleWindow): number {
    return window.end - window.start + (side === 'baseline' ? this.config.baselineLookbackMs : 0);
  }

  private mode(side: Side, metric: MetricName): Mode {
    const custom = this.config.queries?.[metric];
    if (custom) return { kind: 'instant', template: custom };
    const { requestsMetric, durationMetric, errorMatcher } = this.config;
    const exclude = this.excludeMatcher();
    if (metric === 'requests')
      return { kind: 'counter', query: withMatchers(requestsMetric, this.selector(side), exclude) };
    if (metric === 'errors')
      return { kind: 'counter', query: withMatchers(requestsMetric, this.selector(side), errorMatcher, exclude) };
    return {
      kind: 'instant',
      template: `histogram_quantile(${QUANTILES[metric]}, sum by (le) (increase(${durationMetric}_bucket{ {{selector}}${exclude ? `, ${exclude}` : ''} }[{{window}}])))`,
    };
  }

  private async measure(side: Side, metric: MetricName, window: SampleWindow): Promise<QueryRecord> {
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
  private async query(query: string, at: number): Promise<PrometheusResult> {
    const url = new URL('api/v1/query', this.config.url.endsWith('/') ? this.config.url : `${this.config.url}/`);
    url.searchParams.set('query', query);
    url.searchParams.set('time', (at / 1000).toFixed(3));
    return retry(
      async () => {
        const response = await request({
          url: url.toString(),
          headers: this.config.headers,
          timeoutMs: this.config.timeoutMs,
        });
        let body: { status?: string; errorType?: string; error?: string; data?: PrometheusResult } | undefined;
        try {
          body = response.json() as typeof body;
        } catch {
          body = undefined;
        }
        if (response.status === 400 && body?.errorType === 'bad_data') {
          throw new InputError(
            this.config.inputName,
            `Prometheus rejects the query ${query}: ${body.error ?? 'bad_data'}`,
            'correct the PromQL',
          );
        }
        if (response.status >= 300) throw statusError(response, `Prometheus query ${query}`);
        if (body?.status !== 'success' || !body.data)
          throw new TransientError(`Prometheus query ${query}: unexpected answer ${response.text().slice(0, 200)}`);
        return body.data;
      },
      {
        timeoutMs: Math.min(5_000, this.config.timeoutMs),
        initialDelayMs: 200,
        clock: this.clock,
        what: `Prometheus at ${url.origin}`,
      },
    );
  }
}

/** The series of a vector result by their label sets, for counter tracking. */
function seriesValues(data: PrometheusResult): Map<string, number> {
  const values = new Map<string, number>();
  if (data.resultType !== 'vector' || !Array.isArray(data.result)) return values;
  for (const item of data.result as Array<{ metric: Record<string, string>; value: [number, string] }>) {
    const key = JSON.stringify(Object.entries(item.metric).sort(([a], [b]) => a.localeCompare(b)));
    const value = Number(item.value[1]);
    if (Number.isFinite(value)) values.set(key, value);
  }
  return values;
}

/** The one number a custom or percentile query returns; no data or NaN is undefined. */
function single(data: PrometheusResult, query: string, inputName: string, metric: MetricName): number | undefined {
  let raw: string | undefined;
  if (data.resultType === 'scalar') raw = (data.result as [number, string])[1];
  else if (data.resultType === 'vector') {
    const result = data.result as Array<{ value: [number, string] }>;
    if (result.length > 1)
      throw new InputError(
        inputName,
        `the ${metric} query returns ${result.length} series: ${query}`,
        'aggregate it to one value, e.g. wrap it in sum()',
      );
    raw = result[0]?.value[1];
  } else throw new PermanentError(`Prometheus query ${query}: a ${data.resultType} result, expected one value`);
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(value) ? value : undefined;
}
