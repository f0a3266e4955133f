// Trust boundaries, end to end through the bundles: secrets in every form stay out of every
// reporter, a hostile name never reaches a real HAProxy, and a SIGKILLed main step leaves no child
// and no secret file once the post step has run.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markdown } from '@deploy-actions/core';
import { runStep } from '../../scripts/lib/local-runner.mjs';
import { haproxyCommand, startSlots, type Slots } from '../support/haproxy';

/** Every file a step left: its GITHUB_* files and anything else in RUNNER_TEMP, with their text. */
function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path] = readFileSync(path, 'utf8');
  }
  return out;
}

describe('a secret with &"<>|+ in it reaches no reporter in any form (smoke-test)', () => {
  const SECRET = 'pa&ss"wo<r>d|+ 1%';
  let server: Server;
  let base = '';
  beforeAll(async () => {
    // Echoes the request body back as JSON: the form-encoded secret comes back JSON-escaped.
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ form: body, value: new URLSearchParams(body).get('password') }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  test('log, outputs, summary, JUnit, GITHUB_ENV and RUNNER_TEMP hold none of its forms', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'leak-ws-'));
    writeFileSync(
      join(workspace, 'login.hurl'),
      [
        `POST ${base}/login`,
        '[FormParams]',
        'password: {{password}}',
        'HTTP 200',
        '[Asserts]',
        'jsonpath "$.form" == "something else"',
        'jsonpath "$.value" == "not it"',
        'body contains "never there"',
        '',
      ].join('\n'),
    );
    const step = await runStep('smoke-test', 'main', {
      inputs: {
        spec: 'login.hurl',
        'secret-variables': `password=${SECRET}`,
        'junit-report': 'reports/junit.xml',
        'ready-timeout': '0s',
      },
      cwd: workspace,
    });
    expect(step.exitCode).toBe(1);
    const junit = readFileSync(join(workspace, 'reports', 'junit.xml'), 'utf8');
    // The checks failed on the echoed secret, so it was there to leak, and was redacted.
    expect(junit).toMatch(/expected/);
    expect(junit).toContain('***');
    expect(step.summary).toContain('***');
    const forms = {
      raw: SECRET,
      'form-encoded': new URLSearchParams({ v: SECRET }).toString().slice(2),
      'URL component': encodeURIComponent(SECRET),
      'JSON-escaped': JSON.stringify(SECRET).slice(1, -1),
      'XML-escaped': SECRET.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
      'Markdown-escaped': markdown.escapeCell(SECRET),
      base64: Buffer.from(SECRET).toString('base64'),
    };
    const places: Record<string, string> = {
      // The log as the runner shows it: ::add-mask:: lines (which carry the values to mask) are swallowed.
      log: step.log,
      stderr: step.stderr,
      outputs: JSON.stringify(step.outputs),
      summary: step.summary,
      GITHUB_ENV: JSON.stringify(step.env),
      junit,
      ...filesUnder(step.files.dir),
    };
    const leaks: string[] = [];
    for (const [where, text] of Object.entries(places))
      for (const [form, value] of Object.entries(forms)) if (text.includes(value)) leaks.push(`${form} in ${where}`);
    expect(leaks).toEqual([]);
    expect(step.outputs.reason).toContain('***');
  });
});

