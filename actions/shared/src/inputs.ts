// Inputs that canary-deploy and auto-rollback share, parsed the same way in both: where traffic is
// moved (the target) and where the service is measured (metrics). Light imports only: this runs
// before anything heavy is loaded.
import { type Inputs, InputError, validateUrl } from '@deploy-actions/core/runner';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { prometheusInputProblem } from '@deploy-actions/analysis/promql';
import type { KubernetesTraffic } from '@deploy-actions/traffic/kubernetes';
import { checkName, checkOptionalName } from './names';

const KUBERNETES_TRAFFIC = [
  'replicas',
  'gateway',
  'istio',
  'nginx-ingress',
] as const satisfies readonly KubernetesTraffic[];

export type TargetConfig =
  | {
      kind: 'haproxy';
      socket: string;
      backend: string;
      slots: [string, string];
      stateFile?: string;
      deployCommand?: string[];
    }
  | {
      kind: 'nginx';
      upstreamFile: string;
      upstream: string;
      slots: Record<string, string>;
      reloadCommand: string[];
      testCommand: string[];
      pidFile?: string;
      deployCommand?: string[];
    }
  | { kind: 'command'; deploy?: string[]; setWeight?: string[]; promote?: string[]; abort: string[] }
  | {
      kind: 'ecs';
      region: string;
      cluster: string;
      service: string;
      canaryService?: string;
      container?: string;
      listenerArn: string;
      stableTargetGroupArn: string;
      canaryTargetGroupArn: string;
    }
  | {
      kind: 'cloud-run';
      apiUrl: string;
      project: string;
      region: string;
      service: string;
      tag: string;
      accessToken?: string;
      credentialsFile?: string;
    }
  | {
      kind: 'kubernetes';
      kubeconfig: { text: string } | { paths: string[] };
      context?: string;
      namespace?: string;
      deployment: string;
      container?: string;
      traffic: KubernetesTraffic;
      route?: string;
      service?: string;
    };

export type MetricsConfig =
  | {
      kind: 'prometheus';
      url: string;
      canarySelector: string;
      baselineSelector: string;
      queries: Record<string, string>;
      baselineLookbackMs: number;
      /** Paths the built-in queries leave out (health checks), matched on pathLabel. */
      excludePaths: string[];
      pathLabel: string;
    }
  | { kind: 'http-probe'; canaryUrl: string; baselineUrl: string; ratePerSecond: number };

export interface JudgeInputs {
  maxErrorRate: number;
  maxP95Ms: number;
  latencyTolerance: number;
  minRequests: number;
  blastRadius: number | undefined;
  metricsGraceMs: number;
  dryRun: boolean;
}

/**
 * A GitHub environment name: GitHub allows any text up to 255 characters; it travels in API bodies
 * and paths (encoded there), so only length and line breaks are checked here.
 */
export function parseEnvironment(inputs: Inputs): string {
  const environment = inputs.required('environment');
  if (environment.length > 255 || /[\p{Cc}\p{Cf}]/u.test(environment))
    throw new InputError(
      'environment',
      `'${environment}' is not an environment name`,
      'use the name of a GitHub environment: one line, at most 255 characters',
    );
  return environment;
}

