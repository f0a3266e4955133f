import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { DeadlineError, MemoryLogger, PermanentError, SecretRegistry } from '@deploy-actions/core';
import { startRegistry } from '../../../scripts/lib/services.mjs';
import { startFaultProxy } from '../../../test/fakes/registry-proxy.mjs';
import { startTokenServer } from '../../../test/fakes/token-server.mjs';
import { RegistryClient, parseChallenge } from '../src/oci/client';
import { retagByDigest } from '../src/oci/retag';
import { inspectImage } from '../src/oci/inspect';
import { pushTestImage, tagDigest } from './helpers';

type Registry = Awaited<ReturnType<typeof startRegistry>>;

describe('OCI client against a real registry (htpasswd, TLS)', () => {
  let registry: Registry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  const client = (overrides: Partial<ConstructorParameters<typeof RegistryClient>[0]> = {}) =>
    new RegistryClient({
      host: registry.host,
      credentials: { username: registry.username, password: registry.password },
      ca: registry.ca,
      secrets: new SecretRegistry(),
      log: new MemoryLogger(),
      initialDelayMs: 20,
      timeoutMs: 10_000,
      ...overrides,
    });

  test('re-tags by digest: same bytes under new tags, digest unchanged, labels read back', async () => {
    const digest = await pushTestImage(registry, 'acme/shop', 'build-1', {
      'org.opencontainers.image.revision': 'abc',
      team: 'shop',
    });
    const log = new MemoryLogger();
    const result = await retagByDigest(client(), 'acme/shop', digest, ['sha-abc', 'v1.0.0', 'latest'], log);
    expect(result.tagged).toEqual(['sha-abc', 'v1.0.0', 'latest']);
    for (const tag of ['sha-abc', 'v1.0.0', 'latest']) expect(await tagDigest(registry, 'acme/shop', tag)).toBe(digest);
    const details = await inspectImage(client(), 'acme/shop', digest);
    expect(details.labels).toEqual({ 'org.opencontainers.image.revision': 'abc', team: 'shop' });
    expect(details.platformDigests).toEqual({ 'linux/amd64': digest });
    expect(details.sizeBytes).toBeGreaterThan(100);
    // A second run finds the work done.
    expect((await retagByDigest(client(), 'acme/shop', digest, ['sha-abc', 'latest'], log)).unchanged).toEqual([
      'sha-abc',
      'latest',
    ]);
  });

  test('absent manifests and repositories are undefined / empty, not errors', async () => {
    expect(await client().findManifest('acme/nothing', 'v1')).toBeUndefined();
    expect(await client().listTags('acme/nothing')).toEqual([]);
  });

  test('wrong password: fails at once, naming the registry, with no retry', async () => {
    const log = new MemoryLogger();
    const error = await client({ credentials: { username: registry.username, password: 'wrong-password' }, log })
      .findManifest('acme/shop', 'latest')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toBe(
      `get manifest acme/shop:latest: ${registry.host} refused the credentials (HTTP 401); check the username and password or token and its scopes`,
    );
    expect(log.messages()).toEqual([]);
  });

  describe('faults between the client and the registry', () => {
    let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
    beforeAll(async () => {
      proxy = await startFaultProxy({ target: registry.url, key: registry.key, cert: registry.ca, ca: registry.ca });
    });
    afterAll(async () => {
      await proxy?.close();
    });
    const viaProxy = (log = new MemoryLogger()) => client({ host: proxy.host, log });

    test('503 twice then success: retried, and the tag lands', async () => {
      const digest = await pushTestImage(registry, 'acme/retry', 'build', { n: '1' });
      proxy.setRules([{ method: 'PUT', path: /manifests\/v2$/, status: 503, times: 2 }]);
      const log = new MemoryLogger();
      await retagByDigest(viaProxy(log), 'acme/retry', digest, ['v2'], log);
      expect(proxy.log.filter((e) => e.fault === '503')).toHaveLength(2);
      expect(log.messages().filter((m) => /retry \d/.test(m))).toHaveLength(2);
      expect(await tagDigest(registry, 'acme/retry', 'v2')).toBe(digest);
    });

    test('429 with Retry-After is honoured', async () => {
      const digest = await pushTestImage(registry, 'acme/throttle', 'build', { n: '1' });
      proxy.setRules([
        { method: 'GET', path: /manifests\/build$/, status: 429, times: 1, headers: { 'retry-after': '1' } },
      ]);
      const started = Date.now();
      expect((await viaProxy().getManifest('acme/throttle', 'build')).digest).toBe(digest);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    });

    test('401 from the registry: fails at once, nothing tagged', async () => {
      const digest = await pushTestImage(registry, 'acme/denied', 'build', { n: '1' });
      proxy.setRules([{ method: 'PUT', status: 401, headers: { 'www-authenticate': 'Basic realm="test-registry"' } }]);
      const error = await retagByDigest(viaProxy(), 'acme/denied', digest, ['v1', 'latest'], new MemoryLogger()).catch(
        (e: unknown) => e,
      );
      expect((error as Error).message).toMatch(
        /^tagging 127\.0\.0\.1:\d+\/acme\/denied with v1 failed: put manifest acme\/denied:v1: 127\.0\.0\.1:\d+ refused the credentials \(HTTP 401\).*No tag was changed\.$/,
      );
      expect(proxy.log.filter((e) => e.method === 'PUT' && e.path.includes('acme/denied'))).toHaveLength(2); // the first try and the one with credentials, no retry
      expect(await tagDigest(registry, 'acme/denied', 'v1')).toBeUndefined();
    });

    test('a dropped connection once is retried', async () => {
      const digest = await pushTestImage(registry, 'acme/drop-once', 'build', { n: '1' });
      proxy.setRules([{ method: 'PUT', drop: true, times: 1 }]);
      await retagByDigest(viaProxy(), 'acme/drop-once', digest, ['v1'], new MemoryLogger());
      expect(await tagDigest(registry, 'acme/drop-once', 'v1')).toBe(digest);
    });

    test('connections dropped for good: fails clearly, and the tags already moved go back', async () => {
      const old = await pushTestImage(registry, 'acme/drop', 'v1', { n: 'old' }, 'old');
      await pushTestImage(registry, 'acme/drop', 'latest', { n: 'old' }, 'old');
      const digest = await pushTestImage(registry, 'acme/drop', 'build', { n: 'new' }, 'new');
      // v1 moves first (it exists), latest fails every time.
      proxy.setRules([{ method: 'PUT', path: /manifests\/latest$/, drop: true, times: 50 }]);
      const client = new RegistryClient({
        host: proxy.host,
        credentials: { username: registry.username, password: registry.password },
        ca: registry.ca,
        secrets: new SecretRegistry(),
        log: new MemoryLogger(),
        initialDelayMs: 20,
        timeoutMs: 1_500,
      });
      const error = await retagByDigest(client, 'acme/drop', digest, ['v1', 'latest'], new MemoryLogger()).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PermanentError);
      expect((error as Error).cause).toBeInstanceOf(DeadlineError);
      expect((error as Error).message).toMatch(
        /with latest failed: put manifest acme\/drop:latest still failing after \d+ attempt\(s\).*ECONNRESET.*Rolled back v1 \(back to sha256:[0-9a-f]{64}\)\.$/,
      );
      expect(await tagDigest(registry, 'acme/drop', 'v1')).toBe(old);
      expect(await tagDigest(registry, 'acme/drop', 'latest')).toBe(old);
    });
  });
});

