import type { TMessage, TMessagePayload } from '@zhengna/contracts';
import { describe, expect, it } from 'vitest';
import { nextQueueBanner, type QueueBannerState, queueBannerText, queueEndedAfter } from './queue-state.ts';

const CONV = '6f1c2a34-1111-4aaa-8bbb-000000000001';
const OTHER = '6f1c2a34-1111-4aaa-8bbb-000000000002';

function message(payload: TMessagePayload | null, conversationId = CONV): TMessage {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    conversationId,
    seq: 3,
    clientId: null,
    senderType: 'system',
    senderId: null,
    senderName: '系统',
    body: '',
    attachments: [],
    private: false,
    payload,
    createdAt: '2026-05-20T01:00:00.000Z',
  };
}

const queued: QueueBannerState = { conversationId: CONV, position: 2, estimatedWaitSeconds: 150 };

describe('queue banner state', () => {
  it('shows the position and the wait (rounded up to minutes) from queue:update', () => {
    const next = nextQueueBanner(null, CONV, {
      type: 'update',
      conversationId: CONV,
      position: 3,
      estimatedWaitSeconds: 61,
    });
    expect(next).toEqual({ conversationId: CONV, position: 3, estimatedWaitSeconds: 61 });
    expect(next && queueBannerText(next)).toBe('正在为您转接人工客服，您前面还有 3 位，预计等待约 2 分钟');
  });

  it('says at least 1 minute, and a plain notice while the position is not known yet', () => {
    expect(queueBannerText({ conversationId: CONV, position: 0, estimatedWaitSeconds: 5 })).toContain('约 1 分钟');
    expect(queueBannerText({ conversationId: CONV, position: null, estimatedWaitSeconds: null })).toBe(
      '正在为您转接人工客服，请稍候…',
    );
  });

  it('ignores updates of another conversation', () => {
    expect(
      nextQueueBanner(queued, CONV, { type: 'update', conversationId: OTHER, position: 9, estimatedWaitSeconds: 9 }),
    ).toBe(queued);
  });

  it('hides when an agent joins, nobody is available, or the conversation ends', () => {
    expect(
      nextQueueBanner(queued, CONV, { type: 'message', message: message({ kind: 'agent_joined', agentName: '张敏' }) }),
    ).toBeNull();
    expect(
      nextQueueBanner(queued, CONV, { type: 'message', message: message({ kind: 'agents_unavailable', offers: [] }) }),
    ).toBeNull();
    expect(nextQueueBanner(queued, CONV, { type: 'message', message: message({ kind: 'rating_request' }) })).toBeNull();
  });

  it('stays through the bot’s answers while queued and through other conversations’ notices', () => {
    expect(nextQueueBanner(queued, CONV, { type: 'message', message: message({ kind: 'smalltalk' }) })).toBe(queued);
    expect(
      nextQueueBanner(queued, CONV, {
        type: 'message',
        message: message({ kind: 'agent_joined', agentName: '张敏' }, OTHER),
      }),
    ).toBe(queued);
  });

  it('hides after 退出排队', () => {
    expect(nextQueueBanner(queued, CONV, { type: 'left' })).toBeNull();
  });
});

describe('queueEndedAfter', () => {
  it('sees an agent who joined before the 转人工 answer came back, and ignores older notices', () => {
    const joined = { ...message({ kind: 'agent_joined', agentName: '张敏' }), seq: 7 };
    const oldJoin = { ...message({ kind: 'agent_joined', agentName: '刘洋' }), seq: 3 };
    expect(queueEndedAfter([oldJoin, joined], 5)).toBe(true);
    expect(queueEndedAfter([oldJoin], 5)).toBe(false);
    expect(queueEndedAfter([{ ...message(null), seq: 9 }], 5)).toBe(false);
  });
});
