/**
 * deploy/coturn/turnserver.conf is the production TURN configuration: the installed coturn (the one CI installs)
 * must accept every line of it, and it must keep refusing relays into private and loopback ranges. The file is run
 * as it is, except: no syslog (its log is read here), no TLS listeners (no certificate on a CI machine; the TLS
 * options are still parsed), 127.0.0.1 on a free port instead of 3478.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { freeUdpTcpPort, stunBinding } from './coturn.ts';

const CONF = path.resolve(import.meta.dirname, '../deploy/coturn/turnserver.conf');

it('deploy/coturn/turnserver.conf parses with the installed coturn and denies private and loopback peers', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zn-coturn-conf-'));
  const conf = readFileSync(CONF, 'utf8');
  expect(conf).not.toMatch(/^\s*allow-loopback-peers/m);
  writeFileSync(
    path.join(dir, 'turnserver.conf'),
    conf
      .split('\n')
      .filter((l) => l.trim() !== 'syslog')
      .join('\n'),
  );
  const port = await freeUdpTcpPort();
  const logFile = path.join(dir, 'turn.log');
  const proc = spawn(
    process.env.E2E_TURNSERVER ?? 'turnserver',
    [
      ...['-c', path.join(dir, 'turnserver.conf'), '--log-file', logFile, '--no-stdout-log'],
      ...['--listening-ip', '127.0.0.1', '--relay-ip', '127.0.0.1', '--listening-port', String(port)],
      ...['--no-tls', '--no-dtls', '--pidfile', path.join(dir, 'turn.pid'), '--userdb', path.join(dir, 'turndb')],
    ],
    { stdio: 'ignore' },
  );
  const log = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  try {
    let up = false;
    for (let i = 0; i < 50 && !up && proc.exitCode === null; i++) up = await stunBinding(port);
    expect(up, log()).toBe(true);
    const text = log();
    expect(text).not.toContain('Bad configuration format');
    expect(text).not.toMatch(/CONFIG ERROR|allow_loopback_peers/);
    expect(text).toContain(`Default realm: ${/^realm=(.*)$/m.exec(conf)?.[1]}`);
    for (const range of ['10.0.0.0-10.255.255.255', '127.0.0.0-127.255.255.255', '192.168.0.0-192.168.255.255', '::1'])
      expect(text).toContain(`Black listing: ${range}\n`);
    expect(text).toContain('512000 bytes per second allowed per session');
    expect(text).toContain('TCP relay endpoints are not allowed');
  } finally {
    await new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
    rmSync(dir, { recursive: true, force: true });
  }
});
