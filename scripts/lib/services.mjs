// Starts the real servers the tests and the demo use, each on a free loopback port in its own temp
// directory, and stops them again. Every start returns { ..., stop() }; stop() is safe to call twice.
// The Debian packages they need are installed by scripts/setup.sh.
import { spawn, execFileSync } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { chownSync, mkdtempSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selfSignedCert } from './tls.mjs';

/** @returns {Promise<number>} a port that was free a moment ago on 127.0.0.1 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on host:port, or rejects after timeoutMs. */
export async function waitForPort(port, { host = '127.0.0.1', timeoutMs = 20_000, what = `port ${port}`, alive } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const socket = connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (alive && !alive()) throw new Error(`${what} exited before it was ready`);
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs}ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A temp directory removed by the returned cleanup; owned by `owner` when given (postgres won't run as root). */
export function tempDir(prefix, owner) {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  if (owner && process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', owner]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', owner]).toString().trim());
    chownSync(dir, uid, gid);
  }
  return dir;
}

/**
 * Starts a long-running program and returns a handle that stops it (SIGTERM, then SIGKILL).
 * Output goes to <dir>/<name>.log so a failing test can show it.
 */
export function startProcess(name, command, args, { dir, env, user } = {}) {
  const logFile = join(dir, `${name}.log`);
  writeFileSync(logFile, '');
  const [cmd, argv] =
    user && process.getuid?.() === 0 ? ['runuser', ['-u', user, '--', command, ...args]] : [command, args];
  const child = spawn(cmd, argv, {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const append = (chunk) => {
    try {
      writeFileSync(logFile, chunk, { flag: 'a' });
    } catch {
      /* dir removed */
    }
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  let exited = false;
  const exitedPromise = new Promise((resolve) =>
    child.on('close', () => {
      exited = true;
      resolve(undefined);
    }),
  );
  child.on('error', (error) => append(`spawn failed: ${error.message}\n`));
  return {
    child,
    logFile,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    alive: () => !exited,
    async stop() {
      if (exited) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 5000);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}

function postgresBin(tool) {
  for (const version of ['17', '16', '15']) {
    const path = `/usr/lib/postgresql/${version}/bin/${tool}`;
    if (existsSync(path)) return path;
  }
  return tool;
}

/**
 * A throwaway PostgreSQL cluster on a free port (trust auth on loopback, plus a password user).
 * @returns {Promise<{ url: string, adminUrl: string, host: string, port: number, user: string, password: string, database: string, dir: string, log: () => string, stop: () => Promise<void> }>}
 */
export async function startPostgres({ user = 'app', password = 's3cret-pg-pass', database = 'app' } = {}) {
  const dir = tempDir('pg', 'postgres');
  const data = join(dir, 'data');
  const run = (args) =>
    execFileSync(
      process.getuid?.() === 0 ? 'runuser' : args[0],
      process.getuid?.() === 0 ? ['-u', 'postgres', '--', ...args] : args.slice(1),
      { stdio: 'pipe' },
    );
  run([
    postgresBin('initdb'),
    '-D',
    data,
    '-U',
    'postgres',
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  writeFileSync(
    join(data, 'pg_hba.conf'),
    'local all all trust\nhost all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n',
  );
  const port = await freePort();
  const server = startProcess(
    'postgres',
    postgresBin('postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
    ],
    { dir, user: 'postgres' },
  );
  await waitForPort(port, { what: 'postgres', alive: server.alive, timeoutMs: 30_000 });
  // The port opens a moment before the server accepts logins; psql retries until it does.
  const psql = (sql, db = 'postgres') =>
    run([
      postgresBin('psql'),
      '-h',
      dir,
      '-p',
      String(port),
      '-U',
      'postgres',
      '-d',
      db,
      '-v',
      'ON_ERROR_STOP=1',
      '-qc',
      sql,
    ]);
  for (let i = 0; ; i++) {
    try {
      psql('select 1');
      break;
    } catch (error) {
      if (i > 100) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  psql(`create role ${user} login password '${password}' createdb`);
  psql(`create database ${database} owner ${user}`);
  return {
    url: `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    adminUrl: `postgres://postgres@127.0.0.1:${port}/${database}`,
    host: '127.0.0.1',
    port,
    user,
    password,
    database,
    dir,
    log: server.log,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The CNCF distribution registry (Debian's docker-registry) with htpasswd auth and TLS from a
 * self-signed certificate made here. Returns the CA (and its key, for a proxy that must present
 * the same certificate) so clients can trust it. With `token`, the registry trusts tokens from that
 * token service instead of htpasswd (the Bearer flow of Docker Hub and GHCR).
 * @param {{ username?: string, password?: string, tls?: boolean, token?: { realm: string, service: string, issuer: string, rootCertBundle: string } }} [options]
 * @returns {Promise<{ host: string, port: number, url: string, username: string, password: string, caFile: string, ca: string, key: string, dir: string, log: () => string, stop: () => Promise<void> }>}
 */
export async function startRegistry({ username = 'ci', password = 'r3gistry-pass', tls = true, token } = {}) {
  const dir = tempDir('registry');
  const port = await freePort();
  execFileSync('htpasswd', ['-Bbc', join(dir, 'htpasswd'), username, password], { stdio: 'pipe' });
  const cert = tls ? selfSignedCert({ dir }) : undefined;
  const tlsConfig = cert ? `  tls:\n    certificate: ${cert.certFile}\n    key: ${cert.keyFile}\n` : '';
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: ${join(dir, 'data')}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:${port}
${tlsConfig}auth:
${
  token
    ? `  token:\n    realm: ${token.realm}\n    service: ${token.service}\n    issuer: ${token.issuer}\n    rootcertbundle: ${token.rootCertBundle}\n`
    : `  htpasswd:\n    realm: test-registry\n    path: ${join(dir, 'htpasswd')}\n`
}`,
  );
  const server = startProcess('registry', 'docker-registry', ['serve', join(dir, 'config.yml')], { dir });
  await waitForPort(port, { what: 'docker-registry', alive: server.alive });
  return {
    host: `127.0.0.1:${port}`,
    port,
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    username,
    password,
    caFile: cert?.certFile ?? '',
    ca: cert?.cert ?? '',
    key: cert?.key ?? '',
    dir,
    log: server.log,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The fixture service (test/fixtures/app.mjs) on a free port. setKnobs changes its error rate or
 * latency while it runs. `port` starts it again where a stopped one listened.
 * @param {{ version?: string, errorRate?: number, latencyMs?: number, readyAfterMs?: number, port?: number }} [options]
 * @returns {Promise<{ url: string, port: number, pid: number, version: string, setKnobs: (k: {errorRate?: number, latencyMs?: number, slowRate?: number, slowMs?: number}) => Promise<void>, log: () => string, stop: () => Promise<void> }>}
 */
export async function startFixtureApp({ version = 'v1', errorRate = 0, latencyMs = 0, readyAfterMs = 0, port } = {}) {
  const dir = tempDir(`app-${version}`);
  const appPort = port ?? (await freePort());
  const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'app.mjs');
  const server = startProcess(
    'app',
    process.execPath,
    [
      script,
      '--port',
      String(appPort),
      '--version',
      version,
      '--error-rate',
      String(errorRate),
      '--latency-ms',
      String(latencyMs),
      '--ready-after-ms',
      String(readyAfterMs),
    ],
    { dir },
  );
  await waitForPort(appPort, { what: `fixture app ${version}`, alive: server.alive });
  const url = `http://127.0.0.1:${appPort}`;
  return {
    url,
    port: appPort,
    pid: server.child.pid,
    version,
    log: server.log,
    async setKnobs(knobs) {
      const res = await fetch(`${url}/admin/knobs`, { method: 'POST', body: JSON.stringify(knobs) });
      if (!res.ok) throw new Error(`setKnobs: HTTP ${res.status}`);
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Prometheus 2.x scraping the given targets every scrapeIntervalMs, with labels per target
 * (e.g. { track: 'canary' }) so queries can tell canary from baseline. Waits until each target was
 * scraped once, and answered unless `allUp` is false (the demo's empty second slot).
 * @param {{ targets: Array<{ address: string, labels?: Record<string,string> }>, scrapeIntervalMs?: number, allUp?: boolean }} options
 * @returns {Promise<{ url: string, port: number, log: () => string, stop: () => Promise<void> }>}
 */
export async function startPrometheus({ targets, scrapeIntervalMs = 1000, allUp = true }) {
  const dir = tempDir('prometheus');
  const port = await freePort();
  const interval = `${Math.max(1, Math.round(scrapeIntervalMs))}ms`;
  const staticConfigs = targets
    .map((t) => `      - targets: ['${t.address}']\n        labels: ${JSON.stringify(t.labels ?? {})}`)
    .join('\n');
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:
  scrape_interval: ${interval}
  evaluation_interval: ${interval}
scrape_configs:
  - job_name: app
    scrape_interval: ${interval}
    scrape_timeout: ${interval}
    static_configs:
${staticConfigs}
`,
  );
  const server = startProcess(
    'prometheus',
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
      '--storage.tsdb.retention.time=1h',
    ],
    { dir },
  );
  await waitForPort(port, { what: 'prometheus', alive: server.alive, timeoutMs: 30_000 });
  const url = `http://127.0.0.1:${port}`;
  // Prometheus hands new targets to its scrapers only every 5 s; wait until each has been scraped.
  for (let i = 0; ; i++) {
    const body = await fetch(`${url}/api/v1/targets`).then(
      (r) => (r.ok ? r.json() : undefined),
      () => undefined,
    );
    const active = body?.data?.activeTargets ?? [];
    if (active.length === targets.length && active.every((t) => (allUp ? t.health === 'up' : t.health !== 'unknown')))
      break;
    if (i > 300)
      throw new Error(
        `prometheus targets not up: ${JSON.stringify(active.map((t) => [t.scrapeUrl, t.health, t.lastError]))} ${server.log().slice(-500)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    log: server.log,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One command (or several joined by ";") on HAProxy's runtime API at a unix socket.
 * @param {string} socket
 * @param {string} command
 * @returns {Promise<string>} everything HAProxy answered before it closed the connection
 */
export function haproxyCommand(socket, command) {
  return new Promise((resolve, reject) => {
    const s = connect(socket);
    let out = '';
    s.on('data', (d) => (out += d));
    s.on('end', () => resolve(out));
    s.on('error', reject);
    s.write(`${command}\n`);
  });
}

/** The pid of the HAProxy worker answering on the runtime API socket (changes on reload). */
async function workerPid(socket) {
  return /^Pid: (\d+)$/m.exec(await haproxyCommand(socket, 'show info'))?.[1];
}

/**
 * HAProxy 2.6 in master-worker mode in front of the given slots (servers of backend `backend`), with
 * its runtime API on a unix socket at admin level and a server-state file so weights survive reloads.
 * @param {{ slots: Array<{ name: string, address: string, weight?: number }>, backend?: string, checkIntervalMs?: number }} options
 * @returns {Promise<{ url: string, port: number, socket: string, stateFile: string, configFile: string, reload: () => Promise<void>, restart: () => Promise<void>, log: () => string, stop: () => Promise<void> }>}
 */
export async function startHaproxy({ slots, backend = 'app', checkIntervalMs = 200 }) {
  const dir = tempDir('haproxy');
  const port = await freePort();
  const socket = join(dir, 'admin.sock');
  const stateFile = join(dir, 'server-state');
  const configFile = join(dir, 'haproxy.cfg');
  writeFileSync(
    configFile,
    `global
  stats socket ${socket} mode 600 level admin
  server-state-file ${stateFile}
  log stderr format raw local0 warning
defaults
  mode http
  load-server-state-from-file global
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  retries 1
  option redispatch
frontend web
  bind 127.0.0.1:${port}
  default_backend ${backend}
backend ${backend}
  balance roundrobin
  option httpchk GET /health
${slots.map((s) => `  server ${s.name} ${s.address} weight ${s.weight ?? 0} check inter ${checkIntervalMs} fall 2 rise 1`).join('\n')}
`,
  );
  const start = async () => {
    const started = startProcess('haproxy', 'haproxy', ['-W', '-db', '-f', configFile], { dir });
    await waitForPort(port, { what: 'haproxy', alive: started.alive });
    for (let i = 0; !existsSync(socket); i++) {
      if (i > 100) throw new Error(`haproxy admin socket did not appear: ${started.log()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return started;
  };
  let server = await start();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    socket,
    stateFile,
    configFile,
    log: () => server.log(),
    /** A stop and a fresh start on the same configuration, as `systemctl restart haproxy` does: the socket is gone for a moment. */
    async restart() {
      await server.stop();
      server = await start();
    },
    /** A graceful reload (SIGUSR2 to the master), as `systemctl reload haproxy` does; waits for the new worker. */
    async reload() {
      const before = await workerPid(socket);
      process.kill(server.child.pid, 'SIGUSR2');
      for (let i = 0; ; i++) {
        const pid = await workerPid(socket).catch(() => before);
        if (pid !== before) break;
        if (i > 400) throw new Error(`haproxy did not reload: ${server.log().slice(-500)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * nginx in the foreground with one worker (so weighted round-robin is exact), proxying to an upstream
 * defined in its own file, which the nginx target rewrites. Returns the commands that test and
 * reload this instance.
 * @param {{ upstream?: string, slots: Array<{ name: string, address: string, weight?: number }> }} options
 * @returns {Promise<{ url: string, port: number, upstreamFile: string, pidFile: string, testCommand: string[], reloadCommand: string[], log: () => string, stop: () => Promise<void> }>}
 */
export async function startNginx({ upstream = 'app', slots }) {
  const dir = tempDir('nginx');
  const port = await freePort();
  const upstreamFile = join(dir, 'upstream.conf');
  const configFile = join(dir, 'nginx.conf');
  writeFileSync(
    upstreamFile,
    `upstream ${upstream} {\n${slots.map((s) => `    server ${s.address} ${s.weight ? `weight=${s.weight}` : 'down'};`).join('\n')}\n}\n`,
  );
  writeFileSync(
    configFile,
    `${process.getuid?.() === 0 ? 'user root root;\n' : ''}worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  include ${upstreamFile};
  server {
    listen 127.0.0.1:${port};
    location / { proxy_pass http://${upstream}; }
  }
}
`,
  );
  const base = ['-p', dir, '-c', configFile];
  const server = startProcess('nginx', 'nginx', [...base, '-g', 'daemon off;'], { dir });
  await waitForPort(port, { what: 'nginx', alive: server.alive });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    upstreamFile,
    pidFile: join(dir, 'nginx.pid'),
    log: server.log,
    testCommand: ['nginx', ...base, '-t', '-q'],
    reloadCommand: ['nginx', ...base, '-s', 'reload'],
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Steady HTTP traffic for canary tests: ratePerSecond requests to `path`, each sent to one of the
 * targets at random in proportion to its weight (as a load balancer splits it). counts() tells,
 * per target URL, how many answers came back and how many were 5xx or failed. answers() is what
 * users saw: every answer with the app version that gave it (the x-app-version header; '' when
 * the proxy answered itself or nothing did), its status (0: no answer) and its duration.
 * @param {{ targets: Array<{ url: string, weight: number }>, ratePerSecond: number, path?: string }} options
 * @returns {{ counts: () => Record<string, { requests: number, errors: number }>, answers: () => Array<{ at: number, version: string, status: number, ms: number }>, stop: () => Promise<void> }}
 */
export function startLoadGenerator({ targets, ratePerSecond, path = '/api/items' }) {
  const totalWeight = targets.reduce((sum, t) => sum + t.weight, 0);
  const counts = Object.fromEntries(targets.map((t) => [t.url, { requests: 0, errors: 0 }]));
  const answers = [];
  const inFlight = new Set();
  const started = Date.now();
  let sent = 0;
  const pick = () => {
    let r = Math.random() * totalWeight;
    for (const t of targets) if ((r -= t.weight) < 0) return t;
    return targets[targets.length - 1];
  };
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - started) / 1000) * ratePerSecond);
    for (; sent < due; sent++) {
      const target = pick();
      const sentAt = Date.now();
      const request = fetch(`${target.url}${path}`, { signal: AbortSignal.timeout(5000) })
        .then(
          async (res) => {
            await res.arrayBuffer();
            const version = res.headers.get('x-app-version') ?? '';
            answers.push({ at: sentAt, version, status: res.status, ms: Date.now() - sentAt });
            return res.status >= 500;
          },
          () => {
            answers.push({ at: sentAt, version: '', status: 0, ms: Date.now() - sentAt });
            return true;
          },
        )
        .then((failed) => {
          counts[target.url].requests++;
          if (failed) counts[target.url].errors++;
        })
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
    }
  }, 10);
  return {
    counts: () => structuredClone(counts),
    answers: () => answers.slice(),
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
    },
  };
}
