import { describe, expect, test } from '@jest/globals';
import {
  binomialUpperTail,
  errorSplitLogLikelihoodRatio,
  histogramQuantile,
  logBinomialPmf,
  logGamma,
  mixtureLogLikelihoodRatio,
  quantile,
} from '@deploy-actions/analysis';

describe('special functions against known values', () => {
  test('logGamma matches factorials and Γ(1/2) = √π', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(21)).toBeCloseTo(Math.log(2432902008176640000), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  test('binomial pmf and upper tail', () => {
    expect(Math.exp(logBinomialPmf(3, 10, 0.5))).toBeCloseTo(120 / 1024, 12);
    expect(binomialUpperTail(3, 10, 0.5)).toBeCloseTo(0.9453125, 12);
    expect(binomialUpperTail(1, 100, 0.01)).toBeCloseTo(1 - 0.99 ** 100, 12);
    // P(X ≤ 7) for n = 20, p = 0.3 is 0.77227 in the standard tables.
    expect(binomialUpperTail(8, 20, 0.3)).toBeCloseTo(1 - 0.7722718, 6);
    expect(binomialUpperTail(0, 5, 0.2)).toBe(1);
    expect(binomialUpperTail(6, 5, 0.2)).toBe(0);
    expect(binomialUpperTail(1, 5, 0)).toBe(0);
  });
});

describe('error-split likelihood ratio', () => {
  test("equal traffic: each error is the canary's with probability ratio/(ratio+1) if it is worse", () => {
    const counts = { canaryRequests: 10, canaryErrors: 1, baselineRequests: 10, baselineErrors: 1 };
    // share 1/2; at ratio 3 a canary error has probability 3/4: ln(0.75/0.5) + ln(0.25/0.5)
    expect(errorSplitLogLikelihoodRatio(counts, 3)).toBeCloseTo(Math.log(0.75), 12);
  });

  test('no information without traffic on both sides', () => {
    expect(
      errorSplitLogLikelihoodRatio({ canaryRequests: 10, canaryErrors: 5, baselineRequests: 0, baselineErrors: 0 }, 4),
    ).toBe(0);
    expect(
      errorSplitLogLikelihoodRatio({ canaryRequests: 0, canaryErrors: 0, baselineRequests: 10, baselineErrors: 2 }, 4),
    ).toBe(0);
  });

  test('a one-component mixture is the plain ratio; a mixture lies between its components', () => {
    const counts = { canaryRequests: 100, canaryErrors: 5, baselineRequests: 900, baselineErrors: 4 };
    expect(mixtureLogLikelihoodRatio(counts, [{ ratio: 8, weight: 3 }])).toBeCloseTo(
      errorSplitLogLikelihoodRatio(counts, 8),
      12,
    );
    const two = mixtureLogLikelihoodRatio(counts, [
      { ratio: 2, weight: 1 },
      { ratio: 16, weight: 1 },
    ]);
    const a = errorSplitLogLikelihoodRatio(counts, 2);
    const b = errorSplitLogLikelihoodRatio(counts, 16);
    expect(two).toBeCloseTo(Math.log((Math.exp(a) + Math.exp(b)) / 2), 12);
  });
});

describe('quantiles', () => {
  test('histogramQuantile interpolates inside the bucket as Prometheus does', () => {
    const buckets = [
      { le: 0.1, count: 10 },
      { le: 0.2, count: 20 },
      { le: Infinity, count: 20 },
    ];
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.1, 12);
    expect(histogramQuantile(0.75, buckets)).toBeCloseTo(0.15, 12);
    expect(histogramQuantile(0.25, buckets)).toBeCloseTo(0.05, 12);
    // Falling into +Inf returns the highest finite bound.
    expect(
      histogramQuantile(0.99, [
        { le: 1, count: 1 },
        { le: Infinity, count: 10 },
      ]),
    ).toBe(1);
    expect(
      histogramQuantile(0.5, [
        { le: 1, count: 0 },
        { le: Infinity, count: 0 },
      ]),
    ).toBeUndefined();
  });

  test('quantile of raw values', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([10, 20], 0.95)).toBeCloseTo(19.5, 12);
    expect(quantile([], 0.5)).toBeUndefined();
  });
});
