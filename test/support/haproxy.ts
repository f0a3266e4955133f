// HAProxy for tests and benchmarks that check what the proxy really does rather than what an action
// says it did: its weights read and set over the runtime API, and the blue/green stack the canary
// and rollback tests deploy onto.
import {
  haproxyCommand,
  startFixtureApp,
  startHaproxy,
  startNginx,
  startPrometheus,
} from '../../scripts/lib/services.mjs';

export { haproxyCommand };

/** The weight of each server of `backend`, by name. */
export async function slotWeights(socket: string, backend = 'app'): Promise<Record<string, number>> {
  const text = await haproxyCommand(socket, `show servers state ${backend}`);
  return Object.fromEntries(
    text
      .split('\n')
      .map((l) => l.split(' '))
      .filter((f) => f[1] === backend)
      .map((f) => [f[3]!, Number(f[7])]),
  );
}

type App = Awaited<ReturnType<typeof startFixtureApp>>;
type Knobs = Parameters<App['setKnobs']>[0];
export type Slot = 'blue' | 'green';

/**
 * Two fixture apps, v1 in slot blue and v2 in slot green, as servers of HAProxy's backend `app`
 * (checked every 200 ms).
 */
export interface Slots {
  /** The slot that took all traffic at the start (weight 100); the other started at weight 0. */
  serving: Slot;
  blue: App;
  /** A test that starts v2 again assigns the new app here, so that stop() stops the one running. */
  green: App;
  proxy: Awaited<ReturnType<typeof startHaproxy>>;
  /** Puts the weights back to where they started and sets `knobs` on both apps. */
  reset(knobs: Knobs): Promise<void>;
  /** Stops all of it at once; safe when a test stopped a part already. */
  stop(): Promise<void>;
}

/** The slots and Prometheus scraping both apps with a `slot` label. */
export interface SlotStack extends Slots {
  prometheus: Awaited<ReturnType<typeof startPrometheus>>;
}

const slotNames = ['blue', 'green'] as const;

/**
 * Starts the apps, then HAProxy, each on a free port. When a part fails to start, what did start is
 * stopped before the error is thrown, since no caller has the slots to stop.
 */
export async function startSlots(serving: Slot): Promise<Slots> {
  const weight = (slot: Slot) => (slot === serving ? 100 : 0);
  const started: Array<{ stop(): Promise<void> }> = [];
  const keep = <T extends { stop(): Promise<void> }>(part: T): T => {
    started.push(part);
    return part;
  };
  try {
    const blue = startFixtureApp({ version: 'v1' }).then(keep);
    const green = startFixtureApp({ version: 'v2' }).then(keep);
    // Both settle before either failure is thrown, so that the other app is kept to be stopped.
    await Promise.allSettled([blue, green]);
    const apps = { blue: await blue, green: await green };
    const proxy = await startHaproxy({
      slots: slotNames.map((slot) => ({ name: slot, address: `127.0.0.1:${apps[slot].port}`, weight: weight(slot) })),
    });
    const slots: Slots = {
      serving,
      ...apps,
      proxy,
      reset: async (knobs) => {
        await haproxyCommand(
          proxy.socket,
          `set weight app/blue ${weight('blue')}; set weight app/green ${weight('green')}`,
        );
        await Promise.all([slots.blue.setKnobs(knobs), slots.green.setKnobs(knobs)]);
      },
      stop: async () => {
        await Promise.all([slots.blue.stop(), slots.green.stop(), proxy.stop()]);
      },
    };
    return slots;
  } catch (error) {
    await Promise.all(started.map((part) => part.stop()));
    throw error;
  }
}

/**
 * Starts the slots, then Prometheus scraping both apps every `scrapeIntervalMs`; with `trackLabels`
 * the serving slot's series also carry track="stable" and the other's track="canary". When
 * Prometheus fails to start, the slots are stopped before the error is thrown.
 */
export async function startSlotStack({
  serving,
  scrapeIntervalMs,
  trackLabels = false,
}: {
  serving: Slot;
  scrapeIntervalMs: number;
  trackLabels?: boolean;
}): Promise<SlotStack> {
  const labels = (slot: Slot): Record<string, string> =>
    trackLabels ? { track: slot === serving ? 'stable' : 'canary', slot } : { slot };
  const slots = await startSlots(serving);
  try {
    const prometheus = await startPrometheus({
      targets: slotNames.map((slot) => ({ address: `127.0.0.1:${slots[slot].port}`, labels: labels(slot) })),
      scrapeIntervalMs,
    });
    const stopSlots = slots.stop;
    return Object.assign(slots, {
      prometheus,
      stop: async () => {
        await Promise.all([stopSlots(), prometheus.stop()]);
      },
    });
  } catch (error) {
    await slots.stop();
    throw error;
  }
}

/**
 * nginx in front of the slots' apps, the serving slot at weight 100 and the other down, with the
 * canary-deploy inputs that put a rollout on it.
 */
export async function startNginxOnSlots(
  slots: Slots,
): Promise<Awaited<ReturnType<typeof startNginx>> & { inputs: Record<string, string> }> {
  const address = (slot: Slot) => `127.0.0.1:${slots[slot].port}`;
  const nginx = await startNginx({
    slots: slotNames.map((slot) => ({ name: slot, address: address(slot), weight: slot === slots.serving ? 100 : 0 })),
  });
  return {
    ...nginx,
    inputs: {
      target: 'nginx',
      'nginx-upstream-file': nginx.upstreamFile,
      'nginx-slot-addresses': slotNames.map((slot) => `${slot}=${address(slot)}`).join('\n'),
      'nginx-test-command': nginx.testCommand.join(' '),
      'nginx-reload-command': nginx.reloadCommand.join(' '),
      'nginx-pid-file': nginx.pidFile,
    },
  };
}
