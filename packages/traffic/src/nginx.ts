import { readFile, rename, writeFile } from 'node:fs/promises';
import {
  type Clock,
  formatDuration,
  type Logger,
  oneLine,
  PermanentError,
  request,
  systemClock,
} from '@deploy-actions/core';
import { fillArgs, runHook } from './hooks';
import type { RolloutTarget } from './rollout';

export interface NginxTargetOptions {
  /** The file holding the upstream block (included from nginx.conf); this target owns it. */
  upstreamFile: string;
  upstream: string;
  /** Slot name to address (host:port), exactly two. */
  slots: Readonly<Record<string, string>>;
  stableSlot: string;
  /** Checks the configuration; default `nginx -t`. */
  testCommand: string[];
  /** Applies it; default `nginx -s reload`. */
  reloadCommand: string[];
  deployCommand?: string[];
  release: { image: string; version: string };
  /** nginx has no active health checks: the canary must answer 2xx here before it gets traffic. */
  healthPath: string;
  healthTimeoutMs: number;
  /** nginx's pid file, when nginx runs on this machine: a change counts as applied once the workers from before the reload are gone. */
  pidFile?: string;
  log: Logger;
  clock?: Clock;
}

/**
 * Blue/green slots as a weighted nginx upstream. Every change is written to a new file, checked with
 * `nginx -t` while in place, and put back as it was when the check fails; only then is nginx reloaded.
 */
export class NginxTarget implements RolloutTarget {
  private readonly clock: Clock;
  private readonly names: [string, string];

  constructor(private readonly o: NginxTargetOptions) {
    this.clock = o.clock ?? systemClock;
    const names = Object.keys(o.slots);
    if (names.length !== 2)
      throw new PermanentError(`nginx target needs exactly two slots, got ${names.join(', ') || 'none'}`);
    this.names = names as [string, string];
    if (!names.includes(o.stableSlot))
      throw new PermanentError(`stable slot '${o.stableSlot}' is not one of ${names.join(', ')}`);
  }

  get stable(): string {
    return this.o.stableSlot;
  }
  get canary(): string {
    return this.names.find((s) => s !== this.o.stableSlot)!;
  }

  /** The upstream block for the given canary share. nginx forbids weight=0, so a slot without traffic is `down`. */
  render(weights: Record<string, number>): string {
    const servers = this.names.map((slot) => {
      const w = weights[slot] ?? 0;
      return `    server ${this.o.slots[slot]} ${w > 0 ? `weight=${w}` : 'down'};  # slot ${slot}`;
    });
    return `# Managed by deploy-actions canary-deploy; changes here are overwritten.\n# stable=${this.stable} canary=${this.canary}\nupstream ${this.o.upstream} {\n${servers.join('\n')}\n}\n`;
  }

