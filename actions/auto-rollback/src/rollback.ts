import { formatDuration, markdown, oneLine, PermanentError, request } from '@deploy-actions/core';
import type { ActionContext } from '@deploy-actions/core/runner';
import { judge, type Observation, observe } from '@deploy-actions/analysis';
import {
  type DeploymentHistory,
  type DeploymentRecord,
  githubCommentNotifier,
  notifyAll,
  type Notifier,
  webhookNotifier,
} from '@deploy-actions/history';
import { isReleaseTarget } from '@deploy-actions/traffic';
import {
  isSlotTarget,
  judgeConfig,
  makeProvider,
  makeTarget,
  openHistory,
  openOctokit,
} from '@deploy-actions/action-shared/build';
import { slotNames } from '@deploy-actions/action-shared/inputs';
import type { RollbackConfig } from './config';

export async function rollback(ctx: ActionContext, config: RollbackConfig): Promise<void> {
  if (!config.needed) {
    ctx.outputs.set('rolled-back', 'false');
    ctx.log.info('the smoke test passed: nothing to roll back');
    return;
  }
  const history = await openHistory(ctx, config);
  const current = (await history.list(config.environment, { maxPages: 1 }))[0];
  if (!current)
    throw new PermanentError(
      `${config.environment} has no deployments: nothing to roll back from; nothing was changed`,
    );

  // Running twice must leave one rollback: the newest deployment already being ours means done.
  if (
    current.payload.rollbackOf !== undefined &&
    current.state === 'success' &&
    (!config.version || matches(current, config.version))
  ) {
    ctx.log.info(`already rolled back: deployment ${current.id} restored ${current.payload.version}; nothing to do`);
    setOutputs(ctx, false, current.payload.version, '', 'already rolled back', current.id);
    return;
  }

  let reason = config.reason;
  if (config.trigger === 'watch') {
    const breach = await watch(ctx, config, current);
    if (!breach) return;
    reason = breach;
  }

  const good = config.version
    ? await findVersion(history, config.environment, config.version)
    : await history.lastGood(config.environment, { olderThan: current.id });
  if (!good) {
    throw new PermanentError(
      `no earlier successful deployment of ${config.environment} to roll back to${config.version ? ` with version ${config.version}` : ''}; nothing was changed. Pass \`version\` to choose one`,
    );
  }
  ctx.log.info(
    `rolling ${config.environment} back from ${current.payload.version} (deployment ${current.id}) to ${good.payload.version} (deployment ${good.id}): ${reason}`,
  );

  const octokit = await openOctokit(config, ctx.run.apiUrl);
  const notifiers: Notifier[] = [
    ...(config.notify.webhook ? [webhookNotifier(config.notify.webhook, ctx.log)] : []),
    ...(config.notify.issue
      ? [githubCommentNotifier(octokit.request as never, ctx.run.owner, ctx.run.repo, { issue: config.notify.issue })]
      : []),
    ...(config.notify.commit && current.sha
      ? [githubCommentNotifier(octokit.request as never, ctx.run.owner, ctx.run.repo, { commit: current.sha })]
      : []),
  ];
  const links: Array<[string, string]> = [
    ['workflow run', ctx.run.runUrl],
    ...(config.environmentUrl ? [['environment', config.environmentUrl] as [string, string]] : []),
  ];
  const fields = (extra: Array<[string, string]> = []): Array<[string, string]> => [
    ['Environment', config.environment],
    ['From', `${current.payload.version} (${current.payload.image})`],
    ['To', `${good.payload.version} (${good.payload.image})`],
    ...extra,
  ];

  const started = Date.now();
  let slot: string | undefined;
  try {
    slot = await restore(ctx, config, current, good);
    if (config.verifyUrl) await verify(ctx, config);
  } catch (error) {
    const cause = oneLine(error);
    await history
      .setState(current.id, 'failure', `rollback to ${good.payload.version} FAILED: ${cause}`, {
        logUrl: ctx.run.runUrl,
      })
      .catch(() => undefined);
    await notifyAll(
      notifiers,
      {
        ok: false,
        title: `Rollback of ${config.environment} FAILED`,
        reason: `${reason}; restoring ${good.payload.version} failed: ${cause}. Act now: the bad version may still be serving.`,
        fields: fields(),
        links,
      },
      ctx.log,
      (text) => ctx.secrets.redact(text),
    );
    ctx.summary.append(
      `### 🚨 Rollback of ${config.environment} to ${good.payload.version} FAILED\n\n${cause}\n\nWhy the rollback was needed: ${reason}\n`,
    );
    throw new PermanentError(
      `ROLLBACK FAILED: could not restore ${good.payload.version} on ${config.environment}: ${cause}`,
      { cause: error },
    );
  }
  const tookMs = Date.now() - started;

  const schema = await schemaStep(ctx, config, current, good);
  if (current.state !== 'failure')
    await history.setState(current.id, 'failure', `rolled back to ${good.payload.version}: ${reason}`, {
      logUrl: ctx.run.runUrl,
    });
  const id = await history.start({
    environment: config.environment,
    ref: good.ref,
    sha: good.sha,
    logUrl: ctx.run.runUrl,
    environmentUrl: config.environmentUrl,
    description: `rollback to ${good.payload.version}: ${reason}`,
    payload: {
      ...good.payload,
      targetState: slot ? { slot } : good.payload.targetState,
      runId: `${ctx.run.runId}.${ctx.run.runAttempt}`,
      rollbackOf: current.id,
    },
  });
  await history.setState(id, 'success', `rollback from ${current.payload.version}: ${reason}`, {
    logUrl: ctx.run.runUrl,
    environmentUrl: config.environmentUrl,
  });
  const notified = await notifyAll(
    notifiers,
    {
      ok: true,
      title: `Rolled back ${config.environment} to ${good.payload.version}`,
      reason,
      fields: fields([
        ['Switch took', formatDuration(tookMs)],
        ['Schema', schema],
      ]),
      links,
    },
    ctx.log,
    (text) => ctx.secrets.redact(text),
  );

  setOutputs(ctx, true, good.payload.version, current.payload.version, reason, id);
  ctx.summary.append(
    [
      `### ↩️ Rolled back ${config.environment}: ${current.payload.version} → ${good.payload.version}`,
      '',
      reason,
      '',
      markdown.table(
        ['', 'Version', 'Image', 'Deployment'],
        [
          ['from', current.payload.version, `\`${current.payload.image}\``, `${current.id} (now failure)`],
          ['to', good.payload.version, `\`${good.payload.image}\``, `${id} (rollback of ${good.id})`],
        ],
      ),
      `Switch took ${formatDuration(tookMs)}${slot ? ` (slot ${slot})` : ''}; ${config.verifyUrl ? `verified at ${config.verifyUrl}` : 'no verify-url given'}. Schema: ${schema}. Notified: ${notified.join(', ') || 'nobody'}.`,
      '',
    ].join('\n'),
  );
}

