import { PermanentError } from '@deploy-actions/core';
import type { EcrApi } from './ecr';

export interface EcrSdkOptions {
  /** An endpoint other than AWS's (a VPC endpoint, or a test double). AWS_ENDPOINT_URL_ECR works too. */
  endpoint?: string;
  maxAttempts?: number;
}

/**
 * EcrApi on @aws-sdk/client-ecr. The SDK is large, so it is imported here, on first use: actions
 * that push nowhere near ECR never load it. Credentials come from the SDK's default chain
 * (aws-actions/configure-aws-credentials sets the environment for it).
 */
export async function sdkEcrApi(region: string, options: EcrSdkOptions = {}): Promise<EcrApi> {
  const sdk = await import('@aws-sdk/client-ecr');
  const client = new sdk.ECRClient({ region, endpoint: options.endpoint, maxAttempts: options.maxAttempts ?? 5 });
  const explain =
    (what: string) =>
    (error: unknown): never => {
      const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
      throw new PermanentError(`ECR ${what} in ${region}: ${e.name ?? 'error'}: ${e.message ?? String(error)}`, {
        cause: error,
      });
    };
  return {
    async getAuthorizationToken(registryIds) {
      const out = await client
        .send(new sdk.GetAuthorizationTokenCommand({ registryIds }))
        .catch(explain('GetAuthorizationToken'));
      return (out.authorizationData ?? []).map((d) => ({
        authorizationToken: d.authorizationToken ?? '',
        proxyEndpoint: d.proxyEndpoint ?? '',
        expiresAt: d.expiresAt,
      }));
    },
    async repositoryExists(registryId, name) {
      try {
        await client.send(new sdk.DescribeRepositoriesCommand({ registryId, repositoryNames: [name] }));
        return true;
      } catch (error) {
        if ((error as { name?: string }).name === 'RepositoryNotFoundException') return false;
        return explain('DescribeRepositories')(error);
      }
    },
    async createRepository(registryId, name, settings) {
      await client
        .send(
          new sdk.CreateRepositoryCommand({
            registryId,
            repositoryName: name,
            imageTagMutability: settings.immutableTags ? 'IMMUTABLE' : 'MUTABLE',
            imageScanningConfiguration: { scanOnPush: settings.scanOnPush },
          }),
        )
        .catch((error: unknown) => {
          // Another job created it in the meantime: that is the outcome we wanted.
          if ((error as { name?: string }).name === 'RepositoryAlreadyExistsException') return;
          return explain('CreateRepository')(error);
        });
    },
  };
}
