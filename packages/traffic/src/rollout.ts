import {
  abortReason,
  type Clock,
  formatDuration,
  type Logger,
  oneLine,
  PermanentError,
  systemClock,
} from '@deploy-actions/core';
import { validateWeights } from './weights';

/**
 * The traffic moves a rollout makes. Targets (HAProxy, nginx, a PaaS CLI, Kubernetes...) implement
 * it; each call returns once the change is in effect and verified.
 */
export interface RolloutTarget {
  /** Puts the new release on the canary slot with no traffic and waits until it is healthy. */
  deployCanary(signal: AbortSignal): Promise<void>;
  /** Sends `percent` of traffic to the canary. */
  setWeight(percent: number, signal: AbortSignal): Promise<void>;
  /** Makes the canary the stable version (keeping the old one warm where the target can). */
  promote(signal: AbortSignal): Promise<void>;
  /** All traffic back on stable at once. Takes no signal: it must finish even when the job is cancelled. */
  abort(): Promise<void>;
}

/** An image and the version name it is recorded under. */
export interface Release {
  image: string;
  version: string;
}

/** What a platform that runs each release as its own workload reports it is serving. */
export interface ReleaseState {
  /** The release taking the traffic the canary does not. */
  stable: { image: string };
  /** The canary, when one exists, with its share of traffic in percent. */
  canary?: { image: string; weight: number; instances?: CanaryInstances };
}

/**
 * The canary's instances as the platform counts them, on platforms that keep them running (Kubernetes,
 * ECS); undefined where no instance running is normal (Cloud Run scales an idle revision to zero and
 * starts instances as requests arrive). A canary with a share of traffic and none ready fails the step.
 */
export interface CanaryInstances {
  /** Ready to serve now: Kubernetes, the canary Deployment's `status.readyReplicas`; ECS, the canary service's `runningCount`. */
  ready: number;
  /** How many the platform is asked to run (`spec.replicas`, `desiredCount`). */
  desired: number;
  /** What one is called on the platform, for reasons. */
  noun: 'pods' | 'tasks';
  /**
   * Where the canary's share goes while none is ready: a route, Ingress or load balancer whose canary
   * backend has no ready endpoints or targets answers it with errors (503); in Kubernetes `replicas`
   * mode the shared Service leaves unready pods out of its endpoints, so stable takes it, unjudged.
   */
  shareWhenNoneReady: 'errors' | 'stable';
}

/**
 * A platform target (Kubernetes, ECS, Cloud Run): each release runs as its own workload (a second
 * Deployment, service or revision), not in one of two fixed slots. Besides the rollout moves it can
 * report what serves and make an earlier release the only one serving again (auto-rollback).
 */
export interface ReleaseTarget extends RolloutTarget {
  readonly kind: 'release';
  /** What serves now. Fails with a clear error (unreachable API, expired credentials) before anything moves. */
  describe(signal?: AbortSignal): Promise<ReleaseState>;
  /**
   * The canary's share describe() reports once setWeight(percent) has taken effect in this process:
   * `percent` where the platform takes the share as given, or the share the target could make of it
   * (Kubernetes by replicas: a pod ratio), so that reading it back can be compared exactly.
   */
  reportedWeight(percent: number): number;
  /** Puts `release` back as the only version serving, 100 % of traffic, once it is healthy; removes any canary. */
  rollbackTo(release: Release, signal: AbortSignal): Promise<void>;
}

/** What the entry gives every platform target besides its own settings and clients. */
export interface ReleaseTargetOptions {
  release: Release;
  /** How long a new workload (revision, Deployment, service deployment) may take to become ready. */
  readyTimeoutMs: number;
  log: Logger;
  clock?: Clock;
  /** Between polls while waiting on the platform. */
  pollIntervalMs?: number;
}

export function isReleaseTarget(target: RolloutTarget): target is ReleaseTarget {
  return (target as Partial<ReleaseTarget>).kind === 'release';
}

export type VerdictKind = 'pass' | 'fail' | 'inconclusive';

/** What the judge says about the canary at one moment of a step. */
export interface StepVerdict {
  kind: VerdictKind;
  /** One line: for a fail, the query and value that decided. */
  reason: string;
  /** Canary requests judged so far in the rollout, and how many failed. */
  canaryRequests: number;
  canaryFailures: number;
}

export interface StepContext {
  index: number;
  weight: number;
  /** When this step's weight took effect (clock ms). */
  startedAt: number;
}

export type Judge = (step: StepContext) => Promise<StepVerdict>;

export interface RolloutPlan {
  /** Canary shares in percent, increasing, the last one 100 (promotion). */
  weights: number[];
  /** First step to run: 0 for a new rollout, later when a paused one resumes. */
  fromStep: number;
  /** Deploy the canary first (false when resuming: it is already there). */
  deploy: boolean;
  /** Stop after the step with this weight, leaving the rollout paused for a later job. */
  pauseAt?: number;
  /** A step needs at least this long, and a passing verdict, before the next one. */
  stepDurationMs: number;
  /** Time between judgements. */
  intervalMs: number;
  /** The whole run (this job's part) must decide within this; undecided is an abort. */
  progressDeadlineMs: number;
  /** Shadow mode: a failing verdict is reported and the rollout goes on. */
  dryRun: boolean;
}

