import { createConnection } from 'node:net';
import { rename, writeFile } from 'node:fs/promises';
import {
  type Clock,
  formatDuration,
  type Logger,
  PermanentError,
  retry,
  systemClock,
  TransientError,
} from '@deploy-actions/core';
import { fillArgs, runHook } from './hooks';
import type { RolloutTarget } from './rollout';

/** HAProxy's runtime API: one command line per connection, the answer is everything until close. */
export interface RuntimeApi {
  command(line: string): Promise<string>;
}

const CHECK_PASSED = 3;

/**
 * `/run/haproxy/admin.sock` or `tcp://127.0.0.1:9999`. An address that has never answered is a
 * configuration error at once. Once it has answered, a refused or missing socket, a reset or a
 * silence is HAProxy reloading or restarting: the command is sent again for up to `retryMs`, so a
 * reload mid-rollout neither fails a step nor, worse, the abort that puts traffic back on stable.
 * Every command the targets send is idempotent (show, set weight, set server state), so sending
 * one again after a reset is safe.
 */
export function runtimeApi(address: string, timeoutMs = 5_000, retryMs = 15_000): RuntimeApi {
  const tcp = /^tcp:\/\/([^:]+):(\d+)$/.exec(address);
  let answered = false;
  const once = (line: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const socket = tcp ? createConnection({ host: tcp[1]!, port: Number(tcp[2]) }) : createConnection(address);
      let out = '';
      socket.setTimeout(timeoutMs, () =>
        socket.destroy(new TransientError(`HAProxy runtime API at ${address}: no answer within ${timeoutMs}ms`)),
      );
      socket.on('data', (chunk) => (out += chunk.toString()));
      socket.on('end', () => resolve(out));
      socket.on('error', (error: NodeJS.ErrnoException) => {
        const unreachable = error.code === 'ENOENT' || error.code === 'ECONNREFUSED';
        if (unreachable && answered) {
          reject(
            new TransientError(`HAProxy runtime API at ${address} is not answering (${error.code}); reloading?`, {
              cause: error,
            }),
          );
        } else if (unreachable || error.code === 'EACCES') {
          reject(
            new PermanentError(
              `HAProxy runtime API at ${address} is not reachable (${error.code}); check the address and that haproxy.cfg has \`stats socket ${address} level admin\``,
              { cause: error },
            ),
          );
        } else reject(error);
      });
      socket.write(`${line}\n`);
    });
  return {
    command: async (line) => {
      const out = answered
        ? await retry(() => once(line), {
            timeoutMs: retryMs,
            initialDelayMs: 100,
            maxDelayMs: 1_000,
            what: `HAProxy runtime API command '${line.split(' ').slice(0, 2).join(' ')}'`,
          })
        : await once(line);
      answered = true;
      return out;
    },
  };
}

export interface ServerState {
  name: string;
  address: string;
  port: number;
  /** HAProxy's srv_op_state: 0 stopped (down), 1 starting, 2 running, 3 stopping. */
  opState: number;
  adminState: number;
  weight: number;
  /** srv_check_result of the last health check: 3 is passed. */
  checkResult: number;
}

