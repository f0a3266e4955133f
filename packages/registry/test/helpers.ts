// Test helpers: put a small image into a real registry straight through the distribution API (no
// builder needed), so client tests have something to read and re-tag.
import { request } from '@deploy-actions/core';
import { sha256Digest } from '../src/oci/client';

export interface TestRegistry {
  url: string;
  host: string;
  username: string;
  password: string;
  ca: string;
}

const basic = (r: TestRegistry): string => `Basic ${Buffer.from(`${r.username}:${r.password}`).toString('base64')}`;

async function uploadBlob(r: TestRegistry, repository: string, data: Buffer): Promise<string> {
  const digest = sha256Digest(data);
  const start = await request({
    url: `${r.url}/v2/${repository}/blobs/uploads/`,
    method: 'POST',
    headers: { authorization: basic(r) },
    ca: r.ca,
  });
  if (start.status !== 202) throw new Error(`upload start: ${start.status} ${start.text()}`);
  const location = new URL(start.headers.location!, r.url);
  location.searchParams.set('digest', digest);
  const put = await request({
    url: location.toString(),
    method: 'PUT',
    headers: { authorization: basic(r), 'content-type': 'application/octet-stream' },
    body: data,
    ca: r.ca,
  });
  if (put.status !== 201) throw new Error(`upload: ${put.status} ${put.text()}`);
  return digest;
}

/** Pushes a one-layer OCI image with these labels under `tag`; returns its manifest digest. */
export async function pushTestImage(
  r: TestRegistry,
  repository: string,
  tag: string,
  labels: Record<string, string>,
  content = 'hello',
): Promise<string> {
  const layer = Buffer.from(content);
  const layerDigest = await uploadBlob(r, repository, layer);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: labels },
      rootfs: { type: 'layers', diff_ids: [layerDigest] },
    }),
  );
  const configDigest = await uploadBlob(r, repository, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length }],
    }),
  );
  const res = await request({
    url: `${r.url}/v2/${repository}/manifests/${tag}`,
    method: 'PUT',
    body: manifest,
    ca: r.ca,
    headers: { authorization: basic(r), 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
  });
  if (res.status !== 201) throw new Error(`manifest: ${res.status} ${res.text()}`);
  return sha256Digest(manifest);
}

/** What a tag points at, read with plain HTTP (independent of the client under test). */
export async function tagDigest(r: TestRegistry, repository: string, tag: string): Promise<string | undefined> {
  const res = await request({
    url: `${r.url}/v2/${repository}/manifests/${tag}`,
    method: 'GET',
    ca: r.ca,
    headers: {
      authorization: basic(r),
      accept:
        'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json',
    },
  });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`tagDigest: ${res.status} ${res.text()}`);
  return sha256Digest(res.body);
}
