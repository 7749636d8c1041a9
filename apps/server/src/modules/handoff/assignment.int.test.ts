/**
 * The assignment path itself: routing read in one statement (office chain), the two-statement assignment (one script) with the
 * load counted again under the lock, what the announcement carries, and the decision timing hook.
 */

import type { PGlite } from '@electric-sql/pglite';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGroup, makeStaff, startTestApp } from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';
import { createPortalUser, createTaxOffice, createTaxpayer } from '../../db/factories.ts';
import { conversations, messages } from '../../db/schema.ts';
import { handoffRepo } from './handoff.repo.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

/** An open conversation of a new taxpayer of this office, waiting for nothing yet. */
async function conversationAt(officeId: string, name?: string) {
  const tp = await createTaxpayer(app.db, { taxOfficeId: officeId, ...(name ? { name } : {}) });
  const user = await createPortalUser(app.db, { taxpayerIds: [tp.id], passwordHash: 'x' });
  const [row] = await app.db
    .insert(conversations)
    .values({ taxpayerId: tp.id, portalUserId: user.id, handoffReason: 'button', handoffRequestedAt: new Date() })
    .returning();
  if (!row) throw new Error('conversation insert failed');
  return row;
}

const assigneeOf = async (id: string) =>
  (await app.db.select().from(conversations).where(eq(conversations.id, id)))[0]?.assigneeStaffId ?? null;

const loadOf = async (staffId: string) =>
  (
    await app.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.assigneeStaffId, staffId), eq(conversations.status, 'open')))
  ).length;

describe('routing', () => {
  it('serves a taxpayer of a district office with no group of its own from the group of the office above it', async () => {
    const city = await createTaxOffice(app.db);
    const district = await createTaxOffice(app.db, { parentId: city.id });
    const street = await createTaxOffice(app.db, { parentId: district.id });
    const agent = await makeStaff(app);
    await makeGroup(app, { taxOfficeId: city.id, agents: [agent.id] });
    const conv = await conversationAt(street.id);
    expect(await app.handoff.request(conv.id, 'button', null)).toBe('assigned');
    expect(await assigneeOf(conv.id)).toBe(agent.id);
  });

  it('ends an office chain that loops instead of following it forever', async () => {
    const a = await createTaxOffice(app.db);
    const b = await createTaxOffice(app.db, { parentId: a.id });
    await app.db.execute(sql`update tax_offices set parent_id = ${b.id} where id = ${a.id}`);
    const agent = await makeStaff(app);
    const group = await makeGroup(app, { taxOfficeId: b.id, agents: [agent.id] });
    const conv = await conversationAt(a.id);
    const route = await handoffRepo.routeInfo(app.db, conv.id);
    expect(route?.officeChain).toEqual([a.id, b.id]);
    expect(route?.groups.find((g) => g.id === group)).toMatchObject({ online: true, taxOfficeId: b.id });
    expect(await app.handoff.request(conv.id, 'button', null)).toBe('assigned');
    expect(await assigneeOf(conv.id)).toBe(agent.id);
  });
});

