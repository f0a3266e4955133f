import { type Clock, type Logger, PermanentError, retry, TransientError } from '@deploy-actions/core';

/**
 * The one call of Octokit this package needs (`octokit.request`), so the entry hands in a real
 * Octokit and tests can hand in anything that speaks the REST API.
 */
export type GitHubRequest = (
  route: string,
  params?: Record<string, unknown>,
) => Promise<{ status: number; data: unknown; headers: Record<string, unknown> }>;

export type DeploymentState = 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

/**
 * Marks the deployments this library made. GitHub creates deployments of its own for every job that
 * names an `environment:`; those carry no image, and must never be mistaken for a version to restore.
 */
export const PAYLOAD_FORMAT = 'deploy-actions/1';

/** What a deployment records about the rollout, in its payload. */
export interface DeploymentPayload {
  format?: typeof PAYLOAD_FORMAT;
  image: string;
  digest?: string;
  version: string;
  /** Schema version after the migrations of this release, and before them. */
  schemaVersion?: string;
  schemaVersionBefore?: string;
  target: string;
  /** Where the target put the release (e.g. the slot), for a later rollback. */
  targetState?: Record<string, unknown>;
  /** The workflow run that made it: re-running a job finds its own deployment by this. */
  runId: string;
  /** Set on a rollback: the deployment that failed. */
  rollbackOf?: number;
}

export interface DeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  createdAt: string;
  description: string | null;
  payload: DeploymentPayload;
  /** The latest status, or undefined when it has none yet. */
  state: DeploymentState | undefined;
}

export interface HistoryOptions {
  request: GitHubRequest;
  owner: string;
  repo: string;
  log: Logger;
  clock?: Clock;
  /** Deadline for one API call including retries. */
  timeoutMs?: number;
}

interface RawDeployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  created_at: string;
  description: string | null;
  payload: unknown;
}

/**
 * GitHub Deployments as the record of what runs where: one deployment per environment rollout, its
 * statuses moving in_progress -> success / failure / inactive. "The last good version" is the newest
 * deployment of the environment whose latest status is success.
 */
export class DeploymentHistory {
  constructor(private readonly o: HistoryOptions) {}

  /** Creates the deployment for this rollout, or finds the one this run already created (re-runs). */
  async start(params: {
    environment: string;
    ref: string;
    sha: string;
    payload: DeploymentPayload;
    description: string;
    environmentUrl?: string;
    logUrl: string;
    production?: boolean;
  }): Promise<number> {
    const existing = (await this.list(params.environment, { sha: params.sha, maxPages: 1 })).find(
      (d) => d.payload.runId === params.payload.runId && (d.state === 'in_progress' || d.state === undefined),
    );
    if (existing) {
      this.o.log.info(`continuing deployment ${existing.id} created earlier by this run`);
      return existing.id;
    }
    const { data } = await this.call(
      'POST /repos/{owner}/{repo}/deployments',
      {
        ref: params.sha,
        environment: params.environment,
        description: params.description.slice(0, 140),
        auto_merge: false,
        required_contexts: [],
        payload: { ...params.payload, format: PAYLOAD_FORMAT },
        production_environment: params.production ?? params.environment === 'production',
        transient_environment: false,
      },
      'create a deployment',
    );
    const id = (data as { id?: number }).id;
    if (typeof id !== 'number')
      throw new PermanentError(`GitHub did not create a deployment: ${JSON.stringify(data).slice(0, 200)}`);
    await this.setState(id, 'in_progress', params.description, {
      environmentUrl: params.environmentUrl,
      logUrl: params.logUrl,
    });
    return id;
  }

  async setState(
    id: number,
    state: DeploymentState,
    description: string,
    urls: { environmentUrl?: string; logUrl?: string } = {},
  ): Promise<void> {
    await this.call(
      'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
      {
        deployment_id: id,
        state,
        description: description.slice(0, 140),
        log_url: urls.logUrl,
        environment_url: urls.environmentUrl,
        // A success makes the environment's earlier successes inactive, as GitHub's own UI expects.
        auto_inactive: state === 'success',
      },
      `set deployment ${id} to ${state}`,
    );
  }

  async get(id: number): Promise<DeploymentRecord> {
    const { data } = await this.call(
      'GET /repos/{owner}/{repo}/deployments/{deployment_id}',
      { deployment_id: id },
      `read deployment ${id}`,
    );
    return this.record(data as RawDeployment);
  }

