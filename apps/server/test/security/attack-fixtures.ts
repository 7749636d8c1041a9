/**
 * What the security suite's attacks aim at: a victim taxpayer with something of every kind (a conversation with a
 * message and a file, a 留言 with a file, a 工单, a booking, a 我的消息 item, a favourite), built through the same
 * routes the widget and the workspace use. Not a test file: `*.security.test.ts` files import it.
 */
import { randomUUID } from 'node:crypto';
import { PROTOCOL_VERSION } from '@zhengna/contracts';
import { eq } from 'drizzle-orm';
import { io as ioClient } from 'socket.io-client';
import { expect } from 'vitest';
import type { RunningApp } from '../../src/app.ts';
import { staff } from '../../src/db/schema.ts';
import { appointmentRepo } from '../../src/modules/appointment/appointment.repo.ts';
import { cstStartOf, shiftDate } from '../../src/modules/appointment/appointment-calendar.ts';
import type { StaffActor } from '../../src/modules/identity/identity.types.ts';
import { cstDate } from '../../src/modules/settings/working-days.ts';
import {
  type ClientSocket,
  connected,
  connectSocket,
  type HttpClient,
  loginStaff,
  makeGroup,
  makeStaff,
} from '../harness.ts';

/** A 1×1 transparent PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

export const hasChinese = (s: unknown) => typeof s === 'string' && /[\u4e00-\u9fff]/.test(s);

/** The product's refusal: this status, this code, a Chinese message. */
export function expectRefused(res: { status: number; json: any }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.json?.code).toBe(code);
  expect(hasChinese(res.json?.message)).toBe(true);
}

export function upload(client: HttpClient, url: string, bytes: Uint8Array, fileName: string, type = 'image/png') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), fileName);
  return client.request('POST', url, form);
}

/** Raw download, to look at the bytes and headers. */
export async function download(client: HttpClient, url: string) {
  const res = await fetch(client.base + url, {
    headers: client.bearer ? { authorization: `Bearer ${client.bearer}` } : {},
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** An agent of this office, in a skill group there (the office's 留言 and bookings reach them). */
export async function officeAgent(app: RunningApp, officeId: string) {
  const agent = await makeStaff(app);
  await app.db.update(staff).set({ taxOfficeId: officeId }).where(eq(staff.id, agent.id));
  await makeGroup(app, { taxOfficeId: officeId, agents: [agent.id] });
  return { agent, client: (await loginStaff(app, agent.username)).client };
}

/** Staff with a connected socket (online). */
export async function staffWithSocket(app: RunningApp, role: 'agent' | 'supervisor' = 'agent') {
  const s = await makeStaff(app, role);
  await app.db.update(staff).set({ presence: 'online' }).where(eq(staff.id, s.id));
  const { client, me } = await loginStaff(app, s.username);
  const socket = connectSocket(client);
  await connected(socket);
  return { ...s, client, me, socket };
}

/** This staff member acting in-process as a supervisor (to give a conversation to an agent, as 分配 does). */
export const asSupervisor = (s: { id: string; name: string }): StaffActor => ({
  kind: 'staff',
  sessionId: randomUUID(),
  staffId: s.id,
  role: 'supervisor',
  name: s.name,
});

export const inquiryForm = (officeId: string, extra: Record<string, unknown> = {}) => ({
  clientKey: randomUUID(),
  taxOfficeId: officeId,
  type: 'invoice',
  content: '我公司上月开具的增值税专用发票需要红冲，请问如何操作？',
  remind: false,
  receiveBy: 'inbox',
  ...extra,
});

const ALL_WEEK = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '09:00', end: '11:00' }]]),
) as Record<string, { start: string; end: string }[]>;

/** An appointment service of this office, open every day 09:00–11:00 CST, bookable 1–14 days ahead. */
export function makeAppointmentService(app: RunningApp, officeId: string) {
  return appointmentRepo.insertService(app.db, {
    name: `发票业务视频辅导${randomUUID().slice(0, 4)}`,
    taxOfficeId: officeId,
    business: 'invoice',
    channel: 'av',
    schedule: ALL_WEEK,
    slotMinutes: 30,
    capacity: 2,
    minDaysAhead: 1,
    maxDaysAhead: 14,
    cutoffMinutes: 60,
    cancelMinutes: 120,
  });
}

/** `days` ahead (CST) at hh:mm CST, as an ISO instant. */
export const slotAt = (days: number, hm: string) =>
  new Date(
    cstStartOf(shiftDate(cstDate(new Date()), days)).getTime() +
      (Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3))) * 60_000,
  ).toISOString();

export const bookingForm = (serviceId: string, startsAt: string, extra: Record<string, unknown> = {}) => ({
  clientKey: randomUUID(),
  serviceId,
  startsAt,
  phone: '13900002222',
  description: '咨询发票红冲的操作流程',
  ...extra,
});

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A socket that presents exactly this handshake token (an old one, a forged one) and never reconnects. */
export const socketWithToken = (base: string, token: string): ClientSocket =>
  ioClient(base, {
    transports: ['websocket'],
    reconnection: false,
    auth: { token, protocolVersion: PROTOCOL_VERSION },
  }) as ClientSocket;

/** Whether the socket's handshake was accepted (true) or refused (false); the socket is closed either way. */
export async function handshakeAccepted(socket: ClientSocket): Promise<boolean> {
  try {
    await connected(socket, 10_000);
    return true;
  } catch {
    return false;
  } finally {
    socket.close();
  }
}

/** Resolves with the reason once the server cuts this socket. */
export function cutOff(socket: ClientSocket, timeoutMs = 5000): Promise<string> {
  if (socket.disconnected) return Promise.resolve('already disconnected');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket was not disconnected')), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}