describe('assignment', () => {
  it('announces who joined with the names and reason read in the assigning statement', async () => {
    const office = await createTaxOffice(app.db);
    const agent = await makeStaff(app);
    await makeGroup(app, { taxOfficeId: office.id, agents: [agent.id] });
    const conv = await conversationAt(office.id, '宣布测试有限公司');
    const events: { staffId: string; taxpayerName: string; reason: string | null }[] = [];
    const off = app.bus.on('conversation.assigned', (e) => {
      if (e.conversationId === conv.id) events.push(e);
    });
    expect(await app.handoff.request(conv.id, 'button', null)).toBe('assigned');
    await new Promise((r) => setTimeout(r, 20));
    off();
    expect(events).toEqual([
      expect.objectContaining({ staffId: agent.id, taxpayerName: '宣布测试有限公司', reason: 'button' }),
    ]);
    const joined = await app.db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conv.id), sql`${messages.payload}->>'kind' = 'agent_joined'`));
    expect(joined.map((m) => m.body)).toEqual([`坐席${agent.name}已接入，为您服务。`]);
  });

  it('counts the chosen agent’s load again under the lock and takes the next agent if they filled up meanwhile', async () => {
    const office = await createTaxOffice(app.db);
    const first = await makeStaff(app);
    const second = await makeStaff(app);
    const group = await makeGroup(app, { taxOfficeId: office.id, agents: [first.id, second.id], cap: 1 });
    const waiting = await conversationAt(office.id);
    await handoffRepo.enqueue(app.db, waiting.id, group);
    // another assigner's conversation, committed between the choice and the assignment (injected below)
    const other = await conversationAt(office.id);
    let picked: string | null = null;
    const scripts: string[] = [];
    const bound = <T extends object>(target: T, prop: string | symbol) => {
      const v = Reflect.get(target, prop);
      return typeof v === 'function' ? v.bind(target) : v;
    };
    // assignOne sends its two statements as one script; this client runs them in one transaction with the other
    // assignment committed in between (PGlite is one session: "in between" is inside the same transaction)
    const client = (app.db as unknown as { $client: PGlite }).$client;
    const splitting = new Proxy(client, {
      get(target, prop) {
        if (prop !== 'exec') return bound(target, prop);
        return async (text: string) => {
          scripts.push(text);
          const [pick, assign] = text.split(';\n');
          if (!pick || !assign) throw new Error('expected two statements');
          return target.transaction(async (tx) => {
            const r1 = await tx.exec(pick);
            if (scripts.length === 1) {
              picked = (r1[0]?.rows[0] as { staff_id?: string } | undefined)?.staff_id ?? null;
              await tx.query('update conversations set assignee_staff_id = $1, assigned_at = now() where id = $2', [
                picked,
                other.id,
              ]);
            }
            return [...r1, ...(await tx.exec(assign))];
          });
        };
      },
    });
    const racing = new Proxy(app.db, {
      get: (target, prop) => (prop === '$client' ? splitting : bound(target, prop)),
    });
    const a = await handoffRepo.assignOne(racing, group);
    expect(picked).not.toBeNull();
    const otherAgent = picked === first.id ? second.id : first.id;
    expect(a).toMatchObject({ conversationId: waiting.id, staffId: otherAgent });
    expect(await loadOf(picked as unknown as string)).toBe(1);
    expect(await loadOf(otherAgent)).toBe(1);
    // the first agent's transaction assigned nothing; the second, with that agent excluded, did
    expect(scripts).toHaveLength(2);
  });

  it('reports the duration of each assignment transaction to decision listeners until they unsubscribe', async () => {
    const office = await createTaxOffice(app.db);
    const agent = await makeStaff(app);
    await makeGroup(app, { taxOfficeId: office.id, agents: [agent.id], cap: 1 });
    const seen: [number, string][] = [];
    const off = app.handoff.onDecision((ms, outcome) => seen.push([ms, outcome]));
    const one = await conversationAt(office.id);
    expect(await app.handoff.request(one.id, 'button', null)).toBe('assigned');
    expect(seen.filter(([, o]) => o === 'assigned')).toHaveLength(1);
    expect(seen[0]?.[0]).toBeGreaterThanOrEqual(0);
    // the agent is full: the request waits without an assignment transaction
    const two = await conversationAt(office.id);
    expect(await app.handoff.request(two.id, 'button', null)).toBe('queued');
    expect(seen.filter(([, o]) => o === 'assigned')).toHaveLength(1);
    off();
    await app.handoff.end(
      { kind: 'staff', sessionId: 't', staffId: agent.id, role: 'agent', name: agent.name },
      one.id,
    );
    expect(await assigneeOf(two.id)).toBe(agent.id);
    expect(seen.filter(([, o]) => o === 'assigned')).toHaveLength(1);
  });
});
