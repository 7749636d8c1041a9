// @vitest-environment happy-dom

import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { TCall } from '@zhengna/contracts';
import { ConfigProvider } from 'antd';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUTTON_CONFIG } from '../../shared/i18n/AppProvider.tsx';
import { FakeSocket } from '../../shared/realtime/fake-socket.ts';
import { RealtimeClient } from '../../shared/realtime/realtime-client.ts';
import { EMPTY_CALL_VIEW } from '../../shared/rtc/call-controller.ts';
import { sampleCall } from '../../shared/rtc/call-fixture.ts';
import CallLayer from './CallLayer.tsx';
import { CallWindow } from './CallWindow.tsx';
import type { CallIntent } from './call-entry.ts';
import { SharePreview } from './SharePreview.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const CONV = '6f1c2a34-1111-4aaa-8bbb-000000000001';
const CALL = '6f1c2a34-2222-4aaa-8bbb-000000000001';

const call = (overrides: Partial<TCall> = {}): TCall => sampleCall(overrides);

async function setup(buffer: unknown[] = [], intent: CallIntent | null = null) {
  const socket = new FakeSocket();
  socket.serverConnect();
  const client = new RealtimeClient(socket);
  const onIntent = vi.fn();
  await act(async () => {
    render(
      <ConfigProvider button={BUTTON_CONFIG}>
        <CallLayer
          client={client}
          conversationId={CONV}
          withAuth={(fn) => fn('token')}
          buffer={buffer}
          intent={intent}
          onIntent={onIntent}
          fontSize={14}
        />
      </ConfigProvider>,
    );
  });
  return { socket, onIntent };
}

