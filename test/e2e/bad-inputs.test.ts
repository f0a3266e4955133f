// Bad input, systematically: for every input of every action (from action.yml), values that are
// wrong for it (empty, whitespace, wrong type, out of range, unknown enum, malformed URL, missing
// path, a folder for a file, newline, unicode, 100 KB). Each case is parsed in-process first (the
// parse is a pure function of inputs and run context, and is what the bundle runs before anything
// else), which classifies every case in milliseconds; then one rejected case per input runs through
// the bundle as the runner runs it, to check the runner-facing contract: exit 1, one `::error::`
// line naming the input, no stack trace, no output, summary or file touched, and a post step that
// does nothing.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, Inputs, type RunContext, readRunContext } from '@deploy-actions/core/runner';
import { SecretRegistry } from '@deploy-actions/core';
import { actionMetadata, actionNames } from '../../scripts/lib/actions.mjs';
import { inputEnvironment, runStep } from '../../scripts/lib/local-runner.mjs';
import { parse as parseAutoRollback } from '../../actions/auto-rollback/src/config';
import { parse as parseBuildPush } from '../../actions/build-push-image/src/config';
import { parse as parseCanary } from '../../actions/canary-deploy/src/config';
import { parse as parseMigrations } from '../../actions/run-migrations/src/config';
import { parse as parseSmoke } from '../../actions/smoke-test/src/config';

type Parse = (inputs: Inputs, run: RunContext) => unknown;
type Values = Record<string, string>;

