// Google OAuth2 access tokens for the Cloud Run target, on core's request() rather than
// google-auth-library (about 930 KB bundled with gaxios, node-fetch and friends, for three POSTs):
// - a token handed in (google-github-actions/auth with token_format: access_token);
// - the credentials file that action writes (GOOGLE_APPLICATION_CREDENTIALS):
//   `external_account` (Workload Identity Federation): the subject token from credential_source (GitHub's
//   OIDC endpoint, or a file), exchanged at STS (RFC 8693 token exchange), then, when the file names a
//   service account, IAM Credentials generateAccessToken for it;
//   `service_account` (a key): a JWT signed with the key, exchanged by the OAuth2 JWT bearer grant (RFC 7523).
// Tokens from a file are refreshed before they expire, so a rollout longer than an hour keeps going.
// Every token, subject token and key is handed to `onSecret` (masking) before anything can print it.
import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  type Clock,
  formatDuration,
  type HttpRequest,
  type HttpResponse,
  type Logger,
  oneLine,
  PermanentError,
  retry,
  RETRYABLE_STATUSES,
  statusError,
  systemClock,
} from '@deploy-actions/core';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';
/** Refresh this long before a token expires (half way for a shorter-lived one). */
const REFRESH_MARGIN_MS = 5 * 60_000;
/** Token endpoints answering 429/5xx are retried for this long. */
const TOKEN_DEADLINE_MS = 60_000;

/** Where the API's bearer token comes from. */
export interface AccessTokenSource {
  /** A token that is valid now (cached until shortly before it expires). */
  token(signal?: AbortSignal): Promise<string>;
  /** Drops the cached token after the API rejected it; false when there is nothing to refresh (a token given as input). */
  invalidate(): boolean;
  /** The credential in a person's words, for errors: "the access token in input 'gcp-access-token'". */
  readonly credential: string;
  /** What to do when the API rejects it (401). */
  readonly fix: string;
}

/** A token given as it is: it cannot be refreshed. */
export function staticToken(token: string, input = 'gcp-access-token'): AccessTokenSource {
  return {
    token: async () => token,
    invalidate: () => false,
    credential: `the access token in input '${input}'`,
    fix: `it has expired (they last 1 hour) or was revoked: get a fresh one from google-github-actions/auth with token_format: access_token in the same job and pass it as ${input}`,
  };
}

interface ExternalAccount {
  type: 'external_account';
  audience: string;
  subject_token_type: string;
  token_url: string;
  service_account_impersonation_url?: string;
  service_account_impersonation?: { token_lifetime_seconds?: number };
  credential_source: {
    url?: string;
    file?: string;
    headers?: Record<string, string>;
    format?: { type?: 'json' | 'text'; subject_token_field_name?: string };
    environment_id?: string;
    executable?: unknown;
  };
}

interface ServiceAccountKey {
  type: 'service_account';
  client_email: string;
  private_key: string;
  private_key_id?: string;
  token_uri?: string;
}

export type GoogleCredentials = ExternalAccount | ServiceAccountKey;

export interface CredentialsFileOptions {
  /** The file's path, as GOOGLE_APPLICATION_CREDENTIALS names it. */
  path: string;
  /** The HTTP client (core's `request`). */
  http: (req: HttpRequest) => Promise<HttpResponse>;
  log: Logger;
  /** Registers a secret for masking (the action's SecretRegistry.add). */
  onSecret: (value: string) => void;
  clock?: Clock;
}

/** Reads and checks the credentials file; no network until the first token() call. */
export async function credentialsFileToken(o: CredentialsFileOptions): Promise<AccessTokenSource> {
  let text: string;
  try {
    text = await readFile(o.path, 'utf8');
  } catch (error) {
    throw new PermanentError(
      `cannot read the Google credentials file ${o.path} (GOOGLE_APPLICATION_CREDENTIALS): ${oneLine(error)}; run google-github-actions/auth earlier in this job, or pass gcp-access-token`,
    );
  }
  return new CredentialsFileSource(parseCredentials(text, o.path, o.onSecret), o);
}

