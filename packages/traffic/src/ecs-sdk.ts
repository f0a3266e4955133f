// EcsApi on the AWS SDK (ECS: JSON 1.1; ELBv2: the query protocol). Loaded only for target ecs.
// Credentials come from the SDK's default chain, as aws-actions/configure-aws-credentials leaves
// them; AWS_ENDPOINT_URL_ECS / AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 point it elsewhere.
//
// Retries are core's, not the SDK's: the SDK makes one attempt (maxAttempts 1) with a connect and a
// request timeout, and core's retry() repeats throttling, 5xx and network faults with backoff inside
// one deadline per call, stops at once on the job's cancellation signal, and logs each retry. Two
// retry layers (the SDK's adaptive mode under ours) would multiply into minutes of waiting.
import { randomUUID } from 'node:crypto';
import {
  type Clock,
  formatDuration,
  type Logger,
  oneLine,
  PermanentError,
  retry,
  TransientError,
} from '@deploy-actions/core';
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { EcsApi, EcsService, EcsTaskDefinition } from './ecs';

/** Errors that mean the credentials are expired or wrong: no retry helps, the fix is a fresh login. */
const CREDENTIAL_ERRORS = new Set([
  'ExpiredTokenException',
  'ExpiredToken',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'MissingAuthenticationTokenException',
  'MissingAuthenticationToken',
]);
/** Throttling as ECS and ELBv2 say it (LimitExceededException is a quota, not a rate: not retried). */
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
]);
const NETWORK = /socket hang up|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|TimeoutError|timed out/;
/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not take. */
const READ_ONLY = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
];

export interface EcsSdkOptions {
  region: string;
  log: Logger;
  /** How long one API call may keep failing with throttling/5xx/network faults (default 60 s). */
  apiDeadlineMs?: number;
  /** One HTTP attempt's limits (defaults: 5 s to connect, 20 s for the answer). */
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  clock?: Clock;
}

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

/** The SDK's error as one of core's: transient (retry), credentials (fix the login), or permanent. */
export function classifyAwsError(what: string, region: string, error: unknown): Error {
  const e = error as SdkError;
  const status = e.$metadata?.httpStatusCode;
  const said = `${e.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${oneLine(e.message ?? String(error))}`;
  if (
    e.name === 'CredentialsProviderError' ||
    (e.name === 'Error' && /Could not load credentials/.test(e.message ?? ''))
  ) {
    return new PermanentError(
      `no AWS credentials for ${what}: ${oneLine(e.message ?? '')}; run aws-actions/configure-aws-credentials earlier in this job (or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`,
      { cause: error },
    );
  }
  if (e.name && CREDENTIAL_ERRORS.has(e.name)) {
    return new PermanentError(
      `AWS rejected the credentials for ${what} (${e.name}: ${oneLine(e.message ?? '')}): they have expired or are wrong; run aws-actions/configure-aws-credentials in this job (its session lasts role-duration-seconds, 1 hour by default)`,
      { cause: error },
    );
  }
  if (e.name === 'AccessDeniedException' || e.name === 'AccessDenied') {
    return new PermanentError(
      `${what} was denied: ${oneLine(e.message ?? '')}; the role needs the IAM policy in docs/platforms/ecs.md`,
      { cause: error },
    );
  }
  if (
    (e.name && THROTTLING.has(e.name)) ||
    status === 429 ||
    (status !== undefined && status >= 500) ||
    e.$fault === 'server' ||
    e.$retryable
  ) {
    return new TransientError(`${what}: ${said}`, { cause: error });
  }
  // No HTTP answer at all: a reset, a refused connection, a timeout (the SDK's handler names it
  // TimeoutError; across realms it wraps it as a plain message, so the text is checked too).
  if (
    status === undefined &&
    (e.name === 'TimeoutError' ||
      (e.code && /^(E[A-Z]+|UND_ERR_\w+)$/.test(e.code)) ||
      NETWORK.test(e.message ?? String(error)))
  ) {
    return new TransientError(
      `${what}: ${e.code ?? e.name ?? 'network error'}: ${oneLine(e.message ?? String(error))}`,
      { cause: error },
    );
  }
  return new PermanentError(`${what} in ${region}: ${said}`, { cause: error });
}

