import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { MemoryLogger, SecretRegistry } from '@deploy-actions/core';
import { startFakeEcr } from '../../../test/fakes/ecr.mjs';
import { ecrLogin, ensureEcrRepositories } from '../src/auth/ecr';
import { sdkEcrApi } from '../src/auth/ecr-sdk';

const PASSWORD = 'ecr-token-password-0123456789';

describe('ECR through @aws-sdk/client-ecr against a fake speaking its JSON protocol', () => {
  let ecr: Awaited<ReturnType<typeof startFakeEcr>>;
  const saved = { ...process.env };
  beforeAll(async () => {
    ecr = await startFakeEcr({
      accessKeyId: 'AKIDTEST',
      password: PASSWORD,
      proxyEndpoint: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      repositories: ['shop/web'],
    });
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret-key-for-the-fake' });
  });
  afterAll(async () => {
    process.env = saved;
    await ecr?.close();
  });
  const api = (region: string) => sdkEcrApi(region, { endpoint: ecr.url, maxAttempts: 1 });

  test('one token call per region for all its accounts; token and password masked', async () => {
    const secrets = new SecretRegistry();
    const log = new MemoryLogger();
    const creds = await ecrLogin(
      [
        { accountId: '123456789012', region: 'eu-west-1' },
        { accountId: '210987654321', region: 'eu-west-1' },
        { accountId: '123456789012', region: 'us-east-1' },
      ],
      api,
      secrets,
      log,
    );
    expect(creds.get('123456789012.dkr.ecr.eu-west-1.amazonaws.com')).toEqual({ username: 'AWS', password: PASSWORD });
    const calls = ecr.requests.filter((r) => r.operation === 'GetAuthorizationToken');
    expect(calls.map((c) => [c.region, c.body.registryIds])).toEqual([
      ['eu-west-1', ['123456789012', '210987654321']],
      ['us-east-1', ['123456789012']],
    ]);
    const token = Buffer.from(`AWS:${PASSWORD}`).toString('base64');
    expect(secrets.redact(`${token} ${PASSWORD}`)).toBe('*** ***');
    expect(log.messages().join('\n')).not.toContain(PASSWORD);
  });

  test('creates missing repositories with immutability and scan-on-push, leaves existing ones', async () => {
    const registry = { accountId: '123456789012', region: 'eu-west-1' };
    const created = await ensureEcrRepositories(
      [
        { registry, name: 'shop/web' },
        { registry, name: 'shop/worker' },
      ],
      api,
      { immutableTags: true, scanOnPush: true },
      new MemoryLogger(),
    );
    expect(created).toEqual(['shop/worker']);
    expect(ecr.repositories.get('shop/worker')).toMatchObject({
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
    });
  });

  test('bad AWS credentials: a permanent error naming the call', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDWRONG';
    try {
      await expect(
        ecrLogin([{ accountId: '123456789012', region: 'eu-west-1' }], api, new SecretRegistry(), new MemoryLogger()),
      ).rejects.toThrow(
        /^ECR GetAuthorizationToken in eu-west-1: UnrecognizedClientException: The security token included in the request is invalid\.$/,
      );
    } finally {
      process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
    }
  });
});