/** Checks a credentials file's JSON (the two kinds google-github-actions/auth writes) and registers its secrets. */
export function parseCredentials(
  text: string,
  path: string,
  onSecret: (value: string) => void = () => {},
): GoogleCredentials {
  const bad = (problem: string) =>
    new PermanentError(`the Google credentials file ${path} (GOOGLE_APPLICATION_CREDENTIALS) ${problem}`);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw bad(
      'is not JSON; point GOOGLE_APPLICATION_CREDENTIALS at the file google-github-actions/auth wrote, or pass gcp-access-token',
    );
  }
  const field = (name: string, value: unknown = json[name]) => {
    if (typeof value !== 'string' || !value)
      throw bad(`has no ${name}; write it again with google-github-actions/auth`);
    return value;
  };
  if (json.type === 'service_account') {
    const key = field('private_key');
    onSecret(key);
    // The runner masks a value line by line as it appears in the log: register the key's lines too.
    for (const line of key.split('\n'))
      if (!line.startsWith('-----') && line.trim().length >= 16) onSecret(line.trim());
    try {
      createPrivateKey(key);
    } catch {
      throw bad('has a private_key that is not a PEM private key; create a new key for the service account');
    }
    return {
      type: 'service_account',
      client_email: field('client_email'),
      private_key: key,
      private_key_id: json.private_key_id as string | undefined,
      token_uri: (json.token_uri as string | undefined) || DEFAULT_TOKEN_URI,
    };
  }
  if (json.type === 'external_account') {
    const source = (json.credential_source ?? {}) as ExternalAccount['credential_source'];
    if (source.environment_id || source.executable)
      throw bad(
        'takes its subject token from an AWS environment or an executable, which this action does not run; use the file google-github-actions/auth writes',
      );
    if (!source.url && !source.file)
      throw bad('has no credential_source url or file; write it again with google-github-actions/auth');
    for (const value of Object.values(source.headers ?? {})) {
      onSecret(value);
      onSecret(value.replace(/^Bearer\s+/i, ''));
    }
    return {
      type: 'external_account',
      audience: field('audience'),
      subject_token_type: field('subject_token_type'),
      token_url: field('token_url'),
      service_account_impersonation_url: json.service_account_impersonation_url as string | undefined,
      service_account_impersonation:
        json.service_account_impersonation as ExternalAccount['service_account_impersonation'],
      credential_source: source,
    };
  }
  throw bad(
    `is of type '${String(json.type)}', not external_account (Workload Identity Federation) or service_account (a key)`,
  );
}

