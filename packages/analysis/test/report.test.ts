import { describe, expect, test } from '@jest/globals';
import { analysisChart, evidenceMarkdown, type Observation, stepTable, type Verdict } from '@deploy-actions/analysis';

const side = (requests: number, errors: number, p95?: number) => ({
  requests,
  errors,
  latencyMs: p95 === undefined ? {} : { p95 },
});
const observation = (
  seconds: number,
  canary: ReturnType<typeof side>,
  baseline: ReturnType<typeof side>,
): Observation => ({ at: seconds * 1000, sample: { at: seconds * 1000, canary, baseline, queries: [] } });

describe('analysisChart', () => {
  test('charts per-interval error rate and latency, canary line first', () => {
    const chart = analysisChart(
      [
        observation(10, side(20, 0, 40), side(180, 1, 38)),
        { at: 15_000, error: 'down' },
        observation(20, side(40, 2, 45), side(360, 1, 39)),
      ],
      0,
    );
    expect(chart).toBe(
      [
        '```mermaid',
        'xychart-beta',
        '  title "Error rate per interval: canary (1st line) vs baseline (2nd line)"',
        '  x-axis ["0:10", "0:20"]',
        '  y-axis "errors (%)" 0 --> 11',
        '  line [0, 10]',
        '  line [0.56, 0]',
        '```',
        '',
        '```mermaid',
        'xychart-beta',
        '  title "p95 latency since start: canary (1st line) vs baseline (2nd line)"',
        '  x-axis ["0:10", "0:20"]',
        '  y-axis "p95 (ms)" 0 --> 49.5',
        '  line [40, 45]',
        '  line [38, 39]',
        '```',
        '',
      ].join('\n'),
    );
  });

  test('thins long rollouts to the point budget and says when there is nothing to chart', () => {
    const many = Array.from({ length: 100 }, (_, i) =>
      observation(i + 1, side((i + 1) * 2, 0, 40), side((i + 1) * 18, 0, 40)),
    );
    const axis = analysisChart(many, 0, { maxPoints: 10 })
      .split('\n')
      .find((l) => l.includes('x-axis'))!;
    expect(axis.match(/"/g)!.length / 2).toBe(10);
    expect(axis).toContain('"0:01"');
    expect(axis).toContain('"1:40"');
    expect(analysisChart([{ at: 1, error: 'down' }], 0)).toBe('_no metrics to chart_\n');
  });
});

describe('stepTable and evidenceMarkdown', () => {
  const verdict = (outcome: Verdict['outcome'], reason: string): Verdict => ({
    outcome,
    reason,
    check: outcome === 'fail' ? 'errors-vs-baseline' : 'all',
    at: 0,
    evidence: [
      { side: 'canary', metric: 'errors', query: 'http_requests_total{track="canary",code=~"5.."}', value: 7 },
    ],
  });

  test('one row per step with the errors of that step', () => {
    const table = stepTable([
      {
        weight: 10,
        startedAt: 0,
        endedAt: 60_000,
        canary: side(120, 1, 40),
        baseline: side(1080, 5, 38),
        verdict: verdict('pass', 'ok'),
      },
      {
        weight: 25,
        startedAt: 60_000,
        endedAt: 90_000,
        canary: side(270, 9, 41),
        baseline: side(1530, 7, 38),
        verdict: verdict('fail', 'canary errors 9/270'),
      },
    ]);
    expect(table.split('\n')[2]).toBe('| 1 | 10 % | 1m | 1 / 120 | 0.83 % | 0.46 % | 40 ms / 38 ms | ✅ pass | ok |');
    expect(table.split('\n')[3]).toBe(
      '| 2 | 25 % | 30.0s | 8 / 150 | 5.33 % | 0.44 % | 41 ms / 38 ms | ❌ fail | canary errors 9/270 |',
    );
  });

  test('evidence shows the exact query and value', () => {
    expect(evidenceMarkdown(verdict('fail', 'too many errors'))).toBe(
      '**fail** (errors-vs-baseline): too many errors\n\n```\ncanary errors = 7\n  http_requests_total{track="canary",code=~"5.."}\n```\n',
    );
  });
});
