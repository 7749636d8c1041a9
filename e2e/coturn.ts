/**
 * A private coturn (Debian's `turnserver`) for browser tests of calls and remote assistance: TURN REST credentials
 * (`use-auth-secret`, a random secret), listening and relaying on 127.0.0.1 only, on ports picked per run, so it never
 * meets a system coturn on 3478. Its verbose log is parsed so a test can prove that media really went through it
 * (allocations made, bytes relayed per session) instead of trusting the browser's own statistics.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Packets and bytes received and sent (coturn's rp, rb, sp, sb). */
export type TurnUsage = { rp: number; rb: number; sp: number; sb: number };

/** One TURN session (one allocation) as coturn logged it. */
export type RelayedSession = {
  session: string;
  username: string;
  /** between the browser and the TURN server (media, plus TURN control traffic) */
  client: TurnUsage;
  /** between the relay address and the peer: what was really relayed (sb: towards the other end) */
  peer: TurnUsage;
  closed: boolean;
  /** why it closed, e.g. "allocation timeout" (a REFRESH with lifetime 0 when the browser closes the connection) */
  reason?: string;
};

export type Coturn = {
  /** `turn:127.0.0.1:<port>?transport=udp` */
  url: string;
  /** UDP and TCP transports of the same listener */
  urls: string[];
  port: number;
  secret: string;
  realm: string;
  /** Sessions coturn accepted an ALLOCATE for (successful allocations seen in its log); undefined before any log. */
  allocations(): number | undefined;
  /** Per-session traffic from coturn's `usage` and `peer usage` lines (logged on refresh and when a session closes). */
  relayedSessions(): RelayedSession[];
  /** The whole log so far (to print when a test fails). */
  log(): string;
  stop(): Promise<void>;
};

const TURNSERVER = process.env.E2E_TURNSERVER ?? 'turnserver';

/** A port free for both TCP and UDP on 127.0.0.1 (coturn listens on both). */
export async function freeUdpTcpPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const addr = srv.address();
        srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const sock = dgram.createSocket('udp4');
      sock.once('error', () => resolve(false));
      sock.bind(port, '127.0.0.1', () => sock.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no port free for both TCP and UDP');
}

/** One STUN Binding request (RFC 5389); resolves true when a Binding success response with our transaction id comes. */
export function stunBinding(port: number, timeoutMs = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    const tid = randomBytes(12);
    const req = Buffer.alloc(20);
    req.writeUInt16BE(0x0001, 0); // Binding request
    req.writeUInt16BE(0, 2); // no attributes
    req.writeUInt32BE(0x2112a442, 4); // magic cookie
    tid.copy(req, 8);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sock.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.on('message', (msg) => {
      if (msg.length >= 20 && msg.readUInt16BE(0) === 0x0101 && msg.subarray(8, 20).equals(tid)) done(true);
    });
    sock.on('error', () => done(false));
    sock.send(req, port, '127.0.0.1');
  });
}

/**
 * Parses coturn's verbose log. Per session it logs `usage` (browser ↔ server) and `peer usage` (relay ↔ peer) when
 * the allocation is refreshed and when it closes, each line counting since the previous one, so they are summed.
 */
export function parseRelayedSessions(log: string): RelayedSession[] {
  const sessions = new Map<string, RelayedSession>();
  const get = (id: string, username: string) => {
    let s = sessions.get(id);
    if (!s) {
      s = {
        session: id,
        username,
        client: { rp: 0, rb: 0, sp: 0, sb: 0 },
        peer: { rp: 0, rb: 0, sp: 0, sb: 0 },
        closed: false,
      };
      sessions.set(id, s);
    }
    return s;
  };
  const usage =
    /session (\d+): (peer )?usage: realm=<[^>]*>, username=<([^>]*)>, rp=(\d+), rb=(\d+), sp=(\d+), sb=(\d+)/;
  const closed = /session (\d+): closed \(2nd stage\), user <([^>]*)>.*, reason: (.*)$/;
  // a line coturn is still writing is left for the next read
  const complete = log.slice(0, log.lastIndexOf('\n') + 1);
  for (const line of complete.split('\n')) {
    const u = usage.exec(line);
    if (u) {
      const into = get(u[1] ?? '', u[3] ?? '')[u[2] ? 'peer' : 'client'];
      into.rp += Number(u[4]);
      into.rb += Number(u[5]);
      into.sp += Number(u[6]);
      into.sb += Number(u[7]);
      continue;
    }
    const c = closed.exec(line);
    if (c) {
      const s = get(c[1] ?? '', c[2] ?? '');
      s.closed = true;
      s.reason = c[3]?.trim();
    }
  }
  return [...sessions.values()];
}

