/** The words a call leaves in the timeline. */
import { describe, expect, it } from 'vitest';
import { callNotice, durationLabel } from './call-notices.ts';

const base = {
  kind: 'video' as const,
  note: '',
  failureReason: null,
  endedBy: null,
  invitedAt: '2026-03-01T08:00:00.000Z',
  connectedAt: '2026-03-01T08:00:05.000Z',
  durationSeconds: 0,
};

describe('call timeline notices', () => {
  it('says how long a call lasted, in minutes and seconds', () => {
    expect(durationLabel(192)).toBe('3 分 12 秒');
    expect(durationLabel(45)).toBe('45 秒');
    expect(durationLabel(3723)).toBe('1 小时 2 分 3 秒');
    expect(callNotice({ ...base, state: 'ended', durationSeconds: 192 })).toBe('视频通话已结束，时长 3 分 12 秒');
    expect(callNotice({ ...base, state: 'ended', connectedAt: null })).toBe('视频通话已结束（未接通）');
  });

  it('marks a request, with the taxpayer’s note, and the start', () => {
    expect(callNotice({ ...base, kind: 'screen', state: 'requested', invitedAt: null })).toBe('纳税人请求远程协助');
    expect(callNotice({ ...base, kind: 'audio', state: 'requested', invitedAt: null, note: '开票页面报错' })).toBe(
      '纳税人请求语音通话：开票页面报错',
    );
    expect(callNotice({ ...base, kind: 'screen', state: 'active' })).toBe('远程协助已开始');
    expect(callNotice({ ...base, state: 'inviting' })).toBeNull();
    expect(callNotice({ ...base, state: 'connecting' })).toBeNull();
  });

  it('tells who turned it down, that nobody answered, why it failed, and who gave up', () => {
    expect(callNotice({ ...base, state: 'declined', endedBy: 'taxpayer' })).toBe('纳税人拒绝了视频通话');
    expect(callNotice({ ...base, kind: 'screen', state: 'declined', endedBy: 'agent', invitedAt: null })).toBe(
      '坐席暂未接受远程协助请求',
    );
    expect(callNotice({ ...base, state: 'missed', endedBy: 'system' })).toBe('视频通话未接听');
    expect(callNotice({ ...base, state: 'failed', failureReason: 'device_denied' })).toBe(
      '视频通话连接失败：麦克风或摄像头未获授权',
    );
    expect(callNotice({ ...base, state: 'cancelled', endedBy: 'agent' })).toBe('视频通话已取消');
    expect(callNotice({ ...base, state: 'cancelled', endedBy: 'taxpayer', invitedAt: null })).toBe(
      '纳税人取消了视频通话请求',
    );
    expect(callNotice({ ...base, state: 'cancelled', endedBy: 'system', invitedAt: null })).toBe('视频通话请求已取消');
  });
});
