/**
 * Which errors a person sees as 503 服务暂时不可用 (the database cannot be reached: try again) rather than 500.
 * The connection errors are real ones from node-postgres against a port nobody listens on.
 */
import { createServer } from 'node:net';
import { ERRORS } from '@zhengna/contracts';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { AppError, isDatabaseUnavailable, rootCause, toAppError } from './app-error.ts';

/** A port that refuses connections: bound, then closed. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 1));
    });
  });
}

/** A server that accepts connections and never answers: a hung database. */
async function silentServer(): Promise<{ port: number; close: () => void }> {
  const sockets: import('node:net').Socket[] = [];
  const srv = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const addr = srv.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 1,
    close: () => {
      for (const s of sockets) s.destroy();
      srv.close();
    },
  };
}

const sqlState = (code: string) => Object.assign(new Error('db error'), { code });

describe('isDatabaseUnavailable / toAppError', () => {
  it('takes a refused connection, as drizzle and the pool report it, for 503', async () => {
    const pool = new pg.Pool({ connectionString: `postgres://x@127.0.0.1:${await closedPort()}/x` });
    const err = await pool.query('select 1').catch((e: unknown) => e);
    await pool.end();
    expect(isDatabaseUnavailable(err)).toBe(true);
    const wrapped = new DrizzleQueryError('select 1', [], err as Error);
    expect(toAppError(wrapped).toBody()).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      message: ERRORS.SERVICE_UNAVAILABLE.message,
    });
    expect(toAppError(wrapped).status).toBe(503);
    // logged without the query's parameters
    const secretParam = new DrizzleQueryError('select $1', ['13800138000'], err as Error);
    expect(rootCause(secretParam)).toMatch(/^ECONNREFUSED connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
  });

  it('takes a connection that does not come within the bound for 503', async () => {
    const silent = await silentServer();
    const pool = new pg.Pool({
      connectionString: `postgres://x@127.0.0.1:${silent.port}/x`,
      connectionTimeoutMillis: 200,
    });
    const err = await pool.query('select 1').catch((e: unknown) => e);
    await pool.end().catch(() => {});
    silent.close();
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it('takes shutdown, crash, start-up and connection SQLSTATEs and the lost-connection messages for 503', () => {
    for (const code of ['57P01', '57P02', '57P03', '08006', '08003', '08001', '53300', 'ECONNRESET', 'ETIMEDOUT'])
      expect(isDatabaseUnavailable(sqlState(code)), code).toBe(true);
    for (const message of ['Connection terminated unexpectedly', 'Query read timeout'])
      expect(isDatabaseUnavailable(new Error(message)), message).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([sqlState('ECONNREFUSED')]))).toBe(true);
  });

  it('leaves errors of the request or the code as they were', () => {
    // unique violation, syntax error, deadlock, a plain bug
    for (const code of ['23505', '42601', '40P01']) expect(isDatabaseUnavailable(sqlState(code)), code).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(toAppError(sqlState('23505')).code).toBe('INTERNAL');
    expect(toAppError(new AppError('NOT_FOUND')).code).toBe('NOT_FOUND');
  });
});
