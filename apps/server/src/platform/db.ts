/**
 * Database driver, chosen once: PGlite (embedded, in DATA_DIR) or PostgreSQL (DATABASE_URL). Same schema, same
 * migrations, same queries. Migrations and the demo seed run under a cluster-wide lock so that several nodes can start
 * at once.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from '../db/schema.ts';

/** Escapes %, _ and \ for a LIKE/ILIKE pattern (PostgreSQL's default escape character). */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle has the same query API as the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const MIGRATIONS = path.resolve(import.meta.dirname, '../db/migrations');
const MIGRATION_LOCK_KEY = 727_001;

/** Raw SQL access for libraries that bring their own queries (pg-boss). */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  sql: SqlExecutor;
  /** Applies migrations, then runs fn, with exclusive cluster-wide access (seeding). */
  withStartupLock<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** Runs fn while holding the cluster-wide lock (start-up work that must not race another node's). */
  withClusterLock<T>(fn: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** PostgreSQL down or hung: how long to wait for a connection, and for a query's answer (milliseconds). */
export type DatabaseTimeouts = { connectMs?: number; queryMs?: number };

export async function openDatabase(opts: {
  databaseUrl?: string | undefined;
  dataDir: string;
  timeouts?: DatabaseTimeouts;
}): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.timeouts) : openPglite(opts.dataDir);
}

const dialect = new PgDialect();

/**
 * Runs statements as ONE transaction in ONE round trip (a multi-statement simple query, on either driver): the server
 * runs them as an implicit transaction — each statement takes a new snapshot (READ COMMITTED), row locks are held
 * until the end, an error rolls back all of them and leaves the connection clean. For short hot transactions where
 * the round trips (through a busy event loop, each one with the transaction's locks held) cost more than the SQL.
 * The simple protocol has no parameters: values are inlined as literals (standard_conforming_strings, the default).
 * Returns each statement's rows, in order.
 */
export async function runScript(db: Db, statements: SQL[]): Promise<unknown[][]> {
  const text = dialect.sqlToQuery(sql.join(statements, sql.raw(';\n')).inlineParams()).sql;
  const client = (db as unknown as { $client: unknown }).$client;
  let results: unknown;
  if (client instanceof PGlite) results = await client.exec(text);
  else if (client instanceof pg.Pool || client instanceof pg.Client) results = await client.query(text);
  else throw new Error('runScript: unknown database driver');
  // node-postgres answers one statement with a result, several with an array of them
  const list = (Array.isArray(results) ? results : [results]) as { rows?: unknown[] }[];
  if (list.length !== statements.length)
    throw new Error(`runScript: ${list.length} results for ${statements.length} statements`);
  return list.map((r) => r.rows ?? []);
}

async function openPglite(dataDir: string): Promise<Database> {
  // "memory://" keeps everything in RAM (tests); anything else is a folder on disk.
  const location = dataDir === 'memory://' ? 'memory://' : path.resolve(dataDir, 'pglite');
  if (location !== 'memory://') mkdirSync(location, { recursive: true });
  const client = await PGlite.create(location);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    sql: {
      async executeSql(text, values) {
        if (values && values.length > 0) return client.query(text, values);
        // pg-boss sends multi-statement scripts without parameters; PGlite runs those with exec().
        const results = await client.exec(text);
        return results.length === 1 ? (results[0] as { rows: unknown[] }) : ({ rows: [] } as { rows: unknown[] });
      },
    },
    // One process owns a PGlite folder, so the process is the cluster.
    withClusterLock: (fn) => fn(),
    withStartupLock: async (fn) => {
      await migratePglite(db as never, { migrationsFolder: MIGRATIONS });
      return fn(db);
    },
    ping: async () => {
      await client.query('select 1');
    },
    close: () => client.close(),
  };
}

async function openPostgres(url: string, timeouts: DatabaseTimeouts = {}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // Fail fast rather than hang when PostgreSQL is down or hung: a connection (also one waited for while all are
    // busy) comes within connectMs, an answer within queryMs; then the request is answered 503 (toAppError).
    connectionTimeoutMillis: timeouts.connectMs ?? 5000,
    query_timeout: timeouts.queryMs ?? 15_000,
  });
  // An idle client losing its connection (PostgreSQL restarted) must not crash the node: the pool drops it and
  // opens a new one when next needed.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    sql: { executeSql: (text, values) => pool.query(text, values as unknown[]) },
    withStartupLock: (fn) =>
      withAdvisoryLock(url, async (client) => {
        const lockedDb = drizzlePg(client, { schema }) as unknown as Db;
        await migratePg(lockedDb as never, { migrationsFolder: MIGRATIONS });
        return fn(lockedDb);
      }),
    withClusterLock: (fn) => withAdvisoryLock(url, () => fn()),
    ping: async () => {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}

/** A session-level advisory lock on a dedicated connection: nodes starting together take turns. */
async function withAdvisoryLock<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await fn(client);
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}
