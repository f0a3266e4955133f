export const id = 10;
export const ids = [10];
export const modules = {

/***/ 10:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   classifyAwsError: () => (/* binding */ classifyAwsError),
/* harmony export */   sdkEcsApi: () => (/* binding */ sdkEcsApi)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9417);
// EcsApi on the AWS SDK (ECS: JSON 1.1; ELBv2: the query protocol). Loaded only for target ecs.
// Credentials come from the SDK's default chain, as aws-actions/configure-aws-credentials leaves
// them; AWS_ENDPOINT_URL_ECS / AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 point it elsewhere.
//
// Retries are core's, not the SDK's: the SDK makes one attempt (maxAttempts 1) with a connect and a
// request timeout, and core's retry() repeats throttling, 5xx and network faults with backoff inside
// one deadline per call, stops at once on the job's cancellation signal, and logs each retry. Two
// retry layers (the SDK's adaptive mode under ours) would multiply into minutes of waiting.


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
/** The SDK's error as one of core's: transient (retry), credentials (fix the login), or permanent. */
function classifyAwsError(what, region, error) {
    const e = error;
    const status = e.$metadata?.httpStatusCode;
    const said = `${e.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${(0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .oneLine */ .TN)(e.message ?? String(error))}`;
    if (e.name === 'CredentialsProviderError' ||
        (e.name === 'Error' && /Could not load credentials/.test(e.message ?? ''))) {
        return new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .PermanentError */ .Dr(`no AWS credentials for ${what}: ${(0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .oneLine */ .TN)(e.message ?? '')}; run aws-actions/configure-aws-credentials earlier in this job (or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`, { cause: error });
    }
    if (e.name && CREDENTIAL_ERRORS.has(e.name)) {
        return new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .PermanentError */ .Dr(`AWS rejected the credentials for ${what} (${e.name}: ${(0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .oneLine */ .TN)(e.message ?? '')}): they have expired or are wrong; run aws-actions/configure-aws-credentials in this job (its session lasts role-duration-seconds, 1 hour by default)`, { cause: error });
    }
    if (e.name === 'AccessDeniedException' || e.name === 'AccessDenied') {
        return new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .PermanentError */ .Dr(`${what} was denied: ${(0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .oneLine */ .TN)(e.message ?? '')}; the role needs the IAM policy in docs/platforms/ecs.md`, { cause: error });
    }
    if ((e.name && THROTTLING.has(e.name)) ||
        status === 429 ||
        (status !== undefined && status >= 500) ||
        e.$fault === 'server' ||
        e.$retryable) {
        return new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .TransientError */ .N_(`${what}: ${said}`, { cause: error });
    }
    // No HTTP answer at all: a reset, a refused connection, a timeout (the SDK's handler names it
    // TimeoutError; across realms it wraps it as a plain message, so the text is checked too).
    if (status === undefined &&
        (e.name === 'TimeoutError' ||
            (e.code && /^(E[A-Z]+|UND_ERR_\w+)$/.test(e.code)) ||
            NETWORK.test(e.message ?? String(error)))) {
        return new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .TransientError */ .N_(`${what}: ${e.code ?? e.name ?? 'network error'}: ${(0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .oneLine */ .TN)(e.message ?? String(error))}`, { cause: error });
    }
    return new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .PermanentError */ .Dr(`${what} in ${region}: ${said}`, { cause: error });
}
async function sdkEcsApi(options) {
    const { region, log } = options;
    const [ecs, elb] = await Promise.all([
        Promise.all(/* import() */[__webpack_require__.e(572), __webpack_require__.e(486)]).then(__webpack_require__.t.bind(__webpack_require__, 486, 19)),
        Promise.all(/* import() */[__webpack_require__.e(572), __webpack_require__.e(962)]).then(__webpack_require__.t.bind(__webpack_require__, 5962, 19)),
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
    function call(what, send, signal) {
        return (0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .retry */ .L5)(async () => {
            try {
                return await send(signal);
            }
            catch (error) {
                if (signal?.aborted)
                    throw error;
                throw classifyAwsError(what, region, error);
            }
        }, {
            timeoutMs: options.apiDeadlineMs ?? 60_000,
            maxDelayMs: 8_000,
            what,
            signal,
            clock: options.clock,
            onRetry: ({ error, delayMs }) => log.info(`${(0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .oneLine */ .TN)(error)}; retrying in ${(0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(delayMs)}`),
        });
    }
    const ecsCall = (what, command, signal) => call(`ecs:${what}`, (abortSignal) => ecsClient.send(command, { abortSignal }), signal);
    const elbCall = (what, command, signal) => call(`elasticloadbalancing:${what}`, (abortSignal) => elbClient.send(command, { abortSignal }), signal);
    const isRule = (arn) => arn.includes(':listener-rule/');
    const forward = (actions) => {
        const action = actions.find((a) => a.Type === 'forward');
        if (!action)
            return [];
        if (action.ForwardConfig?.TargetGroups?.length)
            return action.ForwardConfig.TargetGroups.map((t) => ({
                targetGroupArn: t.TargetGroupArn ?? '',
                weight: t.Weight ?? 1,
            }));
        return action.TargetGroupArn ? [{ targetGroupArn: action.TargetGroupArn, weight: 100 }] : [];
    };
    /** The rule's Actions, or the listener's DefaultActions: the whole list, in order. */
    const actionsOf = async (arn, signal) => {
        if (isRule(arn)) {
            const out = await elbCall('DescribeRules', new elb.DescribeRulesCommand({ RuleArns: [arn] }), signal);
            return out.Rules?.[0]?.Actions ?? [];
        }
        const out = await elbCall('DescribeListeners', new elb.DescribeListenersCommand({ ListenerArns: [arn] }), signal);
        return out.Listeners?.[0]?.DefaultActions ?? [];
    };
    return {
        async describeService(cluster, service, signal) {
            const out = await ecsCall('DescribeServices', new ecs.DescribeServicesCommand({ cluster, services: [service] }), signal);
            return out.services?.[0];
        },
        async describeTaskDefinition(taskDefinition, signal) {
            const out = await ecsCall('DescribeTaskDefinition', new ecs.DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] }), signal);
            return { ...out.taskDefinition, tags: out.tags };
        },
        async registerTaskDefinition(from, containers, signal) {
            const input = Object.fromEntries(Object.entries(from).filter(([k, v]) => !READ_ONLY.includes(k) && v !== undefined && !(Array.isArray(v) && !v.length)));
            const out = await ecsCall('RegisterTaskDefinition', new ecs.RegisterTaskDefinitionCommand({
                ...input,
                family: from.family,
                containerDefinitions: containers,
            }), signal);
            if (!out.taskDefinition?.taskDefinitionArn)
                throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .PermanentError */ .Dr(`ecs:RegisterTaskDefinition for ${from.family} returned no task definition`);
            return out.taskDefinition.taskDefinitionArn;
        },
        async listTaskDefinitions(family, signal) {
            const arns = [];
            let nextToken;
            do {
                const out = await ecsCall('ListTaskDefinitions', new ecs.ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', sort: 'DESC', nextToken }), signal);
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
            const clientToken = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomUUID)();
            await ecsCall('CreateService', new ecs.CreateServiceCommand({
                cluster,
                serviceName: name,
                clientToken,
                taskDefinition,
                desiredCount,
                launchType: like.launchType,
                capacityProviderStrategy: like.capacityProviderStrategy,
                platformVersion: like.platformVersion,
                networkConfiguration: like.networkConfiguration,
                placementConstraints: like.placementConstraints,
                placementStrategy: like.placementStrategy,
                healthCheckGracePeriodSeconds: lb ? like.healthCheckGracePeriodSeconds : undefined,
                enableExecuteCommand: like.enableExecuteCommand,
                enableECSManagedTags: like.enableECSManagedTags,
                propagateTags: like.propagateTags,
                loadBalancers: lb
                    ? [{ targetGroupArn, containerName: lb.containerName, containerPort: lb.containerPort }]
                    : undefined,
                deploymentConfiguration: {
                    deploymentCircuitBreaker: { enable: true, rollback: false },
                    maximumPercent: 200,
                    minimumHealthyPercent: 100,
                },
                tags: [{ key: 'deploy-actions', value: 'canary' }],
            }), signal);
        },
        async updateService(cluster, service, change, signal) {
            await ecsCall('UpdateService', new ecs.UpdateServiceCommand({ cluster, service, ...change }), signal);
        },
        async stoppedTasks(cluster, service, signal) {
            const list = await ecsCall('ListTasks', new ecs.ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED' }), signal);
            if (!list.taskArns?.length)
                return [];
            const out = await ecsCall('DescribeTasks', new ecs.DescribeTasksCommand({ cluster, tasks: list.taskArns.slice(0, 100) }), signal);
            return (out.tasks ?? []).map((t) => ({
                taskArn: t.taskArn ?? '',
                taskDefinitionArn: t.taskDefinitionArn,
                startedBy: t.startedBy,
                stoppedAt: t.stoppedAt,
                stoppedReason: t.stoppedReason,
                stopCode: t.stopCode,
                containers: t.containers?.map((c) => ({ name: c.name, reason: c.reason, exitCode: c.exitCode })),
            }));
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
                throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .PermanentError */ .Dr(`${arn.split('/').slice(-3).join('/')} has no forward action to weigh`);
            const Actions = current.map((action) => {
                if (action.Type === 'authenticate-oidc' && action.AuthenticateOidcConfig)
                    return {
                        ...action,
                        AuthenticateOidcConfig: { ...action.AuthenticateOidcConfig, UseExistingClientSecret: true },
                    };
                if (action.Type !== 'forward')
                    return action;
                const { TargetGroupArn: _single, ...rest } = action;
                return {
                    ...rest,
                    ForwardConfig: {
                        ...action.ForwardConfig,
                        TargetGroups: weights.map((w) => ({ TargetGroupArn: w.targetGroupArn, Weight: w.weight })),
                    },
                };
            });
            if (isRule(arn))
                await elbCall('ModifyRule', new elb.ModifyRuleCommand({ RuleArn: arn, Actions }), signal);
            else
                await elbCall('ModifyListener', new elb.ModifyListenerCommand({ ListenerArn: arn, DefaultActions: Actions }), signal);
        },
    };
}


/***/ })

};
