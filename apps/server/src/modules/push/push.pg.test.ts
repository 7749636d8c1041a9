/**
 * 精准推送 in the distributed shape: two nodes on one PostgreSQL and Redis. A push sent on node A reaches a taxpayer
 * whose socket is on node B live (one cluster event per batch, each node telling its own sockets), exactly once.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connected,
  connectSocket,
  loginStaff,
  loginTaxpayer,
  makeStaff,
  makeTaxpayer,
  nextEvent,
  startTestApp,
} from '../../../test/harness.ts';
import { createTestDatabase } from '../../../test/pg-database.ts';
import type { RunningApp } from '../../app.ts';
import { inboxItems } from '../../db/schema.ts';
import { pushDedupeKey } from './push.service.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let a: RunningApp;
let b: RunningApp;
beforeAll(async () => {
  database = await createTestDatabase();
  const env = { DATABASE_URL: database.url, REDIS_URL: process.env.TEST_REDIS_URL as string };
  a = await startTestApp(env);
  b = await startTestApp(env);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await database?.drop();
});

describe('精准推送 across nodes', () => {
  it('a push sent on node A arrives live on node B, once', async () => {
    const { taxpayer } = await makeTaxpayer(a);
    const { chat } = await loginTaxpayer(b, taxpayer.taxpayerNo);
    const socket = connectSocket(chat);
    await connected(socket);
    const arrivals: unknown[] = [];
    socket.on('inbox:new', (p) => arrivals.push(p));
    const live = nextEvent(socket, 'inbox:new', (p) => p.item.title === '跨节点推送', 10_000);

    const admin = (await loginStaff(a, (await makeStaff(a, 'admin')).username)).client;
    const created = await admin.post('/api/admin/pushes', {
      title: '跨节点推送',
      content: '内容',
      audience: { kind: 'list', taxpayerNos: [taxpayer.taxpayerNo] },
    });
    expect((await admin.post(`/api/admin/pushes/${created.json.id}/send`)).status).toBe(200);
    expect(await live).toMatchObject({ unread: 1, item: { kind: 'push', title: '跨节点推送' } });
    await a.push.idle();
    await new Promise((r) => setTimeout(r, 500));
    expect(arrivals).toHaveLength(1);
    const rows = await a.db
      .select()
      .from(inboxItems)
      .where(eq(inboxItems.dedupeKey, pushDedupeKey(created.json.id)));
    expect(rows).toHaveLength(1);
    socket.close();
  });
});