export async function sdkEcsApi(options: EcsSdkOptions): Promise<EcsApi> {
  const { region, log } = options;
  const [ecs, elb] = await Promise.all([
    import('@aws-sdk/client-ecs'),
    import('@aws-sdk/client-elastic-load-balancing-v2'),
  ]);
  const settings = {
    region,
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? 5_000,
      requestTimeout: options.requestTimeoutMs ?? 20_000,
    },
  };
  const ecsClient = new ecs.ECSClient(settings);
  const elbClient = new elb.ElasticLoadBalancingV2Client(settings);

  /** One API call: retried while transient, within the deadline; the signal cancels it and its waits. */
  function call<T>(
    what: string,
    send: (abortSignal: AbortSignal | undefined) => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    return retry(
      async () => {
        try {
          return await send(signal);
        } catch (error) {
          if (signal?.aborted) throw error;
          throw classifyAwsError(what, region, error);
        }
      },
      {
        timeoutMs: options.apiDeadlineMs ?? 60_000,
        maxDelayMs: 8_000,
        what,
        signal,
        clock: options.clock,
        onRetry: ({ error, delayMs }) => log.info(`${oneLine(error)}; retrying in ${formatDuration(delayMs)}`),
      },
    );
  }
  const ecsCall = <T>(what: string, command: unknown, signal: AbortSignal | undefined) =>
    call(`ecs:${what}`, (abortSignal) => ecsClient.send(command as never, { abortSignal }) as Promise<T>, signal);
  const elbCall = <T>(what: string, command: unknown, signal: AbortSignal | undefined) =>
    call(
      `elasticloadbalancing:${what}`,
      (abortSignal) => elbClient.send(command as never, { abortSignal }) as Promise<T>,
      signal,
    );

  const isRule = (arn: string) => arn.includes(':listener-rule/');
  const forward = (actions: Action[]) => {
    const action = actions.find((a) => a.Type === 'forward');
    if (!action) return [];
    if (action.ForwardConfig?.TargetGroups?.length)
      return action.ForwardConfig.TargetGroups.map((t) => ({
        targetGroupArn: t.TargetGroupArn ?? '',
        weight: t.Weight ?? 1,
      }));
    return action.TargetGroupArn ? [{ targetGroupArn: action.TargetGroupArn, weight: 100 }] : [];
  };
  /** The rule's Actions, or the listener's DefaultActions: the whole list, in order. */
  const actionsOf = async (arn: string, signal: AbortSignal | undefined): Promise<Action[]> => {
    if (isRule(arn)) {
      const out = await elbCall<{ Rules?: Array<{ Actions?: Action[] }> }>(
        'DescribeRules',
        new elb.DescribeRulesCommand({ RuleArns: [arn] }),
        signal,
      );
      return out.Rules?.[0]?.Actions ?? [];
    }
    const out = await elbCall<{ Listeners?: Array<{ DefaultActions?: Action[] }> }>(
      'DescribeListeners',
      new elb.DescribeListenersCommand({ ListenerArns: [arn] }),
      signal,
    );
    return out.Listeners?.[0]?.DefaultActions ?? [];
  };

  return {
    async describeService(cluster, service, signal) {
      const out = await ecsCall<{ services?: unknown[] }>(
        'DescribeServices',
        new ecs.DescribeServicesCommand({ cluster, services: [service] }),
        signal,
      );
      return out.services?.[0] as EcsService | undefined;
    },
    async describeTaskDefinition(taskDefinition, signal) {
      const out = await ecsCall<{ taskDefinition?: object; tags?: unknown[] }>(
        'DescribeTaskDefinition',
        new ecs.DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] }),
        signal,
      );
      return { ...out.taskDefinition, tags: out.tags } as unknown as EcsTaskDefinition;
    },
    async registerTaskDefinition(from, containers, signal) {
      const input = Object.fromEntries(
        Object.entries(from).filter(
          ([k, v]) => !READ_ONLY.includes(k) && v !== undefined && !(Array.isArray(v) && !v.length),
        ),
      );
      const out = await ecsCall<{ taskDefinition?: { taskDefinitionArn?: string } }>(
        'RegisterTaskDefinition',
        new ecs.RegisterTaskDefinitionCommand({
          ...input,
          family: from.family,
          containerDefinitions: containers as never,
        } as never),
        signal,
      );
      if (!out.taskDefinition?.taskDefinitionArn)
        throw new PermanentError(`ecs:RegisterTaskDefinition for ${from.family} returned no task definition`);
      return out.taskDefinition.taskDefinitionArn;
    },
    async listTaskDefinitions(family, signal) {
      const arns: string[] = [];
      let nextToken: string | undefined;
      do {
        const out = await ecsCall<{ taskDefinitionArns?: string[]; nextToken?: string }>(
          'ListTaskDefinitions',
          new ecs.ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', sort: 'DESC', nextToken }),
          signal,
        );
        arns.push(...(out.taskDefinitionArns ?? []));
        nextToken = out.nextToken;
      } while (nextToken && arns.length < 100);
      // familyPrefix matches shop-worker too when the family is shop.
      return arns.filter((arn) => arn.split('/').pop()?.replace(/:\d+$/, '') === family);
    },
    async createService(cluster, like, name, taskDefinition, desiredCount, targetGroupArn, signal) {
      // The stable service's placement, network and health settings; its first load balancer moved to
      // the canary target group. Not copied: service discovery, Service Connect (the canary would join
      // the stable service's name) and autoscaling (the rollout sets the canary's count).
      const lb = like.loadBalancers?.[0];
      // The same token on every retry: a create that timed out but happened is not an error the second time.
      const clientToken = randomUUID();
      await ecsCall(
        'CreateService',
        new ecs.CreateServiceCommand({
          cluster,
          serviceName: name,
          clientToken,
          taskDefinition,
          desiredCount,
          launchType: like.launchType as never,
          capacityProviderStrategy: like.capacityProviderStrategy as never,
          platformVersion: like.platformVersion as never,
          networkConfiguration: like.networkConfiguration as never,
          placementConstraints: like.placementConstraints as never,
          placementStrategy: like.placementStrategy as never,
          healthCheckGracePeriodSeconds: lb ? (like.healthCheckGracePeriodSeconds as never) : undefined,
          enableExecuteCommand: like.enableExecuteCommand as never,
          enableECSManagedTags: like.enableECSManagedTags as never,
          propagateTags: like.propagateTags as never,
          loadBalancers: lb
            ? [{ targetGroupArn, containerName: lb.containerName, containerPort: lb.containerPort }]
            : undefined,
          deploymentConfiguration: {
            deploymentCircuitBreaker: { enable: true, rollback: false },
            maximumPercent: 200,
            minimumHealthyPercent: 100,
          },
          tags: [{ key: 'deploy-actions', value: 'canary' }],
        }),
        signal,
      );
    },
    async updateService(cluster, service, change, signal) {
      await ecsCall('UpdateService', new ecs.UpdateServiceCommand({ cluster, service, ...change }), signal);
    },
    async stoppedTasks(cluster, service, signal) {
      const list = await ecsCall<{ taskArns?: string[] }>(
        'ListTasks',
        new ecs.ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED' }),
        signal,
      );
      if (!list.taskArns?.length) return [];
      const out = await ecsCall<{ tasks?: Array<Record<string, never>> }>(
        'DescribeTasks',
        new ecs.DescribeTasksCommand({ cluster, tasks: list.taskArns.slice(0, 100) }),
        signal,
      );
      return (out.tasks ?? []).map(
        (t: {
          taskArn?: string;
          taskDefinitionArn?: string;
          startedBy?: string;
          stoppedAt?: Date;
          stoppedReason?: string;
          stopCode?: string;
          containers?: Array<{ name?: string; reason?: string; exitCode?: number }>;
        }) => ({
          taskArn: t.taskArn ?? '',
          taskDefinitionArn: t.taskDefinitionArn,
          startedBy: t.startedBy,
          stoppedAt: t.stoppedAt,
          stoppedReason: t.stoppedReason,
          stopCode: t.stopCode,
          containers: t.containers?.map((c) => ({ name: c.name, reason: c.reason, exitCode: c.exitCode })),
        }),
      );
    },
    async forwardWeights(arn, signal) {
      return forward(await actionsOf(arn, signal));
    },
    /**
     * ModifyRule and ModifyListener replace the whole action list, so the list is read and sent back
     * with only the forward action's target groups changed: authenticate actions (with their Order)
     * and target group stickiness stay. TargetGroupArn goes, since with it ForwardConfig may name only
     * that one group. Describe* never returns an OIDC client secret; UseExistingClientSecret keeps it.
     * ELBv2 has no conditional write: a change to the rule between the read and the write is lost.
     */
    async setForwardWeights(arn, weights, signal) {
      const current = await actionsOf(arn, signal);
      if (!current.some((a) => a.Type === 'forward'))
        throw new PermanentError(`${arn.split('/').slice(-3).join('/')} has no forward action to weigh`);
      const Actions = current.map((action): Action => {
        if (action.Type === 'authenticate-oidc' && action.AuthenticateOidcConfig)
          return {
            ...action,
            AuthenticateOidcConfig: { ...action.AuthenticateOidcConfig, UseExistingClientSecret: true },
          };
        if (action.Type !== 'forward') return action;
        const { TargetGroupArn: _single, ...rest } = action;
        return {
          ...rest,
          ForwardConfig: {
            ...action.ForwardConfig,
            TargetGroups: weights.map((w) => ({ TargetGroupArn: w.targetGroupArn, Weight: w.weight })),
          },
        };
      });
      if (isRule(arn)) await elbCall('ModifyRule', new elb.ModifyRuleCommand({ RuleArn: arn, Actions }), signal);
      else
        await elbCall(
          'ModifyListener',
          new elb.ModifyListenerCommand({ ListenerArn: arn, DefaultActions: Actions }),
          signal,
        );
    },
  };
}