/** Reads `show servers state <backend>`: the weights and health HAProxy is using right now. */
export async function serverStates(api: RuntimeApi, backend: string): Promise<ServerState[]> {
  const text = await api.command(`show servers state ${backend}`);
  if (/^Can't find backend/m.test(text)) throw new PermanentError(`HAProxy has no backend '${backend}'`);
  const lines = text.split('\n').filter((l) => l && !l.startsWith('#') && !/^\d+$/.test(l));
  return lines.map((line) => {
    const f = line.split(' ');
    return {
      name: f[3]!,
      address: f[4]!,
      opState: Number(f[5]),
      adminState: Number(f[6]),
      weight: Number(f[7]),
      checkResult: Number(f[11]),
      port: Number(f[18]),
    };
  });
}

/**
 * One server's line of `show stat`: what the router itself saw, needing no labels on the app. Its
 * times (rtime, ttime) are left out on purpose: they are sliding averages over the server's last
 * 1024 requests, which on a reused slot include the previous version's (a slow canary aborted
 * there would slow the average of the fix that follows it), so they cannot be judged against a
 * latency limit; latency comes from the metrics source's exact slow-request counts.
 */
export interface ServerStat {
  name: string;
  /** UP, DOWN, MAINT, "UP 1/2" (going down), "DOWN 1/2" (coming up), NOLB, DRAIN... */
  status: string;
  /** The weight set by the user (uweight), which a reload without a state file resets to the configuration's. */
  weight: number;
  /** HTTP requests sent to the server (req_tot); health checks are not counted. */
  requests: number;
  /** 5xx answers from the server, plus requests whose connection or response failed (econ, eresp). */
  errors: number;
  /** The last health check: status (L7OK, L7STS, L4CON...), HTTP code and description. */
  check: string;
}

/** Reads `show stat` for the servers of one backend (CSV, the header names the fields). */
export async function serverStats(api: RuntimeApi, backend: string): Promise<ServerStat[]> {
  const text = await api.command('show stat');
  const lines = text.split('\n');
  const header = lines[0]?.replace(/^# /, '').split(',') ?? [];
  const field = (row: string[], name: string): string => row[header.indexOf(name)] ?? '';
  const count = (row: string[], name: string): number => Number(field(row, name)) || 0;
  if (!header.includes('req_tot'))
    throw new PermanentError(`HAProxy's show stat has no per-server req_tot counter: ${lines[0]?.slice(0, 80) ?? ''}`);
  return lines
    .slice(1)
    .map((line) => line.split(','))
    .filter((row) => field(row, 'pxname') === backend && !['FRONTEND', 'BACKEND'].includes(field(row, 'svname')))
    .map((row) => ({
      name: field(row, 'svname'),
      status: field(row, 'status'),
      weight: count(row, header.includes('uweight') ? 'uweight' : 'weight'),
      requests: count(row, 'req_tot'),
      errors: count(row, 'hrsp_5xx') + count(row, 'econ') + count(row, 'eresp'),
      check: [field(row, 'check_status'), field(row, 'check_code'), field(row, 'check_desc')].filter(Boolean).join(' '),
    }));
}

export interface HaproxyTargetOptions {
  /** Runtime API address: unix socket path or tcp://host:port. */
  socket: string;
  backend: string;
  /** The two slot servers; which one is stable comes from the deployment record. */
  slots: readonly [string, string];
  stableSlot: string;
  /** Puts the release on the canary slot: argument list with {{image}}, {{version}}, {{slot}} filled in. */
  deployCommand?: string[];
  release: { image: string; version: string };
  /** How long the canary may take to pass HAProxy's health checks after deploying. */
  healthTimeoutMs: number;
  /** Where to save server state so weights survive a reload (haproxy.cfg's server-state-file). */
  stateFile?: string;
  log: Logger;
  clock?: Clock;
}

export interface SlotShare {
  slot: string;
  weight: number;
  /** Share of traffic in percent, from the weights of the servers that are up. */
  share: number;
  healthy: boolean;
  /** What the target knows about the slot's health, for a reason ("DOWN, L7STS 500 ..."). */
  health?: string;
}

/**
 * Blue/green slots behind HAProxy, driven through its runtime API. The canary is the slot that is not
 * stable; promotion hands it all traffic and leaves the old version running at weight 0, so a
 * rollback is an instant weight change.
 */
export class HaproxyTarget implements RolloutTarget {
  readonly api: RuntimeApi;
  private readonly clock: Clock;

  constructor(private readonly o: HaproxyTargetOptions) {
    this.api = runtimeApi(o.socket);
    this.clock = o.clock ?? systemClock;
    if (!o.slots.includes(o.stableSlot))
      throw new PermanentError(`stable slot '${o.stableSlot}' is not one of ${o.slots.join(', ')}`);
  }

  get stable(): string {
    return this.o.stableSlot;
  }
  get canary(): string {
    return this.o.slots.find((s) => s !== this.o.stableSlot)!;
  }

  /** Checks the API, the backend and both slots before any traffic moves. */
  async describe(): Promise<SlotShare[]> {
    const states = await serverStates(this.api, this.o.backend);
    const missing = this.o.slots.filter((slot) => !states.some((s) => s.name === slot));
    if (missing.length)
      throw new PermanentError(
        `HAProxy backend '${this.o.backend}' has no server ${missing.join(', ')} (it has ${states.map((s) => s.name).join(', ') || 'none'})`,
      );
    const live = states.filter((s) => this.o.slots.includes(s.name));
    const total = live.filter((s) => s.opState === 2).reduce((n, s) => n + s.weight, 0);
    return live.map((s) => ({
      slot: s.name,
      weight: s.weight,
      healthy: s.opState === 2,
      share: total && s.opState === 2 ? Math.round((100 * s.weight) / total) : 0,
    }));
  }

  async deployCanary(signal: AbortSignal): Promise<void> {
    await this.describe();
    await this.setWeights({ [this.stable]: 100, [this.canary]: 0 });
    await this.api.command(`set server ${this.o.backend}/${this.canary} state maint`);
    if (this.o.deployCommand?.length) {
      this.o.log.info(`deploying ${this.o.release.version} to slot ${this.canary}`);
      await runHook(
        `deploy command for slot ${this.canary}`,
        fillArgs(this.o.deployCommand, { ...this.o.release, slot: this.canary }),
        { log: this.o.log, signal, timeoutMs: this.o.healthTimeoutMs },
      );
    }
    // Leaving maintenance, HAProxy counts the server as up at once, on check results from before
    // the deploy. Forcing its health down in the same command (the canary has weight 0, so no
    // request falls in between) means only checks made after this moment, against the new
    // release, can bring it up.
    const server = `${this.o.backend}/${this.canary}`;
    const command = `set server ${server} state ready; set server ${server} health down`;
    const answer = (await this.api.command(command)).trim();
    if (answer) throw new PermanentError(`HAProxy refused '${command}': ${answer}`);
    await this.waitHealthy(this.canary, signal);
  }

  /** Weights, health and request counters of both slots, as HAProxy sees them now. */
  async inspect(): Promise<ServerStat[]> {
    const stats = await serverStats(this.api, this.o.backend);
    const missing = this.o.slots.filter((slot) => !stats.some((s) => s.name === slot));
    if (missing.length)
      throw new PermanentError(`HAProxy backend '${this.o.backend}' no longer has server ${missing.join(', ')}`);
    return stats.filter((s) => this.o.slots.includes(s.name));
  }

  async setWeight(percent: number): Promise<void> {
    await this.setWeights({ [this.canary]: percent, [this.stable]: 100 - percent });
  }

  /** The canary takes all traffic; the old stable stays up at weight 0 for an instant rollback. */
  async promote(): Promise<void> {
    await this.setWeights({ [this.canary]: 100, [this.stable]: 0 });
  }

  async abort(): Promise<void> {
    await this.setWeights({ [this.stable]: 100, [this.canary]: 0 });
  }

  /** Rollback: all traffic to `slot` (instant when the version there is still running). */
  async restore(slot: string, signal?: AbortSignal): Promise<void> {
    const other = this.o.slots.find((s) => s !== slot)!;
    await this.waitHealthy(slot, signal);
    await this.setWeights({ [slot]: 100, [other]: 0 });
  }

  /** Sets weights (stable side first, so traffic never lands nowhere), verifies them, saves state. */
  private async setWeights(weights: Record<string, number>): Promise<void> {
    const order = Object.entries(weights).sort(([, a], [, b]) => b - a);
    for (const [slot, weight] of order) {
      const answer = (await this.api.command(`set weight ${this.o.backend}/${slot} ${weight}`)).trim();
      if (answer)
        throw new PermanentError(`HAProxy refused 'set weight ${this.o.backend}/${slot} ${weight}': ${answer}`);
    }
    const states = await serverStates(this.api, this.o.backend);
    for (const [slot, weight] of order) {
      const actual = states.find((s) => s.name === slot)?.weight;
      if (actual !== weight)
        throw new PermanentError(
          `HAProxy reports weight ${actual} for ${this.o.backend}/${slot} after setting ${weight}`,
        );
    }
    if (this.o.stateFile) await this.saveState();
  }

  /** Dumps server state where haproxy.cfg's server-state-file points, so a reload keeps these weights. */
  async saveState(): Promise<void> {
    const text = await this.api.command('show servers state');
    const tmp = `${this.o.stateFile}.tmp-${process.pid}`;
    await writeFile(tmp, text);
    await rename(tmp, this.o.stateFile!);
  }

  private async waitHealthy(slot: string, signal?: AbortSignal): Promise<void> {
    const started = this.clock.now();
    for (;;) {
      const state = (await serverStates(this.api, this.o.backend)).find((s) => s.name === slot);
      if (state?.opState === 2 && state.checkResult === CHECK_PASSED) return;
      if (this.clock.now() - started > this.o.healthTimeoutMs) {
        throw new PermanentError(
          `slot ${slot} did not pass HAProxy's health checks within ${formatDuration(this.o.healthTimeoutMs)} (state ${state?.opState ?? 'missing'}); no traffic was moved to it`,
        );
      }
      await this.clock.sleep(200, signal);
    }
  }
}
