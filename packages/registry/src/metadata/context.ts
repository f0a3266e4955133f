import type { GitContext, RepoInfo } from './meta';

/** The subset of the runner's context the metadata needs (core's RunContext satisfies it). */
export interface RunFacts {
  eventName: string;
  ref: string;
  sha: string;
  event: Record<string, unknown>;
  repository: string;
  serverUrl: string;
}

interface Payload {
  number?: number;
  pull_request?: { head?: { sha?: string } };
  commits?: Array<{ id?: string; timestamp?: string }>;
  head_commit?: { id?: string; timestamp?: string } | null;
  repository?: {
    name?: string;
    description?: string | null;
    html_url?: string;
    default_branch?: string;
    license?: { spdx_id?: string } | null;
  };
}

/**
 * The commit docker/metadata-action tags: pull_request_target builds the PR's merge ref, and with
 * prHeadSha (its DOCKER_METADATA_PR_HEAD_SHA) pull request builds are tagged with the PR head
 * commit rather than the merge commit GitHub creates.
 */
export function refAndSha(run: RunFacts, prHeadSha: boolean): { ref: string; sha: string } {
  const payload = run.event as Payload;
  let { ref, sha } = run;
  if (/pull_request_target/.test(run.eventName)) ref = `refs/pull/${payload.number}/merge`;
  if (prHeadSha && /pull_request/.test(run.eventName) && payload.pull_request?.head?.sha)
    sha = payload.pull_request.head.sha;
  return { ref, sha };
}

/**
 * The git context as metadata-action derives it from the workflow. The commit date comes from the
 * payload when it lists the commit, else from the caller (the GitHub API), else it is `now`.
 */
export function gitContextFromRun(
  run: RunFacts,
  options: { prHeadSha: boolean; now: Date; commitDate?: Date },
): GitContext {
  const { ref, sha } = refAndSha(run, options.prHeadSha);
  return {
    eventName: run.eventName,
    ref,
    sha,
    payload: run.event,
    commitDate: commitDateFromPayload(run, sha) ?? options.commitDate ?? options.now,
  };
}

/** The commit's time as push payloads give it (commits[] or head_commit), as metadata-action reads it. */
export function commitDateFromPayload(run: RunFacts, sha: string): Date | undefined {
  const payload = run.event as Payload;
  const fromCommits = payload.commits?.find((c) => c.id === sha)?.timestamp;
  if (fromCommits) return new Date(fromCommits);
  if (payload.head_commit?.id === sha && payload.head_commit.timestamp) return new Date(payload.head_commit.timestamp);
  return undefined;
}

/**
 * Repository facts for the OCI labels and type=edge from the event payload, when it carries all of
 * them (the GitHub API has the same record; metadata-action asks it every time).
 */
export function repoInfoFromPayload(run: RunFacts): RepoInfo | undefined {
  const repo = (run.event as Payload).repository;
  if (!repo?.name || !repo.html_url || !repo.default_branch || !('description' in repo) || !('license' in repo))
    return undefined;
  return {
    name: repo.name,
    description: repo.description ?? '',
    htmlUrl: repo.html_url,
    license: repo.license?.spdx_id ?? '',
    defaultBranch: repo.default_branch,
  };
}

/** What the run itself says about the repository when neither the payload nor the API can: no description, license or default branch. */
export function repoInfoFromRun(run: RunFacts): RepoInfo {
  const repo = (run.event as Payload).repository;
  return {
    name: repo?.name ?? run.repository.split('/')[1] ?? '',
    description: repo?.description ?? '',
    htmlUrl: repo?.html_url ?? `${run.serverUrl}/${run.repository}`,
    license: repo?.license?.spdx_id ?? '',
    defaultBranch: repo?.default_branch ?? '',
  };
}