export interface RolloutEvents {
  /** Once the canary is deployed (or found deployed), before it gets traffic; throwing stops the rollout there. */
  beforeTraffic?(): Promise<void>;
  onStep?(step: StepContext): void;
  onVerdict?(step: StepContext, verdict: StepVerdict, at: number): void;
}

export type RolloutResultKind = 'promoted' | 'aborted' | 'paused';

export interface RolloutResult {
  result: RolloutResultKind;
  reason: string;
  /** The step the rollout ended on. */
  stepIndex: number;
  weight: number;
  /** From the first canary traffic to the decision, in ms; undefined if no traffic moved. */
  decisionMs: number | undefined;
  canaryRequests: number;
  canaryFailures: number;
  /** What the shadow judge would have done (dry-run only). */
  shadowFailures: string[];
}

/**
 * Runs a canary rollout: deploy, then for each step shift traffic and judge the canary every interval
 * until the step has lasted its minimum and the judge passes it; 100 % is the promotion. A failing
 * verdict, the progress deadline or a cancelled job aborts: all traffic back to stable, verified.
 * If putting traffic back fails, that error wins: a rollout must never end quietly on a bad version.
 */
export async function runRollout(
  target: RolloutTarget,
  judge: Judge,
  plan: RolloutPlan,
  options: {
    log: Logger;
    clock?: Clock;
    signal?: AbortSignal;
    events?: RolloutEvents;
  },
): Promise<RolloutResult> {
  const invalid = validateWeights(plan.weights);
  if (invalid) throw new PermanentError(`rollout steps: ${invalid}`);
  const clock = options.clock ?? systemClock;
  const signal = options.signal ?? new AbortController().signal;
  const { log } = options;
  const started = clock.now();
  let firstTraffic: number | undefined;
  let index = plan.fromStep;
  let last: StepVerdict = { kind: 'inconclusive', reason: 'not judged yet', canaryRequests: 0, canaryFailures: 0 };
  const shadowFailures: string[] = [];
  const result = (kind: RolloutResultKind, reason: string): RolloutResult => ({
    result: kind,
    reason,
    stepIndex: index,
    weight: plan.weights[index] ?? 0,
    decisionMs: firstTraffic === undefined ? undefined : clock.now() - firstTraffic,
    canaryRequests: last.canaryRequests,
    canaryFailures: last.canaryFailures,
    shadowFailures,
  });
  const abort = async (reason: string): Promise<RolloutResult> => {
    log.warning(`aborting: ${reason}`);
    const t0 = clock.now();
    try {
      await target.abort();
    } catch (error) {
      throw new PermanentError(
        `ROLLBACK FAILED: traffic may still reach the canary. Aborting because ${reason}, then putting traffic back on stable failed: ${oneLine(error)}`,
        { cause: error },
      );
    }
    log.info(`all traffic back on stable in ${formatDuration(clock.now() - t0)}`);
    return result('aborted', reason);
  };

  try {
    if (plan.deploy) {
      log.info('deploying the canary');
      await target.deployCanary(signal);
    }
    await options.events?.beforeTraffic?.();
    for (; index < plan.weights.length; index++) {
      const weight = plan.weights[index]!;
      if (weight === 100) {
        log.info('promoting the canary to stable');
        await target.promote(signal);
        firstTraffic ??= clock.now();
        return result('promoted', last.kind === 'pass' ? `every step passed: ${last.reason}` : 'promoted');
      }
      await target.setWeight(weight, signal);
      const step: StepContext = { index, weight, startedAt: clock.now() };
      firstTraffic ??= step.startedAt;
      options.events?.onStep?.(step);
      log.info(`step ${index + 1}/${plan.weights.length}: ${weight}% of traffic on the canary`);
      for (;;) {
        await clock.sleep(plan.intervalMs, signal);
        last = await judge(step);
        options.events?.onVerdict?.(step, last, clock.now());
        if (last.kind === 'fail') {
          if (!plan.dryRun) return await abort(last.reason);
          shadowFailures.push(`step ${weight}%: ${last.reason}`);
          log.warning(`dry run: the judge would abort here: ${last.reason}`);
        }
        const lasted = clock.now() - step.startedAt;
        if (lasted >= plan.stepDurationMs && (last.kind === 'pass' || (plan.dryRun && last.kind === 'fail'))) break;
        if (clock.now() - started >= plan.progressDeadlineMs) {
          return await abort(
            `no decision within the progress deadline of ${formatDuration(plan.progressDeadlineMs)} at ${weight}%: ${last.reason}`,
          );
        }
      }
      log.info(`step ${weight}% passed: ${last.reason}`);
      if (plan.pauseAt === weight) return result('paused', `paused after ${weight}% for approval: ${last.reason}`);
    }
    return result('promoted', 'promoted');
  } catch (error) {
    if (error instanceof PermanentError && error.message.startsWith('ROLLBACK FAILED')) throw error;
    const reason = signal.aborted ? oneLine(abortReason(signal)) : oneLine(error);
    const aborted = await abort(reason);
    if (signal.aborted) return aborted;
    throw new PermanentError(`rollout failed and traffic is back on stable: ${reason}`, { cause: error });
  }
}
