// Kubernetes-only end-to-end cases on the committed canary-deploy bundle against the fake API server
// (test/fakes/kubernetes.mjs): the runner's kubeconfig (KUBECONFIG files, merged as kubectl merges
// them) and the bad inputs that must fail in one line before any API call. The shared canary and
// rollback scenarios for every traffic mode are in platforms.test.ts.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStep } from '../../scripts/lib/local-runner.mjs';
import { startFakeGitHub } from '../fakes/github.mjs';
import { startFakeKubernetes } from '../fakes/kubernetes.mjs';

const V1 = 'registry.example/acme/shop@sha256:1111';
const V2 = 'registry.example/acme/shop@sha256:2222';

let api: Awaited<ReturnType<typeof startFakeKubernetes>>;
let github: Awaited<ReturnType<typeof startFakeGitHub>>;
let dir = '';
let n = 0;
beforeAll(async () => {
  [api, github] = await Promise.all([startFakeKubernetes(), startFakeGitHub()]);
  dir = mkdtempSync(join(tmpdir(), 'e2e-k8s-'));
}, 30_000);
afterAll(async () => {
  await Promise.all([api?.stop(), github?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

function app(): string {
  const name = `shop${++n}`;
  api.addApp({ name, image: V1, replicas: 2 });
  return name;
}
const run = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runStep('canary-deploy', 'main', {
    inputs: {
      environment: `staging-${n}`,
      image: V2,
      version: 'v2',
      steps: '100',
      metrics: 'http-probe',
      'probe-canary-url': 'http://127.0.0.1:9/',
      'probe-baseline-url': 'http://127.0.0.1:9/',
      'health-timeout': '20s',
      ...inputs,
    },
    env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url, ...env },
    timeoutMs: 60_000,
  });
const errors = (step: Awaited<ReturnType<typeof runStep>>) =>
  step.annotations.filter((a) => a.level === 'error').map((a) => a.message);

test("with no kubeconfig input, the runner's KUBECONFIG files are merged (a missing one skipped) and the token stays masked", async () => {
  const name = app();
  const token = 'runner-token-5150';
  api.allow(token);
  // As a login action might leave it: the context and user in one file, the cluster in another.
  const first = join(dir, 'context.yaml');
  const second = join(dir, 'cluster.yaml');
  writeFileSync(
    first,
    `apiVersion: v1\nkind: Config\ncurrent-context: ci\ncontexts:\n- name: ci\n  context: { cluster: fake, user: ci, namespace: shop }\nusers:\n- name: ci\n  user: { token: ${token} }\n`,
  );
  writeFileSync(second, `apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster: { server: "${api.url}" }\n`);
  const step = await run(
    { target: 'kubernetes', 'kubernetes-deployment': name },
    { KUBECONFIG: [join(dir, 'missing.yaml'), first, second].join(':') },
  );
  expect(errors(step)).toEqual([]);
  expect(step.outputs.result).toBe('promoted');
  const stable = api.get('deployments', 'shop', name);
  expect(stable.spec.template.spec.containers[0].image).toBe(V2);
  expect(stable.spec.template.metadata.labels).toEqual({ app: name, track: 'stable' });
  expect(api.get('deployments', 'shop', `${name}-canary`)).toBeUndefined();
  expect([step.log, step.stderr, step.summary, JSON.stringify(step.outputs)].join('\n')).not.toContain(token);
}, 90_000);

test.each([
  [
    { 'kubernetes-traffic': 'gateway' },
    /^Input 'kubernetes-route': is required for kubernetes-traffic gateway\. Fix: name the HTTPRoute/,
  ],
  [{ 'kubernetes-traffic': 'linkerd' }, /^Input 'kubernetes-traffic': /],
  [{ 'kubernetes-deployment': '' }, /^Input 'kubernetes-deployment': is required for target kubernetes/],
  [
    { kubeconfig: '' },
    /^Input 'kubeconfig': is empty and there is no file in KUBECONFIG \(.*nowhere\.yaml\)\. Fix: set up the cluster context first/,
  ],
])(
  'bad input %j fails in one line before any API call',
  async (bad, error) => {
    const name = app();
    const calls = api.calls.length;
    const step = await run(
      { target: 'kubernetes', 'kubernetes-deployment': name, kubeconfig: readKubeconfig(), ...bad },
      { KUBECONFIG: join(dir, 'nowhere.yaml') },
    );
    expect(step.exitCode).toBe(1);
    expect(errors(step)).toEqual([expect.stringMatching(error)]);
    expect(api.calls.length).toBe(calls);
  },
  30_000,
);

test('a container name the Deployment does not have is one clear error; nothing is written', async () => {
  const name = app();
  const writes = api.calls.filter((c) => c.method !== 'GET').length;
  const step = await run({
    target: 'kubernetes',
    'kubernetes-deployment': name,
    'kubernetes-namespace': 'shop',
    'kubernetes-container': 'web',
    kubeconfig: readKubeconfig(),
  });
  expect(step.exitCode).toBe(1);
  expect(errors(step).join('\n')).toMatch(
    new RegExp(`Deployment ${name} has no container 'web' \\(it has app, proxy\\)`),
  );
  expect(api.calls.filter((c) => c.method !== 'GET').length).toBe(writes);
  expect(api.get('deployments', 'shop', name).spec.template.metadata.labels).toEqual({ app: name });
}, 30_000);

function readKubeconfig(): string {
  return readFileSync(api.kubeconfig(dir), 'utf8');
}