/** The target and its options; `steps` below 100 need a target that can split traffic. */
export function parseTarget(
  inputs: Inputs,
  weights: readonly number[] = [100],
): { target: TargetConfig; stableSlot: string | undefined } {
  const targetKind = inputs.oneOf('target', ['haproxy', 'nginx', 'command', 'kubernetes', 'ecs', 'cloud-run'] as const);
  if (!targetKind)
    throw new InputError(
      'target',
      'is required',
      'set `target:` to haproxy, nginx, command, kubernetes, ecs or cloud-run',
    );
  if (targetKind === 'ecs') return { target: parseEcs(inputs), stableSlot: undefined };
  if (targetKind === 'cloud-run') return { target: parseCloudRun(inputs), stableSlot: undefined };
  if (targetKind === 'kubernetes') return { target: parseKubernetes(inputs), stableSlot: undefined };
  const deployCommand = inputs.command('deploy-command');
  // Slot names become HAProxy server names, nginx comments and PromQL label values ({{canary-slot}}).
  const slotNames = inputs.list('slots').map((slot) => checkName('slots', slot, 'haproxy'));
  if (targetKind !== 'command' && (slotNames.length !== 2 || slotNames[0] === slotNames[1]))
    throw new InputError(
      'slots',
      `'${inputs.raw('slots')}' is not two slot names`,
      'name the two slots, e.g. blue,green',
    );
  const stableSlot = inputs.string('stable-slot');
  if (stableSlot && !slotNames.includes(stableSlot))
    throw new InputError(
      'stable-slot',
      `'${stableSlot}' is not one of the slots ${slotNames.join(', ')}`,
      'name one of the two `slots`',
    );
  let target: TargetConfig;
  if (targetKind === 'haproxy') {
    const socket = checkOptionalName('haproxy-socket', inputs.string('haproxy-socket'), 'localPath');
    if (!socket)
      throw new InputError(
        'haproxy-socket',
        'is required for target haproxy',
        'give the runtime API socket path (stats socket ... level admin) or tcp://host:port',
      );
    target = {
      kind: 'haproxy',
      socket,
      backend: checkName('haproxy-backend', inputs.raw('haproxy-backend') || 'app', 'haproxy'),
      slots: [slotNames[0]!, slotNames[1]!],
      stateFile: checkOptionalName('haproxy-state-file', inputs.string('haproxy-state-file'), 'localPath'),
      deployCommand,
    };
  } else if (targetKind === 'nginx') {
    const upstreamFile = checkOptionalName('nginx-upstream-file', inputs.string('nginx-upstream-file'), 'localPath');
    if (!upstreamFile)
      throw new InputError(
        'nginx-upstream-file',
        'is required for target nginx',
        'give the path of the file holding the upstream block, included from nginx.conf',
      );
    const addresses = inputs.map('nginx-slot-addresses');
    for (const slot of slotNames) {
      if (!addresses[slot])
        throw new InputError(
          'nginx-slot-addresses',
          `has no address for slot ${slot}`,
          `add a line \`${slot}=host:port\``,
        );
      checkName('nginx-slot-addresses', addresses[slot], 'nginxAddress');
    }
    target = {
      kind: 'nginx',
      upstreamFile,
      upstream: checkName('nginx-upstream', inputs.raw('nginx-upstream') || 'app', 'nginxName'),
      slots: Object.fromEntries(slotNames.map((s) => [s, addresses[s]!])),
      reloadCommand: inputs.command('nginx-reload-command') ?? ['nginx', '-s', 'reload'],
      testCommand: inputs.command('nginx-test-command') ?? ['nginx', '-t'],
      pidFile: checkOptionalName('nginx-pid-file', inputs.string('nginx-pid-file'), 'localPath'),
      deployCommand,
    };
  } else {
    const abort = inputs.command('abort-command');
    if (!abort)
      throw new InputError(
        'abort-command',
        'is required for target command',
        'give the command that sends all traffic back to the stable version',
      );
    const setWeight = inputs.command('set-weight-command');
    if (!setWeight && weights.some((w) => w < 100))
      throw new InputError(
        'set-weight-command',
        'is required for steps below 100',
        'give the command that sets the canary share ({{weight}}), or use `steps: 100`',
      );
    target = { kind: 'command', deploy: deployCommand, setWeight, promote: inputs.command('promote-command'), abort };
  }

  return { target, stableSlot };
}

