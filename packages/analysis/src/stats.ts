/**
 * The few statistics the judge and the benchmark need, written out rather than pulled from a
 * library: a binomial tail, its α spending by count and a histogram quantile are a few dozen
 * lines, and jstat or simple-statistics would add their whole bundle for them.
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

export function logBinomialPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n) return -Infinity;
  if (p <= 0) return k === 0 ? 0 : -Infinity;
  if (p >= 1) return k === n ? 0 : -Infinity;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/**
 * P(X ≥ k) for X ~ Binomial(n, p). Sums the smaller tail from k outwards with the pmf
 * recurrence and stops once terms no longer change the sum, so a call costs a few standard
 * deviations' worth of terms rather than n.
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  const from = Math.max(0, Math.ceil(k));
  if (from <= 0) return 1;
  if (from > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const odds = p / (1 - p);
  const upper = from > n * p;
  let i = upper ? from : from - 1;
  let term = Math.exp(logBinomialPmf(i, n, p));
  let sum = 0;
  while (i >= 0 && i <= n && term > 0) {
    sum += term;
    if (term < sum * 1e-17) break;
    if (upper) {
      term *= ((n - i) / (i + 1)) * odds;
      i++;
    } else {
      term *= i / (n - i + 1) / odds;
      i--;
    }
  }
  return upper ? Math.min(1, sum) : Math.max(0, 1 - sum);
}

export interface ErrorCounts {
  canaryRequests: number;
  canaryErrors: number;
  baselineRequests: number;
  baselineErrors: number;
}

/** Fewest bad requests (errors, or requests over a latency limit) any test fails a canary on: one or two are too easily chance. */
export const FIRST_DECISIVE_COUNT = 3;
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
export function alphaAtCount(count: number, falseAlarmRate: number): number {
  const x = Math.round(count);
  if (x < FIRST_DECISIVE_COUNT) return 0;
  if (x === FIRST_DECISIVE_COUNT) return falseAlarmRate * FIRST_COUNT_SHARE;
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
export function errorSplitTail(counts: ErrorCounts): number {
  if (counts.canaryRequests <= 0 || counts.baselineRequests <= 0) return 1;
  const canaryErrors = Math.round(counts.canaryErrors);
  const total = canaryErrors + Math.max(0, Math.round(counts.baselineErrors));
  return binomialUpperTail(
    canaryErrors,
    total,
    counts.canaryRequests / (counts.canaryRequests + counts.baselineRequests),
  );
}

/** One cumulative histogram bucket: count of observations ≤ le (Prometheus semantics). */
export interface Bucket {
  le: number;
  count: number;
}

/**
 * The q-quantile of a cumulative histogram, interpolated linearly inside the bucket it falls
 * in, as Prometheus's histogram_quantile does. undefined without observations.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | undefined {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let lowerLe = 0;
  let lowerCount = 0;
  for (const bucket of sorted) {
    if (bucket.count >= rank) {
      if (!Number.isFinite(bucket.le)) return lowerLe;
      const inBucket = bucket.count - lowerCount;
      return inBucket <= 0 ? bucket.le : lowerLe + ((bucket.le - lowerLe) * (rank - lowerCount)) / inBucket;
    }
    lowerLe = bucket.le;
    lowerCount = bucket.count;
  }
  return lowerLe;
}

/** The q-quantile of raw values (linear interpolation between closest ranks). */
export function quantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}
