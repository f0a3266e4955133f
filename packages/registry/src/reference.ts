/**
 * Image names as the distribution spec defines them: [registry/]path, lower case. Docker Hub names
 * ("nginx", "acme/shop", "docker.io/acme/shop") resolve to docker.io/library/... and are served by
 * registry-1.docker.io.
 */
export interface ImageName {
  /** The name as written (lower-cased), e.g. ghcr.io/acme/shop; what tags and outputs show. */
  name: string;
  /** Registry host[:port] as the credentials know it (docker.io for Docker Hub). */
  registry: string;
  /** The repository path inside the registry (library/nginx for an official Hub image). */
  repository: string;
  /** Host[:port] to send API requests to. */
  apiHost: string;
}

export const DOCKER_HUB = 'docker.io';
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

export class ReferenceError extends Error {}

export function parseImageName(input: string): ImageName {
  const name = input.trim().toLowerCase();
  if (!name) throw new ReferenceError('an image name is empty');
  if (/[@:]/.test(name.split('/').slice(1).join('/')) || (!name.includes('/') && /[@:]/.test(name))) {
    throw new ReferenceError(`'${input}' has a tag or digest; give the repository only (tags come from the tag rules)`);
  }
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const isHost = first.includes('.') || first.includes(':') || first === 'localhost';
  let registry = isHost ? first : DOCKER_HUB;
  let repository = isHost ? name.slice(slash + 1) : name;
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  if (!repository.split('/').every((c) => COMPONENT.test(c))) {
    throw new ReferenceError(
      `'${input}' is not a valid repository name (lower-case letters, digits and . _ - between them, parts separated by /)`,
    );
  }
  if (isHost && !/^[a-z0-9.-]+(:\d+)?$|^\[[0-9a-f:]+\](:\d+)?$/.test(registry))
    throw new ReferenceError(`'${first}' in '${input}' is not a valid registry host`);
  return { name, registry, repository, apiHost: registry === DOCKER_HUB ? 'registry-1.docker.io' : registry };
}

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

/** ECR hosts: <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]. */
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

export function ecrRegistry(host: string): { accountId: string; region: string } | undefined {
  const m = ECR_HOST.exec(host);
  return m ? { accountId: m[1]!, region: m[2]! } : undefined;
}
