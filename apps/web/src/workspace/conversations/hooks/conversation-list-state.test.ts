import type { TConversationSummary, TMessage } from '@zhengna/contracts';
import { describe, expect, it } from 'vitest';
import { applyMessage, upsertSummary } from './conversation-list-state.ts';

const summary = (id: string, lastSeq: number, at: string): TConversationSummary => ({
  id,
  status: 'open',
  assigneeStaffId: null,
  queuedAt: null,
  lastSeq,
  createdAt: '2026-01-01T00:00:00.000Z',
  lastMessageAt: at,
  taxpayer: {
    taxpayerId: 't',
    taxpayerNo: '91370100MA3C000001',
    name: '济南示例科技有限公司',
    type: 'general',
    taxOfficeName: '历下区税务局',
  },
  personName: '张三',
  lastMessage: null,
});

const message = (conversationId: string, seq: number, at: string): TMessage => ({
  id: `00000000-0000-4000-8000-00000000000${seq}`,
  conversationId,
  seq,
  clientId: null,
  senderType: 'taxpayer',
  senderId: 't',
  senderName: '张三',
  body: '你好',
  attachments: [],
  private: false,
  payload: null,
  createdAt: at,
});

const A = '00000000-0000-4000-8000-0000000000aa';
const B = '00000000-0000-4000-8000-0000000000bb';

describe('conversation list state', () => {
  it('moves a conversation with a new message to the top', () => {
    const list = [summary(A, 1, '2026-01-02T00:00:00.000Z'), summary(B, 1, '2026-01-01T00:00:00.000Z')];
    const next = applyMessage(list, message(B, 2, '2026-01-03T00:00:00.000Z'));
    expect(next?.map((s) => s.id)).toEqual([B, A]);
    expect(next?.[0]?.lastMessage?.seq).toBe(2);
  });
  it('returns null for a conversation it does not know', () => {
    expect(applyMessage([], message(A, 1, '2026-01-03T00:00:00.000Z'))).toBeNull();
  });
  it('ignores an out-of-date summary', () => {
    const list = [summary(A, 5, '2026-01-02T00:00:00.000Z')];
    expect(upsertSummary(list, summary(A, 3, '2026-01-01T00:00:00.000Z'))[0]?.lastSeq).toBe(5);
  });
});
