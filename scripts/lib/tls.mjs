// Self-signed certificates made with openssl, for the servers the tests and the demo start over TLS
// (docker-registry, HTTPS test servers) and for signing (the registry token service's JWTs).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A self-signed RSA 2048 certificate and its unencrypted key, written as cert.pem and key.pem into
 * `dir` (a new temp directory when not given; the caller removes it). By default it serves
 * 127.0.0.1 and localhost; a signing certificate passes its own `commonName` and no `altNames`.
 * @param {{ dir?: string, validDays?: number, commonName?: string, altNames?: string[] }} [options]
 * @returns {{ dir: string, key: string, cert: string, keyFile: string, certFile: string }}
 */
export function selfSignedCert({
  dir = mkdtempSync(join(tmpdir(), 'cert-')),
  validDays = 2,
  commonName = '127.0.0.1',
  altNames = ['IP:127.0.0.1', 'DNS:localhost'],
} = {}) {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      String(validDays),
      '-subj',
      `/CN=${commonName}`,
      ...(altNames.length > 0 ? ['-addext', `subjectAltName=${altNames.join(',')}`] : []),
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'pipe' },
  );
  return { dir, key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), keyFile, certFile };
}
