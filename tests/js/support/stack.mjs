// Starts a whole Fanout stack for the JavaScript end-to-end tests: one Ingest, one sequencer, the presence service and two realtime
// nodes as real `dotnet` processes, on a fresh RabbitMQ vhost and a fresh PostgreSQL database of the test servers.
//
// Configuration comes from the environment, as the project's test command sets it:
//   FANOUT_TEST_RABBITMQ             amqp://user:pass@host:port/
//   FANOUT_TEST_RABBITMQ_MANAGEMENT  http://user:pass@host:port
//   FANOUT_TEST_POSTGRES             Npgsql connection string to the admin database
//   FANOUT_TEST_REDIS                host:port
//   FANOUT_REPO_ROOT                 absolute path of the repository
//   FANOUT_ARTIFACTS_PATH            optional: the solution was built with --artifacts-path

import { spawn, execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

/** The services, as folder under services/ and assembly name. */
const SERVICES = {
  ingest: { folder: 'Ingest', assembly: 'Fanout.Ingest' },
  sequencer: { folder: 'Fanout', assembly: 'Fanout.Sequencer' },
  realtime: { folder: 'Realtime', assembly: 'Fanout.Realtime' },
  presence: { folder: 'Presence', assembly: 'Fanout.Presence' },
  embedded: { folder: 'Embedded', assembly: 'Fanout.Embedded' },
};

/** Every child process started by this module, so none survives the test process whatever happens. */
const liveChildren = new Set();
/** Stacks started and not yet stopped, to take down (vhost and database included) when the run is interrupted. */
const activeStacks = new Set();
let exitHooksInstalled = false;

function installExitHooks() {
  if (exitHooksInstalled) {
    return;
  }

  exitHooksInstalled = true;
  // The test process is going away without having run stop() (a crash, a signal, a timeout). What not even this
  // catches (SIGKILL, node:test dying in its own error handler) is left to the reaper (support/reaper.mjs).
  process.on('exit', () => {
    for (const child of liveChildren) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  // Interrupted (Ctrl+C, the test runner's timeout): stop the stacks properly, for at most 10 s; the 'exit'
  // handler above kills whatever is still running.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      const code = 128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 })[signal];
      const stopping = Promise.allSettled([...activeStacks].map((stack) => stack.stop()));
      const timeout = new Promise((resolve) => setTimeout(resolve, 10_000).unref());
      Promise.race([stopping, timeout]).finally(() => process.exit(code));
    });
  }
}

function requireEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set; the JavaScript end-to-end tests need it (see tests/js/support/stack.mjs)`);
  }

  return value;
}

function randomId(bytes = 6) {
  return randomBytes(bytes).toString('hex');
}

function base64url(value) {
  return Buffer.from(value).toString('base64url');
}

/**
 * An HS256 JWT with `sub`, `iat`, `exp` and `rooms: ["*"]` (every room; `claims` may replace it), signed with the UTF-8
 * bytes of `signingKey`.
 * `lifetimeSeconds` may be negative for a token that has already expired.
 */
export function createToken(sub, signingKey, { lifetimeSeconds = 3600, claims = {} } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ sub, iat: now, exp: now + lifetimeSeconds, rooms: ['*'], ...claims }));
  const signature = createHmac('sha256', Buffer.from(signingKey, 'utf8')).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** Parses an Npgsql connection string into { host, port, username, password, database }. */
export function parseNpgsql(connectionString) {
  const aliases = {
    host: 'host', server: 'host',
    port: 'port',
    username: 'username', 'user id': 'username', userid: 'username', user: 'username', 'user name': 'username',
    password: 'password', pwd: 'password',
    database: 'database', db: 'database',
  };
  const result = { host: '127.0.0.1', port: '5432', username: 'postgres', password: '', database: 'postgres' };
  for (const part of connectionString.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) {
      continue;
    }

    const key = aliases[part.slice(0, at).trim().toLowerCase()];
    if (key) {
      result[key] = part.slice(at + 1).trim();
    }
  }

  return result;
}

/** A TCP port on 127.0.0.1 nothing listens on right now; several at once are all different. */
async function freePorts(count) {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  })));
  const ports = servers.map((server) => server.address().port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

function dllPath(service) {
  const { folder, assembly } = SERVICES[service];
  const artifacts = process.env.FANOUT_ARTIFACTS_PATH;
  const path = artifacts
    ? join(artifacts, 'bin', assembly, 'debug', `${assembly}.dll`)
    : join(requireEnv('FANOUT_REPO_ROOT'), 'services', folder, 'bin', 'Debug', 'net10.0', `${assembly}.dll`);
  if (!existsSync(path)) {
    throw new Error(`${assembly}.dll is not built: ${path} does not exist (build the solution first)`);
  }

  return path;
}

// ---------------------------------------------------------------------------------------------------------------
// RabbitMQ vhost and PostgreSQL database

class RabbitMqVhost {
  constructor(managementUrl, amqpUrl, name) {
    const management = new URL(managementUrl);
    this.user = decodeURIComponent(management.username || 'guest');
    const password = decodeURIComponent(management.password || 'guest');
    this.base = `${management.protocol}//${management.host}`;
    this.auth = `Basic ${Buffer.from(`${this.user}:${password}`).toString('base64')}`;
    this.name = name;
    const amqp = new URL(amqpUrl);
    amqp.pathname = `/${encodeURIComponent(name)}`;
    this.connectionString = amqp.toString();
  }

  async request(method, path, body) {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: this.auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      throw new Error(`RabbitMQ management ${method} ${path} answered ${response.status}: ${await response.text()}`);
    }
  }

  async create() {
    const vhost = encodeURIComponent(this.name);
    await this.request('PUT', `/api/vhosts/${vhost}`, {});
    await this.request('PUT', `/api/permissions/${vhost}/${encodeURIComponent(this.user)}`,
      { configure: '.*', write: '.*', read: '.*' });
  }

  async delete() {
    await this.request('DELETE', `/api/vhosts/${encodeURIComponent(this.name)}`);
  }
}