/** Puts traffic on the good version: a weight change when it is still warm in the other slot, else deploy it there first. */
async function restore(
  ctx: ActionContext,
  config: RollbackConfig,
  current: DeploymentRecord,
  good: DeploymentRecord,
): Promise<string | undefined> {
  const release = { image: good.payload.image, version: good.payload.version };
  if (config.target.kind !== 'haproxy' && config.target.kind !== 'nginx') {
    const target = await makeTarget(ctx, { ...config, release }, undefined);
    if (!isReleaseTarget(target)) {
      // The command target: the user's deploy and promote commands put the release back.
      await target.deployCanary(ctx.signal);
      await target.promote(ctx.signal);
      return undefined;
    }
    // A platform keeps earlier releases (revisions, task definitions, ReplicaSets): it brings this one back itself.
    await target.rollbackTo(release, ctx.signal);
    const state = await target.describe(ctx.signal);
    if (state.stable.image !== release.image || (state.canary?.weight ?? 0) > 0) {
      throw new PermanentError(
        `after the switch the target serves ${state.stable.image}${state.canary ? ` and ${state.canary.weight}% ${state.canary.image}` : ''}, not only ${release.image}`,
      );
    }
    return undefined;
  }
  const slots = slotNames(config.target);
  const badSlot = slotOf(current) ?? config.stableSlot;
  const goodSlot = slotOf(good);
  const warm = goodSlot !== undefined && goodSlot !== badSlot && slots.includes(goodSlot);
  const into = warm ? goodSlot! : (slots.find((s) => s !== badSlot) ?? slots[0]!);
  // The target's "stable" is the slot that keeps its version; the other one is where a deploy goes.
  const target = await makeTarget(
    ctx,
    { ...config, release },
    warm ? into : (badSlot ?? slots.find((s) => s !== into)!),
  );
  if (!isSlotTarget(target)) throw new PermanentError('internal: slot target expected');
  if (!warm) {
    if (!config.target.deployCommand)
      throw new PermanentError(
        `${good.payload.version} is no longer running in a slot (the failed version replaced it) and no \`deploy-command\` was given to put it back`,
      );
    ctx.log.info(`${good.payload.version} is not warm: deploying it to slot ${into} first`);
    await target.deployCanary(ctx.signal);
  } else {
    ctx.log.info(`${good.payload.version} is still running in slot ${into}: switching traffic back`);
  }
  await target.restore(into, ctx.signal);
  const shares = await target.describe();
  const serving = shares.find((s) => s.slot === into);
  if (!serving || serving.weight <= 0 || shares.some((s) => s.slot !== into && s.weight > 0)) {
    throw new PermanentError(
      `after the switch the target reports ${shares.map((s) => `${s.slot}=${s.weight}`).join(', ')}, not all traffic on ${into}`,
    );
  }
  return into;
}

