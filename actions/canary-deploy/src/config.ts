import { type Inputs, type RunContext, InputError } from '@deploy-actions/core/runner';
import { validateWeights } from '@deploy-actions/traffic/weights';
import {
  type JudgeInputs,
  type MetricsConfig,
  parseEnvironment,
  parseJudge,
  parseMetrics,
  parseTarget,
  type TargetConfig,
} from '@deploy-actions/action-shared/inputs';
import { checkName, checkOptionalName } from '@deploy-actions/action-shared/names';

export interface CanaryConfig {
  action: 'run' | 'start' | 'promote' | 'abort';
  environment: string;
  release: { image: string; version: string };
  target: TargetConfig;
  /** The stable slot when given as an input (VM targets). */
  stableSlot: string | undefined;
  weights: number[];
  stepDurationMs: number;
  pauseAt: number | undefined;
  progressDeadlineMs: number;
  intervalMs: number;
  metrics: MetricsConfig;
  judge: JudgeInputs;
  /** HAProxy's own counters as a second opinion on the metrics source. */
  routerCounters: boolean;
  healthPath: string;
  healthTimeoutMs: number;
  githubToken: string | undefined;
  environmentUrl: string | undefined;
  recordDeployment: boolean;
  schemaVersion: string | undefined;
}

export function parse(inputs: Inputs, run: RunContext): CanaryConfig {
  const action = inputs.oneOf('action', ['run', 'start', 'promote', 'abort'] as const) ?? 'run';
  const environment = parseEnvironment(inputs);
  const image = checkOptionalName('image', inputs.string('image'), 'imageReference') ?? '';
  if ((action === 'run' || action === 'start') && !image)
    throw new InputError(
      'image',
      `is required for action ${action}`,
      'pass the image to roll out, ideally by digest (registry/repo@sha256:...)',
    );
  const version =
    inputs.string('version') ??
    (image.includes('@') ? image.split('@')[1]!.slice(0, 19) : (image.split(':').at(-1) ?? run.sha.slice(0, 7)));
  const weights = inputs.list('steps').map((w) => {
    const n = Number(w.replace(/%$/, ''));
    if (!Number.isInteger(n))
      throw new InputError(
        'steps',
        `'${w}' is not a whole percentage`,
        'list increasing percentages ending at 100, e.g. 10,25,50,100',
      );
    return n;
  });
  const problem = validateWeights(weights);
  if (problem)
    throw new InputError(
      'steps',
      problem,
      'list increasing percentages from 1 to 100, ending at 100, e.g. 10,25,50,100',
    );
  const pauseAt = inputs.int('pause-at', { min: 1, max: 99 });
  if (pauseAt !== undefined && !weights.includes(pauseAt))
    throw new InputError(
      'pause-at',
      `${pauseAt} is not one of the steps ${weights.join(', ')}`,
      'pause at one of the steps below 100',
    );
  if (pauseAt !== undefined && action !== 'start')
    throw new InputError(
      'pause-at',
      `only applies to action start, not ${action}`,
      'use `action: start` with `pause-at`, then `action: promote` in a later job',
    );

  const { target, stableSlot } = parseTarget(inputs, weights);
  const metrics = parseMetrics(inputs, action !== 'abort', true);
  return {
    action,
    environment,
    release: { image, version },
    target,
    weights,
    stableSlot,
    stepDurationMs: inputs.duration('step-duration', { min: 0 }) ?? 60_000,
    pauseAt,
    progressDeadlineMs: inputs.duration('progress-deadline', { min: 1000 }) ?? 1_800_000,
    intervalMs: inputs.duration('interval', { min: 100 }) ?? 5_000,
    metrics,
    judge: parseJudge(inputs),
    routerCounters: inputs.bool('router-counters'),
    healthPath: checkName('health-path', inputs.raw('health-path') || '/health', 'httpPath'),
    healthTimeoutMs: inputs.duration('health-timeout', { min: 100 }) ?? 300_000,
    githubToken: inputs.secret('github-token'),
    environmentUrl: inputs.url('environment-url'),
    recordDeployment: inputs.bool('record-deployment'),
    schemaVersion: inputs.string('schema-version'),
  };
}
