// Builds what both canary-deploy and auto-rollback drive from their parsed inputs: the traffic
// target, the metric provider with the judge's settings, and the deployment history.
import { PermanentError, request, type SecretRegistry } from '@deploy-actions/core';
import type { ActionContext } from '@deploy-actions/core/runner';
import {
  DEFAULT_JUDGE_CONFIG,
  HttpProbeProvider,
  type JudgeConfig,
  type MetricProvider,
  PrometheusProvider,
} from '@deploy-actions/analysis';
import type { DeploymentHistory } from '@deploy-actions/history';
import { CommandTarget, HaproxyTarget, NginxTarget, type RolloutTarget } from '@deploy-actions/traffic';
import { fillSlots, type JudgeInputs, slotNames, type MetricsConfig, type TargetConfig } from './inputs';

/** A VM target knows two slots and can report and restore their weights; the command target cannot. */
export type SlotTarget = HaproxyTarget | NginxTarget;

export interface TargetSettings {
  target: TargetConfig;
  release: { image: string; version: string };
  healthPath: string;
  healthTimeoutMs: number;
}

export function isSlotTarget(target: RolloutTarget): target is SlotTarget {
  return target instanceof HaproxyTarget || target instanceof NginxTarget;
}

/** Platform targets (Kubernetes, ECS, Cloud Run) load their client code only when used. */
export async function makeTarget(
  ctx: ActionContext,
  config: TargetSettings,
  stableSlot: string | undefined,
): Promise<RolloutTarget> {
  const t = config.target;
  const release = config.release;
  if (t.kind === 'command')
    return new CommandTarget({ ...t, release, timeoutMs: config.healthTimeoutMs, log: ctx.log });
  if (t.kind === 'kubernetes') {
    const [{ KubernetesTarget }, { loadKubeconfig }, { readFile }] = await Promise.all([
      import('@deploy-actions/traffic/kubernetes'),
      import('@deploy-actions/traffic/kubeconfig'),
      import('node:fs/promises'),
    ]);
    const files =
      'text' in t.kubeconfig
        ? t.kubeconfig.text
        : await Promise.all(t.kubeconfig.paths.map(async (path) => ({ path, text: await readFile(path, 'utf8') })));
    const cluster = await loadKubeconfig(files, { context: t.context });
    for (const secret of [cluster.token, cluster.key?.toString('utf8'), cluster.basic?.password])
      if (secret) ctx.secrets.add(secret);
    return new KubernetesTarget({
      cluster,
      namespace: t.namespace ?? cluster.namespace ?? 'default',
      deployment: t.deployment,
      container: t.container,
      traffic: t.traffic,
      route: t.route,
      service: t.service,
      release,
      readyTimeoutMs: config.healthTimeoutMs,
      http: request,
      log: ctx.log,
      onToken: (token) => ctx.secrets.add(token),
    });
  }
  if (t.kind === 'ecs') {
    const [{ EcsTarget }, { sdkEcsApi }] = await Promise.all([
      import('@deploy-actions/traffic/ecs'),
      import('@deploy-actions/traffic/ecs-sdk'),
    ]);
    return new EcsTarget({
      ...t,
      api: await sdkEcsApi({ region: t.region, log: ctx.log }),
      release,
      readyTimeoutMs: config.healthTimeoutMs,
      log: ctx.log,
    });
  }
  if (t.kind === 'cloud-run') {
    const { CloudRunTarget, credentialsFileToken, staticToken } = await import('@deploy-actions/traffic/cloud-run');
    const auth = t.accessToken
      ? staticToken(t.accessToken)
      : await credentialsFileToken({
          path: t.credentialsFile!,
          http: request,
          log: ctx.log,
          onSecret: (value) => ctx.secrets.add(value),
        });
    return new CloudRunTarget({
      ...t,
      auth,
      release,
      readyTimeoutMs: config.healthTimeoutMs,
      http: request,
      log: ctx.log,
    });
  }
  if (!stableSlot) throw new PermanentError('cannot tell which slot is stable; pass `stable-slot`');
  if (t.kind === 'haproxy') {
    return new HaproxyTarget({
      socket: t.socket,
      backend: t.backend,
      slots: t.slots,
      stableSlot,
      deployCommand: t.deployCommand,
      release,
      healthTimeoutMs: config.healthTimeoutMs,
      stateFile: t.stateFile,
      log: ctx.log,
    });
  }
  return new NginxTarget({
    ...t,
    stableSlot,
    release,
    healthPath: config.healthPath,
    healthTimeoutMs: config.healthTimeoutMs,
    log: ctx.log,
  });
}