function parseKubernetes(inputs: Inputs): TargetConfig {
  const deployment = inputs.string('kubernetes-deployment');
  if (!deployment)
    throw new InputError(
      'kubernetes-deployment',
      'is required for target kubernetes',
      'name the stable Deployment the canary is made from',
    );
  checkName('kubernetes-deployment', deployment, 'dns1123Subdomain');
  const text = inputs.secret('kubeconfig');
  // As kubectl does: the files KUBECONFIG names (merged; missing ones skipped), else ~/.kube/config (what cloud login actions write).
  const named = (process.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  const paths = (named.length ? named : [join(homedir(), '.kube', 'config')]).filter((p) => existsSync(p));
  if (!text && !paths.length)
    throw new InputError(
      'kubeconfig',
      `is empty and there is no ${named.length ? `file in KUBECONFIG (${named.join(delimiter)})` : join(homedir(), '.kube', 'config')}`,
      'set up the cluster context first (aws eks update-kubeconfig, google-github-actions/get-gke-credentials, azure/aks-set-context) or pass the kubeconfig from a secret',
    );
  const traffic = inputs.oneOf('kubernetes-traffic', KUBERNETES_TRAFFIC) ?? 'replicas';
  const route = checkOptionalName('kubernetes-route', inputs.string('kubernetes-route'), 'dns1123Subdomain');
  if (traffic !== 'replicas' && !route)
    throw new InputError(
      'kubernetes-route',
      `is required for kubernetes-traffic ${traffic}`,
      `name the ${traffic === 'gateway' ? 'HTTPRoute' : traffic === 'istio' ? 'VirtualService' : 'Ingress'} that routes to the stable Service`,
    );
  return {
    kind: 'kubernetes',
    kubeconfig: text ? { text } : { paths },
    context: inputs.string('kubernetes-context'),
    namespace: checkOptionalName('kubernetes-namespace', inputs.string('kubernetes-namespace'), 'dns1123Label'),
    deployment,
    container: checkOptionalName('kubernetes-container', inputs.string('kubernetes-container'), 'dns1123Label'),
    traffic,
    route,
    service: checkOptionalName('kubernetes-service', inputs.string('kubernetes-service'), 'dns1035Label'),
  };
}

function parseEcs(inputs: Inputs): TargetConfig {
  const need = (name: string, what: string) => {
    const value = inputs.string(name);
    if (!value) throw new InputError(name, 'is required for target ecs', what);
    return value;
  };
  const ecsName = (name: string, value: string) => checkName(name, value, 'ecsName');
  const region = inputs.string('aws-region') ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region)
    throw new InputError(
      'aws-region',
      'is required for target ecs (no AWS_REGION in the environment)',
      'run aws-actions/configure-aws-credentials first, or give the region',
    );
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
    throw new InputError('aws-region', `'${region}' is not an AWS region`, 'give a region such as eu-west-1');
  /** An ELBv2 ARN of this kind, in the region the API calls go to. */
  const arn = (name: string, value: string, kind: string, what: string) => {
    const m = /^arn:aws[\w-]*:elasticloadbalancing:([\w-]+):\d{12}:([\w-]+)\/./.exec(value);
    if (!m || m[2] !== kind)
      throw new InputError(
        name,
        `'${value}' is not ${what}`,
        `give the ${kind} ARN (arn:aws:elasticloadbalancing:${region}:<account>:${kind}/…)`,
      );
    if (m[1] !== region)
      throw new InputError(
        name,
        `is in ${m[1]} but the region is ${region}`,
        "set aws-region to the load balancer's region",
      );
    return value;
  };
  const rule = inputs.string('ecs-listener-rule-arn');
  const listener = inputs.string('ecs-listener-arn');
  if (rule && listener)
    throw new InputError(
      'ecs-listener-arn',
      'cannot be given with ecs-listener-rule-arn',
      'give the listener rule, or the listener whose default action forwards, not both',
    );
  if (!rule && !listener)
    throw new InputError(
      'ecs-listener-rule-arn',
      'is required for target ecs',
      "give the ALB listener rule whose forward action sends traffic to the stable target group (or ecs-listener-arn for a listener's default action)",
    );
  const stableTargetGroupArn = arn(
    'ecs-stable-target-group-arn',
    need('ecs-stable-target-group-arn', "give the ARN of the stable service's target group"),
    'targetgroup',
    'a target group ARN',
  );
  const canaryTargetGroupArn = arn(
    'ecs-canary-target-group-arn',
    need('ecs-canary-target-group-arn', 'give the ARN of an empty target group for the canary service'),
    'targetgroup',
    'a target group ARN',
  );
  if (canaryTargetGroupArn === stableTargetGroupArn)
    throw new InputError(
      'ecs-canary-target-group-arn',
      'is the stable target group',
      'give a second target group (same port and health check) for the canary service',
    );
  const service = ecsName('ecs-service', need('ecs-service', 'give the stable ECS service name'));
  const canaryService = checkOptionalName('ecs-canary-service', inputs.string('ecs-canary-service'), 'ecsName');
  if (canaryService === service)
    throw new InputError(
      'ecs-canary-service',
      'is the stable service',
      `give another name, or leave it out for ${service}-canary`,
    );
  return {
    kind: 'ecs',
    region,
    cluster: ecsName('ecs-cluster', need('ecs-cluster', 'give the ECS cluster name')),
    service,
    canaryService,
    container: checkOptionalName('ecs-container', inputs.string('ecs-container'), 'ecsName'),
    // A rule's ARN is accepted in ecs-listener-arn too (the API call follows the ARN's kind).
    listenerArn: rule
      ? arn('ecs-listener-rule-arn', rule, 'listener-rule', 'a listener rule ARN')
      : /:listener-rule\//.test(listener!)
        ? arn('ecs-listener-arn', listener!, 'listener-rule', 'a listener ARN')
        : arn('ecs-listener-arn', listener!, 'listener', 'a listener ARN'),
    stableTargetGroupArn,
    canaryTargetGroupArn,
  };
}

