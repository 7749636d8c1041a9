// @vitest-environment happy-dom
import type { TCall } from '@zhengna/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSocket } from '../realtime/fake-socket.ts';
import { RealtimeClient } from '../realtime/realtime-client.ts';
import { CallController } from './call-controller.ts';
import { sampleCall } from './call-fixture.ts';

const CONV = '6f1c2a34-1111-4aaa-8bbb-000000000001';
const CALL = '6f1c2a34-2222-4aaa-8bbb-000000000001';
const OLDER = '6f1c2a34-2222-4aaa-8bbb-000000000000';

const call = (overrides: Partial<TCall> = {}): TCall => sampleCall(overrides);

let controller: CallController | undefined;
afterEach(() => controller?.dispose());

function setup(side: 'agent' | 'taxpayer') {
  const socket = new FakeSocket();
  socket.serverConnect();
  const client = new RealtimeClient(socket);
  controller = new CallController({
    side,
    client,
    fetchIceServers: async () => ({ iceServers: [], ttl: 600, iceTransportPolicy: 'all' }),
  });
  return { socket, controller };
}

describe('CallController', () => {
  it('shows the invitation the server announces, and keeps a finished call finished', () => {
    const { socket, controller } = setup('taxpayer');
    socket.fire('call:update', call());
    expect(controller.getView(CONV).call?.state).toBe('inviting');
    socket.fire('call:update', call({ state: 'missed', endedBy: 'system' }));
    // a late, older update of the same call arrives after it ended
    socket.fire('call:update', call({ state: 'inviting' }));
    expect(controller.getView(CONV).call?.state).toBe('missed');
    expect(controller.liveCalls()).toEqual([]);
  });

  it('ignores an update of an older call once a newer one is shown', () => {
    const { socket, controller } = setup('agent');
    socket.fire('call:update', call());
    socket.fire('call:update', call({ id: OLDER, state: 'ended', createdAt: '2026-11-30T07:00:00.000Z' }));
    expect(controller.getView(CONV).call?.id).toBe(CALL);
  });

  it('drops records that do not match the contract', () => {
    const { socket, controller } = setup('taxpayer');
    socket.fire('call:update', { ...call(), state: 'hacked' });
    expect(controller.getView(CONV).call).toBeNull();
  });

  it('tells the agent why a call could not start when the taxpayer has no devices, and the view says so', async () => {
    const { socket, controller } = setup('taxpayer');
    socket.fire('call:update', call());
    const accepting = controller.accept(call());
    await Promise.resolve();
    await Promise.resolve();
    const failed = socket.lastSent('call:failed');
    expect(failed.payload).toMatchObject({ callId: CALL, conversationId: CONV, reason: 'device_missing' });
    failed.ack({ ok: true, data: call({ state: 'failed', failureReason: 'device_missing', endedBy: 'taxpayer' }) });
    await accepting;
    const view = controller.getView(CONV);
    expect(view.call?.state).toBe('failed');
    expect(view.error).toMatch(/浏览器不支持音视频通话/);
    expect(view.busy).toBe(false);
    expect(socket.sent('call:accept')).toHaveLength(0);
  });

  it("shows the server's refusal of an invitation in Chinese", async () => {
    const { socket, controller } = setup('agent');
    const inviting = controller.invite(CONV, 'screen', CALL);
    await Promise.resolve();
    socket
      .lastSent('call:invite')
      .ack({ ok: false, error: { code: 'CALL_BUSY', message: '当前会话已有进行中的通话或协助，请先结束后再发起。' } });
    await inviting;
    expect(controller.getView(CONV).error).toBe('当前会话已有进行中的通话或协助，请先结束后再发起。');
  });
});
