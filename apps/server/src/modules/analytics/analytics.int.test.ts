/**
 * 统计分析 (issue #10): a scripted day of traffic at two tax offices, stored as the product stores it, and the exact
 * figures each section returns for it; the day boundaries (China time), the office and group filters, who may read
 * them, and the CSV and Excel exports.
 */
import { randomUUID } from 'node:crypto';
import type { TMessagePayload } from '@zhengna/contracts';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type HttpClient,
  loginStaff,
  makeGroup,
  makeStaff,
  makeTaxpayer,
  startTestApp,
  TEST_PASSWORD,
} from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';
import {
  appointmentServices,
  appointmentSlots,
  appointments,
  botFeedback,
  conversationRatings,
  conversations,
  inquiries,
  messages,
  workOrders,
} from '../../db/schema.ts';
import { chinaToday } from './analytics-range.ts';

let app: RunningApp;
let supervisor: HttpClient;
let supervisorCookie: string;
let A: Awaited<ReturnType<typeof makeTaxpayer>>;
let B: Awaited<ReturnType<typeof makeTaxpayer>>;
let agent1: Awaited<ReturnType<typeof makeStaff>>;
let agent2: Awaited<ReturnType<typeof makeStaff>>;
let G1: string;

const D = '2026-03-10';
/** A China time on the scripted day (or another). */
const at = (hms: string, date = D) => new Date(`${date}T${hms}+08:00`);
const plus = (d: Date, seconds: number) => new Date(d.getTime() + seconds * 1000);
const q = (path: string, params: Record<string, string> = {}) =>
  `/api/admin/analytics/${path}?${new URLSearchParams({ from: D, to: D, ...params })}`;

type Script = {
  who: typeof A;
  created: Date;
  /** The taxpayer's question and the bot's reply. */
  turn?: { question: string; reply: TMessagePayload; feedback?: boolean };
  handoff?: {
    reason: string;
    group?: string;
    agent?: typeof agent1;
    waitSeconds?: number;
    firstReplySeconds?: number;
    handlingSeconds?: number;
    rating?: number;
  };
  closeAfterSeconds?: number;
};

async function conversation(s: Script) {
  const id = randomUUID();
  const h = s.handoff;
  const requested = h ? plus(s.created, 60) : null;
  const assigned = h?.agent && requested ? plus(requested, h.waitSeconds ?? 0) : null;
  const closed = assigned ? plus(assigned, h?.handlingSeconds ?? 0) : plus(s.created, s.closeAfterSeconds ?? 300);
  await app.db.insert(conversations).values({
    id,
    taxpayerId: s.who.taxpayer.id,
    portalUserId: s.who.user.id,
    status: 'closed',
    createdAt: s.created,
    closedAt: closed,
    handoffRequestedAt: requested,
    handoffReason: h?.reason ?? null,
    handoffGroupId: h?.group ?? null,
    assigneeStaffId: h?.agent?.id ?? null,
    assignedAt: assigned,
  });
  let seq = 0;
  const msg = async (v: Partial<typeof messages.$inferInsert> & { createdAt: Date }) => {
    const mid = randomUUID();
    seq += 1;
    await app.db.insert(messages).values({
      id: mid,
      conversationId: id,
      seq,
      senderType: 'taxpayer',
      senderName: '办税员',
      body: '',
      ...v,
    });
    return mid;
  };
  if (s.turn) {
    await msg({ body: s.turn.question, createdAt: plus(s.created, 5) });
    const reply = await msg({
      senderType: 'bot',
      senderName: '智能助手',
      body: '答复',
      payload: s.turn.reply,
      createdAt: plus(s.created, 6),
    });
    if (s.turn.feedback !== undefined && s.turn.reply.kind === 'answer') {
      await app.db.insert(botFeedback).values({
        messageId: reply,
        entryId: s.turn.reply.entryId,
        helpful: s.turn.feedback,
        createdAt: plus(s.created, 20),
      });
    }
  }
  if (h?.agent && assigned) {
    await msg({
      senderType: 'agent',
      senderId: h.agent.id,
      senderName: h.agent.name,
      body: '您好',
      createdAt: plus(assigned, h.firstReplySeconds ?? 0),
    });
    if (h.rating) {
      await app.db
        .insert(conversationRatings)
        .values({ conversationId: id, score: h.rating, staffId: h.agent.id, createdAt: closed });
    }
  }
  return id;
}

