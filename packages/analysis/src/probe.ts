import { abortReason, type Clock, redactUrl, request, systemClock } from '@deploy-actions/core';
import { quantile } from './stats';
import type { MetricProvider, MetricSample, QueryRecord, SampleWindow, Side, SideMetrics } from './types';

export interface HttpProbeConfig {
  canaryUrl: string;
  baselineUrl: string;
  /** Requests per second sent to each side. */
  ratePerSecond: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** A request without a complete answer in this time counts as an error (default 5 s). */
  timeoutMs?: number;
  /** Requests in flight per side beyond which a tick is skipped rather than piling up (default 32). */
  maxInFlight?: number;
  /** The latency limit (ms): answers slower than it are counted, exactly, for the judge's share test. */
  slowerThanMs?: number;
  clock?: Clock;
}

interface Tally {
  requests: number;
  errors: number;
  latenciesMs: number[];
  inFlight: number;
}

/**
 * For teams with no metrics system: the action itself sends the same request to the canary and
 * the baseline at a steady rate and counts what comes back. A 5xx, a reset or a timeout is an
 * error; latency is measured to the last byte of the body. Latencies are kept whole (8 bytes
 * each, about 1.4 MB for an hour at 50 req/s) so the percentiles are exact.
 */
export class HttpProbeProvider implements MetricProvider {
  readonly name = 'http-probe';
  private readonly clock: Clock;
  private readonly tallies: Record<Side, Tally> = {
    canary: { requests: 0, errors: 0, latenciesMs: [], inFlight: 0 },
    baseline: { requests: 0, errors: 0, latenciesMs: [], inFlight: 0 },
  };
  private readonly pending = new Set<Promise<void>>();
  private readonly stopper = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly config: HttpProbeConfig) {
    this.clock = config.clock ?? systemClock;
  }

  async validate(): Promise<void> {}

  /** Starts sending traffic; counts run from here. Calling it again does nothing. */
  start(): void {
    this.loop ??= this.run();
  }

  async sample(window: SampleWindow): Promise<MetricSample> {
    this.start();
    const queries: QueryRecord[] = [];
    const side = (which: Side): SideMetrics => {
      const tally = this.tallies[which];
      const what = `${this.config.method ?? 'GET'} ${redactUrl(which === 'canary' ? this.config.canaryUrl : this.config.baselineUrl)} at ${this.config.ratePerSecond} req/s`;
      const latencyMs = {
        p50: quantile(tally.latenciesMs, 0.5),
        p95: quantile(tally.latenciesMs, 0.95),
        p99: quantile(tally.latenciesMs, 0.99),
      };
      queries.push(
        { side: which, metric: 'requests', query: `${what}: requests answered`, value: tally.requests },
        { side: which, metric: 'errors', query: `${what}: 5xx, resets and timeouts`, value: tally.errors },
        ...(['p50', 'p95', 'p99'] as const).map((p) => ({
          side: which,
          metric: p,
          query: `${what}: ${p} latency to last byte (ms)`,
          value: latencyMs[p],
        })),
      );
      const bound = this.config.slowerThanMs;
      if (!bound) return { requests: tally.requests, errors: tally.errors, latencyMs };
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
  async close(): Promise<void> {
    this.stopper.abort(new Error('probe closed'));
    await this.loop;
    await Promise.all([...this.pending]);
  }

  private async run(): Promise<void> {
    const intervalMs = 1000 / this.config.ratePerSecond;
    const started = this.clock.now();
    for (let tick = 0; !this.stopper.signal.aborted; tick++) {
      for (const side of ['canary', 'baseline'] as const) this.send(side);
      const wait = started + (tick + 1) * intervalMs - this.clock.now();
      try {
        await this.clock.sleep(Math.max(0, wait), this.stopper.signal);
      } catch (error) {
        if (error !== abortReason(this.stopper.signal)) throw error;
      }
    }
  }

  private send(side: Side): void {
    const tally = this.tallies[side];
    if (tally.inFlight >= (this.config.maxInFlight ?? 32)) return;
    tally.inFlight++;
    const exchange = request({
      url: side === 'canary' ? this.config.canaryUrl : this.config.baselineUrl,
      method: this.config.method,
      headers: this.config.headers,
      body: this.config.body,
      timeoutMs: this.config.timeoutMs ?? 5000,
    })
      .then(
        (response) => {
          tally.requests++;
          if (response.status >= 500) tally.errors++;
          tally.latenciesMs.push(response.durationMs);
        },
        () => {
          tally.requests++;
          tally.errors++;
        },
      )
      .finally(() => {
        tally.inFlight--;
        this.pending.delete(exchange);
      });
    this.pending.add(exchange);
  }
}
