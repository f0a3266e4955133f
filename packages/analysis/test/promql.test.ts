import { describe, expect, test } from '@jest/globals';
import { InputError } from '@deploy-actions/core';
import { checkPromQL, CounterTracker, PrometheusProvider, promDuration, renderQuery } from '@deploy-actions/analysis';

describe('checkPromQL: clear errors before Prometheus is asked', () => {
  test.each([
    ['sum(rate(http_requests_total{ {{selector}} }[{{window}}]))', undefined],
    ['sum by (le) (x{a="(", b=~"[{"})', undefined],
    ['', 'the query is empty'],
    ['sum(rate(x[5m])', '( at column 4 is never closed'],
    ['sum(x{a="b")}', '{ at column 6 closed by ) at column 12'],
    ['x{a="b}', 'unclosed " quote at column 5'],
    ['x]', 'unexpected ] at column 2'],
    ['x{ {{selectr}} }', 'unknown placeholder {{selectr}} (known: {{selector}}, {{window}})'],
  ])('%s', (query, problem) => {
    expect(checkPromQL(query)).toBe(problem);
  });

  test('renderQuery fills the placeholders; promDuration rounds up to seconds', () => {
    expect(
      renderQuery('increase(x{ {{selector}} }[{{ window }}])', {
        selector: 'track="canary"',
        window: promDuration(90_001),
      }),
    ).toBe('increase(x{ track="canary" }[91s])');
  });

  test('a provider with an unparsable query or selector is bad input naming the input', () => {
    expect(
      () =>
        new PrometheusProvider({
          url: 'http://127.0.0.1:1',
          canarySelector: 'track="canary"',
          baselineSelector: 'track="baseline"',
          queries: { errors: 'sum(x' },
          inputName: 'query-errors',
        }),
    ).toThrow(
      new InputError(
        'query-errors',
        'the errors query cannot be parsed: ( at column 4 is never closed',
        'correct the PromQL',
      ),
    );
    expect(
      () =>
        new PrometheusProvider({
          url: 'http://127.0.0.1:1',
          canarySelector: '{track="canary"}',
          baselineSelector: 'track="baseline"',
        }),
    ).toThrow(/Input 'canary-selector': '\{track="canary"\}' is not a list of label matchers/);
  });

  test('the built-in queries as they are sent', () => {
    const provider = new PrometheusProvider({
      url: 'http://127.0.0.1:1',
      canarySelector: 'track="canary"',
      baselineSelector: 'track="baseline"',
      baselineLookbackMs: 600_000,
    });
    const window = { start: 0, end: 95_000 };
    expect(provider.queryFor('canary', 'requests', window)).toBe('http_requests_total{track="canary"}');
    expect(provider.queryFor('canary', 'errors', window)).toBe('http_requests_total{track="canary",code=~"5.."}');
    expect(provider.queryFor('canary', 'p95', window)).toBe(
      'histogram_quantile(0.95, sum by (le) (increase(http_request_duration_seconds_bucket{ track="canary" }[95s])))',
    );
    expect(provider.queryFor('baseline', 'p99', window)).toBe(
      'histogram_quantile(0.99, sum by (le) (increase(http_request_duration_seconds_bucket{ track="baseline" }[695s])))',
    );
  });
});

describe('CounterTracker: whole counts since the start snapshot', () => {
  const values = (entries: Record<string, number>): Map<string, number> => new Map(Object.entries(entries));

  test('counts increases from the snapshot, restarts from zero, and series born later from zero', () => {
    const tracker = new CounterTracker();
    tracker.seed(values({ a: 100, b: 7 }));
    expect(tracker.update(values({ a: 110, b: 7 }))).toBe(10);
    // a restarted: it counted 4 since; c appeared with 3.
    expect(tracker.update(values({ a: 4, b: 9, c: 3 }))).toBe(10 + 4 + 2 + 3);
    // a series missing from one answer keeps what it counted.
    expect(tracker.update(values({ a: 6 }))).toBe(21);
  });
});