function parseCloudRun(inputs: Inputs): TargetConfig {
  const service = inputs.string('cloud-run-service');
  if (!service)
    throw new InputError('cloud-run-service', 'is required for target cloud-run', 'give the Cloud Run service name');
  checkName('cloud-run-service', service, 'cloudRunService');
  const region = inputs.string('cloud-run-region');
  if (!region)
    throw new InputError(
      'cloud-run-region',
      'is required for target cloud-run',
      "give the service's region, e.g. europe-west1",
    );
  checkName('cloud-run-region', region, 'gcpRegion');
  // google-github-actions/auth exports the project under these names.
  const project =
    inputs.string('cloud-run-project') ??
    ['GOOGLE_CLOUD_PROJECT', 'CLOUDSDK_CORE_PROJECT', 'GCLOUD_PROJECT', 'GCP_PROJECT']
      .map((v) => process.env[v])
      .find(Boolean);
  if (!project)
    throw new InputError(
      'cloud-run-project',
      'is required for target cloud-run (no GOOGLE_CLOUD_PROJECT in the environment)',
      'give the project id, or run google-github-actions/auth before this step',
    );
  checkName('cloud-run-project', project, 'gcpProject');
  const tag = inputs.raw('cloud-run-tag') || 'canary';
  if (!/^[a-z]([a-z0-9-]{0,44}[a-z0-9])?$/.test(tag))
    throw new InputError(
      'cloud-run-tag',
      `'${tag}' is not a valid revision tag`,
      'use lower-case letters, digits and dashes, starting with a letter',
    );
  // A token given as input, else the credentials file google-github-actions/auth writes and exports (read in the target's chunk).
  const accessToken = inputs.secret('gcp-access-token');
  const credentialsFile = accessToken ? undefined : process.env.GOOGLE_APPLICATION_CREDENTIALS?.trim() || undefined;
  if (!accessToken && !credentialsFile)
    throw new InputError(
      'gcp-access-token',
      'is required for target cloud-run (and GOOGLE_APPLICATION_CREDENTIALS is not set)',
      'add google-github-actions/auth before this step, and pass `${{ steps.auth.outputs.access_token }}` (with `token_format: access_token`) or let it export its credentials file',
    );
  if (credentialsFile && !existsSync(credentialsFile))
    throw new InputError(
      'gcp-access-token',
      `is not set and GOOGLE_APPLICATION_CREDENTIALS names ${credentialsFile}, which does not exist`,
      'run google-github-actions/auth earlier in this same job, or pass `gcp-access-token`',
    );
  return {
    kind: 'cloud-run',
    apiUrl: inputs.url('cloud-run-api-url') ?? 'https://run.googleapis.com',
    project,
    region,
    service,
    tag,
    ...(accessToken ? { accessToken } : { credentialsFile }),
  };
}

/**
 * Where canary and baseline are measured. `required` is false where no judgement will run;
 * `lookback` reads `baseline-lookback` (canary-deploy has a baseline with a history, a watch does not).
 */
