// The workflow runner the deploy.yml tests and the demo stand on must decide steps as GitHub's runner
// does: an implied success() in `if:`, status functions after a failure, outputs and outcomes in the
// steps context, continue-on-error, job outputs, and expressions spliced into strings.
import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { condition, interpolate, runJob } from '../scripts/lib/workflow-runner.mjs';

const dir = mkdtempSync(join(tmpdir(), 'workflow-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('expressions', () => {
  test('one expression keeps its type; several are spliced into the string', () => {
    expect(interpolate("${{ vars.A == 'x' }}", { vars: { A: 'x' } })).toBe(true);
    expect(interpolate('${{ vars.A }}-${{ vars.B }}/z', { vars: { A: 'x', B: 'y' } })).toBe('x-y/z');
    expect(interpolate("${{ vars.MISSING || 'fallback' }}", { vars: {} })).toBe('fallback');
  });

  test('if: without a status function runs only while the job succeeds', () => {
    expect(condition("inputs.a == 'x'", { inputs: { a: 'x' } }, 'success')).toBe(true);
    expect(condition("inputs.a == 'x'", { inputs: { a: 'x' } }, 'failure')).toBe(false);
    expect(condition("failure() && inputs.a == 'x'", { inputs: { a: 'x' } }, 'failure')).toBe(true);
    expect(condition('always()', {}, 'failure')).toBe(true);
    expect(condition(undefined, {}, 'failure')).toBe(false);
    expect(condition("${{ inputs.a != '' }}", { inputs: { a: 'x' } }, 'success')).toBe(true);
  });
});

test('a job: outcomes and outputs in the steps context, continue-on-error, failure() steps, job outputs', async () => {
  const file = join(dir, 'job.yml');
  writeFileSync(
    file,
    `on:
  workflow_call:
    inputs:
      greeting: { type: string, default: hello }
jobs:
  one:
    runs-on: ubuntu-latest
    outputs:
      said: \${{ steps.say.outputs.said }}
      verdict: \${{ steps.verdict.outputs.verdict }}
    steps:
      - id: say
        env: { GREETING: '\${{ inputs.greeting }}' }
        run: echo "said=$GREETING" >> "$GITHUB_OUTPUT"
      - id: tolerated
        continue-on-error: true
        run: exit 3
      - id: breaks
        run: exit 1
      - id: skipped
        run: echo never
      - id: verdict
        if: failure()
        env:
          TOLERATED: \${{ steps.tolerated.outcome }}/\${{ steps.tolerated.conclusion }}
          BREAKS: \${{ steps.breaks.outcome }}
          SKIPPED: \${{ steps.skipped.outcome }}
          STATUS: \${{ job.status }}
        run: echo "verdict=$TOLERATED $BREAKS $SKIPPED $STATUS" >> "$GITHUB_OUTPUT"
`,
  );
  const job = await runJob(file, 'one', { inputs: { greeting: 'hi' } });
  expect(job.steps.map((s) => [s.id, s.outcome])).toEqual([
    ['say', 'success'],
    ['tolerated', 'failure'],
    ['breaks', 'failure'],
    ['skipped', 'skipped'],
    ['verdict', 'success'],
  ]);
  expect(job.outputs).toEqual({ said: 'hi', verdict: 'failure/success failure skipped failure' });
  expect(job.result).toBe('failure');
  await expect(runJob(file, 'one', { inputs: { nope: 'x' } })).rejects.toThrow(/declares no input nope/);
});
