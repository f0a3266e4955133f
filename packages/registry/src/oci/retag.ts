import { type Logger, PermanentError, oneLine } from '@deploy-actions/core';
import type { Manifest, RegistryClient } from './client';

export interface RetagResult {
  /** Tags now pointing at the digest (including those that already did). */
  tagged: string[];
  /** Tags that already pointed at the digest before. */
  unchanged: string[];
}

/**
 * Points every tag at the manifest with this digest, through the registry API: the manifest bytes
 * are read once and put under each tag, so the digest cannot change. Before anything moves, each
 * tag's current manifest is read; if a put fails for good, the tags already moved are put back
 * (or deleted, where they are new and the registry allows it), so a failure never leaves half of
 * the tags on the new image. Tags that are new are moved last, since they are the hardest to undo.
 */
export async function retagByDigest(
  client: RegistryClient,
  repository: string,
  digest: string,
  tags: readonly string[],
  log: Logger,
): Promise<RetagResult> {
  const source = await client.getManifest(repository, digest);
  const previous = new Map<string, Manifest | undefined>();
  for (const tag of tags) previous.set(tag, await client.findManifest(repository, tag));
  const unchanged = tags.filter((t) => previous.get(t)?.digest === digest);
  const toMove = [
    ...tags.filter((t) => previous.get(t) && !unchanged.includes(t)),
    ...tags.filter((t) => !previous.get(t)),
  ];
  const moved: string[] = [];
  for (const tag of toMove) {
    try {
      await client.putManifest(repository, tag, source);
      moved.push(tag);
      const before = previous.get(tag);
      log.info(`${client.host}/${repository}:${tag} -> ${digest}${before ? ` (was ${before.digest})` : ' (new tag)'}`);
    } catch (error) {
      const undo = await rollBack(client, repository, moved, previous, log);
      throw new PermanentError(`tagging ${client.host}/${repository} with ${tag} failed: ${oneLine(error)}. ${undo}`, {
        cause: error,
      });
    }
  }
  return { tagged: [...tags], unchanged };
}

async function rollBack(
  client: RegistryClient,
  repository: string,
  moved: string[],
  previous: Map<string, Manifest | undefined>,
  log: Logger,
): Promise<string> {
  if (!moved.length) return 'No tag was changed.';
  const restored: string[] = [];
  const left: string[] = [];
  for (const tag of [...moved].reverse()) {
    const before = previous.get(tag);
    try {
      if (before) {
        await client.putManifest(repository, tag, before);
        restored.push(`${tag} (back to ${before.digest})`);
      } else if (await client.deleteTag(repository, tag)) {
        restored.push(`${tag} (removed)`);
      } else {
        left.push(tag);
      }
    } catch (error) {
      log.warning(`could not restore ${repository}:${tag}: ${oneLine(error)}`);
      left.push(tag);
    }
  }
  return `Rolled back ${restored.length ? restored.join(', ') : 'nothing'}${left.length ? `; still on the new image (the registry cannot remove tags): ${left.join(', ')}` : ''}.`;
}
