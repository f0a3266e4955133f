// The part of a kubeconfig a deploy needs: the server, how to trust it, and who we are. Covers what
// the clouds' login steps write: a bearer token (AKS, kind), client certificates (kubeadm, k3s),
// and exec credential plugins (aws eks get-token, gke-gcloud-auth-plugin, kubelogin).
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import { execChecked, oneLine, PermanentError } from '@deploy-actions/core';

export interface ClusterAccess {
  server: string;
  /** The context's namespace, when it names one. */
  namespace?: string;
  ca?: Buffer;
  insecure: boolean;
  cert?: Buffer;
  key?: Buffer;
  /** A bearer token (static, from a file, or from an exec plugin). */
  token?: string;
  /** When an exec plugin's token expires (epoch ms), if the plugin said. */
  tokenExpiresAt?: number;
  /**
   * Runs the exec credential plugin again. Its tokens are short-lived (EKS's last 15 minutes) and a
   * rollout can outlast one, so the target asks for a fresh one before expiry and on a 401, as kubectl does.
   */
  refreshToken?: () => Promise<{ token: string; expiresAt?: number }>;
  basic?: { username: string; password: string };
}

interface Named<T> {
  name: string;
  [key: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}
interface KubeConfig {
  'current-context'?: string;
  clusters?: Array<Named<Record<string, string | boolean | undefined>>>;
  users?: Array<Named<Record<string, unknown>>>;
  contexts?: Array<Named<{ cluster?: string; user?: string; namespace?: string }>>;
}

/** One kubeconfig file's text, and where it came from (for its relative file references). */
export interface KubeconfigFile {
  text: string;
  path?: string;
}

/**
 * Resolves a kubeconfig to one cluster's access. Several files (KUBECONFIG=a:b) merge as kubectl
 * merges them: the first file to name a cluster, user or context, or to set current-context, wins;
 * each entry's relative paths are relative to its own file. `context` overrides current-context.
 */
export async function loadKubeconfig(
  input: string | KubeconfigFile[],
  options: { path?: string; context?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ClusterAccess> {
  const files = typeof input === 'string' ? [{ text: input, path: options.path }] : input;
  type Entry<T> = { value: T; base: string };
  const clusters = new Map<string, Entry<Record<string, string | boolean | undefined>>>();
  const users = new Map<string, Entry<Record<string, unknown>>>();
  const contexts = new Map<string, Entry<{ cluster?: string; user?: string; namespace?: string }>>();
  let current: string | undefined;
  for (const f of files) {
    let config: KubeConfig;
    try {
      config = (parse(f.text) ?? {}) as KubeConfig;
    } catch (error) {
      // Only the first line (what and where): the YAML parser's excerpt quotes the file, credentials included.
      const where = ((error as Error).message ?? '').split('\n')[0]!.replace(/:\s*$/, '');
      throw new PermanentError(`the kubeconfig${f.path ? ` ${f.path}` : ''} is not valid YAML: ${where}`);
    }
    const base = f.path ? dirname(f.path) : process.cwd();
    current ||= config['current-context'] || undefined;
    for (const c of config.clusters ?? [])
      if (!clusters.has(c.name)) clusters.set(c.name, { value: c.cluster ?? {}, base });
    for (const u of config.users ?? [])
      if (!users.has(u.name)) users.set(u.name, { value: (u.user ?? {}) as Record<string, unknown>, base });
    for (const c of config.contexts ?? [])
      if (!contexts.has(c.name)) contexts.set(c.name, { value: c.context ?? {}, base });
  }
  const contextName = options.context ?? current;
  if (!contextName)
    throw new PermanentError('the kubeconfig has no current-context; name one with `kubernetes-context`');
  const context = contexts.get(contextName)?.value;
  if (!context)
    throw new PermanentError(
      `the kubeconfig has no context '${contextName}' (it has ${[...contexts.keys()].join(', ') || 'none'})`,
    );
  const clusterEntry = clusters.get(context.cluster ?? '');
  const cluster = clusterEntry?.value;
  if (!cluster?.server)
    throw new PermanentError(
      `the kubeconfig's context '${contextName}' names cluster '${context.cluster}', which has no server`,
    );
  const userEntry = users.get(context.user ?? '');
  const user = userEntry?.value ?? {};
  const file = (p: unknown, base = process.cwd()) =>
    readFile(isAbsolute(String(p)) ? String(p) : resolve(base, String(p)));
  const data = async (inline: unknown, path: unknown, base: string | undefined) =>
    inline ? Buffer.from(String(inline), 'base64') : path ? file(path, base) : undefined;

  const access: ClusterAccess = {
    server: String(cluster.server).replace(/\/$/, ''),
    namespace: context.namespace,
    ca: await data(cluster['certificate-authority-data'], cluster['certificate-authority'], clusterEntry?.base),
    insecure: cluster['insecure-skip-tls-verify'] === true,
    cert: await data(user['client-certificate-data'], user['client-certificate'], userEntry?.base),
    key: await data(user['client-key-data'], user['client-key'], userEntry?.base),
  };
  if (typeof user.token === 'string') access.token = user.token;
  else if (user.tokenFile) access.token = (await file(user.tokenFile, userEntry?.base)).toString('utf8').trim();
  else if (user.exec) {
    const refresh = () => execToken(user.exec as ExecConfig, options.env ?? process.env);
    const first = await refresh();
    Object.assign(access, { token: first.token, tokenExpiresAt: first.expiresAt, refreshToken: refresh });
  } else if (user.username && user.password)
    access.basic = { username: String(user.username), password: String(user.password) };
  if (!access.token && !access.cert && !access.basic)
    throw new PermanentError(
      `the kubeconfig's user '${context.user}' has no token, client certificate or exec plugin this action can use`,
    );
  return access;
}

interface ExecConfig {
  command: string;
  args?: string[];
  env?: Array<{ name: string; value: string }> | null;
}

/** Runs a client-go credential plugin and reads the ExecCredential it prints. */
async function execToken(exec: ExecConfig, env: NodeJS.ProcessEnv): Promise<{ token: string; expiresAt?: number }> {
  const extra = Object.fromEntries((exec.env ?? []).map((e) => [e.name, e.value]));
  let stdout: string;
  try {
    ({ stdout } = await execChecked(exec.command, exec.args ?? [], {
      env: {
        ...env,
        ...extra,
        KUBERNETES_EXEC_INFO: JSON.stringify({
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          kind: 'ExecCredential',
          spec: { interactive: false },
        }),
      },
      timeoutMs: 60_000,
    }));
  } catch (error) {
    throw new PermanentError(`the kubeconfig's credential plugin '${exec.command}' failed: ${oneLine(error)}`, {
      cause: error,
    });
  }
  let status: { token?: string; expirationTimestamp?: string } | undefined;
  try {
    status = (JSON.parse(stdout) as { status?: typeof status }).status;
  } catch {
    throw new PermanentError(
      `the kubeconfig's credential plugin '${exec.command}' did not print an ExecCredential (JSON)`,
    );
  }
  if (!status?.token)
    throw new PermanentError(
      `the kubeconfig's credential plugin '${exec.command}' printed no status.token (client certificates from plugins are not supported)`,
    );
  const expiresAt = status.expirationTimestamp ? Date.parse(status.expirationTimestamp) : NaN;
  return { token: status.token, expiresAt: Number.isNaN(expiresAt) ? undefined : expiresAt };
}