export function parseMetrics(inputs: Inputs, required: boolean, lookback = false): MetricsConfig {
  const metricsKind = inputs.oneOf('metrics', ['prometheus', 'http-probe'] as const) ?? 'prometheus';
  let metrics: MetricsConfig;
  if (metricsKind === 'prometheus') {
    const url = inputs.url('prometheus-url');
    if (!url && required)
      throw new InputError(
        'prometheus-url',
        'is required for metrics prometheus',
        'give the Prometheus base URL, e.g. http://prometheus:9090',
      );
    const selectors = {
      canary: inputs.raw('canary-selector') || 'track="canary"',
      baseline: inputs.raw('baseline-selector') || 'track="stable"',
    };
    const queries = inputs.map('queries');
    const problem = prometheusInputProblem(queries, {
      canary: fillSlots(selectors.canary, 'blue', 'green'),
      baseline: fillSlots(selectors.baseline, 'blue', 'green'),
    });
    if (problem) throw new InputError(...problem);
    const baselineLookbackMs = lookback
      ? (inputs.duration('baseline-lookback', { min: 0, max: 86_400_000 }) ?? 600_000)
      : 0;
    const pathLabel = inputs.raw('path-label') || 'path';
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(pathLabel))
      throw new InputError(
        'path-label',
        `'${pathLabel}' is not a Prometheus label name`,
        'give a label name such as path, handler or route',
      );
    const excludePaths = inputs.list('health-check-paths');
    const badPath = excludePaths.find((path) => !path.startsWith('/') || /\s/.test(path));
    if (badPath !== undefined)
      throw new InputError(
        'health-check-paths',
        `'${badPath}' is not a request path`,
        'list paths such as /health,/ready',
      );
    metrics = {
      kind: 'prometheus',
      url: url ?? '',
      canarySelector: selectors.canary,
      baselineSelector: selectors.baseline,
      queries,
      baselineLookbackMs,
      excludePaths,
      pathLabel,
    };
  } else {
    const canaryUrl = inputs.raw('probe-canary-url');
    const baselineUrl = inputs.raw('probe-baseline-url');
    if (!canaryUrl || !baselineUrl)
      throw new InputError(
        canaryUrl ? 'probe-baseline-url' : 'probe-canary-url',
        'is required for metrics http-probe',
        'give the URLs of the canary and of the stable version',
      );
    metrics = {
      kind: 'http-probe',
      canaryUrl: validateUrl('probe-canary-url', canaryUrl),
      baselineUrl: validateUrl('probe-baseline-url', baselineUrl),
      ratePerSecond: inputs.number('probe-rate', { min: 0.1, max: 1000 }) ?? 10,
    };
  }
  return metrics;
}

/** The two slots of a haproxy or nginx target; none for targets without slots. */
export function slotNames(target: TargetConfig): string[] {
  if (target.kind === 'haproxy') return target.slots;
  if (target.kind === 'nginx') return Object.keys(target.slots);
  return [];
}

const SLOT_PLACEHOLDER = /\{\{\s*(canary|stable)-slot\s*\}\}/g;

/**
 * On a two-slot target the canary alternates between the slots from one release to the next, so a
 * selector can say `slot="{{canary-slot}}"` / `slot="{{stable-slot}}"` and get the slot of this rollout.
 */
export function fillSlots(selector: string, canary: string, stable: string): string {
  return selector.replace(SLOT_PLACEHOLDER, (_m, side: string) => (side === 'canary' ? canary : stable));
}

export function parseJudge(inputs: Inputs): JudgeInputs {
  return {
    maxErrorRate: (inputs.number('max-error-rate', { min: 0, max: 100 }) ?? 5) / 100,
    maxP95Ms: inputs.duration('max-p95', { min: 1 }) ?? 1000,
    latencyTolerance: (inputs.number('latency-tolerance', { min: 0, max: 1000 }) ?? 25) / 100,
    minRequests: inputs.int('min-requests', { min: 1, max: 1_000_000_000 }) ?? 100,
    blastRadius: inputs.int('blast-radius', { min: 1, max: 1_000_000_000 }),
    metricsGraceMs: inputs.duration('metrics-grace', { min: 0 }) ?? 30_000,
    dryRun: inputs.bool('dry-run'),
  };
}
