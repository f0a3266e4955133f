import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Clock,
  HttpError,
  isTransient,
  type Logger,
  oneLine,
  parseRetryAfter,
  PermanentError,
  request,
  retry,
  RETRYABLE_STATUSES,
} from '@deploy-actions/core';
import {
  commitDateFromPayload,
  gitContextFromRun,
  refAndSha,
  repoInfoFromPayload,
  repoInfoFromRun,
  type RunFacts,
} from './context';
import type { GitContext, RepoInfo } from './meta';

export interface GitHubApiOptions {
  /** GITHUB_API_URL: api.github.com or a GHES server's /api/v3. */
  apiUrl: string;
  token: string | undefined;
  /** Where answers are kept for the rest of the job (RUNNER_TEMP, which lives as long as the job). */
  cacheDir: string;
  log: Logger;
  /** Deadline for one call including its retries. */
  timeoutMs: number;
  signal?: AbortSignal;
  clock?: Clock;
}

export interface ResolvedFacts {
  git: GitContext;
  repo: RepoInfo;
  /** Where each fact came from, for the log. */
  sources: string[];
  /** Facts nobody could give, with their consequence; the step goes on with the fallback. */
  warnings: string[];
}

/**
 * The facts docker/metadata-action takes from the GitHub API (repository record, commit date),
 * asked only when the event payload lacks them, each at most once per job: answers are cached in
 * the job's temp folder for later steps. Without a token, the fallback is the run's own variables
 * (no description, license or default branch) and the time of the run, each with a warning.
 */
export async function resolveFacts(
  run: RunFacts,
  options: {
    prHeadSha: boolean;
    now: Date;
    /** Some expression uses {{commit_date}}: only then is the commit date worth a call. */
    needsCommitDate: boolean;
    /** A type=edge rule without branch= needs the default branch. */
    needsDefaultBranch: boolean;
    api: GitHubApiOptions;
  },
): Promise<ResolvedFacts> {
  const sources: string[] = [];
  const warnings: string[] = [];
  const api = new FactsApi(run.repository, options.api);
  const noToken = 'no github-token was given (the default is the job token, ${{ github.token }})';

  let repo: RepoInfo;
  const fromPayload = repoInfoFromPayload(run);
  if (fromPayload) {
    repo = fromPayload;
    sources.push('repository: event payload');
  } else if (options.api.token) {
    repo = await api.repository();
    sources.push('repository: GitHub API');
  } else {
    repo = repoInfoFromRun(run);
    sources.push('repository: run variables');
    const lost = ['the description and licenses labels are empty'];
    if (options.needsDefaultBranch) lost.push('type=edge without branch= gives no tag (the default branch is unknown)');
    warnings.push(`the event payload has no repository record and ${noToken}: ${lost.join('; ')}`);
  }

  const { sha } = refAndSha(run, options.prHeadSha);
  let commitDate: Date | undefined;
  if (options.needsCommitDate && sha && !commitDateFromPayload(run, sha)) {
    if (!COMMIT.test(sha)) {
      warnings.push(
        `'${sha}' is not a commit id, so its date cannot be asked for; {{commit_date}} gives the time of this run`,
      );
    } else if (options.api.token) {
      // As in metadata-action, a commit the API cannot give is not fatal: {{commit_date}} falls back to now.
      try {
        commitDate = await api.commitDate(sha);
        sources.push('commit date: GitHub API');
      } catch (error) {
        if (options.api.signal?.aborted) throw error;
        warnings.push(
          `the commit date of ${sha} could not be read: ${oneLine(error)}; {{commit_date}} gives the time of this run`,
        );
      }
    } else {
      warnings.push(
        `the event payload does not list commit ${sha} and ${noToken}: {{commit_date}} gives the time of this run`,
      );
    }
  }
  return {
    git: gitContextFromRun(run, { prHeadSha: options.prHeadSha, now: options.now, commitDate }),
    repo,
    sources,
    warnings,
  };
}

const CACHE_FILE = 'deploy-actions-github-facts.json';
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const COMMIT = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

interface RawRepository {
  name?: string;
  description?: string | null;
  html_url?: string;
  default_branch?: string;
  license?: { spdx_id?: string } | null;
}

/** The two GET calls, retried like every API call, with a job-wide cache. */
class FactsApi {
  constructor(
    private readonly fullName: string,
    private readonly o: GitHubApiOptions,
  ) {}

