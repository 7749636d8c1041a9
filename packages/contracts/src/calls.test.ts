import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CALL_LIMITS,
  CALL_STATE_LABELS,
  callClientEvents,
  ZAnnotation,
  ZCallIceCandidate,
  ZCallInviteRequest,
  ZCallOffer,
  ZCallRequest,
  ZCallState,
  ZIceServers,
} from './index.ts';

const ref = { conversationId: randomUUID(), callId: randomUUID() };
const sdp = 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';

describe('call signalling contracts', () => {
  it('labels every state in Chinese', () => {
    expect(Object.keys(CALL_STATE_LABELS).sort()).toEqual([...ZCallState.options].sort());
    expect(Object.values(CALL_STATE_LABELS)).toEqual([
      '等待坐席接受',
      '邀请中',
      '连接中',
      '通话中',
      '已结束',
      '已拒绝',
      '未接听',
      '连接失败',
      '已取消',
    ]);
  });

  it('takes who invites from the session, not from the client', () => {
    const parsed = ZCallInviteRequest.parse({ ...ref, kind: 'screen', from: 'agent', fromName: '伪造' });
    expect(parsed).toEqual({ ...ref, kind: 'screen' });
    expect(ZCallInviteRequest.safeParse({ ...ref, kind: 'fax' }).success).toBe(false);
  });

  it('limits an SDP to 100 KB, counted in bytes', () => {
    expect(ZCallOffer.parse({ ...ref, sdp })).toEqual({ ...ref, sdp, iceRestart: false });
    const big = `v=0\r\n${'a'.repeat(CALL_LIMITS.sdpBytes)}`;
    expect(ZCallOffer.safeParse({ ...ref, sdp: big }).success).toBe(false);
    // 40 000 Chinese characters are 120 000 bytes
    const wide = `v=0\r\ns=${'税'.repeat(40_000)}\r\n`;
    expect(ZCallOffer.safeParse({ ...ref, sdp: wide }).success).toBe(false);
    expect(ZCallOffer.safeParse({ ...ref, sdp: 'hello' }).success).toBe(false);
  });

  it('limits an ICE candidate and accepts the end-of-candidates marker', () => {
    const candidate = {
      candidate: 'candidate:1 1 udp 2122260223 192.0.2.10 54321 typ host generation 0',
      sdpMid: '0',
      sdpMLineIndex: 0,
    };
    expect(ZCallIceCandidate.safeParse({ ...ref, candidate }).success).toBe(true);
    expect(ZCallIceCandidate.safeParse({ ...ref, candidate: { candidate: '', sdpMid: null } }).success).toBe(true);
    const long = { candidate: 'x'.repeat(CALL_LIMITS.candidateBytes + 1) };
    expect(ZCallIceCandidate.safeParse({ ...ref, candidate: long }).success).toBe(false);
  });

  it('keeps annotations on the shared screen (fractions 0–1)', () => {
    expect(ZAnnotation.safeParse({ type: 'pointer', x: 0.25, y: 1 }).success).toBe(true);
    expect(ZAnnotation.safeParse({ type: 'pointer', x: 1.2, y: 0.5 }).success).toBe(false);
    expect(ZAnnotation.safeParse({ type: 'mark', x: -0.1, y: 0.5 }).success).toBe(false);
    expect(ZAnnotation.safeParse({ type: 'mark', x: Number.NaN, y: 0.5 }).success).toBe(false);
    expect(ZAnnotation.safeParse({ type: 'stroke', points: [{ x: 0, y: 0 }] }).success).toBe(false);
    expect(ZAnnotation.safeParse({ type: 'clear' }).success).toBe(true);
  });

  it('lets a taxpayer ask for a call or remote assistance', () => {
    expect(ZCallRequest.parse({ conversationId: ref.conversationId, kind: 'screen' })).toEqual({
      conversationId: ref.conversationId,
      kind: 'screen',
      note: '',
    });
    expect(Object.keys(callClientEvents)).toContain('call:request');
  });

  it('describes ICE servers as RTCPeerConnection takes them', () => {
    const ok = { iceServers: [{ urls: ['turns:t.example:5349'], username: '1:abc', credential: 'x=' }], ttl: 600 };
    // a server that says nothing about the policy lets every path through
    expect(ZIceServers.parse(ok)).toEqual({ ...ok, iceTransportPolicy: 'all' });
    const relay = { ...ok, iceTransportPolicy: 'relay' };
    expect(ZIceServers.parse(relay)).toEqual(relay);
    expect(ZIceServers.safeParse({ ...ok, iceTransportPolicy: 'none' }).success).toBe(false);
    expect(ZIceServers.safeParse({ iceServers: [{ urls: ['https://t.example'] }], ttl: 600 }).success).toBe(false);
  });
});
