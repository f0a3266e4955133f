// Reading the target back during a step: the traffic being judged must be the traffic the step set,
// to the release being rolled out, against the stable version the rollout started from. Anything
// else (a reload that reset the weights, another deploy, a person with the console) fails the step
// at once, with what changed; so does a canary with a share of traffic and no instance ready to serve it.
import { oneLine } from '@deploy-actions/core';
import type { CanaryInstances, ReleaseState, ReleaseTarget } from './rollout';

/** One weight as the target reports it now, and the one the rollout set. */
export interface WeightReading {
  name: string;
  weight: number;
  set: number;
}

/**
 * Every reading, each with the weight that was set ("green 0 (set to 50), blue 100 (set to 50)"),
 * when any of them differs; undefined when all are as set. The comparison is exact: every target
 * writes whole numbers its router or platform keeps as given (HAProxy's weight, nginx's `weight=`,
 * HTTPRoute and VirtualService weights, ingress-nginx's canary-weight, ALB forward weights, Cloud
 * Run's integer percent), and the one share that is only approximated, Kubernetes by replica ratio,
 * is predicted exactly by the target (ReleaseTarget.reportedWeight). A tolerance would only hide a
 * real change.
 */
export function changedWeights(readings: readonly WeightReading[], unit = ''): string | undefined {
  if (readings.every((r) => r.weight === r.set)) return undefined;
  return readings.map((r) => `${r.name} ${r.weight}${unit} (set to ${r.set}${unit})`).join(', ');
}

/** Why the slots' weights are not the ones the step set, or undefined. Slot weights are server weights, not percentages. */
export function slotDrift(readings: readonly WeightReading[]): string | undefined {
  const changed = changedWeights(readings);
  return (
    changed &&
    `the target's weights changed under the rollout: ${changed}; a reload without a state file, or another tool, reset them, so the canary is not getting the traffic being judged`
  );
}

/** What a release target must report during a step. */
export interface ReleaseExpectation {
  /** The release being rolled out. */
  canaryImage: string;
  /** The stable image when the rollout started (read before anything moved). */
  stableImage: string;
  /** The canary's share as the target reports it once the step's weight is set (ReleaseTarget.reportedWeight). */
  weight: number;
}

/** Why what a release target reports is not what the step set, or undefined; every change is named. */
export function releaseDrift(expected: ReleaseExpectation, state: ReleaseState): string | undefined {
  const stableChanged =
    state.stable.image !== expected.stableImage
      ? `stable runs ${state.stable.image}, not ${expected.stableImage} as when the rollout started`
      : undefined;
  if (!state.canary) {
    return `the canary is gone from the target under the rollout (set to ${expected.weight} %)${stableChanged ? `, and ${stableChanged}` : ''}; another deploy or tool removed it, so no canary is getting the traffic being judged`;
  }
  const changes: string[] = [];
  const effects: string[] = [];
  const weights = changedWeights([{ name: 'canary', weight: state.canary.weight, set: expected.weight }], ' %');
  if (weights) {
    changes.push(weights);
    effects.push('the canary is not getting the traffic being judged');
  }
  if (state.canary.image !== expected.canaryImage) {
    changes.push(`the canary runs ${state.canary.image}, not the release being rolled out (${expected.canaryImage})`);
    effects.push('what is judged is not this release');
  }
  if (stableChanged) {
    changes.push(stableChanged);
    effects.push('the baseline is not the version the canary would replace');
  }
  const unready = state.canary.instances && noneReady(state.canary.instances, state.canary.weight);
  if (!changes.length) return unready;
  const changed = `the target changed under the rollout: ${changes.join('; ')}; another deploy or tool changed it, so ${effects.join(' and ')}`;
  return unready ? `${changed}; and ${unready}` : changed;
}

/**
 * Why a canary with a share of traffic and no instance ready cannot be judged, or undefined. Some
 * ready is normal while a Deployment or service scales or replaces one, and the judge sees any errors
 * that come of it; none ready is an outage of the canary's whole share that the app's own metrics
 * never see (the router answers it, or stable takes it), so it fails at once.
 */
function noneReady(instances: CanaryInstances, weight: number): string | undefined {
  if (weight <= 0 || instances.ready > 0) return undefined;
  const { desired, noun } = instances;
  const toErrors = instances.shareWhenNoneReady === 'errors';
  const share = `while it ${toErrors ? 'takes' : 'is set to take'} ${weight} % of traffic`;
  const none =
    desired > 0
      ? `the canary has no ready ${noun} (0 of ${desired}) ${share}; they crashed or fail their readiness checks`
      : `the canary has no ${noun} (scaled to 0) ${share}; another tool or an autoscaler scaled it down`;
  return toErrors
    ? `${none}, so its share of users gets errors from the router`
    : `${none}, so the Service sends that share to stable and the canary is not getting the traffic being judged`;
}

/**
 * Reads a release target back and says why it is not what the step set, or undefined. describe()
 * already retries transient faults (429, 5xx, resets) inside the target's API deadline, so an error
 * that reaches here is permanent (an expired credential, a deleted workload) or outlasted that
 * deadline: the canary's share is then unknown, and that fails the step rather than passing it on
 * traffic nobody can confirm. A cancelled job is not a read-back failure: its error goes on as it is.
 */
export async function releaseTrouble(
  target: ReleaseTarget,
  expected: ReleaseExpectation,
  signal: AbortSignal,
): Promise<string | undefined> {
  let state: ReleaseState;
  try {
    state = await target.describe(signal);
  } catch (error) {
    if (signal.aborted) throw error;
    return `could not read the target back during the step (${oneLine(error)}), so the canary's share of traffic is unknown; failing closed`;
  }
  return releaseDrift(expected, state);
}
