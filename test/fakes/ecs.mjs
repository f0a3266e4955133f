// Amazon ECS and Elastic Load Balancing v2 as the AWS SDK speaks them, on one loopback port:
// ECS is AWS JSON 1.1 (POST /, X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>,
// errors {"__type", "message"}); ELBv2 is the query protocol (form-encoded Action=..., XML answers,
// <ErrorResponse>). Every request must be SigV4-signed with the expected access key (and session
// token). A small scheduler plays ECS: a new task definition on a service starts a new PRIMARY
// deployment that completes after `readyDelayMs` (the tasks it replaces stop with "Scaling activity
// initiated by (deployment …)", as ECS lists them for an hour); a count change alone resizes the
// PRIMARY deployment. Knobs: neverReady (tasks of an image stop with a reason and the circuit breaker
// trips), crashTasks (a service's running tasks all stop), stall (a deployment that never places tasks), failNext (throttling, 5xx or a dropped
// connection on either API), expire (ExpiredTokenException / ExpiredToken).
import { createServer } from 'node:http';
import { jsonError, jsonOk, sigv4 } from './aws.mjs';

const ECS_PREFIX = 'AmazonEC2ContainerServiceV20141113.';
const ELB_NS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

/** @param {{ accessKeyId?: string, sessionToken?: string, region?: string, account?: string, readyDelayMs?: number }} [options] */
export async function startFakeEcs({
  accessKeyId = 'AKIDECSFAKE',
  sessionToken = 'fake-session-token-ecs',
  region = 'eu-west-1',
  account = '123456789012',
  readyDelayMs = 200,
} = {}) {
  /** @type {Map<string, any>} */
  const taskDefinitions = new Map();
  /** @type {Map<string, any>} key: `${cluster}/${service}` */
  const services = new Map();
  /** @type {Map<string, any>} */
  const tasks = new Map();
  /** @type {Map<string, any[]>} rule ARN → its Actions, listener ARN → its DefaultActions (as ELBv2 stores them) */
  const ruleActions = new Map();
  /** @type {Map<string, { reason: string, stopCode: string }>} image → why its tasks stop */
  const failingImages = new Map();
  /** @type {Map<string, string>} image → the event a stalled deployment keeps logging */
  const stalledImages = new Map();
  /** @type {Map<string, string>} CreateService clientToken → service key */
  const clientTokens = new Map();
  /** @type {Array<{ api: 'ecs'|'elb', status: number | 'reset', left: number }>} */
  const faults = [];
  /** @type {Array<{ api: string, operation: string, status: number, input: any }>} */
  const calls = [];
  let expired = false;
  let counter = 1;
  const arn = (what) => `arn:aws:ecs:${region}:${account}:${what}`;

  const ecsError = jsonError;
  const now = () => Date.now() / 1000;
  const elbError = (res, status, code, message) => {
    res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': `req-${counter++}` });
    res.end(
      `<ErrorResponse xmlns="${ELB_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req</RequestId></ErrorResponse>`,
    );
  };

  function family(name) {
    return [...taskDefinitions.values()].filter((t) => t.family === name).sort((a, b) => b.revision - a.revision);
  }

  function register(input) {
    const revision = (family(input.family)[0]?.revision ?? 0) + 1;
    const td = {
      ...structuredClone(input),
      taskDefinitionArn: arn(`task-definition/${input.family}:${revision}`),
      revision,
      status: 'ACTIVE',
      registeredAt: Date.now() / 1000,
    };
    delete td.tags;
    taskDefinitions.set(td.taskDefinitionArn, td);
    return td;
  }

  function resolveTd(ref) {
    if (taskDefinitions.has(ref)) return taskDefinitions.get(ref);
    const [name, rev] = ref.split('/').pop().split(':');
    return rev
      ? [...taskDefinitions.values()].find((t) => t.family === name && String(t.revision) === rev)
      : family(name)[0];
  }

  /** A service's stopped task, listed by ListTasks desiredStatus STOPPED as ECS does for an hour. */
  function stopTask(service, deployment, reason, stopCode, containerReason) {
    const td = resolveTd(deployment.taskDefinition);
    const taskArn = arn(`task/${service.cluster}/${(counter++).toString(16).padStart(32, '0')}`);
    tasks.set(taskArn, {
      taskArn,
      clusterArn: arn(`cluster/${service.cluster}`),
      taskDefinitionArn: td.taskDefinitionArn,
      group: `service:${service.serviceName}`,
      startedBy: deployment.id,
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stoppedAt: now(),
      stoppingAt: now(),
      stoppedReason: reason,
      stopCode,
      containers: td.containerDefinitions.map((c, j) => ({
        name: c.name,
        lastStatus: 'STOPPED',
        ...(j === 0 && containerReason ? { reason: containerReason } : {}),
      })),
    });
  }

  /**
   * A new PRIMARY deployment when the task definition changed (or the service is new); else the
   * PRIMARY deployment is resized. The scheduler settles it after readyDelayMs.
   */
  function deploy(service, { newDeployment }) {
    const td = resolveTd(service.taskDefinition);
    let deployment = service.deployments.find((d) => d.status === 'PRIMARY');
    if (newDeployment || !deployment) {
      deployment = {
        id: `ecs-svc/${counter++}`,
        status: 'PRIMARY',
        taskDefinition: td.taskDefinitionArn,
        desiredCount: service.desiredCount,
        runningCount: 0,
        pendingCount: service.desiredCount,
        failedTasks: 0,
        createdAt: now(),
        rolloutState: 'IN_PROGRESS',
        rolloutStateReason: 'ECS deployment in progress.',
      };
      for (const d of service.deployments) d.status = 'ACTIVE';
      service.deployments.unshift(deployment);
    } else {
      deployment.desiredCount = service.desiredCount;
      deployment.pendingCount = Math.max(0, service.desiredCount - deployment.runningCount);
    }
    const primary = deployment;
    const image = td.containerDefinitions[0]?.image;
    setTimeout(() => {
      if (primary.status !== 'PRIMARY') return;
      if (failingImages.has(image) && primary.desiredCount > 0) {
        const { reason, stopCode } = failingImages.get(image);
        for (let i = 0; i < primary.desiredCount; i++)
          stopTask(service, primary, reason, stopCode, stopCode === 'TaskFailedToStart' ? reason : undefined);
        primary.failedTasks += primary.desiredCount;
        primary.rolloutState = 'FAILED';
        primary.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
        service.events.unshift({
          id: String(counter++),
          createdAt: now(),
          message: `(service ${service.serviceName}) deployment ${primary.id} deployment failed: tasks failed to start.`,
        });
        return;
      }
      if (stalledImages.has(image) && primary.desiredCount > 0) {
        service.events.unshift({
          id: String(counter++),
          createdAt: now(),
          message: `(service ${service.serviceName}) ${stalledImages.get(image)}`,
        });
        return;
      }
      // Tasks replaced by this deployment, or scaled in, stop as the scheduler's routine.
      const routine = `Scaling activity initiated by (deployment ${primary.id})`;
      for (const old of service.deployments.filter((d) => d !== primary))
        for (let i = 0; i < Math.min(3, old.runningCount); i++)
          stopTask(service, old, routine, 'ServiceSchedulerInitiated');
      for (let i = primary.desiredCount; i < Math.min(primary.runningCount, primary.desiredCount + 3); i++)
        stopTask(service, primary, routine, 'ServiceSchedulerInitiated');
      primary.runningCount = primary.desiredCount;
      primary.pendingCount = 0;
      primary.rolloutState = 'COMPLETED';
      primary.rolloutStateReason = 'ECS deployment completed.';
      service.deployments = [primary];
      service.runningCount = primary.desiredCount;
      service.events.unshift({
        id: String(counter++),
        createdAt: now(),
        message: `(service ${service.serviceName}) has reached a steady state.`,
      });
    }, readyDelayMs);
  }

  function publicService(s) {
    return { ...structuredClone(s), cluster: undefined, clusterArn: arn(`cluster/${s.cluster}`) };
  }

  function ecs(operation, body, res) {
    const ok = (payload) => jsonOk(res, payload);
    const key = (svc) => `${body.cluster ?? 'default'}/${svc}`;
    switch (operation) {
      case 'DescribeServices': {
        const found = (body.services ?? []).map((s) => services.get(key(s))).filter(Boolean);
        return ok({
          services: found.map(publicService),
          failures: (body.services ?? [])
            .filter((s) => !services.has(key(s)))
            .map((s) => ({ arn: arn(`service/${body.cluster}/${s}`), reason: 'MISSING' })),
        });
      }
      case 'DescribeTaskDefinition': {
        const td = resolveTd(body.taskDefinition);
        if (!td) return ecsError(res, 400, 'ClientException', 'Unable to describe task definition.');
        return ok({ taskDefinition: td, tags: [] });
      }
      case 'RegisterTaskDefinition': {
        if (!body.family || !body.containerDefinitions?.length)
          return ecsError(res, 400, 'ClientException', 'Container.image should not be null or empty.');
        return ok({ taskDefinition: register(body) });
      }
      case 'ListTaskDefinitions':
        return ok({
          taskDefinitionArns: family(body.familyPrefix)
            .filter((t) => t.status === 'ACTIVE')
            .map((t) => t.taskDefinitionArn),
        });
      case 'CreateService': {
        if (body.clientToken && clientTokens.get(body.clientToken) === key(body.serviceName))
          return ok({ service: publicService(services.get(key(body.serviceName))) });
        if (services.has(key(body.serviceName)) && services.get(key(body.serviceName)).status === 'ACTIVE')
          return ecsError(res, 400, 'InvalidParameterException', 'Creation of service was not idempotent.');
        const td = resolveTd(body.taskDefinition);
        if (!td) return ecsError(res, 400, 'ClientException', 'TaskDefinition not found.');
        const { clientToken, tags, cluster, ...settings } = body;
        const service = {
          ...settings,
          serviceArn: arn(`service/${body.cluster}/${body.serviceName}`),
          cluster: cluster ?? 'default',
          status: 'ACTIVE',
          taskDefinition: td.taskDefinitionArn,
          desiredCount: body.desiredCount ?? 0,
          runningCount: 0,
          loadBalancers: body.loadBalancers ?? [],
          deployments: [],
          events: [],
          tags,
        };
        services.set(key(body.serviceName), service);
        if (clientToken) clientTokens.set(clientToken, key(body.serviceName));
        deploy(service, { newDeployment: true });
        return ok({ service: publicService(service) });
      }
      case 'UpdateService': {
        const service = services.get(key(body.service));
        if (!service || service.status !== 'ACTIVE')
          return ecsError(res, 400, 'ServiceNotActiveException', 'Service was not ACTIVE.');
        const td = body.taskDefinition ? resolveTd(body.taskDefinition) : undefined;
        if (body.taskDefinition && !td) return ecsError(res, 400, 'ClientException', 'TaskDefinition not found.');
        const changed = td !== undefined && td.taskDefinitionArn !== service.taskDefinition;
        if (td) service.taskDefinition = td.taskDefinitionArn;
        if (body.desiredCount !== undefined) service.desiredCount = body.desiredCount;
        deploy(service, { newDeployment: changed || body.forceNewDeployment === true });
        return ok({ service: publicService(service) });
      }
      case 'ListTasks': {
        const found = [...tasks.values()].filter(
          (t) =>
            t.group === `service:${body.serviceName}` &&
            t.clusterArn.endsWith(`/${body.cluster}`) &&
            (!body.desiredStatus || t.desiredStatus === body.desiredStatus),
        );
        return ok({ taskArns: found.map((t) => t.taskArn) });
      }
      case 'DescribeTasks':
        return ok({ tasks: (body.tasks ?? []).map((t) => tasks.get(t)).filter(Boolean), failures: [] });
      default:
        return ecsError(res, 400, 'UnknownOperationException', `unknown operation ${operation}`);
    }
  }

  function elb(params, res) {
    const ok = (action, inner) => {
      res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': `req-${counter++}` });
      res.end(
        `<${action}Response xmlns="${ELB_NS}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>req</RequestId></ResponseMetadata></${action}Response>`,
      );
    };
    /** Sets the action list of a rule or listener as ModifyRule/ModifyListener do, or answers why ELBv2 would not. */
    const replaceActions = (arn, name, listName) => {
      const actions = queryStructure(params)[listName] ?? [];
      const invalid = validateActions(actions, ruleActions.get(arn));
      if (invalid) {
        elbError(res, 400, 'ValidationError', invalid);
        return false;
      }
      ruleActions.set(arn, actions);
      return true;
    };
    const action = params.get('Action');
    switch (action) {
      case 'DescribeRules': {
        const ruleArn = params.get('RuleArns.member.1');
        if (!ruleActions.has(ruleArn)) return elbError(res, 400, 'RuleNotFound', 'One or more rules not found');
        return ok(
          'DescribeRules',
          `<Rules><member><RuleArn>${ruleArn}</RuleArn><Priority>10</Priority><IsDefault>false</IsDefault><Actions>${xml(publicActions(ruleActions.get(ruleArn)))}</Actions></member></Rules>`,
        );
      }
      case 'ModifyRule': {
        const ruleArn = params.get('RuleArn');
        if (!ruleActions.has(ruleArn)) return elbError(res, 400, 'RuleNotFound', 'One or more rules not found');
        if (!replaceActions(ruleArn, 'rule', 'Actions')) return;
        return ok(
          'ModifyRule',
          `<Rules><member><RuleArn>${ruleArn}</RuleArn><Actions>${xml(publicActions(ruleActions.get(ruleArn)))}</Actions></member></Rules>`,
        );
      }
      case 'DescribeListeners': {
        const listenerArn = params.get('ListenerArns.member.1');
        if (!ruleActions.has(listenerArn))
          return elbError(res, 400, 'ListenerNotFound', 'One or more listeners not found');
        return ok(
          'DescribeListeners',
          `<Listeners><member><ListenerArn>${listenerArn}</ListenerArn><Port>443</Port><Protocol>HTTPS</Protocol><DefaultActions>${xml(publicActions(ruleActions.get(listenerArn)))}</DefaultActions></member></Listeners>`,
        );
      }
      case 'ModifyListener': {
        const listenerArn = params.get('ListenerArn');
        if (!ruleActions.has(listenerArn))
          return elbError(res, 400, 'ListenerNotFound', 'One or more listeners not found');
        if (!replaceActions(listenerArn, 'listener', 'DefaultActions')) return;
        return ok(
          'ModifyListener',
          `<Listeners><member><ListenerArn>${listenerArn}</ListenerArn><DefaultActions>${xml(publicActions(ruleActions.get(listenerArn)))}</DefaultActions></member></Listeners>`,
        );
      }
      default:
        return elbError(res, 400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
    }
  }

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const isEcs = target.startsWith(ECS_PREFIX);
      const params = isEcs ? undefined : new URLSearchParams(raw);
      const operation = isEcs ? target.slice(ECS_PREFIX.length) : (params?.get('Action') ?? '');
      const api = isEcs ? 'ecs' : 'elb';
      const input = isEcs ? (raw ? JSON.parse(raw) : {}) : Object.fromEntries(/** @type {URLSearchParams} */ (params));
      const originalWriteHead = res.writeHead.bind(res);
      res.writeHead = (status, ...rest) => {
        calls.push({ api, operation, status, input });
        return originalWriteHead(status, ...rest);
      };
      const fail = isEcs ? ecsError : elbError;
      const credential = sigv4(req, isEcs ? 'ecs' : 'elasticloadbalancing');
      if (!credential)
        return fail(
          res,
          403,
          isEcs ? 'MissingAuthenticationTokenException' : 'MissingAuthenticationToken',
          'Request is missing Authentication Token',
        );
      if (credential.accessKeyId !== accessKeyId || credential.sessionToken !== sessionToken)
        return fail(
          res,
          403,
          isEcs ? 'UnrecognizedClientException' : 'InvalidClientTokenId',
          'The security token included in the request is invalid.',
        );
      if (credential.region !== region)
        return fail(
          res,
          403,
          isEcs ? 'InvalidSignatureException' : 'SignatureDoesNotMatch',
          `Credential should be scoped to a valid region, not '${credential.region}'.`,
        );
      if (expired)
        return fail(
          res,
          400,
          isEcs ? 'ExpiredTokenException' : 'ExpiredToken',
          'The security token included in the request is expired',
        );
      const fault = faults.find((f) => f.api === api && f.left > 0);
      if (fault) {
        fault.left--;
        if (fault.status === 'reset') {
          calls.push({ api, operation, status: 0, input });
          req.socket.destroy();
          return;
        }
        if (fault.status === 400) return fail(res, 400, isEcs ? 'ThrottlingException' : 'Throttling', 'Rate exceeded');
        return fail(
          res,
          fault.status,
          isEcs ? 'ServerException' : 'InternalFailure',
          'We encountered an internal error. Please try again.',
        );
      }
      if (isEcs) return ecs(operation, input, res);
      return elb(/** @type {URLSearchParams} */ (params), res);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;

  return {
    url,
    calls,
    /** Environment for a process whose AWS SDK clients should talk to this fake. */
    env: {
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: 'fake-secret-access-key-ecs',
      AWS_SESSION_TOKEN: sessionToken,
      AWS_REGION: region,
      AWS_ENDPOINT_URL_ECS: url,
      AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: url,
    },
    /** A service on a task definition running `image`, behind a listener rule forwarding 100 % to its target group. */
    /**
     * A service on a task definition running `image`, behind a listener rule (or, with `listener`, a
     * listener's default action) forwarding 100 % to its target group.
     * @param {{ cluster?: string, name?: string, image: string, desiredCount?: number, listener?: boolean }} options
     */
    addService({ cluster = 'prod', name = 'shop', image, desiredCount = 4, listener = false }) {
      const td = register({
        family: name,
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        taskRoleArn: `arn:aws:iam::${account}:role/${name}-task`,
        executionRoleArn: `arn:aws:iam::${account}:role/${name}-execution`,
        containerDefinitions: [
          { name: 'app', image, essential: true, portMappings: [{ containerPort: 8080 }] },
          { name: 'log-router', image: 'amazon/aws-for-fluent-bit:2.32', essential: false },
        ],
      });
      const stableTg = `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/${name}-stable/${counter++}`;
      const canaryTg = `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/${name}-canary/${counter++}`;
      const rule = listener
        ? `arn:aws:elasticloadbalancing:${region}:${account}:listener/app/web/1/${name}${counter++}`
        : `arn:aws:elasticloadbalancing:${region}:${account}:listener-rule/app/web/1/2/${name}${counter++}`;
      const service = {
        serviceName: name,
        serviceArn: arn(`service/${cluster}/${name}`),
        cluster,
        status: 'ACTIVE',
        taskDefinition: td.taskDefinitionArn,
        desiredCount,
        runningCount: desiredCount,
        launchType: 'FARGATE',
        platformVersion: 'LATEST',
        networkConfiguration: {
          awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' },
        },
        healthCheckGracePeriodSeconds: 30,
        enableExecuteCommand: true,
        propagateTags: 'SERVICE',
        enableECSManagedTags: true,
        loadBalancers: [{ targetGroupArn: stableTg, containerName: 'app', containerPort: 8080 }],
        deployments: [
          {
            id: 'ecs-svc/0',
            status: 'PRIMARY',
            taskDefinition: td.taskDefinitionArn,
            desiredCount,
            runningCount: desiredCount,
            rolloutState: 'COMPLETED',
          },
        ],
        events: [],
      };
      services.set(`${cluster}/${name}`, service);
      // As DescribeRules shows a rule made with a single TargetGroupArn: both forms, stickiness off.
      ruleActions.set(rule, [
        {
          Type: 'forward',
          Order: 1,
          TargetGroupArn: stableTg,
          ForwardConfig: {
            TargetGroups: [{ TargetGroupArn: stableTg, Weight: 1 }],
            TargetGroupStickinessConfig: { Enabled: false },
          },
        },
      ]);
      return { cluster, rule, stableTg, canaryTg };
    },
    service(cluster, name) {
      return services.get(`${cluster}/${name}`);
    },
    taskDefinition(ref) {
      return resolveTd(ref);
    },
    weights(rule) {
      const forward = ruleActions.get(rule)?.find((a) => a.Type === 'forward');
      return Object.fromEntries(
        (forward?.ForwardConfig?.TargetGroups ?? []).map((g) => [g.TargetGroupArn, g.Weight ?? 1]),
      );
    },
    /** The rule's (or listener's) whole action list as DescribeRules returns it (no client secrets). */
    actions(arn) {
      return publicActions(ruleActions.get(arn) ?? []);
    },
    /** Replaces a rule's actions, e.g. with an authenticate-oidc action before the forward and stickiness on. */
    setActions(arn, actions) {
      ruleActions.set(arn, structuredClone(actions));
    },
    /**
     * Tasks of `image` stop: by default they cannot pull it (TaskFailedToStart); give another reason
     * and stop code for, e.g., failed ELB health checks (ServiceSchedulerInitiated) or an exiting
     * essential container (EssentialContainerExited).
     */
    neverReady(
      image,
      reason = `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${image}: not found`,
      stopCode = 'TaskFailedToStart',
    ) {
      failingImages.set(image, { reason, stopCode });
    },
    /**
     * Every running task of the service stops at once, as when its essential container exits (a crash
     * after it was healthy): runningCount 0 on the service and its PRIMARY deployment, the scheduler's
     * replacements pending and not started in this fake, the stopped tasks listed with their reason.
     */
    crashTasks(cluster, name, reason = 'Essential container in task exited') {
      const service = services.get(`${cluster}/${name}`);
      const primary = service.deployments.find((d) => d.status === 'PRIMARY');
      for (let i = 0; i < primary.runningCount; i++) {
        stopTask(service, primary, reason, 'EssentialContainerExited');
        const stopped = [...tasks.values()].at(-1);
        stopped.containers[0] = { ...stopped.containers[0], exitCode: 137 };
      }
      primary.failedTasks = (primary.failedTasks ?? 0) + primary.runningCount;
      primary.runningCount = 0;
      primary.pendingCount = primary.desiredCount;
      service.runningCount = 0;
    },
    /** Deployments of `image` never place a task; the service logs `event` instead. */
    stall(
      image,
      event = 'was unable to place a task. Reason: Capacity is unavailable at this time. Please try again later or in a different availability zone.',
    ) {
      stalledImages.set(image, event);
    },
    /**
     * The next `count` calls to `api` fail: status 400 is throttling, 'reset' drops the connection, else that 5xx.
     * @param {'ecs'|'elb'} api @param {number} count @param {number | 'reset'} [status]
     */
    failNext(api, count, status = 400) {
      faults.push({ api, status, left: count });
    },
    clearFaults() {
      faults.length = 0;
    },
    expire() {
      expired = true;
    },
    async stop() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Action fields whose query-protocol strings are numbers or booleans in the model. */
const NUMBER_FIELDS = new Set(['Order', 'Weight', 'DurationSeconds', 'SessionTimeout']);
const BOOLEAN_FIELDS = new Set(['Enabled', 'UseExistingClientSecret']);
/** Map-typed fields (serialized as entry.N.key / entry.N.value, and <entry><key/><value/></entry>). */
const MAP_FIELDS = new Set(['AuthenticationRequestExtraParams']);
/** Routing actions: a rule has exactly one, performed last (ELBv2 API Reference, CreateRule/ModifyRule "Actions"). */
const ROUTING_TYPES = new Set(['forward', 'redirect', 'fixed-response']);

/** Query-protocol parameters (Actions.member.1.ForwardConfig.TargetGroups.member.2.Weight=…) as nested values. */
function queryStructure(params) {
  const root = {};
  for (const [key, value] of params) {
    const parts = key.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) node = node[part] ??= {};
    node[parts[parts.length - 1]] = value;
  }
  const shape = (node, field) => {
    if (typeof node === 'string')
      return NUMBER_FIELDS.has(field) ? Number(node) : BOOLEAN_FIELDS.has(field) ? node === 'true' : node;
    if (node.member)
      return Object.keys(node.member)
        .sort((a, b) => Number(a) - Number(b))
        .map((i) => shape(node.member[i], ''));
    if (MAP_FIELDS.has(field)) return Object.fromEntries(Object.values(node.entry ?? {}).map((e) => [e.key, e.value]));
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, shape(v, k)]));
  };
  return shape(root, '');
}

