import type { TCall } from '@zhengna/contracts';
import { describe, expect, it } from 'vitest';
import { sampleCall } from '../../shared/rtc/call-fixture.ts';
import {
  callOutcome,
  callPhase,
  elapsedSeconds,
  invitationDetail,
  invitationTitle,
  markAnnouncement,
  stateAnnouncement,
} from './call-text.ts';

const call = (overrides: Partial<TCall> = {}): TCall => sampleCall(overrides);

describe('invitation', () => {
  it('says who invites and to what', () => {
    expect(invitationTitle(call())).toBe('张敏邀请您进行视频通话');
    expect(invitationTitle(call({ kind: 'audio' }))).toBe('张敏邀请您进行语音通话');
    expect(invitationTitle(call({ kind: 'screen' }))).toBe('张敏邀请您进行远程协助');
  });

  it("answers the taxpayer's own request as an acceptance", () => {
    expect(invitationTitle(call({ kind: 'screen', initiator: 'taxpayer' }))).toBe('张敏已接受您的远程协助请求');
  });

  it('explains what sharing shows and that it can be stopped', () => {
    expect(invitationDetail('screen')).toContain('坐席将看到您选择共享的屏幕、窗口或标签页内容，不会操作您的电脑');
    expect(invitationDetail('screen')).toContain('您可随时停止共享');
    expect(invitationDetail('video')).toContain('麦克风和摄像头');
  });
});

describe('callPhase', () => {
  it('shows the request window only when asked and no call is live', () => {
    expect(callPhase(null, null)).toEqual({ type: 'none' });
    expect(callPhase(null, 'screen')).toEqual({ type: 'offer', intent: 'screen' });
    expect(callPhase(call({ state: 'ended' }), 'call')).toEqual({ type: 'offer', intent: 'call' });
  });

  it('lets a live call win over the toolbar', () => {
    expect(callPhase(call({ state: 'requested' }), 'screen').type).toBe('waiting');
    expect(callPhase(call(), 'screen').type).toBe('invitation');
    expect(callPhase(call({ state: 'active' }), 'screen').type).toBe('window');
    expect(callPhase(call({ state: 'missed' }), null).type).toBe('window');
  });
});

describe('callOutcome', () => {
  it('gives the duration of a call that ran', () => {
    expect(callOutcome(call({ state: 'ended', endedBy: 'agent', durationSeconds: 192 }))).toBe(
      '坐席已结束视频通话。时长 3 分 12 秒。',
    );
    expect(callOutcome(call({ kind: 'screen', state: 'ended', endedBy: 'taxpayer', durationSeconds: 45 }))).toBe(
      '您已停止共享。时长 45 秒。',
    );
  });

  it('gives the reason a call did not happen', () => {
    expect(callOutcome(call({ state: 'failed', failureReason: 'device_denied' }))).toBe('麦克风或摄像头未获授权。');
    expect(callOutcome(call({ state: 'failed' }))).toBe('通话建立失败。');
    expect(callOutcome(call({ state: 'missed' }))).toBe('邀请已超时，未接听。');
    expect(callOutcome(call({ state: 'missed', invitedAt: null, initiator: 'taxpayer' }))).toContain('坐席暂未响应');
    expect(callOutcome(call({ state: 'declined', endedBy: 'agent', initiator: 'taxpayer' }))).toContain(
      '坐席暂时无法受理',
    );
    expect(callOutcome(call({ state: 'cancelled', endedBy: 'agent' }))).toBe('坐席已取消邀请。');
  });
});

describe('announcements', () => {
  it('tells each state change, and leaves the invitation to its alert dialog', () => {
    expect(stateAnnouncement(call())).toBe('');
    expect(stateAnnouncement(call({ state: 'active' }))).toBe('视频通话已接通。');
    expect(stateAnnouncement(call({ kind: 'screen', state: 'active' }))).toContain('坐席正在查看您共享的内容');
    expect(stateAnnouncement(call({ state: 'ended', endedBy: 'agent', durationSeconds: 5 }))).toBe(
      '视频通话已结束：坐席已结束视频通话。时长 5 秒。',
    );
  });

  it('announces a mark with its label', () => {
    expect(markAnnouncement({ type: 'mark', x: 0.5, y: 0.5 })).toBe('坐席在共享画面上标记了一个位置');
    expect(markAnnouncement({ type: 'mark', x: 0.5, y: 0.5, label: '点这里' })).toBe(
      '坐席在共享画面上标记了一个位置：点这里',
    );
  });
});

describe('elapsedSeconds', () => {
  it('counts from the connection, never below zero', () => {
    const at = '2026-11-30T08:00:00.000Z';
    expect(elapsedSeconds(at, Date.parse(at) + 192_400)).toBe(192);
    expect(elapsedSeconds(at, Date.parse(at) - 2_000)).toBe(0);
    expect(elapsedSeconds(null, Date.now())).toBe(0);
  });
});