describe('CallLayer', () => {
  it('shows an invitation that came before the call code loaded, focused, with 接听 and 拒绝', async () => {
    const { socket } = await setup([call()]);
    const card = screen.getByRole('alertdialog', { name: '张敏邀请您进行视频通话' });
    expect(document.activeElement).toBe(card);
    expect(within(card).getByRole('button', { name: '接听' })).toBeTruthy();

    // Escape neither answers nor closes the widget under it
    const esc = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    card.dispatchEvent(esc);
    expect(esc.defaultPrevented).toBe(true);
    expect(socket.sent('call:decline')).toHaveLength(0);

    fireEvent.click(within(card).getByRole('button', { name: '拒绝' }));
    const decline = socket.lastSent('call:decline');
    expect(decline.payload).toMatchObject({ conversationId: CONV, callId: CALL, reason: 'rejected' });
    await act(async () => decline.ack({ ok: true, data: call({ state: 'declined', endedBy: 'taxpayer' }) }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.queryByTestId('call-window')).toBeNull();
  });

  it('opens the screen picker in the very click on 开始共享 (the browser needs that gesture)', async () => {
    const getDisplayMedia = vi.fn(() => new Promise<MediaStream>(() => {}));
    vi.stubGlobal('navigator', { ...navigator, mediaDevices: { getDisplayMedia } });
    const { socket } = await setup();
    await act(async () => socket.fire('call:update', call({ kind: 'screen' })));
    const card = screen.getByRole('alertdialog', { name: '张敏邀请您进行远程协助' });
    expect(card.textContent).toContain('不会操作您的电脑');
    fireEvent.click(within(card).getByRole('button', { name: '开始共享' }));
    expect(getDisplayMedia).toHaveBeenCalledTimes(1);
  });

  it('asks for remote assistance, waits for the agent and lets the taxpayer withdraw', async () => {
    const { socket, onIntent } = await setup([], 'screen');
    const dialog = screen.getByRole('dialog', { name: '远程协助' });
    expect(dialog.textContent).toContain('坐席将看到您选择共享的屏幕、窗口或标签页内容');
    fireEvent.click(within(dialog).getByRole('button', { name: '请求远程协助' }));
    const request = socket.lastSent('call:request');
    expect(request.payload).toMatchObject({ conversationId: CONV, kind: 'screen' });
    await act(async () =>
      request.ack({
        ok: true,
        data: call({ kind: 'screen', state: 'requested', initiator: 'taxpayer', invitedAt: null }),
      }),
    );
    expect(onIntent).toHaveBeenCalledWith(null);
    expect(screen.getByTestId('call-request').textContent).toContain('正在等待坐席接受…');
    expect(screen.getByTestId('call-announcer').textContent).toContain('已发出远程协助请求');
    fireEvent.click(screen.getByRole('button', { name: '取消' }));
    expect(socket.lastSent('call:cancel').payload).toMatchObject({ callId: CALL });
  });

  it("shows the server's refusal in the request window", async () => {
    const { socket } = await setup([], 'call');
    fireEvent.click(screen.getByRole('button', { name: '申请视频通话' }));
    await act(async () =>
      socket
        .lastSent('call:request')
        .ack({ ok: false, error: { code: 'CALL_BUSY', message: '当前会话已有进行中的通话或协助。' } }),
    );
    expect(screen.getByRole('alert').textContent).toContain('当前会话已有进行中的通话或协助。');
  });
});

describe('CallWindow', () => {
  const controller = { setMuted: vi.fn(), setCameraOff: vi.fn(), hangup: vi.fn(async () => {}), dismiss: vi.fn() };

  function renderWindow(c: TCall, view = {}, minimised = false) {
    const onMinimise = vi.fn();
    render(
      <ConfigProvider button={BUTTON_CONFIG}>
        <CallWindow
          call={c}
          view={{ ...EMPTY_CALL_VIEW, call: c, joined: true, peer: 'connected', ...view }}
          controller={controller as never}
          minimised={minimised}
          onMinimise={onMinimise}
        />
      </ConfigProvider>,
    );
    return onMinimise;
  }

  it('runs the clock of an active video call and offers 静音, 关闭摄像头, 挂断 and 最小化', () => {
    const connectedAt = new Date(Date.now() - 75_000).toISOString();
    const onMinimise = renderWindow(call({ state: 'active', connectedAt }));
    const win = screen.getByTestId('call-window');
    expect(win.getAttribute('data-call-state')).toBe('active');
    expect(screen.getByTestId('call-status').textContent).toBe('通话中 01:15');
    for (const name of ['静音', '关闭摄像头', '挂断', '最小化'])
      expect(screen.getByRole('button', { name })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '静音' }));
    expect(controller.setMuted).toHaveBeenCalledWith(CONV, true);

    // Escape makes the window small and never hangs up
    fireEvent.keyDown(win, { key: 'Escape' });
    expect(onMinimise).toHaveBeenCalledWith(true);
    expect(controller.hangup).not.toHaveBeenCalled();
  });

  it('says that the network is coming back', () => {
    renderWindow(call({ kind: 'audio', state: 'active', connectedAt: new Date().toISOString() }), {
      peer: 'reconnecting',
    });
    expect(screen.getByText('网络波动，正在重新连接…')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '关闭摄像头' })).toBeNull();
  });

  it('ends with the outcome and 关闭', () => {
    renderWindow(call({ state: 'failed', failureReason: 'network' }), { joined: false, peer: null });
    expect(screen.getByTestId('call-status').textContent).toBe('连接失败');
    expect(screen.getByTestId('call-outcome').textContent).toBe('网络连接失败，请检查网络后重试。');
    fireEvent.click(screen.getByRole('button', { name: '关闭' }));
    expect(controller.dismiss).toHaveBeenCalledWith(CONV);
  });
});

describe('SharePreview', () => {
  it("puts the agent's pointer and marks where the agent put them", () => {
    render(
      <SharePreview
        view={{
          ...EMPTY_CALL_VIEW,
          pointer: { x: 0.25, y: 0.5 },
          marks: [{ type: 'mark', x: 0.1, y: 0.9, label: '点这里' }],
        }}
      />,
    );
    const pointer = screen.getByTestId('call-pointer');
    expect(pointer.style.left).toBe('25%');
    expect(pointer.style.top).toBe('50%');
    const mark = screen.getByTestId('call-mark');
    expect(mark.style.left).toBe('10%');
    expect(mark.style.top).toBe('90%');
    expect(mark.textContent).toBe('点这里');
  });
});