describe('Bearer token flow (a real registry trusting a token service)', () => {
  let registry: Registry;
  let tokens: Awaited<ReturnType<typeof startTokenServer>>;
  let pusher: Registry;
  beforeAll(async () => {
    // The token service is reachable over TLS with the registry's own kind of self-signed cert.
    pusher = await startRegistry();
    tokens = await startTokenServer({
      username: 'robot',
      password: 't0ken-user-pass',
      tls: { key: pusher.key, cert: pusher.ca },
    });
    registry = await startRegistry({
      token: { realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertBundle: tokens.certFile },
    });
  });
  afterAll(async () => {
    await registry?.stop();
    await tokens?.close();
    await pusher?.stop();
  });

  test('challenge answered with a scoped token; pull then push scopes', async () => {
    const secrets = new SecretRegistry();
    const client = new RegistryClient({
      host: registry.host,
      credentials: { username: 'robot', password: 't0ken-user-pass' },
      ca: `${registry.ca}\n${pusher.ca}`,
      secrets,
      log: new MemoryLogger(),
      initialDelayMs: 20,
    });
    expect(await client.findManifest('acme/api', 'latest')).toBeUndefined();
    const manifest = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] }),
    );
    const digest = await client.putManifest('acme/api', 'empty', {
      body: manifest,
      mediaType: 'application/vnd.oci.image.index.v1+json',
    });
    expect((await client.getManifest('acme/api', 'empty')).digest).toBe(digest);
    expect(tokens.requests).toEqual([
      { scope: 'repository:acme/api:pull', authorized: true },
      { scope: 'repository:acme/api:pull,push', authorized: true },
    ]);
    // Tokens are registered as secrets as soon as they arrive.
    expect(secrets.redact(JSON.stringify(tokens.requests))).toBe(JSON.stringify(tokens.requests));
  });

  test('a refused credential at the token service fails at once', async () => {
    const client = new RegistryClient({
      host: registry.host,
      credentials: { username: 'robot', password: 'nope' },
      ca: `${registry.ca}\n${pusher.ca}`,
      secrets: new SecretRegistry(),
      log: new MemoryLogger(),
    });
    await expect(client.findManifest('acme/api', 'latest')).rejects.toThrow(
      /token service of 127\.0\.0\.1:\d+ refused the credentials \(HTTP 401\)/,
    );
  });
});

