import { formatDuration, markdown } from '@deploy-actions/core';
import type { Verdict } from './judge';
import type { MetricSample, Observation, Percentile, SideMetrics } from './types';

/** One traffic step of a rollout as the job summary shows it. Counts are cumulative since the canary started. */
export interface StepRecord {
  /** Percentage of traffic on the canary during the step. */
  weight: number;
  startedAt: number;
  endedAt: number;
  canary: SideMetrics;
  baseline: SideMetrics;
  verdict: Verdict;
}

/**
 * The per-step table for the job summary: traffic, errors within the step on each side,
 * latency since the start, and the verdict with its reason.
 */
export function stepTable(steps: readonly StepRecord[], percentile: Percentile = 'p95'): string {
  const zero: SideMetrics = { requests: 0, errors: 0, latencyMs: {} };
  const rows = steps.map((step, i) => {
    const before = i > 0 ? steps[i - 1]! : { canary: zero, baseline: zero };
    const canary = delta(step.canary, before.canary);
    const baseline = delta(step.baseline, before.baseline);
    return [
      i + 1,
      `${step.weight} %`,
      formatDuration(step.endedAt - step.startedAt),
      `${canary.errors} / ${canary.requests}`,
      rate(canary),
      rate(baseline),
      `${latency(step.canary.latencyMs[percentile])} / ${latency(step.baseline.latencyMs[percentile])}`,
      `${verdictIcon(step.verdict)} ${step.verdict.outcome}`,
      step.verdict.reason,
    ];
  });
  return markdown.table(
    [
      'step',
      'canary weight',
      'duration',
      'canary errors / requests',
      'canary error rate',
      'baseline error rate',
      `${percentile} canary / baseline`,
      'verdict',
      'reason',
    ],
    rows,
  );
}

/** The exact queries and values a verdict rests on, for the summary. */
export function evidenceMarkdown(verdict: Verdict): string {
  const lines = verdict.evidence.map(
    (q) => `${q.side} ${q.metric} = ${q.value === undefined ? 'no data' : round(q.value)}\n  ${q.query}`,
  );
  const head = `**${verdict.outcome}** (${verdict.check}): ${verdict.reason}\n\n`;
  return head + (lines.length ? markdown.codeBlock(lines.join('\n')) : '_no query behind this verdict_\n');
}

export interface ChartOptions {
  /** Most points on the x axis; samples are thinned evenly beyond it (default 30). */
  maxPoints?: number;
  percentile?: Percentile;
}

/**
 * Two mermaid xychart-beta charts over the rollout: error rate per interval and latency since
 * the start, canary as the first line and baseline as the second (xychart has no legend).
 * `start` is the canary's start; observations without a sample are skipped.
 */
export function analysisChart(observations: readonly Observation[], start: number, options: ChartOptions = {}): string {
  const percentile = options.percentile ?? 'p95';
  const samples = observations.flatMap((o) => ('sample' in o ? [o.sample] : []));
  if (samples.length === 0) return '_no metrics to chart_\n';
  const points = thin(samples, options.maxPoints ?? 30);
  const labels = points.map((s) => clockLabel(s.at - start));
  const intervalRate = (side: 'canary' | 'baseline'): number[] =>
    points.map((s, i) => {
      const previous = i > 0 ? points[i - 1]![side] : { requests: 0, errors: 0 };
      const requests = s[side].requests - previous.requests;
      const errors = s[side].errors - previous.errors;
      return requests > 0
        ? (100 * errors) / requests
        : s[side].requests > 0
          ? (100 * s[side].errors) / s[side].requests
          : 0;
    });
  const latencies = (side: 'canary' | 'baseline'): number[] => {
    let last = 0;
    return points.map((s) => (last = s[side].latencyMs[percentile] ?? last));
  };
  const chart = (title: string, axis: string, canary: number[], baseline: number[]): string => {
    const top = Math.max(1, ...canary, ...baseline) * 1.1;
    return markdown.codeBlock(
      [
        'xychart-beta',
        `  title "${title}"`,
        `  x-axis [${labels.map((l) => `"${l}"`).join(', ')}]`,
        `  y-axis "${axis}" 0 --> ${round(top)}`,
        `  line [${canary.map(round).join(', ')}]`,
        `  line [${baseline.map(round).join(', ')}]`,
      ].join('\n'),
      'mermaid',
    );
  };
  return [
    chart(
      'Error rate per interval: canary (1st line) vs baseline (2nd line)',
      'errors (%)',
      intervalRate('canary'),
      intervalRate('baseline'),
    ),
    chart(
      `${percentile} latency since start: canary (1st line) vs baseline (2nd line)`,
      `${percentile} (ms)`,
      latencies('canary'),
      latencies('baseline'),
    ),
  ].join('\n');
}

function thin(samples: readonly MetricSample[], maxPoints: number): MetricSample[] {
  if (samples.length <= maxPoints) return [...samples];
  const step = (samples.length - 1) / (maxPoints - 1);
  return Array.from({ length: maxPoints }, (_, i) => samples[Math.round(i * step)]!);
}

function delta(now: SideMetrics, before: SideMetrics): { requests: number; errors: number } {
  return { requests: now.requests - before.requests, errors: now.errors - before.errors };
}

function rate(counts: { requests: number; errors: number }): string {
  return counts.requests > 0 ? `${((100 * counts.errors) / counts.requests).toFixed(2)} %` : 'n/a';
}

function latency(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${Math.round(value)} ms`;
}

function verdictIcon(verdict: Verdict): string {
  if (verdict.shadowed) return '👻';
  return verdict.outcome === 'pass' ? '✅' : verdict.outcome === 'fail' ? '❌' : '⏳';
}

function clockLabel(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function round(value: number): string {
  return String(Math.round(value * 100) / 100);
}
