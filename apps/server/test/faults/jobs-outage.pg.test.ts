/**
 * Fault: a job falls due while it cannot run (issue #11). A scheduled 精准推送 (a pg-boss job with a start time) is due
 * while PostgreSQL is down under two running nodes, and again while both nodes are down; once the database or the
 * nodes are back, with two nodes competing for the job, it runs exactly once: one delivery, one inbox item per
 * recipient, one live notice on the taxpayer's open chat, one job.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '../../src/db/schema.ts';
import { PUSH_JOB, pushDedupeKey } from '../../src/modules/push/push.service.ts';
import type { Db } from '../../src/platform/db.ts';
import {
  type ClientSocket,
  connected,
  connectSocket,
  type HttpClient,
  loginStaff,
  loginTaxpayer,
  makeStaff,
  makeTaxpayer,
} from '../harness.ts';
import { type PrivatePostgres, startPrivatePostgres } from '../private-postgres.ts';
import { type NodeProcess, spawnNode } from '../spawn-node.ts';

let postgres: PrivatePostgres;
let env: Record<string, string>;
let pool: pg.Pool;
let db: Db;
const nodes: NodeProcess[] = [];
const sockets: ClientSocket[] = [];

/** Two nodes started at once, as after a restart of the whole service. */
async function startTwoNodes(tag: string): Promise<[NodeProcess, NodeProcess]> {
  const [a, b] = await Promise.all([
    spawnNode({ ...env, NODE_ID: `${tag}-a` }),
    spawnNode({ ...env, NODE_ID: `${tag}-b` }),
  ]);
  nodes.push(a, b);
  return [a, b];
}

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  const url = await postgres.createDatabase('zhengna');
  env = {
    DATABASE_URL: url,
    REDIS_URL: process.env.TEST_REDIS_URL as string,
    SEED_DEMO: 'false',
    SEED_KB: 'false',
    BOT_ENABLED: 'false',
    WEB_DIST: mkdtempSync(path.join(os.tmpdir(), 'zn-web-')),
    // 'push delivered' is logged at info: each delivery is counted in the nodes' output
    LOG_LEVEL: 'info',
  };
  pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  db = drizzle(pool, { schema }) as unknown as Db;
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await Promise.all(nodes.map((n) => n.stop()));
  await pool?.end().catch(() => {});
  await postgres?.destroy();
});

/** Three taxpayers, the first with the chat open on `on`; an administrator signed in on `admin`. */
async function audience(on: NodeProcess, adminNode: NodeProcess) {
  const people = await Promise.all([makeTaxpayer({ db }), makeTaxpayer({ db }), makeTaxpayer({ db })]);
  const first = people[0];
  if (!first) throw new Error('no taxpayer');
  const { chat } = await loginTaxpayer(on, first.taxpayer.taxpayerNo);
  const socket = connectSocket(chat);
  sockets.push(socket);
  await connected(socket);
  const notices: string[] = [];
  socket.on('inbox:new', (p) => notices.push(p.item.title));
  const admin = (await loginStaff(adminNode, (await makeStaff({ db }, 'admin')).username)).client;
  return { taxpayerNos: people.map((p) => p.taxpayer.taxpayerNo), notices, admin };
}

/** 发送 a push scheduled `inMs` from now; returns its id and due time. */
async function schedulePush(admin: HttpClient, title: string, taxpayerNos: string[], inMs: number) {
  const due = new Date(Date.now() + inMs);
  const created = await admin.post('/api/admin/pushes', {
    title,
    content: '请于本月15日前完成申报。',
    audience: { kind: 'list', taxpayerNos },
    scheduledAt: due.toISOString(),
  });
  expect(created.status).toBe(200);
  const sent = await admin.post(`/api/admin/pushes/${created.json.id}/send`);
  expect(sent.json.status).toBe('scheduled');
  return { id: created.json.id as string, due };
}

const untilPast = async (t: Date) => {
  while (Date.now() < t.getTime()) await new Promise((r) => setTimeout(r, 100));
};