/** A model value as ELBv2's XML: lists as <member>, maps as <entry><key/><value/></entry>. */
function xml(value, field = '') {
  const escape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  if (Array.isArray(value)) return value.map((item) => `<member>${xml(item)}</member>`).join('');
  if (value && typeof value === 'object')
    return MAP_FIELDS.has(field)
      ? Object.entries(value)
          .map(([k, v]) => `<entry><key>${escape(k)}</key><value>${escape(v)}</value></entry>`)
          .join('')
      : Object.entries(value)
          .map(([k, v]) => `<${k}>${xml(v, k)}</${k}>`)
          .join('');
  return escape(value);
}

/** Describe* never returns an OIDC client secret (ELBv2 API Reference, AuthenticateOidcActionConfig.ClientSecret). */
function publicActions(actions) {
  return structuredClone(actions).map((a) => {
    if (a.AuthenticateOidcConfig) {
      delete a.AuthenticateOidcConfig.ClientSecret;
      delete a.AuthenticateOidcConfig.UseExistingClientSecret;
    }
    return a;
  });
}

/**
 * What ELBv2 checks on a new action list (ModifyRule and ModifyListener replace the whole list; they
 * do not merge into it). From the ELBv2 API Reference, Action and ForwardActionConfig data types.
 * Keeps the stored OIDC client secret when the request says UseExistingClientSecret. Returns the
 * error message, or undefined when the list is valid.
 */
