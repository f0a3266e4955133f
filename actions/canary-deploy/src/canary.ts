import { formatDuration, markdown, oneLine, PermanentError } from '@deploy-actions/core';
import type { ActionContext } from '@deploy-actions/core/runner';
import {
  analysisChart,
  CounterTracker,
  evidenceMarkdown,
  judge,
  type Observation,
  observe,
  type RouterCounts,
  type StepRecord,
  stepTable,
  type Verdict,
} from '@deploy-actions/analysis';
import type { DeploymentHistory } from '@deploy-actions/history';
import {
  HaproxyTarget,
  isReleaseTarget,
  NginxTarget,
  type Judge,
  releaseTrouble,
  type RolloutResult,
  runRollout,
  type ServerStat,
  slotDrift,
} from '@deploy-actions/traffic';
import {
  currentStable,
  isSlotTarget,
  judgeConfig,
  makeProvider,
  makeTarget,
  openHistory,
  type SlotTarget,
} from '@deploy-actions/action-shared/build';
import type { CanaryConfig } from './config';

export async function canary(ctx: ActionContext, config: CanaryConfig): Promise<void> {
  const history = config.recordDeployment ? await openHistory(ctx, config) : undefined;
  const resumed =
    config.action === 'promote' || config.action === 'abort' ? await findRollout(history, config) : undefined;
  const stableSlot = config.stableSlot ?? resumed?.stableSlot ?? (await currentStable(ctx, config));
  const target = await makeTarget(ctx, config, stableSlot);
  // A bad socket, file, API address or credential fails here, before anything moves. A release
  // target's stable image is what each step's read-back expects it to stay.
  if (isSlotTarget(target)) await target.describe();
  const stableImage = isReleaseTarget(target) ? (await target.describe(ctx.signal)).stable.image : undefined;
  ctx.state.save('stable-slot', stableSlot ?? '');

  if (config.action === 'abort') {
    await target.abort();
    if (history && resumed)
      await history.setState(resumed.id, 'failure', 'aborted by hand: all traffic back on stable', {
        logUrl: ctx.run.runUrl,
      });
    report(
      ctx,
      config,
      {
        result: 'aborted',
        reason: 'aborted by hand',
        stepIndex: 0,
        weight: 0,
        decisionMs: undefined,
        canaryRequests: 0,
        canaryFailures: 0,
        shadowFailures: [],
      },
      [],
      [],
      resumed?.id,
    );
    return;
  }

  const slots = isSlotTarget(target) ? { canary: target.canary, stable: target.stable } : undefined;
  const provider = makeProvider(ctx.secrets, config.metrics, slots, config.judge.maxP95Ms);
  await provider.validate(); // an unparsable query, unreachable source or empty baseline selector fails before traffic moves
  const settings = judgeConfig(config.judge);
  const router = config.routerCounters && target instanceof HaproxyTarget ? new RouterCounter(target) : undefined;
  const observations: Observation[] = [];
  const steps: StepRecord[] = [];
  let canaryStart = 0;
  let lastVerdict: Verdict | undefined;
  // What the source had counted when the current step began: a step passes only on what came after.
  let stepStartObservation: Promise<Observation> | undefined;
  const judgeStep: Judge = async (step) => {
    if (stepStartObservation) {
      observations.push(await stepStartObservation);
      stepStartObservation = undefined;
    }
    const now = Date.now();
    const observation = await observe(provider, { start: canaryStart, end: now });
    const servers = target instanceof HaproxyTarget ? await target.inspect() : undefined;
    if (router && servers) observation.router = router.update(servers, Date.now());
    observations.push(observation);
    const trouble = isSlotTarget(target)
      ? await slotTrouble(target, step.weight, servers)
      : isReleaseTarget(target) && stableImage !== undefined
        ? await releaseTrouble(
            target,
            { canaryImage: config.release.image, stableImage, weight: target.reportedWeight(step.weight) },
            ctx.signal,
          )
        : undefined;
    const verdict: Verdict = trouble
      ? { outcome: 'fail', check: 'traffic', reason: trouble, evidence: [], at: now, stats: lastVerdict?.stats }
      : judge(observations, settings, now, { trafficSince: canaryStart, stepStartedAt: step.startedAt });
    lastVerdict = verdict;
    const sample = [...observations].reverse().find((o) => 'sample' in o);
    if (sample && 'sample' in sample) {
      const record: StepRecord = {
        weight: step.weight,
        startedAt: step.startedAt,
        endedAt: now,
        canary: sample.sample.canary,
        baseline: sample.sample.baseline,
        verdict,
      };
      if (steps.at(-1)?.weight === step.weight) steps[steps.length - 1] = record;
      else steps.push(record);
    }
    ctx.log.info(`${step.weight}%: ${verdict.outcome} (${verdict.check}): ${verdict.reason}`);
    return {
      kind: verdict.outcome,
      reason: verdict.reason,
      canaryRequests: verdict.stats?.served ?? 0,
      canaryFailures: verdict.stats?.failures ?? 0,
    };
  };

  const deploymentId =
    resumed?.id ??
    (history
      ? await history.start({
          environment: config.environment,
          ref: ctx.run.ref,
          sha: ctx.run.sha,
          description: `canary ${config.release.version}: starting`,
          logUrl: ctx.run.runUrl,
          environmentUrl: config.environmentUrl,
          payload: {
            image: config.release.image,
            version: config.release.version,
            schemaVersion: config.schemaVersion,
            target: config.target.kind,
            runId: `${ctx.run.runId}.${ctx.run.runAttempt}`,
            targetState: { stableSlot, canarySlot: isSlotTarget(target) ? target.canary : undefined },
          },
        })
      : undefined);
  if (deploymentId !== undefined) ctx.outputs.set('deployment-id', String(deploymentId));

  // A resumed rollout continues after the share the canary has now, as the target reports it.
  const current = !resumed
    ? 0
    : isSlotTarget(target)
      ? ((await target.describe()).find((s) => s.slot !== stableSlot)?.weight ?? 0)
      : isReleaseTarget(target)
        ? ((await target.describe()).canary?.weight ?? 0)
        : 0;
  const fromStep = resumed
    ? Math.max(
        0,
        config.weights.findIndex((w) => w > current),
      )
    : 0;
  ctx.state.save('rollout', 'moving');
  let result: RolloutResult;
  try {
    result = await runRollout(
      target,
      judgeStep,
      {
        weights: config.weights,
        fromStep,
        deploy: !resumed,
        pauseAt: config.pauseAt,
        stepDurationMs: config.stepDurationMs,
        intervalMs: config.intervalMs,
        progressDeadlineMs: config.progressDeadlineMs,
        dryRun: config.judge.dryRun,
      },
      {
        log: ctx.log,
        signal: ctx.signal,
        events: {
          beforeTraffic: async () => {
            await provider.validateCanary?.();
            if (router) router.seed(await (target as HaproxyTarget).inspect());
          },
          onStep: (step) => {
            if (!canaryStart) canaryStart = step.startedAt;
            stepStartObservation = observe(provider, { start: canaryStart, end: step.startedAt });
            if (history && deploymentId !== undefined)
              void history
                .setState(deploymentId, 'in_progress', `canary ${config.release.version}: ${step.weight}% of traffic`, {
                  logUrl: ctx.run.runUrl,
                })
                .catch((e: unknown) => ctx.log.warning(`could not record the step: ${oneLine(e)}`));
          },
        },
      },
    );
  } finally {
    await provider.close();
  }
  ctx.state.save('rollout', 'settled');

  if (history && deploymentId !== undefined) {
    const state = result.result === 'promoted' ? 'success' : result.result === 'aborted' ? 'failure' : 'in_progress';
    const what =
      result.result === 'paused' ? `paused at ${result.weight}% for approval` : `${result.result}: ${result.reason}`;
    await history.setState(deploymentId, state, `canary ${config.release.version} ${what}`, {
      logUrl: ctx.run.runUrl,
      environmentUrl: config.environmentUrl,
    });
  }
  report(ctx, config, result, steps, observations, deploymentId, lastVerdict, canaryStart);
  if (result.result === 'aborted')
    throw new PermanentError(`canary aborted, all traffic back on stable: ${result.reason}`);
}

