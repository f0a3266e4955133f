import { type Logger, PermanentError, type SecretRegistry } from '@deploy-actions/core';
import type { Credentials } from '../oci/client';

/**
 * The part of Amazon ECR's API the action uses. The entry builds it on @aws-sdk/client-ecr
 * (see ecr-sdk.ts, loaded only when an ECR registry is in play); tests may hand in anything that
 * speaks the same.
 */
export interface EcrApi {
  getAuthorizationToken(
    registryIds: string[],
  ): Promise<Array<{ authorizationToken: string; proxyEndpoint: string; expiresAt?: Date }>>;
  repositoryExists(registryId: string, name: string): Promise<boolean>;
  createRepository(registryId: string, name: string, settings: RepositorySettings): Promise<void>;
}

export interface RepositorySettings {
  immutableTags: boolean;
  scanOnPush: boolean;
}

export interface EcrRegistry {
  accountId: string;
  region: string;
}

/** Registry host -> credentials, one GetAuthorizationToken call per region for all its accounts. */
export async function ecrLogin(
  registries: readonly EcrRegistry[],
  api: (region: string) => Promise<EcrApi>,
  secrets: SecretRegistry,
  log: Logger,
): Promise<Map<string, Credentials>> {
  const byRegion = new Map<string, string[]>();
  for (const r of registries) byRegion.set(r.region, [...new Set([...(byRegion.get(r.region) ?? []), r.accountId])]);
  const out = new Map<string, Credentials>();
  for (const [region, accounts] of byRegion) {
    const data = await (await api(region)).getAuthorizationToken(accounts);
    if (!data.length)
      throw new PermanentError(`ECR returned no authorization data for ${accounts.join(', ')} in ${region}`);
    for (const item of data) {
      // Mask before anything else touches it: the token, and the password inside it.
      secrets.add(item.authorizationToken);
      const decoded = Buffer.from(item.authorizationToken, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw new PermanentError(`ECR authorization token for ${item.proxyEndpoint} is not user:password`);
      const credentials = { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
      secrets.addBasicAuth(credentials.username, credentials.password);
      const host = new URL(item.proxyEndpoint).host;
      out.set(host, credentials);
      log.info(
        `logged in to ECR ${host}${item.expiresAt ? ` (token valid until ${item.expiresAt.toISOString()})` : ''}`,
      );
    }
  }
  return out;
}

/** Creates the repositories that do not exist yet; says which it created. */
export async function ensureEcrRepositories(
  repos: ReadonlyArray<{ registry: EcrRegistry; name: string }>,
  api: (region: string) => Promise<EcrApi>,
  settings: RepositorySettings,
  log: Logger,
): Promise<string[]> {
  const created: string[] = [];
  for (const { registry, name } of repos) {
    const client = await api(registry.region);
    if (await client.repositoryExists(registry.accountId, name)) continue;
    await client.createRepository(registry.accountId, name, settings);
    created.push(name);
    log.info(
      `created ECR repository ${name} in ${registry.accountId}/${registry.region} (tags ${settings.immutableTags ? 'immutable' : 'mutable'}, scan on push ${settings.scanOnPush ? 'on' : 'off'})`,
    );
  }
  return created;
}
