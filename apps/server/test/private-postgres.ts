/**
 * A private PostgreSQL cluster for fault tests: initdb into a temp folder, listen on a free 127.0.0.1 port, and let
 * a test stop it (immediate: as a crash would), start it again and restart it on the same port. Never the machine's
 * own server. PostgreSQL refuses to run as root, so as root the binaries run as the `postgres` OS user (runuser) in
 * a folder owned by it. fsync and full_page_writes are off (the machine does not crash, the data is thrown away),
 * but synchronous_commit stays on: an immediate stop is a crash of the server, and a commit acknowledged before it
 * must survive it, as on a real server.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './spawn-node.ts';

const run = promisify(execFile);

/** The PostgreSQL binaries: PG_BIN, else Debian's newest under /usr/lib/postgresql, else the PATH. */
function binDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = execFileSync('ls', [root], { encoding: 'utf8' })
      .split('\n')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (existsSync(path.join(root, v, 'bin', 'pg_ctl'))) return path.join(root, v, 'bin');
  }
  return '';
}

export type PrivatePostgres = {
  port: number;
  dir: string;
  /** A connection URL to `database` (default: the `postgres` database). */
  url: (database?: string) => string;
  /** Creates a database and returns its URL. */
  createDatabase: (name: string) => Promise<string>;
  start: () => Promise<void>;
  /** `immediate` drops every connection at once, like a crash; `fast` is an orderly shutdown. */
  stop: (mode?: 'immediate' | 'fast') => Promise<void>;
  restart: () => Promise<void>;
  /**
   * Freezes the server and all its backends (SIGSTOP): connections stay open and new ones are accepted by the
   * kernel, but nothing answers — a hung database rather than a stopped one. `resume` thaws it (SIGCONT).
   */
  pause: () => void;
  resume: () => void;
  running: () => boolean;
  /** Stops the server and deletes its folder. */
  destroy: () => Promise<void>;
  /** The server's log (for a failing test's message). */
  log: () => string;
};

const live = new Set<PrivatePostgres>();
let exitHookInstalled = false;

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const tool = (name: string) => (bin ? path.join(bin, name) : name);
  const asRoot = process.getuid?.() === 0;
  // as root, every command runs as the postgres user; otherwise as ourselves
  const cmd = (name: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', tool(name), ...args]] : [tool(name), args];

  const dir = mkdtempSync(path.join(os.tmpdir(), 'zn-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const port = await freePort();

  await run(
    ...cmd('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ]),
  );
  // appended settings win over initdb's; the port stays fixed across restarts
  const conf = path.join(data, 'postgresql.conf');
  writeFileSync(
    conf,
    `${readFileSync(conf, 'utf8')}
port = ${port}
listen_addresses = '127.0.0.1'
unix_socket_directories = '${dir}'
fsync = off
full_page_writes = off
shared_buffers = 32MB
max_connections = 100
log_min_messages = warning
`,
  );

  let up = false;
  const pgCtl = async (args: string[]) => {
    try {
      await run(...cmd('pg_ctl', ['-D', data, ...args]));
    } catch (err) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '';
      throw new Error(`pg_ctl ${args.join(' ')} failed: ${String(err)}\n${log}`);
    }
  };

  // the postmaster (first line of postmaster.pid) and its children: backends, checkpointer, WAL writer, …
  const signalAll = (signal: NodeJS.Signals) => {
    const postmaster = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((pid) => pid > 0);
    for (const pid of [postmaster, ...children]) {
      try {
        process.kill(pid, signal);
      } catch {
        // a backend that just ended
      }
    }
  };

  const instance: PrivatePostgres = {
    port,
    dir,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async createDatabase(name) {
      const c = new pg.Client({ connectionString: instance.url() });
      await c.connect();
      try {
        await c.query(`create database ${name}`);
      } finally {
        await c.end();
      }
      return instance.url(name);
    },
    async start() {
      await pgCtl(['-l', logFile, '-w', '-t', '60', 'start']);
      up = true;
    },
    async stop(mode = 'immediate') {
      if (up) signalAll('SIGCONT');
      await pgCtl(['-m', mode, '-w', '-t', '60', 'stop']);
      up = false;
    },
    async restart() {
      await instance.stop('immediate');
      await instance.start();
    },
    pause: () => signalAll('SIGSTOP'),
    resume: () => signalAll('SIGCONT'),
    running: () => up,
    async destroy() {
      live.delete(instance);
      if (up) await instance.stop('immediate').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
  };

  live.add(instance);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // a test process that ends without destroy() (a crash, an aborted run) still leaves no server behind
    process.once('exit', () => {
      for (const p of live) {
        try {
          const [file, args] = cmd('pg_ctl', ['-D', path.join(p.dir, 'data'), '-m', 'immediate', 'stop']);
          if (p.running()) {
            p.resume();
            execFileSync(file, args, { stdio: 'ignore' });
          }
        } catch {
          // already stopped
        }
        rmSync(p.dir, { recursive: true, force: true });
      }
    });
  }
  await instance.start();
  return instance;
}
