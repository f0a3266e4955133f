// scripts/run-action.mjs, the local stand-in for the runner: a step is not cut short by a hidden
// limit, and a step that is killed fails the command with a line saying so.
import { describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../scripts/lib/actions.mjs';

function runAction(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'run-action.mjs'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// A smoke test waiting for a URL nothing listens on keeps running until its ready-timeout.
const waiting = ['smoke-test', '--input', 'url=http://127.0.0.1:9/health', '--input', 'ready-timeout=5m'];

describe('run-action', () => {
  test('a step killed at the time limit exits non-zero and says it was killed', async () => {
    const result = await runAction([...waiting, '--timeout-minutes', '0.03']);
    expect(result.code).toBe(137);
    expect(result.stderr).toContain(
      '-- main step was killed by SIGKILL (the 0.03-minute limit, or killed from outside)',
    );
  }, 60_000);

  test('a bad time limit is a usage error', async () => {
    const result = await runAction([...waiting, '--timeout-minutes', 'soon']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--timeout-minutes needs a positive number of minutes, got 'soon'");
  });
});