function report(
  ctx: ActionContext,
  config: CanaryConfig,
  result: RolloutResult,
  steps: StepRecord[],
  observations: Observation[],
  deploymentId?: number,
  verdict?: Verdict,
  start?: number,
): void {
  ctx.outputs.set('result', result.result);
  ctx.outputs.set('reason', result.reason);
  ctx.outputs.set('decision-time', result.decisionMs === undefined ? '' : (result.decisionMs / 1000).toFixed(1));
  ctx.outputs.set('requests-judged', String(result.canaryRequests));
  ctx.outputs.set('failed-canary-requests', String(result.canaryFailures));
  const icon = result.result === 'promoted' ? '✅' : result.result === 'paused' ? '⏸️' : '❌';
  const parts = [
    `### Canary ${config.release.version} → ${config.environment}: ${icon} ${result.result}`,
    '',
    `${result.reason}`,
    '',
    markdown.table(
      ['Image', 'Target', 'Decision after', 'Canary requests judged', 'Failed canary requests', 'Deployment'],
      [
        [
          `\`${config.release.image}\``,
          config.target.kind,
          result.decisionMs === undefined ? '' : formatDuration(result.decisionMs),
          result.canaryRequests,
          result.canaryFailures,
          deploymentId ?? '',
        ],
      ],
    ),
  ];
  if (steps.length) parts.push('#### Steps', '', stepTable(steps));
  if (verdict) parts.push('#### What decided', '', evidenceMarkdown(verdict));
  if (observations.length && start)
    parts.push('#### Canary vs baseline over time', '', analysisChart(observations, start));
  if (result.shadowFailures.length)
    parts.push('#### Dry run: the judge would have aborted', '', ...result.shadowFailures.map((f) => `- ${f}`), '');
  ctx.summary.append(parts.join('\n'));
}

