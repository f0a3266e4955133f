import { type Logger, PermanentError } from '@deploy-actions/core';
import { fillArgs, runHook } from './hooks';
import type { RolloutTarget } from './rollout';

export interface CommandTargetOptions {
  /** Each an argument list with {{image}}, {{version}} and, for setWeight, {{weight}}. */
  deploy?: string[];
  setWeight?: string[];
  promote?: string[];
  /** Required: without a way back to stable there is no safe rollout. */
  abort: string[];
  release: { image: string; version: string };
  timeoutMs: number;
  log: Logger;
}

/**
 * A target driven by the user's own commands: the way to roll out on Railway, Render, Fly.io or any
 * platform with a CLI. A platform that cannot split traffic leaves out setWeight and uses steps of 100.
 */
export class CommandTarget implements RolloutTarget {
  constructor(private readonly o: CommandTargetOptions) {
    if (!o.abort.length)
      throw new PermanentError('the command target needs an abort command to put traffic back on stable');
  }

  async deployCanary(signal: AbortSignal): Promise<void> {
    if (this.o.deploy?.length) await this.run('deploy command', this.o.deploy, {}, signal);
  }

  async setWeight(percent: number, signal: AbortSignal): Promise<void> {
    if (!this.o.setWeight?.length)
      throw new PermanentError(
        `cannot send ${percent}% to the canary: no set-weight command (use steps: 100 on a platform without traffic splitting)`,
      );
    await this.run('set-weight command', this.o.setWeight, { weight: percent }, signal);
  }

  async promote(signal: AbortSignal): Promise<void> {
    if (this.o.promote?.length) await this.run('promote command', this.o.promote, { weight: 100 }, signal);
  }

  async abort(): Promise<void> {
    await this.run('abort command', this.o.abort, { weight: 0 });
  }

  private async run(what: string, argv: string[], extra: Record<string, number>, signal?: AbortSignal): Promise<void> {
    await runHook(what, fillArgs(argv, { ...this.o.release, ...extra }), {
      log: this.o.log,
      signal,
      timeoutMs: this.o.timeoutMs,
    });
  }
}
