// AWS ECS (Fargate or EC2) behind an Application Load Balancer. The release is a new revision of the
// stable service's task definition with only the image changed; the canary is a second service,
// <service>-canary, on its own target group; the listener rule's forward action weighs the two target
// groups. Promotion moves the stable service to the new revision. The previous task definition
// revision is what rollback goes back to.
import { type Clock, formatDuration, PermanentError, systemClock } from '@deploy-actions/core';
import type { Release, ReleaseState, ReleaseTarget, ReleaseTargetOptions } from './rollout';

export interface EcsContainer {
  name: string;
  image: string;
  [k: string]: unknown;
}
export interface EcsTaskDefinition {
  taskDefinitionArn: string;
  family: string;
  containerDefinitions: EcsContainer[];
  [k: string]: unknown;
}
export interface EcsDeployment {
  id?: string;
  status?: string;
  taskDefinition?: string;
  desiredCount?: number;
  runningCount?: number;
  failedTasks?: number;
  rolloutState?: string;
  rolloutStateReason?: string;
}
export interface EcsService {
  serviceName: string;
  status?: string;
  taskDefinition: string;
  desiredCount: number;
  runningCount?: number;
  deployments?: EcsDeployment[];
  loadBalancers?: Array<{ targetGroupArn?: string; containerName?: string; containerPort?: number }>;
  events?: Array<{ createdAt?: Date; message?: string }>;
  [k: string]: unknown;
}
export interface StoppedTask {
  taskArn: string;
  taskDefinitionArn?: string;
  /** For a service's task: the deployment that started it (ecs-svc/…). */
  startedBy?: string;
  stoppedAt?: Date;
  stoppedReason?: string;
  stopCode?: string;
  containers?: Array<{ name?: string; reason?: string; exitCode?: number }>;
}
export interface TargetGroupWeight {
  targetGroupArn: string;
  weight: number;
}

/**
 * The ECS and ELBv2 calls the target makes. The entry builds it on the AWS SDK (ecs-sdk.ts, loaded
 * only for this target), which retries throttling, 5xx and network faults inside a deadline per call;
 * tests can hand in anything alike. A signal, when given, cancels the call and its retries.
 */
export interface EcsApi {
  describeService(cluster: string, service: string, signal?: AbortSignal): Promise<EcsService | undefined>;
  describeTaskDefinition(taskDefinition: string, signal?: AbortSignal): Promise<EcsTaskDefinition>;
  /** Registers a copy of `from` with other containers; returns the new revision's ARN. */
  registerTaskDefinition(from: EcsTaskDefinition, containers: EcsContainer[], signal?: AbortSignal): Promise<string>;
  /** ARNs of the family's active revisions, newest first. */
  listTaskDefinitions(family: string, signal?: AbortSignal): Promise<string[]>;
  createService(
    cluster: string,
    like: EcsService,
    name: string,
    taskDefinition: string,
    desiredCount: number,
    targetGroupArn: string,
    signal?: AbortSignal,
  ): Promise<void>;
  updateService(
    cluster: string,
    service: string,
    change: { taskDefinition?: string; desiredCount?: number },
    signal?: AbortSignal,
  ): Promise<void>;
  stoppedTasks(cluster: string, service: string, signal?: AbortSignal): Promise<StoppedTask[]>;
  /** The forward action's target groups of a listener rule (or a listener's default action). */
  forwardWeights(ruleOrListenerArn: string, signal?: AbortSignal): Promise<TargetGroupWeight[]>;
  setForwardWeights(ruleOrListenerArn: string, weights: TargetGroupWeight[], signal?: AbortSignal): Promise<void>;
}

export interface EcsOptions extends ReleaseTargetOptions {
  api: EcsApi;
  cluster: string;
  service: string;
  canaryService?: string;
  /** The container whose image changes (default: the first). */
  container?: string;
  /** The ALB listener rule (or listener) whose forward action splits traffic. */
  listenerArn: string;
  stableTargetGroupArn: string;
  canaryTargetGroupArn: string;
}