describe('a hostile haproxy-backend never reaches the runtime API (real HAProxy)', () => {
  let slots: Slots;
  beforeAll(async () => {
    slots = await startSlots('blue');
  }, 60_000);
  afterAll(() => slots?.stop());

  /** srv_admin_state of each server of backend app (0: ready, 1: forced maintenance). */
  async function adminStates(): Promise<Record<string, string>> {
    const text = await haproxyCommand(slots.proxy.socket, 'show servers state app');
    return Object.fromEntries(
      text
        .split('\n')
        .filter((l) => / app \d+ \S+ /.test(l) && !l.startsWith('#'))
        .map((l) => l.split(' '))
        .map((f) => [f[3]!, f[6]!]),
    );
  }

  test('the runtime API does run a second command after ";" (why the name must be checked)', async () => {
    await haproxyCommand(slots.proxy.socket, 'show servers state app;set server app/green state maint');
    expect((await adminStates()).green).toBe('1');
    await haproxyCommand(slots.proxy.socket, 'set server app/green state ready');
    expect((await adminStates()).green).toBe('0');
  });

  test.each([
    ['haproxy-backend', { 'haproxy-backend': 'app;set server app/blue state maint' }],
    ['slots', { slots: 'blue;set server app/blue state maint,green' }],
  ])('%s: rejected at input time, the servers untouched', async (input, hostile) => {
    const before = await adminStates();
    const step = await runStep('canary-deploy', 'main', {
      inputs: {
        environment: 'staging',
        image: 'registry.local/shop@sha256:2b2b',
        target: 'haproxy',
        'haproxy-socket': slots.proxy.socket,
        metrics: 'http-probe',
        'probe-canary-url': `http://127.0.0.1:${slots.green.port}`,
        'probe-baseline-url': `http://127.0.0.1:${slots.blue.port}`,
        ...hostile,
      },
      timeoutMs: 30_000,
    });
    expect(step.exitCode).toBe(1);
    const errors = step.stdout.split('\n').filter((l: string) => l.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`Input '${input}'`);
    expect(await adminStates()).toEqual(before);
    expect(before).toEqual({ blue: '0', green: '0' });
  });
});

describe('a SIGKILLed main step leaves nothing once the post step has run', () => {
  test('build-push-image killed mid-build: the builder process group ends, the secret files go', async () => {
    const work = mkdtempSync(join(tmpdir(), 'sigkill-'));
    const bin = join(work, 'bin');
    const workspace = join(work, 'ws');
    mkdirSync(bin);
    mkdirSync(workspace);
    writeFileSync(join(workspace, 'Dockerfile'), 'FROM scratch\n');
    // A builder that announces its pid and its own child's, then runs far longer than the test.
    const pidFile = join(work, 'pids');
    writeFileSync(
      join(bin, 'buildah'),
      `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "buildah version 1.28.2"; exit 0; fi\nsleep 300 &\necho "$$ $!" > ${pidFile}\necho "building as $$"\nwait\n`,
    );
    chmodSync(join(bin, 'buildah'), 0o755);
    const secret = 'npm-s3cret-token-for-kill-test';
    const main = await runStep('build-push-image', 'main', {
      inputs: {
        images: 'registry.example.com/acme/shop',
        builder: 'buildah',
        push: 'false',
        cache: 'none',
        secrets: `npm=${secret}`,
      },
      cwd: workspace,
      env: { PATH: `${bin}:${process.env.PATH}`, GITHUB_WORKSPACE: workspace },
      onLine: (line, control) => {
        if (line.startsWith('building as ')) control.kill();
      },
      timeoutMs: 60_000,
    });
    expect(main.signal).toBe('SIGKILL');
    const [builder, grandchild] = readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
    const running = (pid: number) => {
      try {
        return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    expect([running(builder!), running(grandchild!)]).toEqual([true, true]);
    const secretFiles = () =>
      Object.entries(filesUnder(main.files.dir))
        .filter(([, text]) => text.includes(secret))
        .map(([path]) => path);
    expect(secretFiles()).not.toEqual([]);

    const post = await runStep('build-push-image', 'post', {
      inputs: {
        images: 'registry.example.com/acme/shop',
        builder: 'buildah',
        push: 'false',
        cache: 'none',
        secrets: `npm=${secret}`,
      },
      cwd: workspace,
      env: { PATH: `${bin}:${process.env.PATH}`, GITHUB_WORKSPACE: workspace },
      state: main.state,
      dir: main.files.dir,
      timeoutMs: 30_000,
    });
    expect(post.exitCode).toBe(0);
    expect([running(builder!), running(grandchild!)]).toEqual([false, false]);
    expect(secretFiles()).toEqual([]);
    expect(readdirSync(main.files.dir).filter((f) => /^(build|registry-auth)-/.test(f))).toEqual([]);
  });
});
