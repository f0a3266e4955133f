// EcsApi on the AWS SDK (ECS: JSON 1.1; ELBv2: the query protocol). Loaded only for target ecs.
// Credentials come from the SDK's default chain, as aws-actions/configure-aws-credentials leaves
// them; AWS_ENDPOINT_URL_ECS / AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 point it elsewhere.
import { PermanentError } from '@deploy-actions/core';
import type { EcsApi, EcsService, EcsTaskDefinition } from './ecs';

/** Errors that mean the credentials are expired or wrong: no retry helps, the fix is a fresh login. */
const CREDENTIAL_ERRORS = new Set(['ExpiredTokenException', 'ExpiredToken', 'UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidSignatureException', 'SignatureDoesNotMatch', 'CredentialsProviderError']);
/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not take. */
const READ_ONLY = ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy', 'deregisteredAt'];

export async function sdkEcsApi(region: string): Promise<EcsApi> {
  const [ecs, elb] = await Promise.all([import('@aws-sdk/client-ecs'), import('@aws-sdk/client-elastic-load-balancing-v2')]);
  // The SDK retries throttling and 5xx with backoff (adaptive mode also slows down under throttling).
  const settings = { region, maxAttempts: 6, retryMode: 'adaptive' as const };
  const ecsClient = new ecs.ECSClient(settings);
  const elbClient = new elb.ElasticLoadBalancingV2Client(settings);
  const explain = (what: string) => (error: unknown): never => {
    const e = error as { name?: string; message?: string };
    if (e.name && CREDENTIAL_ERRORS.has(e.name)) {
      throw new PermanentError(`AWS rejected the credentials for ${what} (${e.name}: ${e.message}): they have expired or are wrong; run aws-actions/configure-aws-credentials in this job (its session lasts role-duration-seconds, 1 hour by default)`, { cause: error });
    }
    if (e.name === 'AccessDeniedException' || e.name === 'AccessDenied') throw new PermanentError(`${what}: ${e.message}; the role needs the IAM policy in docs/platforms/ecs.md`, { cause: error });
    throw new PermanentError(`${what} in ${region}: ${e.name ?? 'error'}: ${e.message ?? String(error)}`, { cause: error });
  };
  const isRule = (arn: string) => arn.includes(':listener-rule/');
  const forward = (actions: Array<{ Type?: string; ForwardConfig?: { TargetGroups?: Array<{ TargetGroupArn?: string; Weight?: number }> }; TargetGroupArn?: string }> | undefined) => {
    const action = actions?.find((a) => a.Type === 'forward');
    if (!action) return [];
    if (action.ForwardConfig?.TargetGroups?.length) return action.ForwardConfig.TargetGroups.map((t) => ({ targetGroupArn: t.TargetGroupArn ?? '', weight: t.Weight ?? 1 }));
    return action.TargetGroupArn ? [{ targetGroupArn: action.TargetGroupArn, weight: 100 }] : [];
  };

  return {
    async describeService(cluster, service) {
      const out = await ecsClient.send(new ecs.DescribeServicesCommand({ cluster, services: [service] })).catch(explain('ecs:DescribeServices'));
      return out.services?.[0] as EcsService | undefined;
    },
    async describeTaskDefinition(taskDefinition) {
      const out = await ecsClient.send(new ecs.DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] })).catch(explain('ecs:DescribeTaskDefinition'));
      return { ...out.taskDefinition, tags: out.tags } as unknown as EcsTaskDefinition;
    },
    async registerTaskDefinition(from, containers) {
      const input = Object.fromEntries(Object.entries(from).filter(([k, v]) => !READ_ONLY.includes(k) && v !== undefined && !(Array.isArray(v) && !v.length)));
      const out = await ecsClient.send(new ecs.RegisterTaskDefinitionCommand({ ...input, family: from.family, containerDefinitions: containers as never } as never)).catch(explain('ecs:RegisterTaskDefinition'));
      return out.taskDefinition?.taskDefinitionArn ?? '';
    },
    async listTaskDefinitions(family) {
      const arns: string[] = [];
      let nextToken: string | undefined;
      do {
        const out = await ecsClient.send(new ecs.ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', sort: 'DESC', nextToken })).catch(explain('ecs:ListTaskDefinitions'));
        arns.push(...(out.taskDefinitionArns ?? []));
        nextToken = out.nextToken;
      } while (nextToken && arns.length < 100);
      return arns;
    },
    async createService(cluster, like, name, taskDefinition, desiredCount, targetGroupArn) {
      const lb = like.loadBalancers?.[0];
      await ecsClient.send(new ecs.CreateServiceCommand({
        cluster, serviceName: name, taskDefinition, desiredCount,
        launchType: like.launchType as never, capacityProviderStrategy: like.capacityProviderStrategy as never, platformVersion: like.platformVersion as never,
        networkConfiguration: like.networkConfiguration as never,
        loadBalancers: lb ? [{ targetGroupArn, containerName: lb.containerName, containerPort: lb.containerPort }] : undefined,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false }, maximumPercent: 200, minimumHealthyPercent: 100 },
        tags: [{ key: 'deploy-actions', value: 'canary' }],
      })).catch(explain('ecs:CreateService'));
    },
    async updateService(cluster, service, change) {
      await ecsClient.send(new ecs.UpdateServiceCommand({ cluster, service, ...change })).catch(explain('ecs:UpdateService'));
    },
    async stoppedTasks(cluster, service) {
      const list = await ecsClient.send(new ecs.ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED' })).catch(explain('ecs:ListTasks'));
      if (!list.taskArns?.length) return [];
      const out = await ecsClient.send(new ecs.DescribeTasksCommand({ cluster, tasks: list.taskArns.slice(0, 100) })).catch(explain('ecs:DescribeTasks'));
      return (out.tasks ?? []).map((t) => ({
        taskArn: t.taskArn ?? '', taskDefinitionArn: t.taskDefinitionArn, stoppedReason: t.stoppedReason,
        containers: t.containers?.map((c) => ({ name: c.name, reason: c.reason, exitCode: c.exitCode })),
      }));
    },
    async forwardWeights(arn) {
      if (isRule(arn)) {
        const out = await elbClient.send(new elb.DescribeRulesCommand({ RuleArns: [arn] })).catch(explain('elasticloadbalancing:DescribeRules'));
        return forward(out.Rules?.[0]?.Actions);
      }
      const out = await elbClient.send(new elb.DescribeListenersCommand({ ListenerArns: [arn] })).catch(explain('elasticloadbalancing:DescribeListeners'));
      return forward(out.Listeners?.[0]?.DefaultActions);
    },
    async setForwardWeights(arn, weights) {
      const Actions = [{ Type: 'forward' as const, ForwardConfig: { TargetGroups: weights.map((w) => ({ TargetGroupArn: w.targetGroupArn, Weight: w.weight })) } }];
      if (isRule(arn)) await elbClient.send(new elb.ModifyRuleCommand({ RuleArn: arn, Actions })).catch(explain('elasticloadbalancing:ModifyRule'));
      else await elbClient.send(new elb.ModifyListenerCommand({ ListenerArn: arn, DefaultActions: Actions })).catch(explain('elasticloadbalancing:ModifyListener'));
    },
  };
}