function validateActions(actions, previous) {
  if (!actions.length) return 'At least one action must be specified';
  // "Order ... is required for rules with multiple actions"; each order is used once.
  if (actions.length > 1) {
    if (actions.some((a) => a.Order === undefined))
      return 'An order must be specified for each action when there are multiple actions';
    if (new Set(actions.map((a) => a.Order)).size !== actions.length) return 'Action orders must be unique';
  }
  // "Each rule must include exactly one of the following routing actions: forward, fixed-response, or redirect, and it must be the last action to be performed."
  const routing = actions.filter((a) => ROUTING_TYPES.has(a.Type));
  if (routing.length !== 1) return 'Exactly one forward, redirect or fixed-response action must be specified';
  const last = actions.reduce((a, b) => ((b.Order ?? 0) > (a.Order ?? 0) ? b : a));
  if (last !== routing[0]) return `The ${routing[0].Type} action must be the last action to be performed`;
  for (const a of actions) {
    if (a.Type === 'authenticate-oidc') {
      const config = a.AuthenticateOidcConfig ?? {};
      // "ClientSecret ... required if you are creating a rule. If you are modifying a rule, you can omit this parameter if you set UseExistingClientSecret to true."
      if (config.UseExistingClientSecret) {
        const before = previous?.find((p) => p.Type === 'authenticate-oidc')?.AuthenticateOidcConfig?.ClientSecret;
        if (!before) return 'There is no existing client secret to use';
        config.ClientSecret = before;
        delete config.UseExistingClientSecret;
      } else if (!config.ClientSecret) return 'A client secret must be specified for an authenticate-oidc action';
    }
    if (a.Type === 'forward') {
      const groups = a.ForwardConfig?.TargetGroups ?? (a.TargetGroupArn ? [{ TargetGroupArn: a.TargetGroupArn }] : []);
      if (!groups.length) return 'A forward action must specify a target group';
      // "If you specify both ForwardConfig and TargetGroupArn, you can specify only one target group using ForwardConfig and it must be the same target group specified in TargetGroupArn."
      if (a.TargetGroupArn && a.ForwardConfig && (groups.length !== 1 || groups[0].TargetGroupArn !== a.TargetGroupArn))
        return 'You cannot specify multiple target groups in a forward action when TargetGroupArn is also specified';
      if (groups.length > 1 && groups.reduce((n, g) => n + (g.Weight ?? 1), 0) === 0)
        return 'At least one target group must have a weight greater than 0';
      const stickiness = a.ForwardConfig?.TargetGroupStickinessConfig;
      if (stickiness?.Enabled && !stickiness.DurationSeconds)
        return 'A stickiness duration must be specified when target group stickiness is enabled';
      // Stickiness left out of the request is off afterwards, as the API stores a fresh ForwardConfig.
      if (a.ForwardConfig) a.ForwardConfig.TargetGroupStickinessConfig = stickiness ?? { Enabled: false };
    }
  }
  return undefined;
}