class CredentialsFileSource implements AccessTokenSource {
  readonly credential: string;
  readonly fix: string;
  private cached: { token: string; refreshAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private readonly clock: Clock;
  private readonly privateKey: KeyObject | undefined;

  constructor(
    private readonly c: GoogleCredentials,
    private readonly o: CredentialsFileOptions,
  ) {
    this.clock = o.clock ?? systemClock;
    const who =
      c.type === 'service_account'
        ? `service account key for ${c.client_email}`
        : `Workload Identity Federation${impersonated(c) ? ` as ${impersonated(c)}` : ''}`;
    this.credential = `the Google credentials file ${o.path} (GOOGLE_APPLICATION_CREDENTIALS: ${who})`;
    this.fix =
      c.type === 'service_account'
        ? 'the key was disabled or deleted, or its service account removed: create a new key (better: Workload Identity Federation)'
        : 'the federated identity lost access: check the workload identity provider and the service account bindings, then re-run google-github-actions/auth';
    this.privateKey = c.type === 'service_account' ? createPrivateKey(c.private_key) : undefined;
  }

  async token(signal?: AbortSignal): Promise<string> {
    if (this.cached && this.clock.now() < this.cached.refreshAt) return this.cached.token;
    // One refresh at a time, shared by concurrent callers.
    this.pending ??= this.fetch(signal).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  invalidate(): boolean {
    this.cached = undefined;
    return true;
  }

  private async fetch(signal: AbortSignal | undefined): Promise<string> {
    const started = this.clock.now();
    const { token, expiresAt } =
      this.c.type === 'service_account' ? await this.jwtBearer(this.c, signal) : await this.federate(this.c, signal);
    this.o.onSecret(token);
    const now = this.clock.now();
    // Refresh 5 minutes early, or half way for a short-lived token.
    this.cached = { token, refreshAt: expiresAt - Math.min(REFRESH_MARGIN_MS, (expiresAt - now) / 2) };
    this.o.log.info(
      `Google access token from ${this.o.path} (${this.c.type}), valid for ${formatDuration(expiresAt - this.clock.now())}, in ${formatDuration(this.clock.now() - started)}`,
    );
    return token;
  }

  /** RFC 7523: a JWT signed with the service account's key, exchanged at its token_uri. */
  private async jwtBearer(
    c: ServiceAccountKey,
    signal: AbortSignal | undefined,
  ): Promise<{ token: string; expiresAt: number }> {
    const iat = Math.floor(this.clock.now() / 1000);
    const assertion = signJwt(
      { alg: 'RS256', typ: 'JWT', ...(c.private_key_id ? { kid: c.private_key_id } : {}) },
      { iss: c.client_email, scope: CLOUD_PLATFORM_SCOPE, aud: c.token_uri, iat, exp: iat + 3600 },
      this.privateKey!,
    );
    const response = await this.post(
      c.token_uri!,
      form({ grant_type: JWT_BEARER_GRANT, assertion }),
      'form',
      undefined,
      'the OAuth2 token endpoint',
      this.fix,
      signal,
    );
    return { token: tokenField(response, 'access_token', c.token_uri!), expiresAt: this.expiry(response.expires_in) };
  }

  /** STS token exchange of the subject token, then impersonation of the service account when the file names one. */
  private async federate(
    c: ExternalAccount,
    signal: AbortSignal | undefined,
  ): Promise<{ token: string; expiresAt: number }> {
    const subject = await this.subjectToken(c, signal);
    this.o.onSecret(subject);
    const sts = await this.post(
      c.token_url,
      form({
        grant_type: TOKEN_EXCHANGE_GRANT,
        audience: c.audience,
        scope: CLOUD_PLATFORM_SCOPE,
        requested_token_type: ACCESS_TOKEN_TYPE,
        subject_token: subject,
        subject_token_type: c.subject_token_type,
      }),
      'form',
      undefined,
      'the STS token exchange',
      `check that the workload identity provider ${c.audience.replace(/^\/\/[^/]+\//, '')} exists and that its attribute condition admits this repository and workflow`,
      signal,
    );
    const federated = tokenField(sts, 'access_token', c.token_url);
    this.o.onSecret(federated);
    if (!c.service_account_impersonation_url) return { token: federated, expiresAt: this.expiry(sts.expires_in) };
    const account = impersonated(c);
    const lifetime = c.service_account_impersonation?.token_lifetime_seconds ?? 3600;
    const iam = await this.post(
      c.service_account_impersonation_url,
      JSON.stringify({ scope: [CLOUD_PLATFORM_SCOPE], lifetime: `${lifetime}s` }),
      'json',
      federated,
      `impersonation of ${account}`,
      `grant roles/iam.workloadIdentityUser on ${account} to the workload identity pool's principalSet for this repository`,
      signal,
    );
    const token = tokenField(iam, 'accessToken', c.service_account_impersonation_url);
    const expireTime = typeof iam.expireTime === 'string' ? Date.parse(iam.expireTime) : NaN;
    return { token, expiresAt: Number.isNaN(expireTime) ? this.expiry(lifetime) : expireTime };
  }

  /** The subject token: GitHub's OIDC endpoint with the request token (what the auth action writes), or a file. */
  private async subjectToken(c: ExternalAccount, signal: AbortSignal | undefined): Promise<string> {
    const source = c.credential_source;
    let raw: string;
    if (source.file) {
      try {
        raw = await readFile(source.file, 'utf8');
      } catch (error) {
        throw new PermanentError(
          `${this.credential}: cannot read its subject token file ${source.file}: ${oneLine(error)}`,
        );
      }
    } else {
      raw = await retry(
        async () => {
          const response = await this.o.http({
            url: source.url!,
            method: 'GET',
            headers: { accept: 'application/json', ...source.headers },
            signal,
            timeoutMs: 30_000,
          });
          if (response.status >= 200 && response.status < 300) return response.text();
          throw this.endpointError(
            response,
            'the OIDC token request',
            'the request token in the file is valid only in the job that wrote it: run google-github-actions/auth earlier in this same job, with permissions id-token: write',
          );
        },
        this.retryOptions('the OIDC token request', signal),
      );
    }
    if ((source.format?.type ?? 'text') === 'text') return raw.trim();
    const name = source.format?.subject_token_field_name ?? 'value';
    let value: unknown;
    try {
      value = (JSON.parse(raw) as Record<string, unknown>)[name];
    } catch {
      /* reported below */
    }
    if (typeof value !== 'string' || !value)
      throw new PermanentError(`${this.credential}: the subject token source answered without a '${name}' field`);
    return value;
  }

  private async post(
    url: string,
    body: string,
    kind: 'form' | 'json',
    bearer: string | undefined,
    what: string,
    fix: string,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, unknown>> {
    return retry(
      async () => {
        const response = await this.o.http({
          url,
          method: 'POST',
          body,
          signal,
          timeoutMs: 30_000,
          headers: {
            accept: 'application/json',
            'content-type': kind === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
            ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          },
        });
        if (response.status >= 200 && response.status < 300) return response.json() as Record<string, unknown>;
        throw this.endpointError(response, what, fix);
      },
      this.retryOptions(what, signal),
    );
  }

  private retryOptions(what: string, signal: AbortSignal | undefined) {
    return {
      timeoutMs: TOKEN_DEADLINE_MS,
      what,
      signal,
      clock: this.clock,
      onRetry: ({ error, delayMs }: { error: unknown; delayMs: number }) =>
        this.o.log.info(`${what}: ${oneLine(error)}; retrying in ${formatDuration(delayMs)}`),
      delayHint: (e: unknown) => (e as { retryAfterMs?: number }).retryAfterMs,
    };
  }

  /** OAuth2 errors ({error, error_description}) and google.rpc.Status ({error: {status, message}}), in one line. */
  private endpointError(response: HttpResponse, what: string, fix: string): Error {
    let detail = '';
    try {
      const body = response.json() as {
        error?: string | { status?: string; message?: string };
        error_description?: string;
      };
      detail =
        typeof body.error === 'string'
          ? `${body.error}${body.error_description ? `: ${body.error_description}` : ''}`
          : `${body.error?.status ?? ''}${body.error?.message ? `: ${body.error.message}` : ''}`;
    } catch {
      /* not JSON */
    }
    detail = `HTTP ${response.status}${detail ? ` ${detail}` : ''}`.replace(/\s+/g, ' ').slice(0, 400);
    if (RETRYABLE_STATUSES.has(response.status)) return statusError(response, `${what}: ${detail}`);
    return new PermanentError(`${this.credential} was refused by ${what} (${detail}); ${fix}`);
  }

  private expiry(expiresIn: unknown): number {
    const seconds = typeof expiresIn === 'number' ? expiresIn : Number(expiresIn);
    return this.clock.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds : 3600) * 1000;
  }
}

function impersonated(c: ExternalAccount): string | undefined {
  return c.service_account_impersonation_url
    ? (/serviceAccounts\/([^:/]+):generateAccessToken/.exec(c.service_account_impersonation_url)?.[1] ??
        c.service_account_impersonation_url)
    : undefined;
}

function tokenField(body: Record<string, unknown>, name: string, url: string): string {
  const value = body[name];
  if (typeof value !== 'string' || !value) throw new PermanentError(`${url} answered without ${name}`);
  return value;
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/** A compact JWS (RS256). */
export function signJwt(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  key: KeyObject | string,
): string {
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key).toString('base64url')}`;
}
