import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Credentials } from '../oci/client';
import { DOCKER_HUB } from '../reference';

/**
 * A per-job credential store in the docker config.json format that docker, buildx, buildah,
 * skopeo and podman all read: DOCKER_CONFIG points docker at its folder and REGISTRY_AUTH_FILE
 * points the containers tools at the file. Credentials reach the builders only through this file,
 * never through a command line; the post step removes the folder.
 */
export class AuthFile {
  readonly dir: string;
  readonly path: string;
  private readonly auths = new Map<string, Credentials>();

  private constructor(dir: string) {
    this.dir = dir;
    this.path = join(dir, 'config.json');
  }

  /** A fresh folder (mode 0700) under parent, e.g. the runner's temp folder. */
  static create(parent: string): AuthFile {
    mkdirSync(parent, { recursive: true });
    const dir = mkdtempSync(join(parent, 'registry-auth-'));
    chmodSync(dir, 0o700);
    const file = new AuthFile(dir);
    file.write();
    return file;
  }

  set(registry: string, credentials: Credentials): void {
    this.auths.set(registry, credentials);
    this.write();
  }

  get(registry: string): Credentials | undefined {
    return this.auths.get(registry);
  }

  registries(): string[] {
    return [...this.auths.keys()];
  }

  /** What a builder's environment needs to find the credentials. */
  env(): Record<string, string> {
    return { DOCKER_CONFIG: this.dir, REGISTRY_AUTH_FILE: this.path };
  }

  private write(): void {
    const auths: Record<string, { auth: string }> = {};
    for (const [registry, { username, password }] of this.auths) {
      const entry = { auth: Buffer.from(`${username}:${password}`).toString('base64') };
      auths[registry] = entry;
      // docker keys Docker Hub by its v1 index URL; the containers tools use docker.io.
      if (registry === DOCKER_HUB) auths['https://index.docker.io/v1/'] = entry;
    }
    writeFileSync(this.path, `${JSON.stringify({ auths }, null, 2)}\n`, { mode: 0o600 });
  }
}

/** The post step's logout: removes the folder and everything in it; true when there was one. */
export function removeAuthDir(dir: string): boolean {
  if (!dir || !existsSync(dir)) return false;
  rmSync(dir, { recursive: true, force: true });
  return true;
}