  /**
   * The newest deployment of the environment whose latest status is success, older than `olderThan`
   * when given (the failed one): the version to go back to. Deployments marked inactive by a later
   * success count as good: they ran fine until they were replaced.
   */
  async lastGood(
    environment: string,
    options: { olderThan?: number; maxPages?: number } = {},
  ): Promise<DeploymentRecord | undefined> {
    for (const d of await this.list(environment, { maxPages: options.maxPages ?? 5 })) {
      if (options.olderThan !== undefined && d.id >= options.olderThan) continue;
      if (d.state === 'success' || (d.state === 'inactive' && (await this.everSucceeded(d.id)))) return d;
    }
    return undefined;
  }

  /** This library's deployments of the environment, newest first, with each one's latest status. */
  async list(environment: string, options: { sha?: string; maxPages?: number } = {}): Promise<DeploymentRecord[]> {
    const out: DeploymentRecord[] = [];
    for (let page = 1; page <= (options.maxPages ?? 5); page++) {
      const { data } = await this.call(
        'GET /repos/{owner}/{repo}/deployments',
        { environment, sha: options.sha, per_page: 30, page },
        `list deployments of ${environment}`,
      );
      const items = data as RawDeployment[];
      for (const item of items) {
        const record = this.record(item);
        if (record.payload.format === PAYLOAD_FORMAT) out.push({ ...record, state: await this.latestState(item.id) });
      }
      if (items.length < 30) break;
    }
    return out;
  }

  private async latestState(id: number): Promise<DeploymentState | undefined> {
    const { data } = await this.call(
      'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
      { deployment_id: id, per_page: 1 },
      `read statuses of deployment ${id}`,
    );
    return (data as Array<{ state: DeploymentState }>)[0]?.state;
  }

  private async everSucceeded(id: number): Promise<boolean> {
    const { data } = await this.call(
      'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
      { deployment_id: id, per_page: 100 },
      `read statuses of deployment ${id}`,
    );
    const states = (data as Array<{ state: DeploymentState }>).map((s) => s.state);
    return states.includes('success') && !states.includes('failure');
  }

  private record(d: RawDeployment): DeploymentRecord {
    const payload = (typeof d.payload === 'string' ? safeJson(d.payload) : d.payload) as DeploymentPayload;
    return {
      id: d.id,
      sha: d.sha,
      ref: d.ref,
      environment: d.environment,
      createdAt: d.created_at,
      description: d.description,
      payload: payload ?? ({} as DeploymentPayload),
      state: undefined,
    };
  }

  /** One API call with retries on 5xx, 429 and the secondary rate limit; 401/403/404 fail at once with what to fix. */
  private call(route: string, params: Record<string, unknown>, what: string) {
    return retry(
      async () => {
        try {
          return await this.o.request(route, { owner: this.o.owner, repo: this.o.repo, ...params });
        } catch (error) {
          throw classify(error, what);
        }
      },
      {
        timeoutMs: this.o.timeoutMs ?? 60_000,
        clock: this.o.clock,
        what: `GitHub: ${what}`,
        initialDelayMs: 500,
        delayHint: (error) => (error as { retryAfterMs?: number }).retryAfterMs,
        onRetry: ({ error, delayMs }) =>
          this.o.log.info(`GitHub: ${what}: ${(error as Error).message}; retrying in ${Math.round(delayMs)}ms`),
      },
    );
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

class GitHubError extends TransientError {
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}

function classify(error: unknown, what: string): Error {
  const e = error as { status?: number; message?: string; response?: { headers?: Record<string, string> } };
  const status = e.status;
  const message = (e.message ?? String(error)).split('\n')[0]!;
  const retryAfter = e.response?.headers?.['retry-after'];
  const retryAfterMs = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : undefined;
  if (
    status === undefined ||
    status >= 500 ||
    status === 429 ||
    (status === 403 && (retryAfterMs !== undefined || /secondary rate limit/i.test(message)))
  ) {
    return new GitHubError(`${status ?? 'network error'} ${message}`, retryAfterMs);
  }
  if (status === 401)
    return new PermanentError(
      `GitHub rejected the token (401 ${message}) while trying to ${what}; pass a valid \`github-token\``,
    );
  if (status === 403 || status === 404) {
    return new PermanentError(
      `GitHub answered ${status} (${message}) while trying to ${what}; the token needs \`deployments: write\` on this repository (add \`permissions: deployments: write\` to the job)`,
    );
  }
  return new PermanentError(`GitHub answered ${status} (${message}) while trying to ${what}`);
}
export * from './notify';
