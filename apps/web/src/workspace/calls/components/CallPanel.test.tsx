// @vitest-environment happy-dom

import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { TCall } from '@zhengna/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppProvider } from '../../../shared/i18n/AppProvider.tsx';
import { type CallController, type CallView, EMPTY_CALL_VIEW } from '../../../shared/rtc/call-controller.ts';
import { sampleCall } from '../../../shared/rtc/call-fixture.ts';
import { CallsContext } from '../hooks/calls-context.ts';
import { CallButtons } from './CallButtons.tsx';
import { CallPanel } from './CallPanel.tsx';
import { ConversationCallSection } from './ConversationCallSection.tsx';

afterEach(cleanup);

const CONV = '00000000-0000-4000-8000-000000000001';
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

/** Just enough of a controller: a fixed view and spies for the actions. */
function fakeController(view: Partial<CallView>) {
  const full: CallView = { ...EMPTY_CALL_VIEW, ...view };
  return {
    subscribe: () => () => {},
    getView: (id: string | null) => (id === CONV ? full : EMPTY_CALL_VIEW),
    invite: vi.fn(async () => {}),
    decline: vi.fn(async () => {}),
    cancel: vi.fn(async () => {}),
    hangup: vi.fn(async () => {}),
    setMuted: vi.fn(),
    setCameraOff: vi.fn(),
    annotate: vi.fn(() => true),
    dismiss: vi.fn(),
  } as unknown as CallController & Record<string, ReturnType<typeof vi.fn>>;
}

function renderWith(controller: CallController, ui: React.ReactNode, live: TCall[] = []) {
  // the app's provider: buttons keep their text as written (no space inside two-character names)
  return render(
    <AppProvider>
      <CallsContext value={{ controller, live }}>{ui}</CallsContext>
    </AppProvider>,
  );
}

const panel = <CallPanel conversationId={CONV} openConversationId={CONV} onOpenConversation={() => {}} />;

// antd's first render of a panel takes seconds on a loaded machine
describe('CallPanel', { timeout: 20_000 }, () => {
  it('shows 邀请中 with 取消 while ringing', () => {
    const c = fakeController({ call: call() });
    renderWith(c, panel);
    const el = screen.getByTestId('call-panel');
    expect(el.getAttribute('data-call-state')).toBe('inviting');
    expect(el.textContent).toContain('张三');
    expect(el.textContent).toContain('邀请中');
    fireEvent.click(screen.getByRole('button', { name: '取消' }));
    expect(c.cancel).toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: '挂断' })).toBeNull();
  });

  it('shows the video, mute, camera and hang-up during a video call', () => {
    const local = new MediaStream();
    vi.spyOn(local, 'getVideoTracks').mockReturnValue([{} as MediaStreamTrack]);
    const c = fakeController({ call: call({ state: 'active', connectedAt: AT }), joined: true, localStream: local });
    renderWith(c, panel);
    expect(screen.getByTestId('remote-video').tagName).toBe('VIDEO');
    expect(screen.getByTestId('call-clock')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '静音' }));
    expect(c.setMuted).toHaveBeenCalledWith(CONV, true);
    fireEvent.click(screen.getByRole('button', { name: '关闭摄像头' }));
    expect(c.setCameraOff).toHaveBeenCalledWith(CONV, true);
    fireEvent.click(screen.getByRole('button', { name: '挂断' }));
    expect(c.hangup).toHaveBeenCalled();
  });

  it('says when the network wavers', () => {
    renderWith(fakeController({ call: call({ state: 'active' }), joined: true, peer: 'reconnecting' }), panel);
    expect(screen.getByTestId('call-messages').textContent).toContain('网络波动，正在重新连接…');
  });

  it('shows the shared screen with its tools during remote assistance, and sends a clear', () => {
    const c = fakeController({ call: call({ kind: 'screen', state: 'active' }), joined: true });
    renderWith(c, panel);
    expect(screen.getByTestId('shared-screen').tagName).toBe('VIDEO');
    expect(screen.getByRole('button', { name: '原始大小' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '全屏' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '清除标记' }));
    expect(c.annotate).toHaveBeenCalledWith(CONV, { type: 'clear' });
    expect(screen.queryByRole('button', { name: '静音' })).toBeNull();
  });

  it('keeps a finished call until 关闭, with how it ended', () => {
    const c = fakeController({ call: call({ state: 'failed', failureReason: 'network' }) });
    renderWith(c, panel);
    expect(screen.getByTestId('call-panel').textContent).toContain('网络连接失败');
    fireEvent.click(screen.getByRole('button', { name: '关闭' }));
    expect(c.dismiss).toHaveBeenCalledWith(CONV);
  });

  it('is absent for a request (the card in the conversation answers it)', () => {
    renderWith(fakeController({ call: call({ state: 'requested', invitedAt: null }) }), panel);
    expect(screen.queryByTestId('call-panel')).toBeNull();
  });
});

describe('CallButtons and the request card', { timeout: 20_000 }, () => {
  it('invites with the kind the agent picked', () => {
    const c = fakeController({});
    renderWith(c, <CallButtons conversationId={CONV} mine open />);
    for (const name of ['语音通话', '视频通话', '远程协助'])
      expect((screen.getByRole('button', { name }) as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: '远程协助' }));
    expect(c.invite).toHaveBeenCalledWith(CONV, 'screen');
  });

  it('are disabled while a call is live, with the reason for screen readers', () => {
    const live = call({ state: 'active' });
    renderWith(fakeController({ call: live }), <CallButtons conversationId={CONV} mine open />, [live]);
    const button = screen.getByRole('button', { name: '视频通话' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    const described = document.getElementById(button.getAttribute('aria-describedby') ?? '');
    expect(described?.textContent).toBe('当前会话的视频通话通话中');
  });

  it('are not offered in someone else’s conversation', () => {
    renderWith(fakeController({}), <CallButtons conversationId={CONV} mine={false} open />);
    expect(screen.queryByRole('button', { name: '语音通话' })).toBeNull();
  });

  it('answers a taxpayer’s request with the same call, or declines it', () => {
    const request = call({ state: 'requested', kind: 'screen', invitedAt: null, initiator: 'taxpayer', note: '开票' });
    const c = fakeController({ call: request });
    renderWith(c, <ConversationCallSection conversationId={CONV} mine open />, [request]);
    const card = screen.getByTestId('call-request-card');
    expect(card.textContent).toContain('纳税人请求远程协助');
    expect(card.textContent).toContain('开票');
    fireEvent.click(screen.getByRole('button', { name: '接受' }));
    expect(c.invite).toHaveBeenCalledWith(CONV, 'screen', request.id);
    fireEvent.click(screen.getByRole('button', { name: '拒绝' }));
    expect(c.decline).toHaveBeenCalledWith(request);
  });
});