const PARSERS: Record<string, Parse> = {
  'auto-rollback': parseAutoRollback,
  'build-push-image': parseBuildPush,
  'canary-deploy': parseCanary,
  'run-migrations': parseMigrations,
  'smoke-test': parseSmoke,
};

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:6443' } }]
users: [{ name: u, user: { token: kube-token-123 } }]
contexts: [{ name: ctx, context: { cluster: c, user: u } }]
current-context: ctx
`;
const TG = (name: string) => `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${name}/0123456789abcdef`;
const RULE = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/alb/0123/4567/89ab';
const PROM = { 'prometheus-url': 'http://127.0.0.1:9090' };
const PROBE = {
  metrics: 'http-probe',
  'probe-canary-url': 'http://127.0.0.1:8081',
  'probe-baseline-url': 'http://127.0.0.1:8082',
};
/** Targets shared by canary-deploy and auto-rollback: each is a complete, valid set of inputs. */
const TARGETS: Values[] = [
  { target: 'haproxy', 'haproxy-socket': '/run/haproxy.sock', 'haproxy-state-file': 'haproxy.state' },
  {
    target: 'nginx',
    'nginx-upstream-file': 'upstream.conf',
    'nginx-slot-addresses': 'blue=127.0.0.1:8081\ngreen=127.0.0.1:8082',
    'nginx-pid-file': 'nginx.pid',
  },
  {
    target: 'command',
    'abort-command': 'deploy abort',
    'set-weight-command': 'deploy weight {{weight}}',
    'promote-command': 'deploy promote',
  },
  {
    target: 'kubernetes',
    kubeconfig: KUBECONFIG,
    'kubernetes-deployment': 'shop',
    'kubernetes-namespace': 'prod',
    'kubernetes-container': 'app',
    'kubernetes-context': 'ctx',
  },
  {
    target: 'kubernetes',
    kubeconfig: KUBECONFIG,
    'kubernetes-deployment': 'shop',
    'kubernetes-traffic': 'gateway',
    'kubernetes-route': 'shop',
    'kubernetes-service': 'shop',
  },
  {
    target: 'ecs',
    'aws-region': 'eu-west-1',
    'ecs-cluster': 'prod',
    'ecs-service': 'shop',
    'ecs-canary-service': 'shop-canary',
    'ecs-container': 'app',
    'ecs-listener-rule-arn': RULE,
    'ecs-stable-target-group-arn': TG('stable'),
    'ecs-canary-target-group-arn': TG('canary'),
  },
  {
    target: 'ecs',
    'aws-region': 'eu-west-1',
    'ecs-cluster': 'prod',
    'ecs-service': 'shop',
    'ecs-listener-arn': 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/alb/0123/4567',
    'ecs-stable-target-group-arn': TG('stable'),
    'ecs-canary-target-group-arn': TG('canary'),
  },
  {
    target: 'cloud-run',
    'cloud-run-service': 'shop',
    'cloud-run-region': 'europe-west1',
    'cloud-run-project': 'acme-prod-123',
    'gcp-access-token': 'ya29.token-123',
    'cloud-run-api-url': 'http://127.0.0.1:9',
  },
];

/** Per action, complete valid inputs; an input is tried in the first variant that reads it. */
const VARIANTS: Record<string, Values[]> = {
  'smoke-test': [
    { url: 'http://127.0.0.1:9/health', 'ca-file': 'ca.pem', 'junit-report': 'reports/junit.xml' },
    { spec: 'smoke.hurl', variables: 'base=http://127.0.0.1:9', 'secret-variables': 'password=s3cret-pw' },
  ],
  'run-migrations': [
    { 'database-url': 'postgres://app:pw@127.0.0.1:5432/app' },
    { 'database-url': 'postgres://app:pw@127.0.0.1:5432/app', mode: 'down', 'target-version': '0001' },
    { 'database-url': 'postgres://app:pw@127.0.0.1:5432/app', command: 'alembic upgrade head' },
  ],
  'build-push-image': [
    {
      images: 'registry.example.com/acme/shop',
      username: 'ci',
      password: 'pw-123',
      'cache-ref': 'registry.example.com/acme/shop:cache',
      cache: 'registry',
      'registry-ca-file': 'ca.pem',
      'registry-token-hosts': 'auth.example.com',
      file: 'Dockerfile',
      tags: 'type=sha',
      platforms: 'linux/amd64',
      'build-args': 'A=1',
      secrets: 'token=abc123',
    },
    {
      images: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop',
      'ecr-registries': '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      'ecr-create-repository': 'true',
    },
    { images: 'ghcr.io/acme/shop', 'github-token': 'ghs_token123', registry: 'ghcr.io' },
  ],
  'canary-deploy': TARGETS.flatMap((target) => [
    { environment: 'staging', image: 'registry.example.com/acme/shop:v2', ...target, ...PROM },
    {
      environment: 'staging',
      image: 'registry.example.com/acme/shop:v2',
      version: 'v2',
      ...target,
      ...PROBE,
      action: 'start',
      'pause-at': '25',
      'stable-slot': 'blue',
    },
  ]),
  'auto-rollback': TARGETS.flatMap((target) => [
    {
      environment: 'production',
      ...target,
      ...PROM,
      trigger: 'watch',
      'database-url': 'postgres://app:pw@127.0.0.1:5432/app',
      'migrate-down': 'true',
      'notify-webhook': 'https://hooks.example.com/services/T/B/secret',
      'notify-issue': '12',
      'verify-url': 'http://127.0.0.1:9/health',
    },
    {
      environment: 'production',
      ...target,
      ...PROBE,
      trigger: 'watch',
      version: 'v1',
      'stable-slot': 'blue',
    },
    { environment: 'production', ...target, trigger: 'smoke-test', 'smoke-passed': 'false', 'smoke-reason': 'failed' },
    { environment: 'production', ...target, trigger: 'manual', version: 'v1' },
  ]),
};

type Kind = 'bool' | 'duration' | 'number' | 'enum' | 'url' | 'name' | 'file' | 'out' | 'dir' | 'line' | 'text';

/** What each input holds, by name; free text and commands (where any string may be meant) are `text`. */
function kindOf(action: string, name: string, spec: { default?: string }): Kind {
  const d = spec.default ?? '';
  if (/^(environment|haproxy-socket|haproxy-state-file|nginx-upstream-file|nginx-pid-file)$/.test(name)) return 'line';
  if (/^(health-path|platforms|method)$/.test(name) || (action === 'canary-deploy' && name === 'image')) return 'name';
  if (action === 'build-push-image' && /^(target|registry)$/.test(name)) return 'name';
  if (name === 'context' || name === 'migrations') return 'dir';
  if (d === 'true' || d === 'false' || name === 'smoke-passed') return 'bool';
  if (/(timeout|duration|interval|grace|deadline|lookback|lock-wait|max-p95)$/.test(name)) return 'duration';
  if (/^(\d+(\.\d+)?)$/.test(d) || /^(notify-issue|pause-at|blast-radius)$/.test(name)) return 'number';
  if (/^(target|metrics|kubernetes-traffic|builder|cache|trigger|action|mode|lint)$/.test(name)) return 'enum';
  if (/(-url|webhook)$/.test(name) || name === 'url') return 'url';
  if (/^(ca-file|registry-ca-file|file|spec)$/.test(name)) return 'file';
  if (name === 'junit-report') return 'out';
  if (
    /^(haproxy-backend|slots|stable-slot|nginx-upstream|aws-region|environment|table|migrations-table|registry-token-hosts|target-version)$/.test(
      name,
    ) ||
    /^(kubernetes|ecs|cloud-run)-(?!context|listener|stable|canary-target)/.test(name)
  )
    return 'name';
  return 'text';
}

const BIG = 'a'.repeat(100 * 1024);
/** Values wrong for any input of the kind; the generic ones are wrong for every typed kind. */
function badValues(kind: Kind, required: boolean): Array<[string, string]> {
  const generic: Array<[string, string]> = [
    ['newline', 'x\ny;z'],
    ...(kind === 'line' ? [] : ([['unicode', 'ünï😀 \u202e']] as Array<[string, string]>)),
    ['100 KB', BIG],
  ];
  if (required) generic.push(['empty', ''], ['whitespace', '  \t ']);
  const typed: Record<Kind, Array<[string, string]>> = {
    bool: [
      ['wrong type', 'yes'],
      ['number', '1'],
    ],
    duration: [
      ['wrong type', 'soon'],
      ['negative', '-5s'],
      ['over 2^31-1 ms', '600h'],
      ['huge', '9'.repeat(30)],
    ],
    number: [
      ['wrong type', 'many'],
      ['negative', '-1'],
      ['huge', '1e309'],
      ['out of range', '99999999999'],
    ],
    enum: [['unknown enum', 'bogus']],
    url: [
      ['malformed URL', 'not a url'],
      ['wrong scheme', 'ftp://127.0.0.1/x'],
      ['no host', 'http://'],
      ['space in URL', 'http://exa mple.com/'],
    ],
    name: [
      ['injection', 'app;set server app/blue state maint'],
      ['path traversal', '../../other'],
      ['quote', 'a"b'],
    ],
    file: [
      ['missing path', 'no/such/file'],
      ['a folder for a file', 'somedir'],
    ],
    dir: [
      ['missing path', 'no/such/dir'],
      ['a file for a folder', 'ca.pem'],
    ],
    out: [
      ['outside the workspace', '/junit.xml'],
      ['a folder', 'somedir'],
      ['parent path', '../junit.xml'],
    ],
    line: [],
    text: [],
  };
  return [...typed[kind], ...generic];
}

interface Case {
  action: string;
  input: string;
  kind: Kind;
  label: string;
  value: string;
  variant: Values;
  outcome: 'rejected' | 'accepted' | 'unclear' | 'crash';
  message: string;
}

let workspace: string;
let runnerTemp: string;
function makeWorkspace(): void {
  const root = mkdtempSync(join(tmpdir(), 'bad-inputs-'));
  workspace = join(root, 'ws');
  runnerTemp = join(root, 'tmp');
  mkdirSync(join(workspace, 'migrations'), { recursive: true });
  mkdirSync(join(workspace, 'somedir'));
  mkdirSync(join(workspace, 'reports'));
  mkdirSync(runnerTemp);
  writeFileSync(join(workspace, 'migrations', '0001_init.sql'), 'create table t (id int);\n');
  writeFileSync(join(workspace, 'migrations', '0001_init.down.sql'), 'drop table t;\n');
  writeFileSync(join(workspace, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  writeFileSync(join(workspace, 'smoke.hurl'), 'GET {{base}}/health\nHTTP 200\n');
  writeFileSync(join(workspace, 'Dockerfile'), 'FROM scratch\n');
  writeFileSync(join(workspace, 'upstream.conf'), 'upstream app {}\n');
}

/** Parses with the runner's defaults applied, recording which inputs the parse read. */
function parseWith(action: string, values: Values): { error?: unknown; read: Set<string> } {
  const env = inputEnvironment(action, values);
  const read = new Set<string>();
  const recording = new Proxy(env, {
    get(target, key) {
      if (typeof key === 'string' && key.startsWith('INPUT_')) read.add(key);
      return target[key as string];
    },
  });
  const run: RunContext = { ...readRunContext({}), workspace, runnerTemp };
  try {
    PARSERS[action]!(new Inputs(new SecretRegistry(), recording), run);
    return { read };
  } catch (error) {
    return { error, read };
  }
}

const variable = (name: string) => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

function classify(): { cases: Case[]; unread: string[]; brokenVariants: string[] } {
  const cases: Case[] = [];
  const unread: string[] = [];
  const brokenVariants: string[] = [];
  for (const action of actionNames()) {
    const meta = actionMetadata(action);
    // Shared target variants may name inputs this action does not have (set-weight-command).
    const variants = VARIANTS[action]!.map((v) =>
      Object.fromEntries(Object.entries(v).filter(([k]) => k in meta.inputs)),
    );
    const reads = variants.map((variant, i) => {
      const { error, read } = parseWith(action, variant);
      if (error) brokenVariants.push(`${action} variant ${i}: ${(error as Error).message}`);
      return read;
    });
    for (const [input, spec] of Object.entries(meta.inputs)) {
      const index = reads.findIndex((read) => read.has(variable(input)));
      if (index < 0) {
        unread.push(`${action}: ${input}`);
        continue;
      }
      const kind = kindOf(action, input, spec);
      for (const [label, value] of badValues(kind, Boolean(spec.required))) {
        const variant = { ...variants[index]!, [input]: value };
        const { error } = parseWith(action, variant);
        const message = error instanceof Error ? error.message : '';
        const outcome: Case['outcome'] = !error
          ? 'accepted'
          : !(error instanceof InputError)
            ? 'crash'
            : error.input === input
              ? 'rejected'
              : 'unclear';
        cases.push({ action, input, kind, label, value, variant, outcome, message });
      }
    }
  }
  return { cases, unread, brokenVariants };
}

const show = (c: Case) =>
  `${c.action} ${c.input} (${c.kind}) ${c.label}: ${c.outcome}${c.message ? ` — ${c.message.slice(0, 200)}` : ''}`;

describe('bad input, every input of every action', () => {
  let result: ReturnType<typeof classify>;
  beforeAll(() => {
    makeWorkspace();
    result = classify();
  });
  afterAll(() => {
    rmSync(join(workspace, '..'), { recursive: true, force: true });
  });

  test('every variant parses, and every input is read by one of them', () => {
    expect(result.brokenVariants).toEqual([]);
    expect(result.unread).toEqual([]);
  });

  test('no crash and no unclear error; typed inputs reject every bad value, naming the input', () => {
    const table = actionNames().map((action) => {
      const mine = result.cases.filter((c) => c.action === action);
      const clean = mine.filter((c) => c.outcome === 'rejected' || (c.outcome === 'accepted' && c.kind === 'text'));
      return `${action.padEnd(18)} tried ${String(mine.length).padStart(4)}  clean ${String(clean.length).padStart(4)}  crashes ${mine.filter((c) => c.outcome === 'crash').length}  unclear ${mine.filter((c) => c.outcome === 'unclear').length}  accepted free text ${mine.filter((c) => c.outcome === 'accepted').length}`;
    });
    process.stdout.write(`bad-input matrix (in-process parse):\n${table.join('\n')}\n`);
    const problems = result.cases.filter(
      (c) => c.outcome === 'crash' || c.outcome === 'unclear' || (c.outcome === 'accepted' && c.kind !== 'text'),
    );
    expect(problems.map(show)).toEqual([]);
    // Messages are one line and short, even for a 100 KB value.
    for (const c of result.cases.filter((x) => x.outcome === 'rejected')) {
      expect(c.message).not.toContain('\n');
      expect(c.message.length).toBeLessThan(1000);
    }
  });

  test('through the bundles: exit 1, one ::error:: naming the input, no stack, nothing touched; the post step does nothing', async () => {
    // One rejected case per input (the parse is the same code the bundle runs first).
    const seen = new Set<string>();
    const sample = result.cases.filter((c) => {
      const key = `${c.action}/${c.input}`;
      if (c.outcome !== 'rejected' || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const before = readdirSync(workspace, { recursive: true }).sort();
    const failures: string[] = [];
    const counts: Record<string, { tried: number; clean: number }> = {};
    const postChecked = new Set<string>();
    const started = Date.now();
    const runCase = async (c: Case): Promise<void> => {
      const main = await runStep(c.action, 'main', { inputs: c.variant, cwd: workspace, timeoutMs: 20_000 });
      const errors = main.stdout.split('\n').filter((l: string) => l.startsWith('::error'));
      const problems: string[] = [];
      if (main.exitCode !== 1) problems.push(`exit ${main.exitCode}`);
      if (errors.length !== 1) problems.push(`${errors.length} error lines`);
      else if (!errors[0]!.includes(`Input '${c.input}'`)) problems.push(`error does not name the input: ${errors[0]}`);
      if (/\n\s+at /.test(main.stderr)) problems.push('stack trace');
      if (Object.keys(main.outputs).length || main.summary) problems.push('outputs or summary written');
      if (Object.keys(main.state).some((k) => k !== 'isPost')) problems.push(`state ${Object.keys(main.state)}`);
      if (readdirSync(main.files.dir).some((f: string) => !/^(output|state|summary|env|path)-main/.test(f)))
        problems.push('files left in RUNNER_TEMP');
      // The post step after a parse failure is one mechanism of the runner seam: checked once per action.
      if (actionMetadata(c.action).runs.post && !postChecked.has(c.action)) {
        postChecked.add(c.action);
        const post = await runStep(c.action, 'post', {
          inputs: c.variant,
          cwd: workspace,
          state: main.state,
          timeoutMs: 20_000,
        });
        if (post.exitCode !== 0 || post.stdout.trim() || post.summary)
          problems.push(`post step acted: exit ${post.exitCode} ${post.stdout.trim().slice(0, 200)}`);
      }
      counts[c.action] ??= { tried: 0, clean: 0 };
      counts[c.action]!.tried++;
      if (problems.length) failures.push(`${show(c)} => ${problems.join('; ')}`);
      else counts[c.action]!.clean++;
    };
    const queue = [...sample];
    await Promise.all(
      [0, 1, 2].map(async () => {
        for (let c = queue.shift(); c; c = queue.shift()) await runCase(c);
      }),
    );
    process.stdout.write(
      `bad-input matrix (bundles, one case per input, ${((Date.now() - started) / 1000).toFixed(1)} s):\n` +
        Object.entries(counts)
          .sort()
          .map(([a, n]) => `${a.padEnd(18)} tried ${n.tried}  clean ${n.clean}`)
          .join('\n') +
        '\n',
    );
    expect(failures).toEqual([]);
    expect(readdirSync(workspace, { recursive: true }).sort()).toEqual(before);
  }, 300_000);
});
