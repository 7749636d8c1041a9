import type { TCall } from '@zhengna/contracts';
import { describe, expect, it } from 'vitest';
import { sampleCall } from '../../shared/rtc/call-fixture.ts';
import { busyReason, callOutcome, inviteAvailability, panelControls, showsCallPanel } from './call-ui-state.ts';

const CONV = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
const AT = '2026-05-20T01:00:00.000Z';

const call = (over: Partial<TCall> = {}): TCall =>
  sampleCall({
    id: '00000000-0000-4000-8000-0000000000c1',
    conversationId: CONV,
    agentName: '李坐席',
    taxpayerName: '张三',
    createdAt: AT,
    invitedAt: AT,
    ...over,
  });

describe('invite buttons', () => {
  const base = { mine: true, open: true, ready: true, call: null, live: [], conversationId: CONV };
  it('show only in an open conversation the agent holds', () => {
    expect(inviteAvailability(base)).toEqual({ visible: true, disabledReason: null });
    expect(inviteAvailability({ ...base, mine: false })).toEqual({ visible: false });
    expect(inviteAvailability({ ...base, open: false })).toEqual({ visible: false });
  });
  it('are disabled while this conversation has a live call, and say why', () => {
    const c = call({ state: 'active' });
    expect(inviteAvailability({ ...base, call: c, live: [c] })).toEqual({
      visible: true,
      disabledReason: '当前会话的视频通话通话中',
    });
    const request = call({ state: 'requested', kind: 'screen', invitedAt: null, initiator: 'taxpayer' });
    expect(inviteAvailability({ ...base, call: request, live: [request] })).toMatchObject({
      disabledReason: '纳税人已请求远程协助，请先接受或拒绝',
    });
  });
  it('are disabled while the agent is in a call with another taxpayer, not for a mere request there', () => {
    const elsewhere = call({ conversationId: OTHER, state: 'connecting', taxpayerName: '王五', kind: 'audio' });
    expect(inviteAvailability({ ...base, live: [elsewhere] })).toMatchObject({
      disabledReason: '您正在与王五进行语音通话，请先结束',
    });
    const request = call({ conversationId: OTHER, state: 'requested', invitedAt: null });
    expect(inviteAvailability({ ...base, live: [request] })).toMatchObject({ disabledReason: null });
  });
  it('are enabled again once the call is over', () => {
    expect(inviteAvailability({ ...base, call: call({ state: 'ended' }) })).toMatchObject({ disabledReason: null });
  });
  it('waits for the connection', () => {
    expect(inviteAvailability({ ...base, ready: false })).toMatchObject({ disabledReason: '正在连接服务器，请稍候' });
  });
  it('lets the agent accept the request itself', () => {
    const request = call({ state: 'requested', invitedAt: null });
    expect(
      busyReason({ ready: true, call: request, live: [request], conversationId: CONV, acceptingRequest: true }),
    ).toBe(null);
  });
});

describe('call panel', () => {
  it('is for invitations and their outcome, not for requests or requests that never rang', () => {
    expect(showsCallPanel(null)).toBe(false);
    expect(showsCallPanel(call({ state: 'requested', invitedAt: null }))).toBe(false);
    expect(showsCallPanel(call({ state: 'cancelled', invitedAt: null, endedBy: 'taxpayer' }))).toBe(false);
    expect(showsCallPanel(call({ state: 'inviting' }))).toBe(true);
    expect(showsCallPanel(call({ state: 'missed' }))).toBe(true);
  });

  it('offers 取消 while ringing', () => {
    expect(panelControls(call({ state: 'inviting' }), false, false)).toEqual({
      cancel: true,
      mute: false,
      camera: false,
      hangup: false,
      close: false,
      screen: false,
    });
  });
  it('offers mute, camera and hang-up in a video call this tab holds', () => {
    expect(panelControls(call({ state: 'active' }), true, true)).toMatchObject({
      mute: true,
      camera: true,
      hangup: true,
      cancel: false,
      close: false,
    });
    // no camera: the call went on as voice
    expect(panelControls(call({ state: 'active' }), true, false)).toMatchObject({ mute: true, camera: false });
    // another tab of this agent holds the devices: only hang-up
    expect(panelControls(call({ state: 'active' }), false, false)).toMatchObject({
      mute: false,
      camera: false,
      hangup: true,
    });
  });
  it('has no camera button in a voice call, and the screen tools only in remote assistance', () => {
    expect(panelControls(call({ state: 'active', kind: 'audio' }), true, false)).toMatchObject({
      mute: true,
      camera: false,
      screen: false,
    });
    expect(panelControls(call({ state: 'connecting', kind: 'screen' }), true, false)).toMatchObject({
      mute: false,
      camera: false,
      screen: true,
      hangup: true,
    });
  });
  it('offers only 关闭 once the call is over', () => {
    for (const state of ['ended', 'declined', 'missed', 'failed', 'cancelled'] as const)
      expect(panelControls(call({ state }), true, true)).toEqual({
        cancel: false,
        mute: false,
        camera: false,
        hangup: false,
        close: true,
        screen: false,
      });
  });
});

describe('call outcome', () => {
  it('says who ended and how long it lasted', () => {
    expect(callOutcome(call({ state: 'ended', endedBy: 'taxpayer', connectedAt: AT, durationSeconds: 192 }))).toBe(
      '纳税人已挂断，通话时长 3 分 12 秒',
    );
    expect(callOutcome(call({ state: 'ended', endedBy: 'agent' }))).toBe('您已挂断，未接通');
  });
  it('gives the reason of a failure', () => {
    expect(callOutcome(call({ state: 'failed', failureReason: 'device_denied' }))).toBe('麦克风或摄像头未获授权');
    expect(callOutcome(call({ state: 'failed' }))).toBe('通话建立失败');
  });
  it('names declines and missed calls', () => {
    expect(callOutcome(call({ state: 'declined', kind: 'screen' }))).toBe('纳税人拒绝了远程协助');
    expect(callOutcome(call({ state: 'missed' }))).toBe('纳税人未接听');
    expect(callOutcome(call({ state: 'active' }))).toBeNull();
  });
});