  async repository(): Promise<RepoInfo> {
    const data = (await this.cached(`repos/${this.fullName}`)) as RawRepository;
    return {
      name: data.name ?? '',
      description: data.description ?? '',
      htmlUrl: data.html_url ?? '',
      license: data.license?.spdx_id ?? '',
      defaultBranch: data.default_branch ?? '',
    };
  }

  /** The committer date, as metadata-action takes it (commit.committer.date). */
  async commitDate(sha: string): Promise<Date> {
    const data = (await this.cached(`repos/${this.fullName}/commits/${sha}`)) as {
      commit?: { committer?: { date?: string } | null };
    };
    const date = data.commit?.committer?.date;
    if (!date) throw new PermanentError(`GitHub API: commit ${sha} has no committer date`);
    return new Date(date);
  }

  private async cached(path: string): Promise<unknown> {
    // The repository goes into the API path: checked against GitHub's grammar, so nothing else is asked for.
    if (!REPOSITORY.test(this.fullName))
      throw new PermanentError(
        `GITHUB_REPOSITORY '${this.fullName}' is not owner/name; the runner sets it, so run the step in a workflow`,
      );
    const file = join(this.o.cacheDir, CACHE_FILE);
    const key = `${this.o.apiUrl.replace(/\/$/, '')}/${path}`;
    const cache = readCache(file);
    if (key in cache) {
      this.o.log.info(`GitHub API: ${path} from this job's earlier answer`);
      return cache[key];
    }
    const data = await this.get(path);
    // Only the fields used are kept: a repository record is large and says more than a temp file needs to.
    cache[key] = path.includes('/commits/') ? { commit: (data as { commit?: unknown }).commit } : pick(data);
    const temp = `${file}.${process.pid}`;
    writeFileSync(temp, JSON.stringify(cache), { mode: 0o600 });
    renameSync(temp, file);
    return data;
  }

  private get(path: string): Promise<unknown> {
    const url = `${this.o.apiUrl.replace(/\/$/, '')}/${path}`;
    const what = `GitHub API GET /${path}`;
    return retry(
      async () => {
        const response = await request({
          url,
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${this.o.token}`,
            'user-agent': 'deploy-actions',
            'x-github-api-version': '2022-11-28',
          },
          timeoutMs: Math.min(30_000, Math.max(1000, this.o.timeoutMs)),
          signal: this.o.signal,
        });
        if (response.status === 200) return response.json();
        throw apiError(response.status, response.headers, response.text(), what);
      },
      {
        timeoutMs: this.o.timeoutMs,
        signal: this.o.signal,
        clock: this.o.clock,
        what,
        isRetryable: isTransient,
        delayHint: (error) => (error instanceof HttpError ? error.retryAfterMs : undefined),
        onRetry: ({ attempt, error, delayMs }) =>
          this.o.log.info(`${(error as Error).message}; retry ${attempt} in ${Math.round(delayMs)}ms`),
      },
    );
  }
}

function pick(data: unknown): RawRepository {
  const r = data as RawRepository;
  return {
    name: r.name,
    description: r.description,
    html_url: r.html_url,
    default_branch: r.default_branch,
    license: r.license ? { spdx_id: r.license.spdx_id } : null,
  };
}

function readCache(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** GitHub's answers: 5xx and 429 pass; a 403 is throttling when it says so (secondary limit, Retry-After). */
function apiError(status: number, headers: Record<string, string>, body: string, what: string): Error {
  const message = (() => {
    try {
      return String((JSON.parse(body) as { message?: unknown }).message ?? '');
    } catch {
      return body.slice(0, 200);
    }
  })();
  const retryAfterMs = parseRetryAfter(headers['retry-after']);
  if (status === 403 && (retryAfterMs !== undefined || /secondary rate limit/i.test(message)))
    return new HttpError('transient', `${what}: HTTP 403 ${message}`, { status, retryAfterMs: retryAfterMs ?? 60_000 });
  if (status === 401)
    return new PermanentError(`${what}: HTTP 401 ${message}; check github-token (it must be a valid token)`);
  if (status === 403 || status === 404)
    return new PermanentError(
      `${what}: HTTP ${status} ${message}; the token needs read access to the repository (permissions: contents: read)`,
    );
  return new HttpError(
    RETRYABLE_STATUSES.has(status) ? 'transient' : 'permanent',
    `${what}: HTTP ${status} ${message}`,
    {
      status,
      retryAfterMs,
    },
  );
}
