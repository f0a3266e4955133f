import { describe, expect, test } from '@jest/globals';
import {
  alphaAtCount,
  binomialUpperTail,
  errorSplitTail,
  histogramQuantile,
  logBinomialPmf,
  logGamma,
  quantile,
} from '@deploy-actions/analysis';
import { seededRandom } from '@deploy-actions/analysis/simulate';

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

describe('α spending by count', () => {
  test('nothing below 3, 60 % at the 3rd, the rest over the 4th, 5th, … summing to the whole budget', () => {
    expect(alphaAtCount(0, 0.005)).toBe(0);
    expect(alphaAtCount(2, 0.005)).toBe(0);
    expect(alphaAtCount(3, 0.005)).toBeCloseTo(0.003, 15);
    expect(alphaAtCount(4, 0.005)).toBeCloseTo(0.001, 15);
    expect(alphaAtCount(5, 0.005)).toBeCloseTo(0.002 / 6, 15);
    let sum = 0;
    for (let x = 0; x <= 1_000_000; x++) sum += alphaAtCount(x, 0.005);
    expect(sum).toBeLessThanOrEqual(0.005);
    expect(sum).toBeGreaterThan(0.005 * 0.99999);
  });

  test('fails a good canary at most α(x) of the time at each count, checked at every request (exact, by simulation)', () => {
    // A good canary erring 0.5 % against a perfectly known baseline: at each count x the test fails
    // once P(≥ x errors in n requests) ≤ α(x). The share of 200,000 runs of 2,000 requests failed
    // at each count must stay under that count's budget (plus three standard errors).
    const random = seededRandom(11);
    const runs = 200_000;
    const failedAt = new Map<number, number>();
    for (let run = 0; run < runs; run++) {
      let errors = 0;
      // The next error's request number, drawn directly: gaps between errors are geometric.
      for (let n = 0; ;) {
        n += Math.ceil(Math.log(1 - random()) / Math.log(1 - 0.005));
        if (n > 2000) break;
        errors++;
        if (binomialUpperTail(errors, n, 0.005) <= alphaAtCount(errors, 0.005)) {
          failedAt.set(errors, (failedAt.get(errors) ?? 0) + 1);
          break;
        }
      }
    }
    let total = 0;
    for (const [x, failed] of failedAt) {
      const budget = alphaAtCount(x, 0.005);
      expect(failed / runs).toBeLessThanOrEqual(budget + 3 * Math.sqrt(budget / runs));
      total += failed;
    }
    expect(total / runs).toBeLessThanOrEqual(0.005);
    // The 3rd error is where most of the budget goes, and it is used: the test is not needlessly strict.
    expect((failedAt.get(3) ?? 0) / runs).toBeGreaterThan(0.001);
  });
});

describe('error split', () => {
  test("given the total, each error is the canary's with probability equal to its share of the requests", () => {
    // Equal traffic, 3 of 4 errors on the canary: P(Bin(4, 1/2) ≥ 3) = 5/16.
    const counts = { canaryRequests: 10, canaryErrors: 3, baselineRequests: 10, baselineErrors: 1 };
    expect(errorSplitTail(counts)).toBeCloseTo(5 / 16, 12);
    // A tenth of the traffic and every one of 3 errors: 0.1³.
    expect(
      errorSplitTail({ canaryRequests: 100, canaryErrors: 3, baselineRequests: 900, baselineErrors: 0 }),
    ).toBeCloseTo(0.001, 12);
  });

  test('no information without traffic on both sides; fractional counts from increase() are rounded', () => {
    expect(errorSplitTail({ canaryRequests: 10, canaryErrors: 5, baselineRequests: 0, baselineErrors: 0 })).toBe(1);
    expect(errorSplitTail({ canaryRequests: 0, canaryErrors: 0, baselineRequests: 10, baselineErrors: 2 })).toBe(1);
    expect(
      errorSplitTail({ canaryRequests: 10, canaryErrors: 2.9, baselineRequests: 10, baselineErrors: 1.1 }),
    ).toBeCloseTo(5 / 16, 12);
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
