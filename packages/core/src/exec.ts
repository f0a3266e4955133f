import { spawn } from 'node:child_process';
import { abortReason } from './clock';
import { PermanentError, TransientError } from './errors';
import { leftovers } from './leftovers';

export interface ExecOptions {
  cwd?: string;
  /** Added to (not replacing) the current environment; undefined values remove a variable. */
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with each complete line of output as it arrives (for live logs). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Keep at most this many bytes of each stream (the tail). */
  maxBuffer?: number;
}

export interface ExecResult {
  command: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

/**
 * Runs a program with an argument array: never through a shell, so no input can be spliced into a
 * command line. The child gets its own process group so a timeout or cancel kills its children too,
 * and is tracked in `leftovers` while it runs, so a post step can end the group if the main step dies.
 */
export function exec(command: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const started = Date.now();
  const maxBuffer = opts.maxBuffer ?? 4 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(abortReason(opts.signal));
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const [k, v] of Object.entries(opts.env ?? {})) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    const child = spawn(command, [...args], { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    leftovers.addChild(child.pid);
    const out = { stdout: '', stderr: '' };
    const partial = { stdout: '', stderr: '' };
    let timedOut = false;
    const kill = (): void => {
      if (child.pid === undefined || child.exitCode !== null) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 3000).unref();
    };
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          kill();
        }, opts.timeoutMs)
      : undefined;
    const onAbort = (): void => kill();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const collect =
      (stream: 'stdout' | 'stderr') =>
      (chunk: Buffer): void => {
        const text = chunk.toString('utf8');
        out[stream] = (out[stream] + text).slice(-maxBuffer);
        if (opts.onLine) {
          const lines = (partial[stream] + text).split('\n');
          partial[stream] = lines.pop() ?? '';
          for (const line of lines) opts.onLine(line, stream);
        }
      };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    child.on('error', (error) => {
      leftovers.removeChild(child.pid);
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      const code = (error as NodeJS.ErrnoException).code;
      reject(
        code === 'ENOENT'
          ? new PermanentError(`${command}: not found on PATH; install it or set the path to it`, { cause: error })
          : error,
      );
    });
    child.on('close', (exitCode, signal) => {
      leftovers.removeChild(child.pid);
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      for (const stream of ['stdout', 'stderr'] as const) {
        if (partial[stream] && opts.onLine) opts.onLine(partial[stream], stream);
      }
      if (opts.signal?.aborted) return reject(abortReason(opts.signal));
      resolve({ command, exitCode, signal, ...out, durationMs: Date.now() - started, timedOut });
    });
    child.stdin.on('error', () => {
      /* the child may exit before reading its input */
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Like exec, but a non-zero exit or a timeout is an error carrying the tail of stderr. */
export async function execChecked(
  command: string,
  args: readonly string[],
  opts: ExecOptions = {},
): Promise<ExecResult> {
  const result = await exec(command, args, opts);
  if (result.timedOut) {
    throw new TransientError(`${command} timed out after ${opts.timeoutMs}ms`);
  }
  if (result.exitCode !== 0) {
    const tail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join(' | ');
    throw new PermanentError(`${command} exited with ${result.exitCode ?? result.signal}${tail ? `: ${tail}` : ''}`);
  }
  return result;
}