/** The slot a deployment put its version in (a rollback records `slot`, a canary its `canarySlot`). */
function slotOf(d: DeploymentRecord): string | undefined {
  return (d.payload.targetState?.slot ?? d.payload.targetState?.canarySlot) as string | undefined;
}

async function verify(ctx: ActionContext, config: RollbackConfig): Promise<void> {
  // The check entry, not the package's main one: a status check needs none of the Hurl engine.
  const { runSmoke, statusCheck } = await import('@deploy-actions/probe/check');
  const report = await runSmoke(
    [
      statusCheck({ url: config.verifyUrl!, method: 'GET', headers: [], expectedStatus: '2xx' }, (req, signal) =>
        request({ timeoutMs: 10_000, ...req, signal }),
      ),
    ],
    {
      readyTimeoutMs: config.verifyTimeoutMs,
      readyIntervalMs: 500,
      flakeBudget: 0,
      parallelism: 1,
      log: ctx.log,
      signal: ctx.signal,
    },
  );
  if (!report.passed) throw new PermanentError(`verification failed: ${report.results[0]?.reason ?? report.problem}`);
  ctx.log.info(`verified: ${config.verifyUrl} answers`);
}

/** Migrates down when asked and the versions differ; otherwise says what the schema does. */
async function schemaStep(
  ctx: ActionContext,
  config: RollbackConfig,
  current: DeploymentRecord,
  good: DeploymentRecord,
): Promise<string> {
  const from = current.payload.schemaVersion;
  const to = good.payload.schemaVersion;
  if (!from || !to || from === to) return from ? `unchanged at ${from}` : 'not recorded';
  if (!config.database) {
    const note = `stays at ${from} (${good.payload.version} was deployed with ${to}); safe if the migrations since were additive (expand/contract), otherwise run run-migrations with mode down`;
    ctx.log.warning(`schema ${note}`);
    return note;
  }
  const { loadMigrations, Migrator } = await import('@deploy-actions/migrate');
  const { connectPostgres } = await import('@deploy-actions/action-shared/postgres');
  const client = await connectPostgres(config.database.url, `deploy-actions/auto-rollback run ${ctx.run.runId}`, ctx);
  try {
    const migrator = new Migrator({
      client: client as never,
      table: config.database.table,
      lockWaitMs: 300_000,
      lockTimeoutMs: 5_000,
      statementTimeoutMs: 1_800_000,
      lockRetries: 3,
      appliedBy: ctx.run.runUrl,
      log: ctx.log,
      signal: ctx.signal,
    });
    const result = await migrator.down(loadMigrations(config.database.migrations), to);
    return `migrated down ${result.before ?? 'none'} → ${result.after ?? 'none'} (${result.applied.length} undone)`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Judges the promoted version for the watch window; returns the breach, or undefined when it held up. */
async function watch(
  ctx: ActionContext,
  config: RollbackConfig,
  current: DeploymentRecord,
): Promise<string | undefined> {
  // The version watched is the one the current deployment put in its slot.
  const watched = slotOf(current);
  const slots = slotNames(config.target);
  const provider = makeProvider(
    ctx.secrets,
    config.metrics!,
    watched ? { canary: watched, stable: slots.find((s) => s !== watched) ?? watched } : undefined,
    config.judge.maxP95Ms,
  );
  await provider.validate();
  await provider.validateCanary?.();
  // After a promotion nothing runs beside the new version: only the absolute limits apply.
  const settings = judgeConfig(config.judge, { comparedPercentiles: [], blastRadius: undefined, shadow: false });
  const start = Date.now();
  const observations: Observation[] = [];
  try {
    ctx.log.info(
      `watching ${current.payload.version} on ${config.environment} for ${formatDuration(config.watchDurationMs)}`,
    );
    while (Date.now() - start < config.watchDurationMs) {
      await new Promise((r) => setTimeout(r, config.intervalMs));
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const now = Date.now();
      observations.push(await observe(provider, { start, end: now }));
      // The watched version has all the traffic: no series for it within the grace period fails closed.
      const verdict = judge(observations, settings, now, { trafficSince: start });
      if (verdict.outcome === 'fail') {
        ctx.log.warning(`watch: ${verdict.reason}`);
        return `${current.payload.version} breached during the watch window: ${verdict.reason}`;
      }
    }
  } finally {
    await provider.close();
  }
  ctx.log.info(`${current.payload.version} held up for ${formatDuration(config.watchDurationMs)}: no rollback`);
  setOutputs(ctx, false, current.payload.version, '', 'held up during the watch window', undefined);
  ctx.summary.append(
    `### ✅ ${current.payload.version} held up on ${config.environment} for ${formatDuration(config.watchDurationMs)}\n`,
  );
  return undefined;
}

function matches(d: DeploymentRecord, version: string): boolean {
  return (
    d.payload.version === version ||
    d.payload.image === version ||
    d.payload.image?.endsWith(`@${version}`) ||
    d.payload.digest === version
  );
}

async function findVersion(
  history: DeploymentHistory,
  environment: string,
  version: string,
): Promise<DeploymentRecord | undefined> {
  const all = await history.list(environment, { maxPages: 10 });
  return all.find((d) => matches(d, version) && (d.state === 'success' || d.state === 'inactive'));
}

function setOutputs(
  ctx: ActionContext,
  rolledBack: boolean,
  restored: string,
  failed: string,
  reason: string,
  id: number | undefined,
): void {
  ctx.outputs.set('rolled-back', String(rolledBack));
  ctx.outputs.set('restored-version', restored);
  ctx.outputs.set('failed-version', failed);
  ctx.outputs.set('reason', reason);
  ctx.outputs.set('deployment-id', id === undefined ? '' : String(id));
}
