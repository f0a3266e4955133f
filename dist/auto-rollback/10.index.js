export const id = 10;
export const ids = [10];
export const modules = {

/***/ 10:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   sdkEcsApi: () => (/* binding */ sdkEcsApi)
/* harmony export */ });
/* harmony import */ var _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7926);
// EcsApi on the AWS SDK (ECS: JSON 1.1; ELBv2: the query protocol). Loaded only for target ecs.
// Credentials come from the SDK's default chain, as aws-actions/configure-aws-credentials leaves
// them; AWS_ENDPOINT_URL_ECS / AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 point it elsewhere.

/** Errors that mean the credentials are expired or wrong: no retry helps, the fix is a fresh login. */
const CREDENTIAL_ERRORS = new Set(['ExpiredTokenException', 'ExpiredToken', 'UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidSignatureException', 'SignatureDoesNotMatch', 'CredentialsProviderError']);
/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not take. */
const READ_ONLY = ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy', 'deregisteredAt'];
async function sdkEcsApi(region) {
    const [ecs, elb] = await Promise.all([Promise.all(/* import() */[__webpack_require__.e(572), __webpack_require__.e(486)]).then(__webpack_require__.t.bind(__webpack_require__, 486, 19)), Promise.all(/* import() */[__webpack_require__.e(572), __webpack_require__.e(962)]).then(__webpack_require__.t.bind(__webpack_require__, 5962, 19))]);
    // The SDK retries throttling and 5xx with backoff (adaptive mode also slows down under throttling).
    const settings = { region, maxAttempts: 6, retryMode: 'adaptive' };
    const ecsClient = new ecs.ECSClient(settings);
    const elbClient = new elb.ElasticLoadBalancingV2Client(settings);
    const explain = (what) => (error) => {
        const e = error;
        if (e.name && CREDENTIAL_ERRORS.has(e.name)) {
            throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`AWS rejected the credentials for ${what} (${e.name}: ${e.message}): they have expired or are wrong; run aws-actions/configure-aws-credentials in this job (its session lasts role-duration-seconds, 1 hour by default)`, { cause: error });
        }
        if (e.name === 'AccessDeniedException' || e.name === 'AccessDenied')
            throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`${what}: ${e.message}; the role needs the IAM policy in docs/platforms/ecs.md`, { cause: error });
        throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`${what} in ${region}: ${e.name ?? 'error'}: ${e.message ?? String(error)}`, { cause: error });
    };
    const isRule = (arn) => arn.includes(':listener-rule/');
    const forward = (actions) => {
        const action = actions?.find((a) => a.Type === 'forward');
        if (!action)
            return [];
        if (action.ForwardConfig?.TargetGroups?.length)
            return action.ForwardConfig.TargetGroups.map((t) => ({ targetGroupArn: t.TargetGroupArn ?? '', weight: t.Weight ?? 1 }));
        return action.TargetGroupArn ? [{ targetGroupArn: action.TargetGroupArn, weight: 100 }] : [];
    };
    return {
        async describeService(cluster, service) {
            const out = await ecsClient.send(new ecs.DescribeServicesCommand({ cluster, services: [service] })).catch(explain('ecs:DescribeServices'));
            return out.services?.[0];
        },
        async describeTaskDefinition(taskDefinition) {
            const out = await ecsClient.send(new ecs.DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] })).catch(explain('ecs:DescribeTaskDefinition'));
            return { ...out.taskDefinition, tags: out.tags };
        },
        async registerTaskDefinition(from, containers) {
            const input = Object.fromEntries(Object.entries(from).filter(([k, v]) => !READ_ONLY.includes(k) && v !== undefined && !(Array.isArray(v) && !v.length)));
            const out = await ecsClient.send(new ecs.RegisterTaskDefinitionCommand({ ...input, family: from.family, containerDefinitions: containers })).catch(explain('ecs:RegisterTaskDefinition'));
            return out.taskDefinition?.taskDefinitionArn ?? '';
        },
        async listTaskDefinitions(family) {
            const arns = [];
            let nextToken;
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
                launchType: like.launchType, capacityProviderStrategy: like.capacityProviderStrategy, platformVersion: like.platformVersion,
                networkConfiguration: like.networkConfiguration,
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
            if (!list.taskArns?.length)
                return [];
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
            const Actions = [{ Type: 'forward', ForwardConfig: { TargetGroups: weights.map((w) => ({ TargetGroupArn: w.targetGroupArn, Weight: w.weight })) } }];
            if (isRule(arn))
                await elbClient.send(new elb.ModifyRuleCommand({ RuleArn: arn, Actions })).catch(explain('elasticloadbalancing:ModifyRule'));
            else
                await elbClient.send(new elb.ModifyListenerCommand({ ListenerArn: arn, DefaultActions: Actions })).catch(explain('elasticloadbalancing:ModifyListener'));
        },
    };
}


/***/ })

};
