// The safety net of support/stack.mjs, run as a detached process of its own. The test process tells it, one JSON
// line at a time on its stdin, what it creates: service processes, the RabbitMQ vhost, the PostgreSQL database. When
// the test process has cleaned up it sends {"kind":"done"} and the reaper exits. When stdin closes without that
// message, the test process died before it could clean up (killed, or crashed where no exit handler runs, such as
// node:test failing to write its report to a closed stdout): the reaper stops the processes (SIGTERM, SIGKILL after
// 5 s), deletes the vhost and drops the database, then exits.

import { execFile } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const logPath = process.argv[2];
const processes = [];
let vhost = null;
let database = null;
let done = false;
let buffered = '';

function log(message) {
  if (logPath) {
    try {
      appendFileSync(logPath, `${new Date().toISOString()} reaper: ${message}\n`);
    } catch {
      // nowhere to report
    }
  }
}

function handle(message) {
  switch (message.kind) {
    case 'process':
      processes.push(message);
      break;
    case 'vhost':
      vhost = message;
      break;
    case 'database':
      database = message;
      break;
    case 'done':
      done = true;
      break;
    default:
      log(`unknown message ${JSON.stringify(message)}`);
  }
}

/** True while `pid` is alive and still the process we started (its command line contains `match`). */
function isOurs({ pid, match }) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(match);
  } catch {
    return false;
  }
}

function signal(pid, name) {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

async function reap() {
  const alive = processes.filter(isOurs);
  for (const child of alive) {
    log(`SIGTERM pid ${child.pid} (${child.name})`);
    signal(child.pid, 'SIGTERM');
  }

  const deadline = Date.now() + 5_000;
  while (alive.some(isOurs) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  for (const child of alive.filter(isOurs)) {
    log(`SIGKILL pid ${child.pid} (${child.name})`);
    signal(child.pid, 'SIGKILL');
  }

  if (vhost) {
    try {
      const response = await fetch(`${vhost.base}/api/vhosts/${encodeURIComponent(vhost.name)}`, {
        method: 'DELETE',
        headers: { authorization: vhost.auth },
        signal: AbortSignal.timeout(10_000),
      });
      log(`DELETE vhost ${vhost.name}: ${response.status}`);
    } catch (error) {
      log(`DELETE vhost ${vhost.name} failed: ${error.message}`);
    }
  }

  if (database) {
    const { host, port, username, password, database: admin } = database.admin;
    try {
      await execFileAsync('psql',
        ['-X', '-q', '-h', host, '-p', String(port), '-U', username, '-d', admin,
          '-c', `DROP DATABASE IF EXISTS "${database.name}" WITH (FORCE)`],
        { env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '10' }, timeout: 30_000 });
      log(`dropped database ${database.name}`);
    } catch (error) {
      log(`DROP DATABASE ${database.name} failed: ${error.message}`);
    }
  }
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffered += chunk;
  let newline;
  while ((newline = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, newline);
    buffered = buffered.slice(newline + 1);
    if (line.trim()) {
      try {
        handle(JSON.parse(line));
      } catch (error) {
        log(`bad message: ${error.message}`);
      }
    }
  }
});
process.stdin.on('close', () => {
  if (done) {
    process.exit(0);
  }

  log('the test process went away without cleaning up; cleaning up after it');
  reap().finally(() => process.exit(0));
});