export async function startCoturn(opts: { realm?: string } = {}): Promise<Coturn> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zn-coturn-'));
  const port = await freeUdpTcpPort();
  // relay ports below Linux's ephemeral range (32768+), a random block of 200 per run
  const minPort = 20_000 + Math.floor(Math.random() * 50) * 200;
  const maxPort = minPort + 199;
  const secret = randomBytes(24).toString('hex');
  const realm = opts.realm ?? 'zhengna.test';
  const logFile = path.join(dir, 'turn.log');
  const conf = [
    'listening-ip=127.0.0.1',
    'relay-ip=127.0.0.1',
    `listening-port=${port}`,
    `min-port=${minPort}`,
    `max-port=${maxPort}`,
    'use-auth-secret',
    `static-auth-secret=${secret}`,
    `realm=${realm}`,
    'fingerprint',
    // TEST ONLY: both browsers' relay addresses are 127.0.0.1, so each is a loopback peer of the other's allocation;
    // coturn refuses loopback peers unless this is set. Never in production (deploy/coturn/turnserver.conf denies it).
    'allow-loopback-peers',
    'no-multicast-peers',
    'no-cli',
    'no-tls',
    'no-dtls',
    'no-rfc5780',
    // no SQLite file under /var/lib/turn: the REST credentials need no database
    `userdb=${path.join(dir, 'turndb')}`,
    `pidfile=${path.join(dir, 'turn.pid')}`,
    `log-file=${logFile}`,
    'simple-log',
    'no-stdout-log',
    // verbose: "ALLOCATE processed, success" and per-session usage lines
    'verbose',
  ].join('\n');
  const confFile = path.join(dir, 'turnserver.conf');
  writeFileSync(confFile, `${conf}\n`);

  const proc: ChildProcess = spawn(TURNSERVER, ['-c', confFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  // stdout/stderr only matter when it fails to start ("socket: Protocol not supported" there is its SCTP listener
  // on a kernel without SCTP: harmless)
  let stdio = '';
  proc.stdout?.on('data', (d) => {
    stdio += d;
  });
  proc.stderr?.on('data', (d) => {
    stdio += d;
  });
  let spawnError: Error | undefined;
  proc.once('error', (e) => {
    spawnError = e;
  });
  const log = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };

  const exited = () => proc.exitCode !== null || proc.signalCode !== null;
  const stop = () =>
    new Promise<void>((resolve) => {
      const finish = () => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (exited() || spawnError) return finish();
      const kill = setTimeout(() => proc.kill('SIGKILL'), 3000);
      proc.once('exit', () => {
        clearTimeout(kill);
        finish();
      });
      proc.kill('SIGTERM');
    });

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (spawnError) throw new Error(`could not run ${TURNSERVER} (Debian package coturn): ${spawnError.message}`);
    if (exited()) {
      const out = `${stdio}\n${log()}`;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`turnserver exited early (${proc.exitCode ?? proc.signalCode}):\n${out}`);
    }
    if (await stunBinding(port)) break;
    if (Date.now() > deadline) {
      const out = `${stdio}\n${log()}`;
      await stop();
      throw new Error(`turnserver did not answer STUN on 127.0.0.1:${port}:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    urls: [`turn:127.0.0.1:${port}?transport=udp`, `turn:127.0.0.1:${port}?transport=tcp`],
    port,
    secret,
    realm,
    allocations: () => {
      const text = log();
      if (!text) return undefined;
      return text.match(/ALLOCATE processed, success/g)?.length ?? 0;
    },
    relayedSessions: () => parseRelayedSessions(log()),
    log,
    stop,
  };
}
