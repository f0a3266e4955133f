// A fake of the token endpoints a Google credentials file leads to, on a free loopback port, speaking
// their real protocols closely enough that google-auth-library talks to it unchanged:
// - GitHub's OIDC token endpoint (GET ?audience=… with the runner's request token → {"value": JWT});
// - STS (POST /v1/token, RFC 8693 token exchange, form or JSON body): checks the provider audience and
//   the subject JWT (signature, expiry, its aud), applies an attribute condition on `repository`;
// - IAM Credentials (POST /v1/projects/-/serviceAccounts/{email}:generateAccessToken) with the
//   federated token;
// - the OAuth2 token endpoint (POST /token, RFC 7523 JWT bearer grant) for service account keys:
//   checks the RS256 signature against the key's public half, aud, scope and times.
// Access tokens it issues are handed to `onIssue` (the Cloud Run fake's accept()). Knobs: failNext
// (429/503), deleteKey (invalid_grant), denyImpersonation (403), allowRepository (attribute condition).
import { createSign, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PROVIDER = 'projects/123456789/locations/global/workloadIdentityPools/github/providers/github';
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

/** @param {string | Buffer} data */
const b64url = (data) => Buffer.from(data).toString('base64url');

/**
 * @param {{ onIssue?: (token: string) => void, lifetimeSeconds?: number, repository?: string }} [options]
 */
export async function startFakeGoogleAuth({
  onIssue = () => {},
  lifetimeSeconds = 3600,
  repository = 'acme/shop',
} = {}) {
  const issuer = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const requestToken = `gh-oidc-request-${randomBytes(12).toString('hex')}`;
  /** @type {Map<string, { email: string, publicKey: import('node:crypto').KeyObject, deleted: boolean }>} */
  const keys = new Map();
  /** federated tokens (from STS) → their principal */
  const federated = new Map();
  /** @type {Array<{ status: number, left: number }>} */
  const faults = [];
  /** @type {Array<{ method: string, path: string, status: number, body?: Record<string, unknown> }>} */
  const calls = [];
  const issued = [];
  let allowedRepository = repository;
  let impersonationDenied = false;
  let lifetime = lifetimeSeconds;

  const issue = (prefix) => {
    const token = `ya29.${prefix}-${randomBytes(16).toString('hex')}`;
    issued.push(token);
    onIssue(token);
    return token;
  };
  const send = (res, code, body) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const oauthError = (res, code, error, description) => send(res, code, { error, error_description: description });
  const rpcError = (res, code, status, message) => send(res, code, { error: { code, status, message } });

  /** Verifies a compact RS256 JWT; returns its claims or a reason. */
  function verifyJwt(jwt, keyFor) {
    const parts = String(jwt ?? '').split('.');
    if (parts.length !== 3) return { reason: 'not a JWT' };
    let header;
    let claims;
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
    } catch {
      return { reason: 'not a JWT' };
    }
    if (header.alg !== 'RS256') return { reason: `alg ${header.alg}` };
    const key = keyFor(header, claims);
    if (!key) return { reason: 'Invalid JWT Signature.' };
    const ok = createVerify('RSA-SHA256')
      .update(`${parts[0]}.${parts[1]}`)
      .verify(key, Buffer.from(parts[2], 'base64url'));
    if (!ok) return { reason: 'Invalid JWT Signature.' };
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== 'number' || claims.exp < now)
      return {
        reason:
          'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
      };
    return { header, claims };
  }

  function signOidc(audience) {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'github-fake' }));
    const claims = b64url(
      JSON.stringify({
        iss: 'https://token.actions.githubusercontent.com',
        aud: audience,
        sub: `repo:${repository}:environment:production`,
        repository,
        repository_owner: repository.split('/')[0],
        ref: 'refs/heads/main',
        iat: now,
        nbf: now - 5,
        exp: now + 300,
      }),
    );
    const signature = createSign('RSA-SHA256')
      .update(`${header}.${claims}`)
      .sign(issuer.privateKey)
      .toString('base64url');
    return `${header}.${claims}.${signature}`;
  }

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const contentType = req.headers['content-type'] ?? '';
      /** @type {Record<string, any>} */
      let body = {};
      try {
        body = contentType.includes('json')
          ? raw
            ? JSON.parse(raw)
            : {}
          : Object.fromEntries(new URLSearchParams(raw));
      } catch {
        return oauthError(res, 400, 'invalid_request', 'Invalid JSON payload received.');
      }
      const originalWriteHead = res.writeHead.bind(res);
      res.writeHead = (status, ...rest) => {
        calls.push({ method: req.method ?? 'GET', path: url.pathname, status, body });
        return originalWriteHead(status, ...rest);
      };
      const fault = faults.find((f) => f.left > 0);
      if (fault) {
        fault.left--;
        return fault.status === 429
          ? rpcError(res, 429, 'RESOURCE_EXHAUSTED', 'Quota exceeded.')
          : rpcError(res, fault.status, 'UNAVAILABLE', 'The service is currently unavailable.');
      }
      const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];

      // GitHub Actions' OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL).
      if (req.method === 'GET' && url.pathname === '/github/idtoken') {
        if (bearer !== requestToken) return send(res, 401, { message: 'Unauthorized' });
        return send(res, 200, {
          count: 1,
          value: signOidc(url.searchParams.get('audience') ?? 'https://github.com/acme'),
        });
      }
      // STS: RFC 8693 token exchange. The auth action itself posts camelCase JSON; client libraries post a form.
      if (req.method === 'POST' && url.pathname === '/v1/token') {
        const get = (snake) => body[snake] ?? body[snake.replace(/_([a-z])/g, (_m, c) => c.toUpperCase())];
        if (get('grant_type') !== 'urn:ietf:params:oauth:grant-type:token-exchange')
          return oauthError(res, 400, 'unsupported_grant_type', `Unsupported grant type ${get('grant_type')}.`);
        if (get('requested_token_type') !== 'urn:ietf:params:oauth:token-type:access_token')
          return oauthError(res, 400, 'invalid_request', 'Invalid value for "requested_token_type".');
        if (get('subject_token_type') !== 'urn:ietf:params:oauth:token-type:jwt')
          return oauthError(res, 400, 'invalid_request', 'Invalid value for "subject_token_type".');
        if (
          !String(get('scope') ?? '')
            .split(/\s+/)
            .includes(CLOUD_PLATFORM)
        )
          return oauthError(res, 400, 'invalid_scope', 'Invalid scope.');
        if (get('audience') !== `//iam.googleapis.com/${PROVIDER}`)
          return oauthError(
            res,
            400,
            'invalid_target',
            'The target service indicated by the "audience" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn\'t exist.',
          );
        const verified = verifyJwt(get('subject_token'), () => issuer.publicKey);
        if (!verified.claims)
          return oauthError(res, 400, 'invalid_grant', `The ID Token issued is invalid: ${verified.reason}`);
        if (verified.claims.aud !== `https://iam.googleapis.com/${PROVIDER}`)
          return oauthError(
            res,
            400,
            'invalid_grant',
            `The audience in ID Token [${verified.claims.aud}] does not match the expected audience.`,
          );
        if (verified.claims.repository !== allowedRepository)
          return oauthError(
            res,
            400,
            'unauthorized_client',
            'The given credential is rejected by the attribute condition.',
          );
        const token = issue('fed');
        federated.set(
          token,
          `principal://iam.googleapis.com/${PROVIDER.replace(/\/providers\/.*/, '')}/subject/${verified.claims.sub}`,
        );
        return send(res, 200, {
          access_token: token,
          issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          token_type: 'Bearer',
          expires_in: lifetime,
        });
      }
      // IAM Credentials: a service account's token for a federated principal.
      const impersonate = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(url.pathname);
      if (req.method === 'POST' && impersonate) {
        if (!bearer || !federated.has(bearer))
          return rpcError(
            res,
            401,
            'UNAUTHENTICATED',
            'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
          );
        if (impersonationDenied)
          return rpcError(
            res,
            403,
            'PERMISSION_DENIED',
            `Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).`,
          );
        if (!Array.isArray(body.scope) || !body.scope.includes(CLOUD_PLATFORM))
          return rpcError(res, 400, 'INVALID_ARGUMENT', 'Scope required.');
        const seconds = Math.min(lifetime, Number(String(body.lifetime ?? '3600s').replace(/s$/, '')));
        return send(res, 200, {
          accessToken: issue('sa'),
          expireTime: new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
        });
      }
      // OAuth2 token endpoint: RFC 7523 JWT bearer grant with a service account key.
      if (req.method === 'POST' && url.pathname === '/token') {
        if (body.grant_type !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
          return oauthError(res, 400, 'unsupported_grant_type', 'Invalid grant_type.');
        const verified = verifyJwt(body.assertion, (header, claims) => {
          const key = header.kid
            ? keys.get(header.kid)
            : [...keys.values()].find((k) => k.email === claims.iss && !k.deleted);
          return key && !key.deleted && key.email === claims.iss ? key.publicKey : undefined;
        });
        if (!verified.claims) return oauthError(res, 400, 'invalid_grant', verified.reason);
        if (verified.claims.aud !== `${baseUrl}/token`)
          return oauthError(res, 400, 'invalid_grant', 'Invalid JWT: aud claim is not the token URL.');
        if (
          !String(verified.claims.scope ?? '')
            .split(/\s+/)
            .includes(CLOUD_PLATFORM)
        )
          return oauthError(res, 400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
        return send(res, 200, { access_token: issue('key'), expires_in: lifetime - 1, token_type: 'Bearer' });
      }
      return rpcError(res, 404, 'NOT_FOUND', `${req.method} ${url.pathname} is not part of this fake`);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;

  return {
    url: baseUrl,
    requestToken,
    calls,
    /** Every access token issued so far (federated and final). */
    issued,
    provider: PROVIDER,
    /**
     * Writes the external_account file google-github-actions/auth writes for Workload Identity
     * Federation (with `service_account:` → impersonation; without → direct federation). Returns its path.
     */
    writeExternalAccount(
      dir,
      { serviceAccount = 'deployer@acme-prod.iam.gserviceaccount.com', name = 'gha-creds-wif.json' } = {},
    ) {
      const request = new URL(`${baseUrl}/github/idtoken?api-version=2.0`);
      request.searchParams.set('audience', `https://iam.googleapis.com/${PROVIDER}`);
      const data = {
        type: 'external_account',
        audience: `//iam.googleapis.com/${PROVIDER}`,
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        token_url: `${baseUrl}/v1/token`,
        credential_source: {
          url: request.toString(),
          headers: { Authorization: `Bearer ${requestToken}` },
          format: { type: 'json', subject_token_field_name: 'value' },
        },
        ...(serviceAccount
          ? {
              service_account_impersonation_url: `${baseUrl}/v1/projects/-/serviceAccounts/${serviceAccount}:generateAccessToken`,
            }
          : {}),
      };
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify(data), { mode: 0o600 });
      return path;
    },
    /** Creates a key for a service account and writes its JSON key file (as the console downloads it). */
    writeServiceAccountKey(
      dir,
      { email = 'deployer@acme-prod.iam.gserviceaccount.com', name = 'gha-creds-key.json' } = {},
    ) {
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const id = randomBytes(20).toString('hex');
      keys.set(id, { email, publicKey: pair.publicKey, deleted: false });
      const data = {
        type: 'service_account',
        project_id: email.split('@')[1]?.split('.')[0],
        private_key_id: id,
        private_key: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        client_email: email,
        client_id: '1234567890',
        auth_uri: 'https://accounts.google.com/o/oauth2/auth',
        token_uri: `${baseUrl}/token`,
        universe_domain: 'googleapis.com',
      };
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify(data), { mode: 0o600 });
      return { path, keyId: id, privateKey: data.private_key };
    },
    /** The key was deleted in IAM: its JWTs get invalid_grant. */
    deleteKey(id) {
      const key = keys.get(id);
      if (key) key.deleted = true;
    },
    denyImpersonation(denied = true) {
      impersonationDenied = denied;
    },
    /** The provider's attribute condition admits only this repository. */
    allowRepository(name) {
      allowedRepository = name;
    },
    /** Tokens issued from now on last this long. */
    setLifetime(seconds) {
      lifetime = seconds;
    },
    /** The next `count` requests answer `status` (429 RESOURCE_EXHAUSTED or 503 UNAVAILABLE). */
    failNext(count, status = 503) {
      faults.push({ status, left: count });
    },
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections?.();
    },
  };
}
