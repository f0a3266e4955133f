// Amazon ECR's control plane as the AWS SDK speaks it: AWS JSON 1.1 (POST /, Content-Type
// application/x-amz-json-1.1, X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Operation>,
// SigV4-signed). Implements GetAuthorizationToken, DescribeRepositories and CreateRepository.
// The token it hands out is base64("AWS:<password>") for a registry the test runs, and
// proxyEndpoint points there, as ECR's points at <account>.dkr.ecr.<region>.amazonaws.com.
import { createServer } from 'node:http';
import { jsonError as error, jsonOk, sigv4 } from './aws.mjs';

const PREFIX = 'AmazonEC2ContainerRegistry_V20150921.';

/**
 * @param {{ accessKeyId: string, password: string, proxyEndpoint: string, repositories?: string[] }} options
 * @returns {Promise<{ url: string, requests: Array<{ operation: string, body: any, region: string }>, repositories: Map<string, any>, close: () => Promise<void> }>}
 */
export async function startFakeEcr({ accessKeyId, password, proxyEndpoint, repositories = [] }) {
  const requests = [];
  const repos = new Map(
    repositories.map((name) => [
      name,
      { repositoryName: name, imageTagMutability: 'MUTABLE', imageScanningConfiguration: { scanOnPush: false } },
    ]),
  );
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const credential = sigv4(req, 'ecr');
      const operation = target.startsWith(PREFIX) ? target.slice(PREFIX.length) : target;
      const body = raw ? JSON.parse(raw) : {};
      requests.push({ operation, body, region: credential?.region ?? '' });
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/x-amz-json-1.1')
        return error(res, 400, 'SerializationException', 'expected AWS JSON 1.1');
      if (!credential)
        return error(res, 403, 'MissingAuthenticationTokenException', 'request is not SigV4-signed for ecr');
      if (credential.accessKeyId !== accessKeyId)
        return error(res, 403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
      const ok = (payload) => jsonOk(res, payload);
      switch (operation) {
        case 'GetAuthorizationToken':
          return ok({
            authorizationData: (body.registryIds?.length ? body.registryIds : ['000000000000']).map(() => ({
              authorizationToken: Buffer.from(`AWS:${password}`).toString('base64'),
              expiresAt: Math.floor(Date.now() / 1000) + 12 * 3600,
              proxyEndpoint,
            })),
          });
        case 'DescribeRepositories': {
          const found = (body.repositoryNames ?? []).map((n) => repos.get(n)).filter(Boolean);
          if (found.length < (body.repositoryNames ?? []).length)
            return error(
              res,
              400,
              'RepositoryNotFoundException',
              `The repository with name '${body.repositoryNames[0]}' does not exist in the registry with id '${body.registryId}'`,
            );
          return ok({ repositories: found });
        }
        case 'CreateRepository': {
          if (repos.has(body.repositoryName)) return error(res, 400, 'RepositoryAlreadyExistsException', 'exists');
          const repo = {
            repositoryName: body.repositoryName,
            registryId: body.registryId,
            imageTagMutability: body.imageTagMutability,
            imageScanningConfiguration: body.imageScanningConfiguration,
          };
          repos.set(body.repositoryName, repo);
          return ok({ repository: repo });
        }
        default:
          return error(res, 400, 'UnknownOperationException', `unknown operation ${target}`);
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    repositories: repos,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}