/** Stops that are the scheduler's routine (scale-in, a replaced deployment), not a failure. */
const ROUTINE_STOP = /^(Scaling activity initiated by|Task stopped by user|ECS is performing maintenance)/i;
/** Clock skew allowed between the runner and AWS when asking whether a task stopped during this wait. */
const SKEW_MS = 30_000;

export class EcsTarget implements ReleaseTarget {
  readonly kind = 'release' as const;
  private readonly clock: Clock;

  constructor(private readonly o: EcsOptions) {
    this.clock = o.clock ?? systemClock;
  }

  private get canaryName(): string {
    return this.o.canaryService ?? `${this.o.service}-canary`;
  }

  async describe(signal?: AbortSignal): Promise<ReleaseState> {
    const stable = await this.stable(signal);
    const state: ReleaseState = {
      stable: { image: this.container(await this.o.api.describeTaskDefinition(stable.taskDefinition, signal)).image },
    };
    const canary = await this.o.api.describeService(this.o.cluster, this.canaryName, signal);
    const weight =
      (await this.o.api.forwardWeights(this.o.listenerArn, signal)).find(
        (w) => w.targetGroupArn === this.o.canaryTargetGroupArn,
      )?.weight ?? 0;
    if (canary && canary.status === 'ACTIVE' && (canary.desiredCount > 0 || weight > 0)) {
      state.canary = {
        image: this.container(await this.o.api.describeTaskDefinition(canary.taskDefinition, signal)).image,
        weight,
        // RUNNING tasks from the DescribeServices call already made; the ALB answers a share whose
        // target group has no registered target with 503. setWeight returns only once they run.
        instances: {
          ready: canary.runningCount ?? 0,
          desired: canary.desiredCount,
          noun: 'tasks',
          shareWhenNoneReady: 'errors',
        },
      };
    }
    return state;
  }

  /** ELBv2 keeps forward weights (0–999) as written, so the share read back is the one set. */
  reportedWeight(percent: number): number {
    return percent;
  }

  async deployCanary(signal: AbortSignal): Promise<void> {
    const stable = await this.stable(signal);
    await this.route(0, signal);
    const taskDefinition = await this.revisionWith(
      await this.o.api.describeTaskDefinition(stable.taskDefinition, signal),
      this.o.release.image,
      signal,
    );
    const canary = await this.o.api.describeService(this.o.cluster, this.canaryName, signal);
    if (canary?.status === 'ACTIVE')
      await this.o.api.updateService(this.o.cluster, this.canaryName, { taskDefinition, desiredCount: 1 }, signal);
    else
      await this.o.api.createService(
        this.o.cluster,
        stable,
        this.canaryName,
        taskDefinition,
        1,
        this.o.canaryTargetGroupArn,
        signal,
      );
    this.o.log.info(`canary service ${this.canaryName} on ${short(taskDefinition)}`);
    await this.waitStable(this.canaryName, taskDefinition, signal);
  }

  async setWeight(percent: number, signal: AbortSignal): Promise<void> {
    const stable = await this.stable(signal);
    const canary = await this.o.api.describeService(this.o.cluster, this.canaryName, signal);
    if (!canary || canary.status !== 'ACTIVE')
      throw new PermanentError(
        `there is no active ${this.canaryName} service in ${this.o.cluster}: no canary to move traffic to`,
      );
    // Capacity first: enough canary tasks for their share, running, before traffic moves.
    const tasks = Math.max(1, Math.ceil((stable.desiredCount * percent) / 100));
    if (canary.desiredCount !== tasks) {
      await this.o.api.updateService(this.o.cluster, this.canaryName, { desiredCount: tasks }, signal);
      await this.waitStable(this.canaryName, canary.taskDefinition, signal);
    }
    await this.route(percent, signal);
  }

  /** The stable service moves to the canary's task definition; then all traffic on it, the canary at 0. */
  async promote(signal: AbortSignal): Promise<void> {
    const canary = await this.o.api.describeService(this.o.cluster, this.canaryName, signal);
    if (!canary) throw new PermanentError(`there is no ${this.canaryName} service to promote`);
    await this.o.api.updateService(this.o.cluster, this.o.service, { taskDefinition: canary.taskDefinition }, signal);
    await this.waitStable(this.o.service, canary.taskDefinition, signal);
    await this.route(0, signal);
    await this.o.api.updateService(this.o.cluster, this.canaryName, { desiredCount: 0 }, signal);
  }

