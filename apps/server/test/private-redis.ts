/**
 * A private redis-server for fault tests: its own process on a random free 127.0.0.1 port, so a test can kill it and
 * start it again on the same port without touching the machine's shared Redis. No persistence: a restart comes back
 * empty, as a crashed cache without AOF/RDB does.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { freePort } from './spawn-node.ts';

export type PrivateRedis = {
  url: string;
  port: number;
  /** Starts the server (again) on the same port; resolves once it answers PING. */
  start: () => Promise<void>;
  /** Ends the process (SIGKILL by default: a crash) and waits until it has exited. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open and commands hang, as on a stalled or swapping host. */
  freeze: () => void;
  running: () => boolean;
};

/** One PING over a raw connection; true when it answers +PONG. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.on('error', () => done(false));
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let proc: ChildProcess | undefined;
  let output = '';
  const running = () => Boolean(proc && proc.exitCode === null && proc.signalCode === null);
  const start = async () => {
    if (running()) return;
    output = '';
    const p = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc = p;
    p.stdout?.on('data', (d) => {
      output += d;
    });
    p.stderr?.on('data', (d) => {
      output += d;
    });
    const deadline = Date.now() + 20_000;
    while (!(await pings(port))) {
      if (p.exitCode !== null) throw new Error(`redis-server exited (${p.exitCode}):\n${output}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${port}:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = (signal: NodeJS.Signals = 'SIGKILL') =>
    new Promise<void>((resolve) => {
      const p = proc;
      if (!p || !running()) return resolve();
      p.once('exit', () => resolve());
      p.kill(signal);
    });
  const freeze = () => {
    if (running()) proc?.kill('SIGSTOP');
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, start, stop, freeze, running };
}
