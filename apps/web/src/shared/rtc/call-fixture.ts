/** Test support: a call record as the server sends it (`call:update`), ringing by default. */
import type { TCall } from '@zhengna/contracts';

export const FIXTURE_CONVERSATION_ID = '6f1c2a34-1111-4aaa-8bbb-000000000001';
export const FIXTURE_CALL_ID = '6f1c2a34-2222-4aaa-8bbb-000000000001';

export function sampleCall(overrides: Partial<TCall> = {}): TCall {
  return {
    id: FIXTURE_CALL_ID,
    conversationId: FIXTURE_CONVERSATION_ID,
    kind: 'video',
    state: 'inviting',
    initiator: 'agent',
    agentName: '张敏',
    taxpayerName: '王芳',
    note: '',
    failureReason: null,
    endedBy: null,
    createdAt: '2026-11-30T08:00:10.000Z',
    invitedAt: '2026-11-30T08:00:10.000Z',
    connectedAt: null,
    endedAt: null,
    durationSeconds: 0,
    ...overrides,
  };
}
