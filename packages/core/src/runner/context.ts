import { readFileSync } from 'node:fs';

/** What the runner tells every step about the run, read from its GITHUB_* / RUNNER_* variables. */
export interface RunContext {
  repository: string;
  owner: string;
  repo: string;
  sha: string;
  ref: string;
  refName: string;
  eventName: string;
  event: Record<string, unknown>;
  workflow: string;
  job: string;
  runId: string;
  runAttempt: string;
  actor: string;
  serverUrl: string;
  apiUrl: string;
  workspace: string;
  runnerTemp: string;
  /** Link to this run's log, for deployment records and notifications. */
  runUrl: string;
}

export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const repository = env.GITHUB_REPOSITORY ?? 'local/local';
  const [owner = 'local', repo = 'local'] = repository.split('/');
  const serverUrl = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const runId = env.GITHUB_RUN_ID ?? '0';
  let event: Record<string, unknown> = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown>;
    } catch {
      event = {};
    }
  }
  return {
    repository,
    owner,
    repo,
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    refName: env.GITHUB_REF_NAME ?? '',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    event,
    workflow: env.GITHUB_WORKFLOW ?? '',
    job: env.GITHUB_JOB ?? '',
    runId,
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
    actor: env.GITHUB_ACTOR ?? '',
    serverUrl,
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    runnerTemp: env.RUNNER_TEMP ?? (env.TMPDIR || '/tmp'),
    runUrl: `${serverUrl}/${repository}/actions/runs/${runId}`,
  };
}