/** What running the push left behind: its status, inbox items, its jobs (live or archived), deliveries logged. */
async function outcome(pushId: string, logs: string) {
  const [push] = await db.select().from(schema.pushes).where(eq(schema.pushes.id, pushId));
  const items = await db
    .select({ taxpayerId: schema.inboxItems.taxpayerId })
    .from(schema.inboxItems)
    .where(eq(schema.inboxItems.dedupeKey, pushDedupeKey(pushId)));
  const jobs = (await db.execute(
    sql`select state from pgboss.job where name = ${PUSH_JOB} and singleton_key = ${pushId}
        union all select state from pgboss.archive where name = ${PUSH_JOB} and singleton_key = ${pushId}`,
  )) as unknown as { rows: { state: string }[] };
  const delivered = logs.split('\n').filter((l) => l.includes('push delivered') && l.includes(pushId)).length;
  return {
    status: push?.status,
    recipients: new Set(items.map((i) => i.taxpayerId)).size,
    items: items.length,
    jobs: jobs.rows.map((r) => r.state),
    delivered,
  };
}

describe('a scheduled push that falls due during an outage', () => {
  it('runs once after PostgreSQL comes back under two running nodes', async () => {
    let t = performance.now();
    const [a, b] = await startTwoNodes('outage');
    const startMs = Math.round(performance.now() - t);
    const { taxpayerNos, notices, admin } = await audience(b, a);
    const push = await schedulePush(admin, '断库期间到期的推送', taxpayerNos, 3000);

    await postgres.stop('immediate');
    // due while the database is down; both nodes keep polling for it, and keep running
    await untilPast(new Date(push.due.getTime() + 2000));
    expect(a.proc.exitCode).toBeNull();
    expect(b.proc.exitCode).toBeNull();
    await postgres.start();
    t = performance.now();

    const logs = () => a.output() + b.output();
    await expect
      .poll(async () => (await outcome(push.id, logs())).status, { timeout: 45_000, interval: 250 })
      .toBe('sent');
    console.info(
      `[jobs-outage] two nodes ready in ${startMs} ms; push sent ${Math.round(performance.now() - t)} ms after ` +
        'PostgreSQL started',
    );
    await expect.poll(() => notices.length, { timeout: 10_000 }).toBe(1);
    // a second run would come within a poll or two of the first (the queue is polled every second)
    await new Promise((r) => setTimeout(r, 2000));
    expect(await outcome(push.id, logs())).toEqual({
      status: 'sent',
      recipients: 3,
      items: 3,
      jobs: ['completed'],
      delivered: 1,
    });
    expect(notices).toEqual(['断库期间到期的推送']);
    expect(a.proc.exitCode).toBeNull();
    expect(b.proc.exitCode).toBeNull();
  });

  it('runs once when both nodes were down at its time and two start again together', async () => {
    const [a, b] = nodes.slice(-2) as [NodeProcess, NodeProcess];
    const { taxpayerNos, admin } = await audience(b, a);
    const push = await schedulePush(admin, '停机期间到期的推送', taxpayerNos, 2000);
    // the whole service goes down hard, before the push is due
    await Promise.all([a.stop('SIGKILL'), b.stop('SIGKILL')]);
    await untilPast(new Date(push.due.getTime() + 1000));

    const t = performance.now();
    const [c, d] = await startTwoNodes('restart');
    const startMs = Math.round(performance.now() - t);
    const logs = () => c.output() + d.output();
    await expect
      .poll(async () => (await outcome(push.id, logs())).status, { timeout: 45_000, interval: 250 })
      .toBe('sent');
    console.info(
      `[jobs-outage] two nodes ready again in ${startMs} ms; push sent ${Math.round(performance.now() - t - startMs)} ` +
        'ms after that',
    );
    await new Promise((r) => setTimeout(r, 2000));
    expect(await outcome(push.id, logs())).toEqual({
      status: 'sent',
      recipients: 3,
      items: 3,
      jobs: ['completed'],
      delivered: 1,
    });
  });
});