const answer = (entryId: string): TMessagePayload => ({
  kind: 'answer',
  entryId,
  question: `${entryId}的问题`,
  documents: [],
});
const clarify: TMessagePayload = {
  kind: 'clarify',
  candidates: [
    { entryId: 'E1', question: '一' },
    { entryId: 'E2', question: '二' },
  ],
};
const noAnswer: TMessagePayload = { kind: 'no_answer', offers: [] };

beforeAll(async () => {
  app = await startTestApp();
  A = await makeTaxpayer(app);
  B = await makeTaxpayer(app);
  agent1 = await makeStaff(app, 'agent');
  agent2 = await makeStaff(app, 'agent');
  G1 = await makeGroup(app, { agents: [agent1.id, agent2.id] });
  supervisor = (await loginStaff(app, (await makeStaff(app, 'supervisor')).username)).client;
  const login = await fetch(`${app.url}/api/staff/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: (await makeStaff(app, 'supervisor')).username, password: TEST_PASSWORD }),
  });
  supervisorCookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

  // office A, 09:00–09:50 on D: six conversations
  await conversation({
    who: A,
    created: at('09:00:00'),
    turn: { question: '怎么开发票', reply: answer('E1'), feedback: false },
    handoff: {
      reason: 'button',
      group: G1,
      agent: agent1,
      waitSeconds: 30,
      firstReplySeconds: 20,
      handlingSeconds: 1200,
      rating: 5,
    },
  });
  await conversation({
    who: A,
    created: at('09:10:00'),
    turn: { question: '发票怎么开', reply: answer('E1'), feedback: false },
    handoff: {
      reason: 'keyword',
      group: G1,
      agent: agent1,
      waitSeconds: 90,
      firstReplySeconds: 40,
      handlingSeconds: 600,
      rating: 3,
    },
  });
  await conversation({
    who: A,
    created: at('09:20:00'),
    turn: { question: '申报期限', reply: answer('E2'), feedback: true },
    handoff: {
      reason: 'button',
      group: G1,
      agent: agent2,
      waitSeconds: 150,
      firstReplySeconds: 60,
      handlingSeconds: 1800,
    },
  });
  // queued, then closed before anyone took it: abandoned
  await conversation({
    who: A,
    created: at('09:30:00'),
    turn: { question: '你好', reply: clarify },
    handoff: { reason: 'emotion', group: G1 },
  });
  // nobody to serve it (never queued); a 留言 left from the chat
  const c5 = await conversation({
    who: A,
    created: at('09:40:00'),
    turn: { question: '=1+1', reply: noAnswer },
    handoff: { reason: 'no_answer' },
  });
  await conversation({ who: A, created: at('09:50:00'), turn: { question: '税控盘怎么注销', reply: noAnswer } });
  // office B, same day
  await conversation({
    who: B,
    created: at('10:00:00'),
    turn: { question: '怎么开发票', reply: answer('E1'), feedback: true },
  });
  // office A, just before and just after the day (China time)
  await conversation({
    who: A,
    created: at('23:59:00', '2026-03-09'),
    turn: { question: '前一天', reply: answer('E3') },
  });
  await conversation({
    who: A,
    created: at('00:00:00', '2026-03-11'),
    turn: { question: '后一天', reply: answer('E3') },
  });

  // 留言: one from c5 still pending (overdue now), one replied on time; 工单: one done late, one overdue
  const inquiry = (v: Partial<typeof inquiries.$inferInsert>) =>
    app.db.insert(inquiries).values({
      taxpayerId: A.taxpayer.id,
      portalUserId: A.user.id,
      taxOfficeId: A.office.id,
      type: 'policy',
      content: '内容',
      phone: '13900000000',
      receiveBy: 'inbox',
      clientKey: randomUUID(),
      createdAt: at('09:45:00'),
      dueAt: at('17:00:00', '2026-03-13'),
      ...v,
    });
  await inquiry({ conversationId: c5 });
  await inquiry({ status: 'replied', repliedAt: at('11:00:00', '2026-03-11'), reply: '已答复' });
  const workOrder = (v: Partial<typeof workOrders.$inferInsert>) =>
    app.db.insert(workOrders).values({
      number: `GD${randomUUID().slice(0, 8)}`,
      taxpayerId: A.taxpayer.id,
      type: 'general',
      title: '工单',
      content: '内容',
      receiveBy: 'inbox',
      taxOfficeId: A.office.id,
      groupId: G1,
      createdAt: at('10:30:00'),
      dueAt: at('17:00:00', '2026-03-12'),
      ...v,
    });
  await workOrder({ status: 'done', doneAt: at('09:00:00', '2026-03-13') });
  await workOrder({ status: 'processing' });

  // appointments on D: completed, no-show, cancelled
  const [service] = await app.db
    .insert(appointmentServices)
    .values({
      name: '发票业务视频辅导',
      taxOfficeId: A.office.id,
      business: 'invoice',
      channel: 'av',
      schedule: {},
      slotMinutes: 30,
      capacity: 5,
    })
    .returning();
  const [slot] = await app.db
    .insert(appointmentSlots)
    .values({ serviceId: service!.id, startsAt: at('14:00:00'), endsAt: at('14:30:00'), capacity: 5, booked: 3 })
    .returning();
  for (const status of ['completed', 'no_show', 'cancelled'] as const) {
    await app.db.insert(appointments).values({
      number: `YY${randomUUID().slice(0, 8)}`,
      serviceId: service!.id,
      slotId: slot!.id,
      taxpayerId: A.taxpayer.id,
      portalUserId: A.user.id,
      startsAt: slot!.startsAt,
      endsAt: slot!.endsAt,
      phone: '13900000000',
      description: '咨询',
      receiveBy: 'inbox',
      status,
      clientKey: randomUUID(),
    });
  }
});
afterAll(async () => {
  await app?.close();
});

describe('智能问答', () => {
  it('counts the day: conversations, answered / clarified / no-answer, 有用/没用, top and problem entries', async () => {
    const res = await supervisor.get(q('bot'));
    expect(res.status).toBe(200);
    expect(res.json.range).toEqual({ from: D, to: D });
    expect(res.json.totals).toEqual({
      conversations: 7,
      replies: 7,
      answered: 4,
      clarified: 1,
      noAnswer: 2,
      answeredRate: 4 / 7,
      clarifiedRate: 1 / 7,
      noAnswerRate: 2 / 7,
      helpful: 2,
      unhelpful: 2,
      helpfulRate: 0.5,
    });
    expect(res.json.days).toEqual([
      { date: D, conversations: 7, answered: 4, clarified: 1, noAnswer: 2, helpful: 2, unhelpful: 2 },
    ]);
    expect(res.json.topQuestions).toEqual([
      { entryId: 'E1', question: 'E1的问题', count: 3 },
      { entryId: 'E2', question: 'E2的问题', count: 1 },
    ]);
    expect(res.json.topUnanswered).toEqual([
      { question: '=1+1', count: 1 },
      { question: '税控盘怎么注销', count: 1 },
    ]);
    expect(res.json.problemEntries).toEqual([{ entryId: 'E1', question: 'E1', helpful: 1, unhelpful: 2 }]);
  });

  it('filters by office, and the day boundaries are China time', async () => {
    const b = (await supervisor.get(q('bot', { officeId: B.office.id }))).json;
    expect(b.totals).toMatchObject({ conversations: 1, answered: 1, replies: 1, helpful: 1, unhelpful: 0 });
    const three = (await supervisor.get(q('bot', { from: '2026-03-09', to: '2026-03-11', officeId: A.office.id })))
      .json;
    expect(three.days.map((d: { date: string; conversations: number }) => [d.date, d.conversations])).toEqual([
      ['2026-03-09', 1],
      [D, 6],
      ['2026-03-11', 1],
    ]);
    expect(three.totals.answered).toBe(5);
  });

  it('defaults to the last 7 days and refuses a bad range', async () => {
    const res = await supervisor.get('/api/admin/analytics/bot');
    expect(res.status).toBe(200);
    expect(res.json.range.to).toBe(chinaToday());
    expect(res.json.days).toHaveLength(7);
    expect((await supervisor.get(q('bot', { from: '2026-03-11', to: '2026-03-10' }))).status).toBe(400);
    expect((await supervisor.get(q('bot', { from: '2025-01-01', to: '2026-03-10' }))).status).toBe(400);
    expect((await supervisor.get(q('bot', { from: '2026/03/01' }))).status).toBe(400);
  });
});

describe('转人工', () => {
  it('rates by reason, waits p50/p90, abandonment and conversions of the unserved', async () => {
    const res = await supervisor.get(q('handoff', { officeId: A.office.id }));
    expect(res.status).toBe(200);
    expect(res.json.totals).toEqual({
      conversations: 6,
      handoffs: 5,
      handoffRate: 5 / 6,
      assigned: 3,
      abandoned: 1,
      abandonRate: 0.25,
      waitP50Seconds: 90,
      waitP90Seconds: 138,
      unserved: 1,
      inquiryConversions: 1,
      appointmentConversions: 0,
    });
    expect(
      res.json.byReason.map((r: { reason: string; label: string; count: number }) => [r.reason, r.label, r.count]),
    ).toEqual([
      ['button', '点击转人工', 2],
      ['emotion', '情绪波动', 1],
      ['keyword', '转人工关键词', 1],
      ['no_answer', '连续未找到答案', 1],
    ]);
    expect(res.json.days).toEqual([
      {
        date: D,
        conversations: 6,
        handoffs: 5,
        assigned: 3,
        abandoned: 1,
        waitP50Seconds: 90,
        waitP90Seconds: 138,
      },
    ]);
  });

  it('filters by skill group', async () => {
    const res = await supervisor.get(q('handoff', { groupId: G1 }));
    expect(res.json.totals).toMatchObject({ handoffs: 4, assigned: 3, abandoned: 1, unserved: 0 });
    const none = await supervisor.get(q('handoff', { groupId: 'no-such-group' }));
    expect(none.json.totals).toMatchObject({ handoffs: 0, waitP50Seconds: null, handoffRate: 0 });
  });
});

describe('坐席', () => {
  it('handled chats, first response, handling time, satisfaction and load by hour', async () => {
    const res = await supervisor.get(q('agents'));
    expect(res.status).toBe(200);
    expect(res.json.agents).toEqual([
      {
        staffId: agent1.id,
        name: agent1.name,
        handled: 2,
        firstResponseP50Seconds: 30,
        firstResponseAvgSeconds: 30,
        handlingAvgSeconds: 900,
        ratings: 2,
        avgScore: 4,
        satisfiedRate: 0.5,
      },
      {
        staffId: agent2.id,
        name: agent2.name,
        handled: 1,
        firstResponseP50Seconds: 60,
        firstResponseAvgSeconds: 60,
        handlingAvgSeconds: 1800,
        ratings: 0,
        avgScore: null,
        satisfiedRate: null,
      },
    ]);
    expect(res.json.hourly).toHaveLength(24);
    // 1200 + 600 + 1800 seconds held between 09:00 and 10:00 on one day
    expect(res.json.hourly[9]).toEqual({ hour: 9, avgConcurrent: 1 });
    expect(res.json.hourly.filter((h: { avgConcurrent: number }) => h.avgConcurrent > 0)).toHaveLength(1);
    expect((await supervisor.get(q('agents', { officeId: B.office.id }))).json.agents).toEqual([]);
  });
});

describe('留言 / 工单 and 预约', () => {
  it('volumes, on-time rate and the overdue list', async () => {
    const res = await supervisor.get(q('cases', { officeId: A.office.id }));
    expect(res.status).toBe(200);
    expect(res.json.inquiries).toEqual({ created: 2, finished: 1, onTime: 1, onTimeRate: 1, overdueOpen: 1 });
    expect(res.json.workOrders).toEqual({ created: 2, finished: 1, onTime: 0, onTimeRate: 0, overdueOpen: 1 });
    expect(res.json.days).toEqual([{ date: D, inquiries: 2, workOrders: 2 }]);
    expect(res.json.overdue.map((o: { kind: string }) => o.kind)).toEqual(['work_order', 'inquiry']);
    expect(JSON.stringify(res.json)).not.toContain(A.taxpayer.name);
  });

  it('booked, completed, no-show', async () => {
    const res = await supervisor.get(q('appointments'));
    expect(res.json.totals).toEqual({ booked: 3, completed: 1, noShow: 1, cancelled: 1, noShowRate: 0.5 });
    expect((await supervisor.get(q('appointments', { officeId: B.office.id }))).json.totals.booked).toBe(0);
  });
});

describe('who may read, and the CSV', () => {
  it('supervisors and admins only', async () => {
    const agent = (await loginStaff(app, agent1.username)).client;
    const admin = (await loginStaff(app, (await makeStaff(app, 'admin')).username)).client;
    for (const section of ['bot', 'handoff', 'agents', 'cases', 'appointments']) {
      expect((await agent.get(q(section))).status).toBe(403);
      expect((await admin.get(q(section))).status).toBe(200);
    }
    const anonymous = await fetch(`${app.url}${q('bot')}`);
    expect(anonymous.status).toBe(401);
  });

  it('a UTF-8 CSV with a BOM and Chinese headers; a formula-like cell is neutralised', async () => {
    const res = await supervisor.get(q('bot', { format: 'csv' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain(
      encodeURIComponent('智能问答统计_2026-03-10_2026-03-10.csv'),
    );
    // fetch's text() drops the BOM: read the bytes
    const raw = await fetch(`${app.url}${q('bot', { format: 'csv' })}`, { headers: { cookie: supervisorCookie } });
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.text.split('\r\n');
    expect(lines[1]).toBe('会话数,机器人回复数,已回答,澄清,未找到答案,回答率,澄清率,未回答率,有用,没用,有用率');
    expect(lines[2]).toBe('7,7,4,1,2,57.1%,14.3%,28.6%,2,2,50.0%');
    expect(lines).toContain("'=1+1,1");
    expect(res.text).not.toMatch(/(^|,)=1\+1/m);
    for (const section of ['handoff', 'agents', 'cases', 'appointments']) {
      const r = await supervisor.get(q(section, { format: 'csv' }));
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/csv');
    }
  });

  it('an Excel workbook per section: a sheet per table, the CSV headers, numbers as numbers, shares as percentages', async () => {
    const download = async (section: string) => {
      const res = await fetch(`${app.url}${q(section, { format: 'xlsx' })}`, { headers: { cookie: supervisorCookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await res.arrayBuffer());
      return { workbook, disposition: res.headers.get('content-disposition') };
    };
    /** A row's cells (exceljs numbers them from 1; an empty cell is null). */
    const cells = (sheet: ExcelJS.Worksheet, row: number, width: number) =>
      Array.from({ length: width }, (_, i) => sheet.getRow(row).getCell(i + 1).value ?? null);

    const { workbook, disposition } = await download('bot');
    expect(disposition).toContain(encodeURIComponent('智能问答统计_2026-03-10_2026-03-10.xlsx'));
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      '智能问答 2026-03-10 至 2026-03-10',
      '按日',
      '热门问题',
      '热门未回答问题',
      '问题条目（多次没用）',
    ]);
    const bot = (await supervisor.get(q('bot'))).json;
    const [summary, days, , unanswered] = workbook.worksheets as ExcelJS.Worksheet[];
    expect(cells(summary!, 1, 11)).toEqual([
      '会话数',
      '机器人回复数',
      '已回答',
      '澄清',
      '未找到答案',
      '回答率',
      '澄清率',
      '未回答率',
      '有用',
      '没用',
      '有用率',
    ]);
    const t = bot.totals;
    expect(cells(summary!, 2, 11)).toEqual([
      t.conversations,
      t.replies,
      t.answered,
      t.clarified,
      t.noAnswer,
      t.answeredRate,
      t.clarifiedRate,
      t.noAnswerRate,
      t.helpful,
      t.unhelpful,
      t.helpfulRate,
    ]);
    expect(summary!.getRow(2).getCell(6).numFmt).toBe('0.0%');
    expect(summary!.getRow(2).getCell(1).numFmt ?? 'General').not.toContain('%');
    expect(cells(days!, 2, 7)).toEqual([D, 7, 4, 1, 2, 2, 2]);
    // the taxpayer's text is text: not a formula, and no ' in front
    expect(cells(unanswered!, 2, 2)).toEqual(['=1+1', 1]);

    // every section: each sheet holds what the CSV holds, typed
    for (const section of ['bot', 'handoff', 'agents', 'cases', 'appointments']) {
      const csv = (await supervisor.get(q(section, { format: 'csv' }))).text.replace(/^\uFEFF/, '');
      const tables = csv
        .trimEnd()
        .split('\r\n\r\n')
        .map((block) => block.split('\r\n').map((line) => line.split(',')));
      const { workbook: book } = await download(section);
      expect(book.worksheets.map((w) => w.name)).toEqual(tables.map((table) => table[0]?.[0]));
      tables.forEach(([, header, ...rows], i) => {
        const sheet = book.worksheets[i] as ExcelJS.Worksheet;
        const width = header?.length ?? 0;
        expect(cells(sheet, 1, width)).toEqual(header);
        expect(sheet.actualRowCount).toBe(1 + rows.length);
        rows.forEach((row, r) => {
          const expected = row.map((c) =>
            c === ''
              ? null
              : c.endsWith('%')
                ? expect.closeTo(Number(c.slice(0, -1)) / 100, 3)
                : /^-?\d+(\.\d+)?$/.test(c) && !/^\d{2}:\d{2}$/.test(c)
                  ? Number(c)
                  : c.replace(/^'(?=[=+\-@\t\r])/, ''),
          );
          expect(cells(sheet, r + 2, width)).toEqual(expected);
        });
      });
    }
  });
});
