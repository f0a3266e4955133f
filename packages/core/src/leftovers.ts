import { readFileSync, rmSync } from 'node:fs';

/** A child process the main step started: its pid and the kernel's start time, so a reused pid is never hit. */
export interface TrackedChild {
  pid: number;
  startTime?: string;
}

export interface LeftoverSnapshot {
  children: TrackedChild[];
  paths: string[];
}

/**
 * What the main step leaves behind until it finishes: running children (each the leader of its own
 * process group) and temp files or folders that hold a secret. The runner seam saves every change to
 * the step's state, so the post step can end and remove them even after main was killed (SIGKILL
 * leaves no chance to clean up in-process).
 */
export class Leftovers {
  private readonly children = new Map<number, TrackedChild>();
  private readonly paths = new Set<string>();
  private readonly listeners: Array<(snapshot: LeftoverSnapshot) => void> = [];

  addChild(pid: number | undefined): void {
    if (pid === undefined) return;
    this.children.set(pid, { pid, startTime: processStartTime(pid) });
    this.changed();
  }

  removeChild(pid: number | undefined): void {
    if (pid !== undefined && this.children.delete(pid)) this.changed();
  }

  /** A temp file or folder holding a secret; removed by the post step unless removed (and untracked) before. */
  addPath(path: string): void {
    this.paths.add(path);
    this.changed();
  }

  removePath(path: string): void {
    if (this.paths.delete(path)) this.changed();
  }

  snapshot(): LeftoverSnapshot {
    return { children: [...this.children.values()], paths: [...this.paths] };
  }

  onChange(listener: (snapshot: LeftoverSnapshot) => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    const snapshot = this.snapshot();
    for (const listener of this.listeners) listener(snapshot);
  }
}

/** One per process: exec tracks every child it spawns here, and code that writes a secret to disk tracks the file. */
export const leftovers = new Leftovers();

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); undefined where there is no /proc. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces; fields after it are plain.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The leader still runs and is the same process (not a reused pid). */
function isAlive(child: TrackedChild): boolean {
  return exists(child.pid) && (child.startTime === undefined || processStartTime(child.pid) === child.startTime);
}

/** Still to end: the leader runs, or it is gone but its group (grandchildren) may remain; a reused pid is left alone. */
function isOurs(child: TrackedChild): boolean {
  return !exists(child.pid) || isAlive(child);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* the group is gone */
  }
}

/**
 * Ends what a snapshot names: each child's process group gets SIGTERM, then SIGKILL after graceMs if
 * it lingers; each path is removed. Returns what it ended, for the log.
 */
export async function endLeftovers(
  snapshot: Partial<LeftoverSnapshot>,
  graceMs = 3000,
): Promise<{ killed: number[]; removed: string[] }> {
  const children = (snapshot.children ?? []).filter(isOurs);
  const running = children.filter(isAlive);
  for (const child of children) killGroup(child.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (running.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const child of children) killGroup(child.pid, 'SIGKILL');
  const removed: string[] = [];
  for (const path of snapshot.paths ?? []) {
    try {
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      /* already gone or not ours to remove */
    }
  }
  return { killed: running.map((c) => c.pid), removed };
}

/** Reads a snapshot saved as JSON in state; anything unreadable is treated as nothing to end. */
export function parseLeftovers(text: string): LeftoverSnapshot {
  try {
    const value = JSON.parse(text) as Partial<LeftoverSnapshot>;
    const children = Array.isArray(value.children)
      ? value.children.filter((c): c is TrackedChild => Number.isInteger(c?.pid) && c.pid > 1)
      : [];
    const paths = Array.isArray(value.paths) ? value.paths.filter((p): p is string => typeof p === 'string') : [];
    return { children, paths };
  } catch {
    return { children: [], paths: [] };
  }
}
