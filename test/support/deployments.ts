// Releases recorded in the fake GitHub as canary-deploy records them, for tests that start from a
// deploy history: what auto-rollback and the workflows read to find the last good version.
import type { startFakeGitHub } from '../fakes/github.mjs';
import type { Slot } from './haproxy';

export interface SeededRelease {
  environment: string;
  version: string;
  image: string;
  /** The slot the release went into; the other one is recorded as the stable slot it replaced. */
  slot: Slot;
  state: 'success' | 'failure' | 'in_progress';
  /** More payload fields, such as schemaVersion. */
  payload?: Record<string, unknown>;
}

/** Creates the deployment and its status through the fake's REST API; returns the deployment id. */
export async function seedRelease(
  github: Awaited<ReturnType<typeof startFakeGitHub>>,
  { environment, version, image, slot, state, payload = {} }: SeededRelease,
): Promise<number> {
  const headers = { authorization: `token ${github.token}`, 'content-type': 'application/json' };
  const created = (await (
    await fetch(`${github.url}/repos/acme/shop/deployments`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        ref: `sha-${version}`,
        environment,
        payload: {
          image,
          version,
          target: 'haproxy',
          targetState: { stableSlot: slot === 'blue' ? 'green' : 'blue', canarySlot: slot },
          runId: `seed-${version}`,
          format: 'deploy-actions/1',
          ...payload,
        },
      }),
    })
  ).json()) as { id: number };
  await fetch(`${github.url}/repos/acme/shop/deployments/${created.id}/statuses`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ state }),
  });
  return created.id;
}
