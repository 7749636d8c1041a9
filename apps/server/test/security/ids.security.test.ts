/**
 * Guessable identifiers (CWE-330, CWE-639 by enumeration): the class of Chatwoot's sequential conversation and
 * attachment ids walked by a script, Zammad's enumerable ticket numbers, and Rocket.Chat's predictable file ids.
 *
 * Every id a taxpayer sees — conversations, messages, files, 留言, 工单, appointments, 我的消息 — is a random
 * (version 4) UUID, nothing in a row's id follows from its neighbour's, and the human-readable numbers shown to
 * people (留言编号, 预约号) or small integers are never accepted where an id is expected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.ts';
import {
  appointments,
  attachments,
  caseFiles,
  conversations,
  inboxItems,
  inquiries,
  messages,
  sessions,
  workOrders,
} from '../../src/db/schema.ts';
import { openTaxpayerChat, startTestApp, type TaxpayerChat } from '../harness.ts';
import {
  bookingForm,
  expectRefused,
  inquiryForm,
  makeAppointmentService,
  PNG,
  slotAt,
  upload,
} from './attack-fixtures.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let app: RunningApp;
const people: TaxpayerChat[] = [];
const seen: { kind: string; id: string; number?: string }[] = [];

beforeAll(async () => {
  app = await startTestApp();
  // two taxpayers with a little of everything, made one after the other (neighbouring rows)
  for (let i = 0; i < 2; i++) {
    const tp = await openTaxpayerChat(app);
    people.push(tp);
    seen.push({ kind: 'conversation', id: tp.conversationId });
    for (let m = 0; m < 3; m++) {
      const sent = await tp.send(`第 ${m} 条消息`);
      if (sent.ok) seen.push({ kind: 'message', id: sent.data.id });
    }
    const att = await upload(tp.chat, `/api/chat/conversations/${tp.conversationId}/attachments`, PNG, '截图.png');
    seen.push({ kind: 'attachment', id: att.json.id });
    const file = await upload(tp.chat, '/api/chat/inquiries/files', PNG, '发票.png');
    seen.push({ kind: 'case file', id: file.json.id });
    const left = await tp.chat.post('/api/chat/inquiries', inquiryForm(tp.officeId, { fileIds: [file.json.id] }));
    seen.push({ kind: '留言', id: left.json.id, number: left.json.number });
    const service = await makeAppointmentService(app, tp.officeId);
    const booked = await tp.chat.post('/api/chat/appointments', bookingForm(service.id, slotAt(3 + i, '09:30')));
    seen.push({ kind: 'appointment', id: booked.json.id, number: booked.json.number });
  }
  const inbox = await people[0]?.chat.get('/api/chat/inbox');
  for (const item of (Object.values(inbox?.json ?? {}).find(Array.isArray) as { id: string }[] | undefined) ?? []) {
    seen.push({ kind: 'inbox', id: item.id });
  }
});
afterAll(async () => {
  for (const tp of people) tp.socket.close();
  await app?.close();
});

describe('ids are random, not sequential (Chatwoot / Zammad / Rocket.Chat: enumerable ids)', () => {
  it('every id a taxpayer was given is a version 4 UUID', () => {
    const kinds = new Set(seen.map((s) => s.kind));
    for (const k of ['conversation', 'message', 'attachment', 'case file', '留言', 'appointment', 'inbox']) {
      expect(kinds, k).toContain(k);
    }
    for (const s of seen) expect(s.id, s.kind).toMatch(UUID_V4);
    expect(new Set(seen.map((s) => s.id)).size).toBe(seen.length);
  });

  it('every stored row of these kinds has a random id; neighbours share no common prefix', async () => {
    const tables = {
      conversations,
      messages,
      attachments,
      caseFiles,
      inquiries,
      workOrders,
      appointments,
      inboxItems,
      sessions,
    };
    for (const [name, table] of Object.entries(tables)) {
      const rows = (await app.db.select({ id: table.id }).from(table)) as { id: string }[];
      for (const r of rows) expect(r.id, name).toMatch(UUID_V4);
      const sorted = rows.map((r) => r.id).sort();
      for (let i = 1; i < sorted.length; i++) {
        // sequential or time-ordered ids would share long prefixes; 122 random bits share about 0
        expect((sorted[i] as string).slice(0, 8), name).not.toBe((sorted[i - 1] as string).slice(0, 8));
      }
    }
  });

  it('small integers, neighbours of a real id and the human-readable numbers are not accepted as ids', async () => {
    const [a, b] = people as [TaxpayerChat, TaxpayerChat];
    const mine = seen.find((s) => s.kind === 'attachment')?.id as string;
    // the next id "after" A's file: a guess, not somebody's file
    const last = Number.parseInt(mine.slice(-1), 16);
    const neighbour = `${mine.slice(0, -1)}${((last + 1) % 16).toString(16)}`;
    expect((await b.chat.get(`/api/files/${neighbour}`)).status).toBe(404);
    for (const guess of ['1', '2', '0', '-1', '00000000-0000-0000-0000-000000000001']) {
      const res = await b.chat.get(`/api/files/${guess}`);
      expect([400, 404]).toContain(res.status);
    }
    expectRefused(await b.chat.get('/api/files/1'), 400, 'VALIDATION_FAILED');
    const numbered = seen.filter((x) => x.number);
    expect(numbered.length).toBeGreaterThanOrEqual(2);
    for (const s of numbered) {
      const num = encodeURIComponent(s.number as string);
      expectRefused(await a.chat.get(`/api/chat/case-files/${num}`), 400, 'VALIDATION_FAILED');
      expectRefused(await a.chat.post(`/api/chat/appointments/${num}/cancel`), 400, 'VALIDATION_FAILED');
    }
    // A's appointment is untouched by all of it
    const list = await a.chat.get('/api/chat/appointments');
    const own = (list.json.appointments as { id: string; status: string }[]).find(
      (x) => x.id === seen.find((s) => s.kind === 'appointment')?.id,
    );
    expect(own?.status).toBe('booked');
  });
});
