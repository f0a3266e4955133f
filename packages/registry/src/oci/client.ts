import { createHash } from 'node:crypto';
import {
  type Clock,
  HttpError,
  type HttpRequest,
  type HttpResponse,
  type Logger,
  PermanentError,
  type SecretRegistry,
  isTransient,
  oneLine,
  request,
  retry,
  statusError,
} from '@deploy-actions/core';

/** Every manifest type a re-tag must carry over byte for byte. */
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export interface Credentials {
  username: string;
  password: string;
}

export interface RegistryClientOptions {
  /** host[:port] to talk to. */
  host: string;
  credentials?: Credentials;
  /** Extra CA certificates (PEM) to trust, for registries with a private CA. */
  ca?: string;
  /** Plain HTTP (a local registry without TLS). */
  plainHttp?: boolean;
  /**
   * Hosts besides the registry's own whose https token service may receive the credentials in the
   * Bearer flow (a registry whose realm lives elsewhere). Docker Hub's auth.docker.io is always allowed.
   */
  tokenHosts?: readonly string[];
  /** Deadline for one operation with its retries. */
  timeoutMs?: number;
  initialDelayMs?: number;
  /** Per-request deadline. */
  requestTimeoutMs?: number;
  secrets: SecretRegistry;
  log: Logger;
  clock?: Clock;
  signal?: AbortSignal;
}

export interface Manifest {
  digest: string;
  mediaType: string;
  body: Buffer;
}

type Action = 'pull' | 'push' | 'delete';

interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

export function sha256Digest(body: Buffer | string): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

/** Parses `Bearer realm="...",service="...",scope="..."` (and Basic) challenges. */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/.exec(header);
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase();
  if (scheme !== 'basic' && scheme !== 'bearer') return undefined;
  const params: Record<string, string> = {};
  for (const p of m[2]!.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) params[p[1]!.toLowerCase()] = p[2] ?? p[3] ?? '';
  return { scheme, params };
}

/**
 * A client for the OCI distribution API: manifests and blobs, with the registry's auth challenge
 * answered (Basic, or the Bearer token flow against the realm it names) and transient failures
 * (429, 5xx, resets) retried with backoff inside a deadline. A refused credential fails at once.
 */
export class RegistryClient {
  private readonly base: string;
  /** Authorization header per repository scope, once a challenge has been answered. */
  private readonly authorization = new Map<string, string>();

  constructor(private readonly options: RegistryClientOptions) {
    this.base = `${options.plainHttp ? 'http' : 'https'}://${options.host}`;
    if (options.credentials) options.secrets.addBasicAuth(options.credentials.username, options.credentials.password);
  }

  get host(): string {
    return this.options.host;
  }