class PostgresDatabase {
  constructor(adminConnectionString, name) {
    this.admin = parseNpgsql(adminConnectionString);
    this.name = name;
    const { host, port, username, password } = this.admin;
    this.connectionString = `Host=${host};Port=${port};Username=${username};Password=${password};Database=${name}`;
  }

  async psql(sql) {
    const { host, port, username, password, database } = this.admin;
    await execFileAsync('psql',
      ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', host, '-p', String(port), '-U', username, '-d', database, '-c', sql],
      { env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '10' }, timeout: 30_000 });
  }

  create() {
    return this.psql(`CREATE DATABASE "${this.name}"`);
  }

  delete() {
    return this.psql(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Service processes

class ServiceProcess {
  constructor(name, service, port, env, logDirectory) {
    this.name = name;
    this.service = service;
    this.port = port;
    this.env = env;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.logPath = join(logDirectory, `js-${name}-${port}.log`);
    this.child = null;
    this.exited = null;
    this.spawnFailed = false;
  }

  get running() {
    return this.child !== null && !this.spawnFailed && this.child.exitCode === null && this.child.signalCode === null;
  }

  start() {
    const dll = dllPath(this.service);
    const log = createWriteStream(this.logPath, { flags: 'a' });
    log.write(`---- starting ${this.name}: dotnet ${dll} --urls ${this.baseUrl} ----\n`);
    const child = spawn('dotnet', [dll, '--urls', this.baseUrl], {
      cwd: dirname(dll),
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    liveChildren.add(child);
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    this.exited = new Promise((resolve) => {
      // 'close', not 'exit': a process's last output can still be in its pipes when it exits, and writing it to the
      // log after log.end() throws (write after end) in the test file that started it.
      // A failed spawn emits 'error' and may then 'close' too: the log is ended once.
      child.once('close', (code, signal) => {
        liveChildren.delete(child);
        if (!log.writableEnded) {
          log.end(`---- ${this.name} exited (code ${code}, signal ${signal}) ----\n`);
        }
        resolve({ code, signal });
      });
      child.once('error', (error) => {
        this.spawnFailed = true;
        liveChildren.delete(child);
        if (!log.writableEnded) {
          log.end(`---- ${this.name} failed to start: ${error.message} ----\n`);
        }
        resolve({ code: null, signal: null, error });
      });
    });
  }

  logTail(lines = 30) {
    try {
      return readFileSync(this.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  async waitReady(timeoutMs = READY_TIMEOUT_MS) {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new Error(`${this.name} exited before it was ready; log ${this.logPath}:\n${this.logTail()}`);
      }

      try {
        const response = await fetch(`${this.baseUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) });
        if (response.status === 200) {
          return;
        }

        last = `status ${response.status}`;
      } catch (error) {
        last = error.cause?.code ?? error.message;
      }

      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    throw new Error(`${this.name} was not ready within ${timeoutMs} ms (last: ${last}); log ${this.logPath}:\n${this.logTail()}`);
  }

  /** SIGTERM, then SIGKILL when it has not exited after the grace period. */
  async stop(graceMs = STOP_GRACE_MS) {
    if (!this.running) {
      return;
    }

    this.child.kill('SIGTERM');
    const graceful = await Promise.race([
      this.exited.then(() => true),
      new Promise((resolve) => setTimeout(resolve, graceMs, false)),
    ]);
    if (!graceful) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The reaper: cleans up when this process dies without doing it (see support/reaper.mjs)

class Reaper {
  constructor(logPath) {
    const script = join(dirname(fileURLToPath(import.meta.url)), 'reaper.mjs');
    // Detached, in a session of its own, so that whatever takes this process down does not take the reaper too.
    this.child = spawn(process.execPath, [script, logPath], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    this.child.on('error', () => {}); // no reaper is not a reason to fail the tests
    this.child.stdin.on('error', () => {});
    this.child.unref();
    this.child.stdin.unref?.();
  }

  tell(message) {
    if (this.child.stdin.writable) {
      this.child.stdin.write(`${JSON.stringify(message)}\n`);
    }
  }

  /** Everything was cleaned up: the reaper exits without doing anything. */
  dismiss() {
    this.tell({ kind: 'done' });
    this.child.stdin.end();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The stack

/**
 * Starts the stack and resolves once every process answers 200 on /health/ready. On failure everything already
 * started or created is taken down again before the error is thrown.
 *
 * `env`, optional: `({ ingestUrl, nodeUrls }) => ({ ingest, nodes })`, more environment variables for Ingest and for
 * every realtime node, given the URLs they will listen on (the browser tests point the console at the nodes' hubs and
 * allow its origin there).
 */
/**
 * Starts Fanout for a test file. `mode` (default: FANOUT_STACK_MODE, else 'distributed'): 'distributed' runs Ingest, a
 * sequencer, the presence service and `realtimeNodes` nodes on the test servers; 'embedded' runs one Fanout.Embedded
 * process with a fresh data directory, which is then Ingest and every node (`hubUrl(i)` is its hub for any i). `env`
 * gets `{ ingestUrl, nodeUrls }` and returns extra environment variables `{ ingest, nodes }` (the embedded process gets both).
 */
export async function startStack({ realtimeNodes = 2, partitions = 4, env = undefined, mode = process.env.FANOUT_STACK_MODE } = {}) {
  installExitHooks();
  if (mode === 'embedded') {
    return startEmbedded(env);
  }

  const repoRoot = requireEnv('FANOUT_REPO_ROOT');
  const rabbitmq = requireEnv('FANOUT_TEST_RABBITMQ');
  const management = requireEnv('FANOUT_TEST_RABBITMQ_MANAGEMENT');
  const postgres = requireEnv('FANOUT_TEST_POSTGRES');
  const redis = requireEnv('FANOUT_TEST_REDIS');
  for (const service of ['ingest', 'sequencer', 'realtime', 'presence']) {
    dllPath(service); // fail fast, before creating anything
  }

  const suffix = randomId();
  const stack = new Stack({
    vhost: new RabbitMqVhost(management, rabbitmq, `js-${suffix}`),
    database: new PostgresDatabase(postgres, `js_${suffix}`),
    apiKey: randomId(16), // 32 characters
    signingKey: randomId(24), // 48 characters
  });
  activeStacks.add(stack);
  const logDirectory = join(repoRoot, '.run', 'test-logs');
  mkdirSync(logDirectory, { recursive: true });
  stack.reaper = new Reaper(join(logDirectory, `js-reaper-${stack.vhost.name}.log`));

  try {
    stack.reaper.tell({ kind: 'vhost', base: stack.vhost.base, auth: stack.vhost.auth, name: stack.vhost.name });
    await stack.vhost.create();
    stack.vhostCreated = true;
    stack.reaper.tell({ kind: 'database', admin: stack.database.admin, name: stack.database.name });
    await stack.database.create();
    stack.databaseCreated = true;

    const common = {
      ConnectionStrings__rabbitmq: stack.vhost.connectionString,
      ConnectionStrings__postgres: stack.database.connectionString,
      ConnectionStrings__redis: redis,
      Presence__KeyPrefix: `${stack.vhost.name}:`,
      Topology__Partitions: String(partitions),
      Ingest__ApiKeys__0__Name: 'js',
      Ingest__ApiKeys__0__Key: stack.apiKey,
      Ingest__ApiKeys__0__AllowDestructive: 'true',
      Auth__Jwt__SigningKey: stack.signingKey,
      Realtime__PositionCheckIntervalMs: '1000',
      ASPNETCORE_ENVIRONMENT: 'Testing',
      DOTNET_gcServer: '0',
    };
    const ports = await freePorts(3 + realtimeNodes);
    const extra = env?.({
      ingestUrl: `http://127.0.0.1:${ports[0]}`,
      nodeUrls: ports.slice(3).map((port) => `http://127.0.0.1:${port}`),
    }) ?? {};
    stack.ingest = new ServiceProcess('ingest', 'ingest', ports[0], { ...common, ...extra.ingest }, logDirectory);
    stack.sequencer = new ServiceProcess('sequencer', 'sequencer', ports[1], common, logDirectory);
    stack.presence = new ServiceProcess('presence', 'presence', ports[2], common, logDirectory);
    stack.nodes = Array.from({ length: realtimeNodes }, (_, i) => new ServiceProcess(
      `realtime-${i + 1}`, 'realtime', ports[3 + i],
      { ...common, ...extra.nodes, Realtime__NodeId: `${stack.vhost.name}-node-${i + 1}` }, logDirectory));

    for (const service of stack.processes) {
      service.start();
      stack.reaper.tell({ kind: 'process', name: service.name, pid: service.child.pid, match: service.baseUrl });
    }

    await Promise.all(stack.processes.map((service) => service.waitReady()));
    return stack;
  } catch (error) {
    await stack.stop().catch(() => {});
    throw error;
  }
}

async function startEmbedded(env) {
  const repoRoot = requireEnv('FANOUT_REPO_ROOT');
  dllPath('embedded');
  const suffix = randomId();
  const dataDirectory = join(tmpdir(), `fanout-js-${suffix}`);
  const stack = new Stack({ vhost: null, database: null, apiKey: randomId(16), signingKey: randomId(24), dataDirectory });
  activeStacks.add(stack);
  const logDirectory = join(repoRoot, '.run', 'test-logs');
  mkdirSync(logDirectory, { recursive: true });
  try {
    const [port] = await freePorts(1);
    const url = `http://127.0.0.1:${port}`;
    const extra = env?.({ ingestUrl: url, nodeUrls: [url] }) ?? {};
    const service = new ServiceProcess('embedded', 'embedded', port, {
      Sqlite__DataDirectory: dataDirectory,
      Ingest__ApiKeys__0__Name: 'js',
      Ingest__ApiKeys__0__Key: stack.apiKey,
      Ingest__ApiKeys__0__AllowDestructive: 'true',
      Auth__Jwt__SigningKey: stack.signingKey,
      Realtime__NodeId: `js-${suffix}-node-1`,
      Realtime__PositionCheckIntervalMs: '1000',
      ASPNETCORE_ENVIRONMENT: 'Testing',
      DOTNET_gcServer: '0',
      ...extra.ingest,
      ...extra.nodes,
    }, logDirectory);
    stack.ingest = service;
    stack.nodes = [service];
    service.start();
    await service.waitReady();
    return stack;
  } catch (error) {
    await stack.stop().catch(() => {});
    throw error;
  }
}

class Stack {
  constructor({ vhost, database, apiKey, signingKey, dataDirectory = null }) {
    this.dataDirectory = dataDirectory;
    this.vhost = vhost;
    this.database = database;
    this.apiKey = apiKey;
    this.signingKey = signingKey;
    this.ingest = null;
    this.sequencer = null;
    this.presence = null;
    this.nodes = [];
    this.vhostCreated = false;
    this.databaseCreated = false;
    this.stopping = null;
    this.reaper = null;
  }

  get processes() {
    return [...new Set([this.ingest, this.sequencer, this.presence, ...this.nodes].filter(Boolean))];
  }

  get mode() {
    return this.dataDirectory ? 'embedded' : 'distributed';
  }

  get ingestUrl() {
    return this.ingest.baseUrl;
  }

  /** The hub URL of realtime node `index` (0-based; of node `index mod count`, so the embedded one for any index). */
  hubUrl(index) {
    return `${this.nodes[index % this.nodes.length].baseUrl}/hubs/rooms`;
  }

  /** A valid client token for `sub`. */
  token(sub, options) {
    return createToken(sub, this.signingKey, options);
  }

  /** Stops every process (SIGTERM, SIGKILL after 5 s), then deletes the vhost and drops the database. */
  async stop() {
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  async stopOnce() {
    const problems = [];
    await Promise.all(this.processes.map((service) => service.stop().catch((error) => problems.push(error))));
    if (this.vhostCreated) {
      await this.vhost.delete().then(() => { this.vhostCreated = false; }, (error) => problems.push(error));
    }

    if (this.databaseCreated) {
      await this.database.delete().then(() => { this.databaseCreated = false; }, (error) => problems.push(error));
    }

    if (this.dataDirectory) {
      rmSync(this.dataDirectory, { recursive: true, force: true });
    }

    activeStacks.delete(this);
    if (problems.length === 0) {
      this.reaper?.dismiss();
    }

    if (problems.length > 0) {
      throw new AggregateError(problems, `stopping the stack: ${problems.map((error) => error.message).join('; ')}`);
    }
  }
}