/** Post step: the job was cancelled or died with traffic moving. Put it all back on stable, or fail loudly. */
export async function restoreStable(ctx: ActionContext, config: CanaryConfig): Promise<void> {
  const target = await makeTarget(ctx, config, ctx.state.get('stable-slot') || config.stableSlot);
  try {
    await target.abort();
  } catch (error) {
    throw new PermanentError(
      `ROLLBACK FAILED: the job stopped mid-rollout and traffic could not be put back on stable: ${oneLine(error)}. Restore it by hand now.`,
      { cause: error },
    );
  }
  ctx.log.warning('the job stopped mid-rollout: all traffic is back on the stable version');
  ctx.summary.append(
    `### Canary ${config.release.version}: the job stopped mid-rollout\n\nThe post step put all traffic back on the stable version.\n`,
  );
}

/** The rollout a `promote` or `abort` job continues: the newest in-progress deployment of the environment. */
async function findRollout(
  history: DeploymentHistory | undefined,
  config: CanaryConfig,
): Promise<{ id: number; stableSlot?: string } | undefined> {
  if (!history) {
    if (config.action === 'promote')
      throw new PermanentError(
        '`action: promote` continues a recorded rollout; set `record-deployment: true` in both jobs',
      );
    return undefined;
  }
  const rollout = (await history.list(config.environment, { maxPages: 1 })).find((d) => d.state === 'in_progress');
  if (!rollout) {
    if (config.action === 'promote')
      throw new PermanentError(`no paused rollout of ${config.environment} to promote (no in-progress deployment)`);
    return undefined;
  }
  return { id: rollout.id, stableSlot: rollout.payload.targetState?.stableSlot as string | undefined };
}

/**
 * Why the slots are not what the step is judging, or undefined: the weights read back from the
 * target are not the ones this step set (a reload without a state file, or another tool, changed
 * them), or HAProxy's health checks mark the canary down.
 */
async function slotTrouble(
  target: SlotTarget,
  weight: number,
  servers: ServerStat[] | undefined,
): Promise<string | undefined> {
  const set: Record<string, number> = { [target.canary]: weight, [target.stable]: 100 - weight };
  const readings = (servers ?? (await target.describe())).map((s) => {
    const name = 'slot' in s ? s.slot : s.name;
    return { name, weight: s.weight, set: set[name] ?? 0 };
  });
  const drift = slotDrift(readings);
  if (drift) return drift;
  const canary = servers?.find((s) => s.name === target.canary);
  if (canary && !canary.status.startsWith('UP')) {
    return `canary slot ${canary.name} is ${canary.status} in HAProxy during the step (last health check: ${canary.check || 'none'})`;
  }
  // nginx has no health checks of its own: the canary's health path is asked each interval.
  const unhealthy = target instanceof NginxTarget ? await target.health(target.canary) : undefined;
  return unhealthy && `canary slot ${target.canary} is unhealthy during the step: ${unhealthy}`;
}

/** Requests and failures HAProxy sent each slot since the canary started, from `show stat`. */
class RouterCounter {
  private readonly counters = {
    canary: { requests: new CounterTracker(), errors: new CounterTracker() },
    baseline: { requests: new CounterTracker(), errors: new CounterTracker() },
  };

  constructor(private readonly target: HaproxyTarget) {}

  seed(servers: ServerStat[]): void {
    for (const side of ['canary', 'baseline'] as const) {
      const server = servers.find((s) => s.name === this.slot(side));
      this.counters[side].requests.seed(new Map([['n', server?.requests ?? 0]]));
      this.counters[side].errors.seed(new Map([['n', server?.errors ?? 0]]));
    }
  }

  update(servers: ServerStat[], at: number): RouterCounts {
    const side = (which: 'canary' | 'baseline') => {
      const server = servers.find((s) => s.name === this.slot(which));
      return {
        requests: this.counters[which].requests.update(new Map([['n', server?.requests ?? 0]])),
        errors: this.counters[which].errors.update(new Map([['n', server?.errors ?? 0]])),
      };
    };
    return {
      at,
      source: {
        canary: `HAProxy show stat ${this.slot('canary')}`,
        baseline: `HAProxy show stat ${this.slot('baseline')}`,
      },
      canary: side('canary'),
      baseline: side('baseline'),
    };
  }

  private slot(side: 'canary' | 'baseline'): string {
    return side === 'canary' ? this.target.canary : this.target.stable;
  }
}
