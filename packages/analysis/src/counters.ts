/**
 * Counts since a start snapshot, series by series, the way Prometheus's rate() treats counters
 * but without its extrapolation: a value below the last one is a restart (the counter began
 * again from zero), and a series that appears after the start counted from zero. The totals stay
 * whole numbers of requests, which is what the sequential error test needs; increase() over the
 * canary's lifetime extrapolates to the window edges and returns fractions.
 */
export class CounterTracker {
  private readonly series = new Map<string, { last: number; total: number }>();
  private seeded = false;

  /** The values at the start: what each series had already counted before the window. */
  seed(values: ReadonlyMap<string, number>): void {
    for (const [key, value] of values) this.series.set(key, { last: value, total: 0 });
    this.seeded = true;
  }

  get isSeeded(): boolean {
    return this.seeded;
  }

  /** Folds in the current values and returns the total counted since the start. */
  update(values: ReadonlyMap<string, number>): number {
    for (const [key, value] of values) {
      const known = this.series.get(key);
      if (!known) this.series.set(key, { last: value, total: value });
      else {
        known.total += value >= known.last ? value - known.last : value;
        known.last = value;
      }
    }
    return this.total();
  }

  total(): number {
    let sum = 0;
    for (const { total } of this.series.values()) sum += total;
    return sum;
  }
}
