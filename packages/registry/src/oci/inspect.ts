import type { RegistryClient } from './client';

export interface ImageDetails {
  digest: string;
  mediaType: string;
  /** platform (os/arch[/variant]) -> manifest digest; one entry for a single-platform image. */
  platformDigests: Record<string, string>;
  /** Labels of the image config (the first platform's, for an index). */
  labels: Record<string, string>;
  /** Compressed size in bytes: configs and layers of every platform. */
  sizeBytes: number;
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

interface ManifestJson {
  mediaType?: string;
  manifests?: Descriptor[];
  config?: Descriptor;
  layers?: Descriptor[];
}

interface ConfigJson {
  os?: string;
  architecture?: string;
  variant?: string;
  config?: { Labels?: Record<string, string> | null };
}

const platformName = (p: { os?: string; architecture?: string; variant?: string }): string =>
  [p.os ?? 'unknown', p.architecture ?? 'unknown', p.variant].filter(Boolean).join('/');

/** Reads an image back from the registry: what it really is, so outputs never repeat what was asked for. */
export async function inspectImage(client: RegistryClient, repository: string, digest: string): Promise<ImageDetails> {
  const top = await client.getManifest(repository, digest);
  const json = JSON.parse(top.body.toString('utf8')) as ManifestJson;
  const platformDigests: Record<string, string> = {};
  let labels: Record<string, string> | undefined;
  let sizeBytes = 0;
  const single = async (manifest: ManifestJson): Promise<ConfigJson> => {
    const config = JSON.parse(
      (await client.getBlob(repository, manifest.config!.digest)).toString('utf8'),
    ) as ConfigJson;
    sizeBytes += manifest.config!.size + (manifest.layers ?? []).reduce((sum, l) => sum + l.size, 0);
    labels ??= config.config?.Labels ?? {};
    return config;
  };
  if (json.manifests) {
    for (const child of json.manifests) {
      // Attestation manifests (buildx provenance) ride along in the index; they are not a platform.
      if (child.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') continue;
      const manifest = JSON.parse(
        (await client.getManifest(repository, child.digest)).body.toString('utf8'),
      ) as ManifestJson;
      await single(manifest);
      platformDigests[platformName(child.platform ?? {})] = child.digest;
    }
  } else {
    const config = await single(json);
    platformDigests[platformName(config)] = digest;
  }
  return { digest, mediaType: top.mediaType, platformDigests, labels: labels ?? {}, sizeBytes };
}