  /** All traffic to the stable target group, the canary scaled to 0. No signal: it must finish. */
  async abort(): Promise<void> {
    await this.route(0);
    const canary = await this.o.api.describeService(this.o.cluster, this.canaryName);
    if (canary?.status === 'ACTIVE' && canary.desiredCount > 0)
      await this.o.api.updateService(this.o.cluster, this.canaryName, { desiredCount: 0 });
  }

  /** The stable service back on a revision that runs that image: an existing one when there is, else a new one. */
  async rollbackTo(release: Release, signal: AbortSignal): Promise<void> {
    await this.abort();
    const current = await this.o.api.describeTaskDefinition((await this.stable(signal)).taskDefinition, signal);
    let revision: string | undefined;
    for (const arn of (await this.o.api.listTaskDefinitions(current.family, signal)).slice(0, 25)) {
      if (this.container(await this.o.api.describeTaskDefinition(arn, signal)).image === release.image) {
        revision = arn;
        break;
      }
    }
    if (revision)
      this.o.log.info(`task definition ${short(revision)} runs ${release.image}: moving ${this.o.service} back to it`);
    revision ??= await this.revisionWith(current, release.image, signal);
    await this.o.api.updateService(this.o.cluster, this.o.service, { taskDefinition: revision }, signal);
    await this.waitStable(this.o.service, revision, signal);
    await this.route(0, signal);
  }

  private async stable(signal?: AbortSignal): Promise<EcsService> {
    const stable = await this.o.api.describeService(this.o.cluster, this.o.service, signal);
    if (!stable || stable.status !== 'ACTIVE')
      throw new PermanentError(`there is no active service ${this.o.service} in cluster ${this.o.cluster}`);
    return stable;
  }

  private container(taskDefinition: EcsTaskDefinition): EcsContainer {
    const found = this.o.container
      ? taskDefinition.containerDefinitions.find((c) => c.name === this.o.container)
      : taskDefinition.containerDefinitions[0];
    if (!found)
      throw new PermanentError(
        `task definition ${taskDefinition.family} has no container '${this.o.container}' (it has ${taskDefinition.containerDefinitions.map((c) => c.name).join(', ')})`,
      );
    return found;
  }

  /** A new revision of the family with only this container's image changed. */
  private async revisionWith(from: EcsTaskDefinition, image: string, signal: AbortSignal): Promise<string> {
    const name = this.container(from).name;
    const arn = await this.o.api.registerTaskDefinition(
      from,
      from.containerDefinitions.map((c) => (c.name === name ? { ...c, image } : c)),
      signal,
    );
    this.o.log.info(`registered ${short(arn)} with ${image}`);
    return arn;
  }

  /** Sets the forward weights (the canary's share) and reads them back. */
  private async route(percent: number, signal?: AbortSignal): Promise<void> {
    const current = await this.o.api.forwardWeights(this.o.listenerArn, signal);
    if (!current.some((w) => w.targetGroupArn === this.o.stableTargetGroupArn)) {
      throw new PermanentError(
        `the listener ${this.o.listenerArn.split('/').slice(-3).join('/')} does not forward to the stable target group ${this.o.stableTargetGroupArn.split('/').slice(-2).join('/')} (it forwards to ${current.map((w) => w.targetGroupArn.split('/').slice(-2).join('/')).join(', ') || 'nothing'})`,
      );
    }
    const wanted = [
      { targetGroupArn: this.o.stableTargetGroupArn, weight: 100 - percent },
      { targetGroupArn: this.o.canaryTargetGroupArn, weight: percent },
    ];
    if (
      current.length === 2 &&
      wanted.every((w) => current.some((c) => c.targetGroupArn === w.targetGroupArn && c.weight === w.weight))
    )
      return;
    await this.o.api.setForwardWeights(this.o.listenerArn, wanted, signal);
    const actual = await this.o.api.forwardWeights(this.o.listenerArn, signal);
    for (const w of wanted) {
      if (actual.find((a) => a.targetGroupArn === w.targetGroupArn)?.weight !== w.weight) {
        throw new PermanentError(
          `the load balancer reports ${actual.map((a) => `${a.targetGroupArn.split('/').slice(-2, -1)[0]}=${a.weight}`).join(', ')} after setting the canary to ${percent}%`,
        );
      }
    }
  }