  /** Reads the weights back from the file this target wrote. */
  async describe(): Promise<Array<{ slot: string; weight: number }>> {
    const text = await readFile(this.o.upstreamFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new PermanentError(
        `cannot read the nginx upstream file ${this.o.upstreamFile} (${error.code}); check \`nginx-upstream-file\``,
      );
    });
    return this.names.map((slot) => {
      const line = text.split('\n').find((l) => l.includes(`server ${this.o.slots[slot]} `));
      const weight = line && !/\bdown\b/.test(line) ? Number(/weight=(\d+)/.exec(line)?.[1] ?? 1) : 0;
      return { slot, weight };
    });
  }

  async deployCanary(signal: AbortSignal): Promise<void> {
    await this.apply({ [this.stable]: 100, [this.canary]: 0 });
    if (this.o.deployCommand?.length) {
      this.o.log.info(`deploying ${this.o.release.version} to slot ${this.canary}`);
      await runHook(
        `deploy command for slot ${this.canary}`,
        fillArgs(this.o.deployCommand, { ...this.o.release, slot: this.canary }),
        { log: this.o.log, signal, timeoutMs: this.o.healthTimeoutMs },
      );
    }
    await this.waitHealthy(this.canary, signal);
  }

  async setWeight(percent: number): Promise<void> {
    await this.apply({ [this.canary]: percent, [this.stable]: 100 - percent });
  }

  async promote(): Promise<void> {
    await this.apply({ [this.canary]: 100, [this.stable]: 0 });
  }

  async abort(): Promise<void> {
    await this.apply({ [this.stable]: 100, [this.canary]: 0 });
  }

  async restore(slot: string, signal?: AbortSignal): Promise<void> {
    await this.waitHealthy(slot, signal);
    const other = this.names.find((s) => s !== slot)!;
    await this.apply({ [slot]: 100, [other]: 0 });
  }

  private async apply(weights: Record<string, number>): Promise<void> {
    const file = this.o.upstreamFile;
    const previous = await readFile(file, 'utf8').catch(() => undefined);
    const next = this.render(weights);
    const tmp = `${file}.deploy-actions-${process.pid}`;
    await writeFile(tmp, next);
    await rename(tmp, file);
    try {
      await runHook('nginx config test', this.o.testCommand);
    } catch (error) {
      if (previous === undefined) throw error;
      await writeFile(tmp, previous);
      await rename(tmp, file);
      throw new PermanentError(
        `the new upstream failed nginx's config test, and the previous file was put back: ${oneLine(error)}`,
        { cause: error },
      );
    }
    const before = await this.workers();
    await runHook('nginx reload', this.o.reloadCommand);
    await this.settle(before);
    const written = await this.describe();
    for (const { slot, weight } of written) {
      if (weight !== (weights[slot] ?? 0))
        throw new PermanentError(`${file} reads weight ${weight} for slot ${slot} after writing ${weights[slot]}`);
    }
  }

  /** The master's worker processes, from the pid file and /proc. */
  private async workers(): Promise<Set<string>> {
    if (!this.o.pidFile) return new Set();
    const master = (await readFile(this.o.pidFile, 'utf8').catch(() => '')).trim();
    if (!master) return new Set();
    const children = await readFile(`/proc/${master}/task/${master}/children`, 'utf8').catch(() => '');
    return new Set(children.split(/\s+/).filter(Boolean));
  }

  /** A reload is asynchronous: old workers keep serving the old weights until they exit. */
  private async settle(before: Set<string>): Promise<void> {
    if (!before.size) return;
    const started = this.clock.now();
    for (;;) {
      const now = await this.workers();
      if (![...before].some((pid) => now.has(pid))) return;
      if (this.clock.now() - started > 10_000) {
        this.o.log.warning(
          'nginx workers from before the reload are still running after 10s; they finish their open connections with the previous weights',
        );
        return;
      }
      await this.clock.sleep(20);
    }
  }

  /**
   * One health request to a slot, as nginx has no active checks of its own: undefined when it
   * answers 2xx, else what it answered.
   */
  async health(slot: string): Promise<string | undefined> {
    const url = `http://${this.o.slots[slot]}${this.o.healthPath}`;
    try {
      const res = await request({ url, timeoutMs: 2_000 });
      return res.status >= 200 && res.status < 300 ? undefined : `${url} answered HTTP ${res.status}`;
    } catch (error) {
      return `${url}: ${oneLine(error)}`;
    }
  }

  private async waitHealthy(slot: string, signal?: AbortSignal): Promise<void> {
    const url = `http://${this.o.slots[slot]}${this.o.healthPath}`;
    const started = this.clock.now();
    let last: string;
    for (;;) {
      try {
        const res = await request({ url, timeoutMs: 2_000, signal });
        if (res.status >= 200 && res.status < 300) return;
        last = `HTTP ${res.status}`;
      } catch (error) {
        if (signal?.aborted) throw error;
        last = oneLine(error);
      }
      if (this.clock.now() - started > this.o.healthTimeoutMs) {
        throw new PermanentError(
          `slot ${slot} did not answer ${url} with 2xx within ${formatDuration(this.o.healthTimeoutMs)} (${last}); no traffic was moved to it`,
        );
      }
      await this.clock.sleep(250, signal);
    }
  }
}
