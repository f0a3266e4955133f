/**
 * The few statistics the judge and the benchmark need, written out rather than pulled from a
 * library: a binomial tail, the error-split likelihood ratio and a histogram quantile are a
 * few dozen lines, and jstat or simple-statistics would add their whole bundle for them.
 */

/** x·log(y) with 0·log(anything) = 0, so zero counts never produce NaN. */
export function xlogy(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(y);
}

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

/**
 * Log-likelihood ratio of "the canary's error rate is `ratio` times the baseline's" against
 * "they are equal", from how the errors split between the two sides. Given the total number of
 * errors, each one is the canary's with probability s (its share of the requests) when the two
 * are equally good, and ratio·s / (ratio·s + 1 − s) when the canary is `ratio` times worse.
 * Conditioning on the total removes the unknown baseline rate; the baseline's own traffic
 * (including any history before the canary started) is what makes the split informative.
 * Zero when either side has no requests: the split then says nothing.
 */
export function errorSplitLogLikelihoodRatio(counts: ErrorCounts, ratio: number): number {
  const total = counts.canaryRequests + counts.baselineRequests;
  if (counts.canaryRequests <= 0 || counts.baselineRequests <= 0 || total <= 0) return 0;
  const share = counts.canaryRequests / total;
  const shareIfWorse = (ratio * share) / (ratio * share + 1 - share);
  return (
    xlogy(counts.canaryErrors, shareIfWorse / share) + xlogy(counts.baselineErrors, (1 - shareIfWorse) / (1 - share))
  );
}

export interface RatioWeight {
  ratio: number;
  weight: number;
}

/**
 * The log of a weighted average of likelihood ratios over several regression sizes. An average
 * of likelihood ratios is still one, so Wald's bound holds: under "no regression" the chance it
 * ever reaches log(1/α) is at most α, however often it is looked at. The mixture lets one test
 * catch a 2× and a 16× regression alike, each about as fast as a test tuned to it.
 */
export function mixtureLogLikelihoodRatio(counts: ErrorCounts, mixture: readonly RatioWeight[]): number {
  const totalWeight = mixture.reduce((sum, m) => sum + m.weight, 0);
  const terms = mixture.map((m) => Math.log(m.weight / totalWeight) + errorSplitLogLikelihoodRatio(counts, m.ratio));
  const max = Math.max(...terms);
  if (!Number.isFinite(max)) return max;
  return max + Math.log(terms.reduce((sum, t) => sum + Math.exp(t - max), 0));
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