  /**
   * Waits until the service's deployment of `taskDefinition` is COMPLETED with all tasks running. A
   * task of that deployment that stopped during the wait (image pull failure, an essential container
   * exiting, failed ELB health checks), a tripped circuit breaker, or another deployment taking over
   * fails the wait at once with ECS's reason. Tasks stopped earlier, or by routine scale-in, do not:
   * ECS lists stopped tasks for an hour, and a revision rolled back to has some from its last time.
   */
  private async waitStable(service: string, taskDefinition: string, signal: AbortSignal): Promise<void> {
    const started = this.clock.now();
    const startedAt = Date.now();
    for (;;) {
      const s = await this.o.api.describeService(this.o.cluster, service, signal);
      const ours =
        s?.deployments?.find((d) => d.taskDefinition === taskDefinition && d.status === 'PRIMARY') ??
        s?.deployments?.find((d) => d.taskDefinition === taskDefinition);
      if (
        ours?.status === 'PRIMARY' &&
        ours.rolloutState === 'COMPLETED' &&
        (s?.deployments?.length ?? 0) === 1 &&
        (ours.runningCount ?? 0) >= (ours.desiredCount ?? 0)
      ) {
        this.o.log.info(
          `${service}: ${ours.runningCount} task(s) running ${short(taskDefinition)} (${formatDuration(this.clock.now() - started)})`,
        );
        return;
      }
      // A stopped task says why (the circuit breaker's reason does not).
      const stopped = (await this.o.api.stoppedTasks(this.o.cluster, service, signal)).find(
        (t) =>
          t.taskDefinitionArn === taskDefinition &&
          (!ours?.id || !t.startedBy || t.startedBy === ours.id) &&
          (!t.stoppedAt || new Date(t.stoppedAt).getTime() >= startedAt - SKEW_MS) &&
          !ROUTINE_STOP.test(t.stoppedReason ?? ''),
      );
      if (stopped) {
        const containers = (stopped.containers ?? [])
          .filter((c) => (c.reason && c.reason !== stopped.stoppedReason) || (c.exitCode ?? 0) !== 0)
          .map((c) => `${c.name}: ${c.reason ?? `exit code ${c.exitCode}`}`);
        throw new PermanentError(
          `${service}: task ${stopped.taskArn.split('/').pop()} of ${short(taskDefinition)} stopped: ${stopped.stoppedReason ?? 'no reason given'}${containers.length ? ` (${containers.join('; ')})` : ''}`,
        );
      }
      if (ours?.rolloutState === 'FAILED')
        throw new PermanentError(
          `${service}: deployment of ${short(taskDefinition)} failed: ${ours.rolloutStateReason ?? 'no reason given'}`,
        );
      const primary = s?.deployments?.find((d) => d.status === 'PRIMARY');
      if (primary && primary.taskDefinition !== taskDefinition) {
        throw new PermanentError(
          `${service}: a deployment of ${short(primary.taskDefinition ?? '?')} replaced the one of ${short(taskDefinition)} (${primary.rolloutStateReason ?? 'rolled back or changed by someone else'})`,
        );
      }
      if (this.clock.now() - started > this.o.readyTimeoutMs) {
        throw new PermanentError(
          `${service} was not stable on ${short(taskDefinition)} within ${formatDuration(this.o.readyTimeoutMs)} (${ours?.runningCount ?? 0}/${ours?.desiredCount ?? '?'} running)${s?.events?.[0]?.message ? `; last event: ${s.events[0].message}` : ''}`,
        );
      }
      await this.clock.sleep(this.o.pollIntervalMs ?? 2_000, signal);
    }
  }
}

/** family:revision of a task definition ARN. */
function short(arn: string): string {
  return arn.split('/').pop() ?? arn;
}