  /** The manifest under a tag or digest, or undefined when the registry has none. */
  async findManifest(repository: string, reference: string): Promise<Manifest | undefined> {
    const res = await this.send(
      repository,
      ['pull'],
      { method: 'GET', path: `manifests/${reference}`, headers: { accept: MANIFEST_TYPES.join(', ') } },
      `get manifest ${repository}:${reference}`,
      [404],
    );
    if (res.status === 404) return undefined;
    const mediaType = (res.headers['content-type'] ?? '').split(';')[0]!.trim();
    const digest = sha256Digest(res.body);
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new PermanentError(
        `manifest ${repository}@${reference}: the registry returned content with digest ${digest}`,
      );
    }
    return {
      digest,
      mediaType: mediaType || (JSON.parse(res.text()) as { mediaType?: string }).mediaType || MANIFEST_TYPES[1]!,
      body: res.body,
    };
  }

  async getManifest(repository: string, reference: string): Promise<Manifest> {
    const manifest = await this.findManifest(repository, reference);
    if (!manifest) throw new PermanentError(`manifest ${repository}:${reference} not found in ${this.options.host}`);
    return manifest;
  }

  /** Stores a manifest under a tag; the bytes are sent as they are, so the digest does not change. */
  async putManifest(repository: string, tag: string, manifest: Pick<Manifest, 'body' | 'mediaType'>): Promise<string> {
    const res = await this.send(
      repository,
      ['pull', 'push'],
      {
        method: 'PUT',
        path: `manifests/${tag}`,
        headers: { 'content-type': manifest.mediaType },
        body: manifest.body,
      },
      `put manifest ${repository}:${tag}`,
    );
    const expected = sha256Digest(manifest.body);
    const reported = res.headers['docker-content-digest'];
    if (reported && reported !== expected)
      throw new PermanentError(
        `put manifest ${repository}:${tag}: registry reports digest ${reported}, expected ${expected}`,
      );
    return expected;
  }

  /** Removes a tag where the registry supports it (distribution 3, most clouds); false when it does not. */
  async deleteTag(repository: string, tag: string): Promise<boolean> {
    const res = await this.send(
      repository,
      ['delete'],
      { method: 'DELETE', path: `manifests/${tag}` },
      `delete tag ${repository}:${tag}`,
      [400, 404, 405],
    );
    return res.status === 202 || res.status === 200;
  }

  async getBlob(repository: string, digest: string): Promise<Buffer> {
    const res = await this.send(
      repository,
      ['pull'],
      { method: 'GET', path: `blobs/${digest}`, maxRedirects: 3 },
      `get blob ${repository}@${digest}`,
    );
    if (sha256Digest(res.body) !== digest)
      throw new PermanentError(`blob ${repository}@${digest}: content does not match its digest`);
    return res.body;
  }

  /** All tags of a repository (paged through the Link header, at most 100 pages). */
  async listTags(repository: string): Promise<string[]> {
    const tags: string[] = [];
    let path: string | undefined = 'tags/list?n=1000';
    for (let page = 0; path && page < 100; page++) {
      const res = await this.send(repository, ['pull'], { method: 'GET', path }, `list tags of ${repository}`, [404]);
      if (res.status === 404) return [];
      tags.push(...((res.json() as { tags?: string[] | null }).tags ?? []));
      const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(res.headers.link ?? '')?.[1];
      path = next ? next.replace(/^.*\/v2\/.+?\/tags\//, 'tags/') : undefined;
    }
    return tags;
  }

  private async send(
    repository: string,
    actions: Action[],
    req: { method: string; path: string; headers?: Record<string, string>; body?: Buffer; maxRedirects?: number },
    what: string,
    okStatuses: number[] = [],
  ): Promise<HttpResponse> {
    const url = `${this.base}/v2/${repository}/${req.path}`;
    const scope = `repository:${repository}:${actions.join(',')}`;
    return retry(
      async () => {
        let res = await this.raw({
          url,
          method: req.method,
          headers: this.withAuth(scope, req.headers),
          body: req.body,
          maxRedirects: req.maxRedirects,
        });
        if (res.status === 401) {
          await this.answerChallenge(res, scope, what);
          res = await this.raw({
            url,
            method: req.method,
            headers: this.withAuth(scope, req.headers),
            body: req.body,
            maxRedirects: req.maxRedirects,
          });
          if (res.status === 401)
            throw new PermanentError(
              `${what}: ${this.options.host} refused the credentials (HTTP 401); check the username and password or token and its scopes`,
            );
        }
        if (res.status === 403)
          throw new PermanentError(
            `${what}: ${this.options.host} denied access (HTTP 403); the credentials lack ${actions.join('/')} permission on ${repository}`,
          );
        if ((res.status >= 200 && res.status < 300) || okStatuses.includes(res.status)) return res;
        throw statusError(res, what);
      },
      {
        timeoutMs: this.options.timeoutMs ?? 120_000,
        initialDelayMs: this.options.initialDelayMs ?? 500,
        maxDelayMs: 10_000,
        isRetryable: isTransient,
        delayHint: (e) => (e instanceof HttpError ? e.retryAfterMs : undefined),
        onRetry: ({ attempt, error, delayMs }) =>
          this.options.log.info(`${what}: ${oneLine(error)}; retry ${attempt} in ${Math.round(delayMs)}ms`),
        signal: this.options.signal,
        clock: this.options.clock,
        what,
      },
    );
  }

  private raw(req: Omit<HttpRequest, 'timeoutMs' | 'ca' | 'signal'>): Promise<HttpResponse> {
    return request({
      ...req,
      timeoutMs: this.options.requestTimeoutMs ?? 60_000,
      ca: this.options.ca,
      signal: this.options.signal,
    });
  }

  private withAuth(scope: string, headers: Record<string, string> = {}): Record<string, string> {
    const auth = this.authorization.get(scope) ?? this.authorization.get('*');
    return auth ? { ...headers, authorization: auth } : headers;
  }

  /**
   * Credentials go only to a token service the user can be taken to trust: https (or the registry's
   * own plain-http host when the registry itself is plain http) on the registry's host, Docker Hub's
   * auth.docker.io, or a host the user allowed. Anything else is a registry sending them elsewhere.
   */
  private checkTokenRealm(realm: URL, what: string): void {
    const registryHost = new URL(this.base).hostname;
    const sameHost = realm.hostname === registryHost;
    const allowedHost =
      sameHost ||
      (this.options.tokenHosts ?? []).includes(realm.hostname) ||
      (registryHost === 'registry-1.docker.io' && realm.hostname === 'auth.docker.io');
    const allowedScheme =
      realm.protocol === 'https:' || (sameHost && this.options.plainHttp && realm.protocol === 'http:');
    if (allowedHost && allowedScheme) return;
    throw new PermanentError(
      `${what}: ${this.options.host} sends clients to the token service ${realm.protocol}//${realm.host}, ` +
        `${allowedScheme ? 'another host' : 'over plain http'}; the registry credentials were not sent there. ` +
        (allowedScheme
          ? `If that service belongs to the registry, allow its host with \`registry-token-hosts\``
          : 'A token service must use https'),
    );
  }

  private async answerChallenge(res: HttpResponse, scope: string, what: string): Promise<void> {
    const challenge = parseChallenge(res.headers['www-authenticate']);
    const creds = this.options.credentials;
    if (!challenge) throw new PermanentError(`${what}: HTTP 401 without an auth challenge from ${this.options.host}`);
    if (challenge.scheme === 'basic') {
      if (!creds)
        throw new PermanentError(`${what}: ${this.options.host} needs credentials; set them for this registry`);
      this.authorization.set('*', `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`);
      return;
    }
    const realm = challenge.params.realm;
    if (!realm) throw new PermanentError(`${what}: Bearer challenge from ${this.options.host} names no realm`);
    let tokenUrl: URL;
    try {
      tokenUrl = new URL(realm);
    } catch {
      throw new PermanentError(`${what}: Bearer challenge from ${this.options.host} names a realm that is not a URL`);
    }
    if (creds) this.checkTokenRealm(tokenUrl, what);
    if (challenge.params.service) tokenUrl.searchParams.set('service', challenge.params.service);
    tokenUrl.searchParams.set('scope', scope);
    const headers: Record<string, string> = creds
      ? { authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` }
      : {};
    const tokenRes = await this.raw({ url: tokenUrl.toString(), method: 'GET', headers });
    if (tokenRes.status === 401 || tokenRes.status === 403) {
      throw new PermanentError(
        `${what}: the token service of ${this.options.host} refused the credentials (HTTP ${tokenRes.status})`,
      );
    }
    if (tokenRes.status !== 200)
      throw statusError(tokenRes, `${what}: token from ${tokenUrl.origin}${tokenUrl.pathname}`);
    const body = tokenRes.json() as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new PermanentError(`${what}: the token service of ${this.options.host} returned no token`);
    this.options.secrets.add(token);
    this.authorization.set(scope, `Bearer ${token}`);
  }
}