test('parses auth challenges', () => {
  expect(parseChallenge('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:a/b:pull"')).toEqual({
    scheme: 'bearer',
    params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:a/b:pull' },
  });
  expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({
    scheme: 'basic',
    params: { realm: 'Registry Realm' },
  });
  expect(parseChallenge('Negotiate')).toBeUndefined();
});

describe('registry credentials go only to a token service the registry may name', () => {
  let registry: Registry;
  let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
  let foreign: Server;
  const foreignRequests: Array<{ url: string; authorization?: string }> = [];
  beforeAll(async () => {
    registry = await startRegistry();
    foreign = createServer((req, res) => {
      foreignRequests.push({ url: req.url ?? '', authorization: req.headers.authorization });
      res.end(JSON.stringify({ token: 'stolen' }));
    });
    await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', r));
    proxy = await startFaultProxy({ target: registry.url, key: registry.key, cert: registry.ca, ca: registry.ca });
  });
  afterAll(async () => {
    await proxy?.close();
    await new Promise((r) => foreign?.close(r));
    await registry?.stop();
  });
  const client = (tokenHosts?: string[]) =>
    new RegistryClient({
      host: proxy.host,
      credentials: { username: registry.username, password: registry.password },
      ca: registry.ca,
      tokenHosts,
      secrets: new SecretRegistry(),
      log: new MemoryLogger(),
      initialDelayMs: 20,
      timeoutMs: 5_000,
    });
  const challenge = (realm: string) => [
    { status: 401, times: 1, headers: { 'www-authenticate': `Bearer realm="${realm}",service="evil"` } },
  ];

  test('a plain-http realm on another port of the same host gets nothing', async () => {
    const port = (foreign.address() as AddressInfo).port;
    proxy.setRules(challenge(`http://127.0.0.1:${port}/token`));
    await expect(client().findManifest('acme/x', 'v1')).rejects.toThrow(
      /sends clients to the token service http:\/\/127\.0\.0\.1:\d+, over plain http; the registry credentials were not sent there/,
    );
    expect(foreignRequests).toEqual([]);
  });

  test('an https realm on another host gets nothing unless that host is allowed', async () => {
    proxy.setRules(challenge('https://localhost:1/token'));
    await expect(client().findManifest('acme/x', 'v1')).rejects.toThrow(
      /token service https:\/\/localhost:1, another host; .*allow its host with `registry-token-hosts`/,
    );
    // Allowed by the user: the token request goes there with the credentials.
    const allowed = createHttpsServer({ key: registry.key, cert: registry.ca }, (req, res) => {
      foreignRequests.push({ url: req.url ?? '', authorization: req.headers.authorization });
      res.end(JSON.stringify({ token: 'issued' }));
    });
    await new Promise<void>((r) => allowed.listen(0, '127.0.0.1', r));
    try {
      proxy.setRules(challenge(`https://localhost:${(allowed.address() as AddressInfo).port}/token`));
      // The registry refuses the fake token, which is beside the point: the request went there.
      await expect(client(['localhost']).findManifest('acme/x', 'v1')).rejects.toThrow(/refused the credentials/);
      expect(foreignRequests).toHaveLength(1);
      expect(foreignRequests[0]!.authorization).toMatch(/^Basic /);
    } finally {
      await new Promise((r) => allowed.close(r));
    }
  });
});
