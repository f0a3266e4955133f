// The Docker registry token service (https://distribution.github.io/distribution/spec/auth/token/)
// as Docker Hub and GHCR run it: GET /token?service=..&scope=repository:name:pull,push with Basic
// credentials returns a JWT (RS256, certificate in x5c) that a real registry configured with
// `auth.token` verifies against the certificate bundle this fake writes.
import { createServer } from 'node:https';
import { createSign, randomUUID, X509Certificate } from 'node:crypto';
import { rmSync } from 'node:fs';
import { selfSignedCert } from '../../scripts/lib/tls.mjs';

const b64url = (data) => Buffer.from(data).toString('base64url');

/**
 * @param {{ username: string, password: string, service?: string, issuer?: string, tls: { key: string, cert: string } }} options
 * @returns {Promise<{ realm: string, service: string, issuer: string, certFile: string, requests: Array<{ scope: string, authorized: boolean }>, close: () => Promise<void> }>}
 */
export async function startTokenServer({
  username,
  password,
  service = 'test-registry',
  issuer = 'test-token-issuer',
  tls,
}) {
  const signer = selfSignedCert({ commonName: 'token-signer', altNames: [] });
  const x5c = new X509Certificate(signer.cert).raw.toString('base64');
  const requests = [];
  const server = createServer(tls, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const auth = req.headers.authorization ?? '';
    const given = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString() : '';
    const authorized = given === `${username}:${password}`;
    const scope = url.searchParams.get('scope') ?? '';
    requests.push({ scope, authorized });
    if (url.pathname !== '/token' || !authorized) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }));
      return;
    }
    const access = scope
      ? scope.split(' ').map((s) => {
          const [type, name, actions] = s.split(':');
          return { type, name, actions: actions.split(',') };
        })
      : [];
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [x5c] }));
    const claims = b64url(
      JSON.stringify({
        iss: issuer,
        sub: username,
        aud: url.searchParams.get('service') ?? service,
        exp: now + 300,
        nbf: now - 10,
        iat: now,
        jti: randomUUID(),
        access,
      }),
    );
    const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(signer.key).toString('base64url');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token: `${header}.${claims}.${signature}`, expires_in: 300 }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    realm: `https://127.0.0.1:${port}/token`,
    service,
    issuer,
    certFile: signer.certFile,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(signer.dir, { recursive: true, force: true });
          resolve(undefined);
        });
      }),
  };
}
