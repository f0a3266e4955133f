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
  head_commit?: { id?: string; timestamp?: string };
  repository?: {
    name?: string;
    description?: string | null;
    html_url?: string;
    default_branch?: string;
    license?: { spdx_id?: string } | null;
  };
}

/**
 * The git context as docker/metadata-action derives it from the workflow: pull_request_target
 * builds the PR's merge ref, and (when prHeadSha is on, this action's default) pull request builds
 * are tagged with the PR head commit rather than the merge commit GitHub creates.
 */
export function gitContextFromRun(run: RunFacts, options: { prHeadSha: boolean; now: Date }): GitContext {
  const payload = run.event as Payload;
  let { ref, sha } = run;
  if (/pull_request_target/.test(run.eventName)) ref = `refs/pull/${payload.number}/merge`;
  if (options.prHeadSha && /pull_request/.test(run.eventName) && payload.pull_request?.head?.sha)
    sha = payload.pull_request.head.sha;
  return {
    eventName: run.eventName,
    ref,
    sha,
    payload: run.event,
    commitDate: commitDate(payload, sha) ?? options.now,
  };
}

function commitDate(payload: Payload, sha: string): Date | undefined {
  const fromCommits = payload.commits?.find((c) => c.id === sha)?.timestamp;
  if (fromCommits) return new Date(fromCommits);
  if (payload.head_commit?.id === sha && payload.head_commit.timestamp) return new Date(payload.head_commit.timestamp);
  return undefined;
}

/** Repository facts for the OCI labels, from the event payload, else from the run's variables. */
export function repoInfoFromRun(run: RunFacts): RepoInfo {
  const repo = (run.event as Payload).repository;
  const htmlUrl = repo?.html_url ?? `${run.serverUrl}/${run.repository}`;
  return {
    name: repo?.name ?? run.repository.split('/')[1] ?? '',
    description: repo?.description ?? '',
    htmlUrl,
    license: repo?.license?.spdx_id ?? '',
    defaultBranch: repo?.default_branch ?? '',
  };
}
