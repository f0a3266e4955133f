// A fake GitHub REST API on loopback, speaking the protocol Octokit uses for deployments, statuses
// and comments, the repository record and commits: JSON bodies, token auth, Link-header pagination,
// and injectable faults (5xx, the secondary rate limit's 403 with Retry-After, 401). Everything
// received is recorded for assertions.
import { createServer } from 'node:http';

/**
 * @param {{ token?: string, owner?: string, repo?: string, repository?: Record<string, unknown> }} [options]
 *   repository: fields that replace the defaults of GET /repos/{owner}/{repo}.
 */
export async function startFakeGitHub({
  token = 'ghs_fake_token_123456',
  owner = 'acme',
  repo = 'shop',
  repository: repositoryFields = {},
} = {}) {
  // GET /repos/{owner}/{repo}, trimmed to the fields clients read, in the API's shape.
  const repository = {
    id: 1296269,
    node_id: 'MDEwOlJlcG9zaXRvcnkxMjk2MjY5',
    name: repo,
    full_name: `${owner}/${repo}`,
    owner: { login: owner, type: 'Organization' },
    private: false,
    html_url: `https://github.com/${owner}/${repo}`,
    description: `The ${repo} service`,
    fork: false,
    url: `https://api.github.com/repos/${owner}/${repo}`,
    homepage: '',
    topics: ['docker', 'deploy'],
    default_branch: 'main',
    license: { key: 'apache-2.0', name: 'Apache License 2.0', spdx_id: 'Apache-2.0', node_id: 'MDc6TGljZW5zZTI=' },
    visibility: 'public',
    ...repositoryFields,
  };
  /** sha -> { committer date, message }: GET /repos/{owner}/{repo}/commits/{sha} answers for these. */
  const commits = new Map();
  const deployments = [];
  const statuses = new Map();
  const comments = [];
  const requests = [];
  const faults = [];
  let nextId = 1000;
  let clock = Date.parse('2026-11-01T00:00:00Z');
  const now = () => new Date((clock += 1000)).toISOString();
  const base = `/repos/${owner}/${repo}`;

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = raw ? JSON.parse(raw) : undefined;
      requests.push({
        method: req.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body,
        authorization: req.headers.authorization,
      });
      const send = (status, data, headers = {}) => {
        res.writeHead(status, {
          'content-type': 'application/json; charset=utf-8',
          'x-github-request-id': `FAKE:${requests.length}`,
          ...headers,
        });
        res.end(data === undefined ? '' : JSON.stringify(data));
      };
      const fault = faults.shift();
      if (fault === 'secondary-rate-limit')
        return send(
          403,
          { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
          { 'retry-after': '1' },
        );
      if (fault === 'unauthorized') return send(401, { message: 'Bad credentials' });
      if (typeof fault === 'number') return send(fault, { message: 'Server Error' });
      if (req.headers.authorization !== `token ${token}` && req.headers.authorization !== `Bearer ${token}`)
        return send(401, { message: 'Bad credentials' });

      const page = (items) => {
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const p = Number(url.searchParams.get('page') ?? 1);
        const slice = items.slice((p - 1) * perPage, p * perPage);
        const headers = {};
        if (p * perPage < items.length) {
          const next = new URL(`http://${req.headers.host}${url.pathname}`);
          for (const [k, v] of url.searchParams) next.searchParams.set(k, v);
          next.searchParams.set('page', String(p + 1));
          headers.link = `<${next}>; rel="next"`;
        }
        return send(200, slice, headers);
      };

      let m;
      if (req.method === 'GET' && url.pathname === base) return send(200, repository);
      if (req.method === 'GET' && (m = new RegExp(`^${base}/commits/([^/]+)$`).exec(url.pathname))) {
        const commit = commits.get(m[1]);
        if (!commit) return send(422, { message: `No commit found for SHA: ${m[1]}` });
        const who = { name: 'Octo Cat', email: 'octocat@example.com', date: commit.date };
        return send(200, {
          sha: m[1],
          node_id: `C_${m[1].slice(0, 8)}`,
          commit: { author: who, committer: who, message: commit.message, tree: { sha: '0'.repeat(40) } },
          html_url: `https://github.com/${owner}/${repo}/commit/${m[1]}`,
          parents: [],
        });
      }
      if (req.method === 'POST' && url.pathname === `${base}/deployments`) {
        if (!body?.ref)
          return send(422, { message: 'Invalid request.', errors: [{ field: 'ref', code: 'missing_field' }] });
        const d = {
          id: nextId++,
          node_id: `DE_${nextId}`,
          sha: body.sha ?? body.ref,
          ref: body.ref,
          task: body.task ?? 'deploy',
          payload: body.payload ?? {},
          environment: body.environment ?? 'production',
          description: body.description ?? null,
          creator: { login: 'github-actions[bot]' },
          created_at: now(),
          updated_at: now(),
          transient_environment: !!body.transient_environment,
          production_environment: !!body.production_environment,
          statuses_url: `http://${req.headers.host}${base}/deployments/${nextId - 1}/statuses`,
        };
        deployments.unshift(d); // the API lists newest first
        statuses.set(d.id, []);
        return send(201, d);
      }
      if (req.method === 'GET' && url.pathname === `${base}/deployments`) {
        const env = url.searchParams.get('environment');
        const sha = url.searchParams.get('sha');
        return page(deployments.filter((d) => (!env || d.environment === env) && (!sha || d.sha === sha)));
      }
      if ((m = new RegExp(`^${base}/deployments/(\\d+)$`).exec(url.pathname)) && req.method === 'GET') {
        const d = deployments.find((x) => x.id === Number(m[1]));
        return d ? send(200, d) : send(404, { message: 'Not Found' });
      }
      if ((m = new RegExp(`^${base}/deployments/(\\d+)/statuses$`).exec(url.pathname))) {
        const id = Number(m[1]);
        if (!statuses.has(id)) return send(404, { message: 'Not Found' });
        if (req.method === 'POST') {
          const valid = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];
          if (!valid.includes(body?.state))
            return send(422, { message: 'Validation Failed', errors: [{ field: 'state', code: 'invalid' }] });
          const s = {
            id: nextId++,
            state: body.state,
            description: body.description ?? '',
            environment: deployments.find((d) => d.id === id).environment,
            environment_url: body.environment_url ?? '',
            log_url: body.log_url ?? '',
            created_at: now(),
            deployment_url: `${base}/deployments/${id}`,
          };
          statuses.get(id).unshift(s);
          if (body.auto_inactive !== false && body.state === 'success') {
            const d = deployments.find((x) => x.id === id);
            for (const other of deployments) {
              if (
                other.id !== id &&
                other.environment === d.environment &&
                statuses.get(other.id)[0]?.state === 'success'
              ) {
                statuses.get(other.id).unshift({ ...s, id: nextId++, state: 'inactive', description: '' });
              }
            }
          }
          return send(201, s);
        }
        return page(statuses.get(id));
      }
      if ((m = new RegExp(`^${base}/issues/(\\d+)/comments$`).exec(url.pathname)) && req.method === 'POST') {
        const c = {
          id: nextId++,
          body: body.body,
          issue: Number(m[1]),
          html_url: `https://github.com/${owner}/${repo}/issues/${m[1]}#issuecomment-${nextId}`,
        };
        comments.push(c);
        return send(201, c);
      }
      if ((m = new RegExp(`^${base}/commits/([0-9a-f]+)/comments$`).exec(url.pathname)) && req.method === 'POST') {
        const c = {
          id: nextId++,
          body: body.body,
          commit_id: m[1],
          html_url: `https://github.com/${owner}/${repo}/commit/${m[1]}#commitcomment-${nextId}`,
        };
        comments.push(c);
        return send(201, c);
      }
      return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    token,
    owner,
    repo,
    deployments,
    statuses,
    comments,
    requests,
    repository,
    /** Makes GET /commits/{sha} answer with this committer date (ISO 8601). */
    addCommit(sha, date, message = 'a commit') {
      commits.set(sha, { date, message });
    },
    /** Queue faults for the next requests: a status code, 'secondary-rate-limit' or 'unauthorized'. */
    fail(...next) {
      faults.push(...next);
    },
    /** The statuses of a deployment, oldest first. */
    statesOf(id) {
      return [...(statuses.get(id) ?? [])].reverse().map((s) => s.state);
    },
    stop: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r(undefined));
      }),
  };
}