/** For a new rollout on a VM target: the slot carrying the most traffic now is the stable one. */
export async function currentStable(ctx: ActionContext, config: TargetSettings): Promise<string | undefined> {
  const t = config.target;
  if (t.kind !== 'haproxy' && t.kind !== 'nginx') return undefined;
  const probe = (await makeTarget(ctx, config, slotNames(t)[0])) as SlotTarget;
  const slots = await probe.describe();
  return [...slots].sort((a, b) => b.weight - a.weight)[0]?.slot;
}

/**
 * `slots`: the canary and stable slot of this rollout, for `{{canary-slot}}` / `{{stable-slot}}` in
 * selectors. `slowerThanMs`: the latency limit, at which slow requests are counted.
 */
export function makeProvider(
  secrets: SecretRegistry,
  m: MetricsConfig,
  slots?: { canary: string; stable: string },
  slowerThanMs?: number,
): MetricProvider {
  if (m.kind === 'http-probe')
    return new HttpProbeProvider({
      canaryUrl: m.canaryUrl,
      baselineUrl: m.baselineUrl,
      ratePerSecond: m.ratePerSecond,
      slowerThanMs,
    });
  for (const url of [m.url]) {
    const password = new URL(url).password;
    if (password) secrets.add(password);
  }
  const select = (selector: string) => {
    const filled = slots ? fillSlots(selector, slots.canary, slots.stable) : selector;
    if (filled.includes('{{'))
      throw new PermanentError(
        `selector '${selector}' uses {{canary-slot}} or {{stable-slot}}, which only a haproxy or nginx target fills; select by labels instead`,
      );
    return filled;
  };
  return new PrometheusProvider({
    url: m.url,
    canarySelector: select(m.canarySelector),
    baselineSelector: select(m.baselineSelector),
    queries: m.queries,
    baselineLookbackMs: m.baselineLookbackMs,
    excludePaths: m.excludePaths,
    pathLabel: m.pathLabel,
    slowerThanMs,
  });
}

/** The judge's settings from the inputs; the rest are the analysis package's defaults. */
export function judgeConfig(inputs: JudgeInputs, overrides: Partial<JudgeConfig> = {}): JudgeConfig {
  return {
    ...DEFAULT_JUDGE_CONFIG,
    maxErrorRate: inputs.maxErrorRate,
    maxLatencyMs: { p95: inputs.maxP95Ms },
    latencyTolerance: inputs.latencyTolerance,
    minRequests: inputs.minRequests,
    blastRadius: inputs.blastRadius,
    metricsGraceMs: inputs.metricsGraceMs,
    shadow: inputs.dryRun,
    ...overrides,
  };
}

/** Octokit for the job's token, against the API of the server the run is on (GitHub.com or GHES). */
export async function openOctokit(
  config: { githubToken: string | undefined },
  apiUrl = process.env.GITHUB_API_URL ?? 'https://api.github.com',
) {
  if (!config.githubToken)
    throw new PermanentError(
      '`github-token` is empty; pass a token with `deployments: write` (and `issues: write` for issue comments)',
    );
  const { getOctokit } = await import('@actions/github');
  return getOctokit(config.githubToken, { baseUrl: apiUrl });
}

/** A copy of a JSON-like value with every string redacted. */
function redactStrings(value: unknown, secrets: SecretRegistry): unknown {
  if (typeof value === 'string') return secrets.redact(value);
  if (Array.isArray(value)) return value.map((item) => redactStrings(item, secrets));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactStrings(v, secrets)]));
  return value;
}

export async function openHistory(
  ctx: ActionContext,
  config: { githubToken: string | undefined },
): Promise<DeploymentHistory> {
  const [octokit, { DeploymentHistory }] = await Promise.all([
    openOctokit(config, ctx.run.apiUrl),
    import('@deploy-actions/history'),
  ]);
  // Deployment descriptions and payloads carry reasons: secrets are redacted from every string sent.
  const redacting = (route: string, params?: Record<string, unknown>) =>
    octokit.request(route, params && (redactStrings(params, ctx.secrets) as Record<string, unknown>));
  return new DeploymentHistory({
    request: redacting as never,
    owner: ctx.run.owner,
    repo: ctx.run.repo,
    log: ctx.log,
  });
}
