// @vitest-environment happy-dom

import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from '../../../shared/realtime/fake-socket.ts';
import { RealtimeClient } from '../../../shared/realtime/realtime-client.ts';
import { ToastProvider } from '../../ui/toast.tsx';
import type { AttachmentUploads } from '../attachments/use-attachment-uploads.ts';
import { MessageComposer } from './MessageComposer.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const STREAM = '6f1c2a34-5555-4aaa-8bbb-000000000001';
const DISABLED = '本站暂未开通语音输入，请直接输入文字，或点击“转人工”联系人工客服。';

const uploads: AttachmentUploads = {
  items: [],
  add: () => {},
  remove: () => {},
  take: () => [],
  uploading: false,
  ready: false,
};

function setup(withAgent = false) {
  const socket = new FakeSocket();
  socket.serverConnect();
  const client = new RealtimeClient(socket);
  const onSend = vi.fn();
  render(
    <ToastProvider>
      <MessageComposer
        onSend={onSend}
        onHandoff={() => {}}
        calls={{ withAgent, open: () => {} }}
        uploads={uploads}
        onClearScreen={() => {}}
        onLoadHistory={() => {}}
        loadingHistory={false}
        client={client}
      />
    </ToastProvider>,
  );
  return { socket, onSend };
}

const voiceButton = () => screen.getByRole('button', { name: '语音' });

describe('MessageComposer — 语音', () => {
  it('has one 语音 button, in the input box next to 发送, usable with the bot and with an agent', () => {
    setup(false);
    expect(screen.getAllByTestId('voice-button')).toHaveLength(1);
    expect(voiceButton().getAttribute('title')).toBe('语音输入');
    expect(voiceButton().hasAttribute('disabled')).toBe(false);
    // not in the tool row any more
    expect(
      within(screen.getByRole('toolbar', { name: '输入工具' })).queryByRole('button', { name: '语音' }),
    ).toBeNull();
    cleanup();
    setup(true);
    expect(voiceButton().hasAttribute('disabled')).toBe(false);
  });

  it('loads voice input on the first press and says when the site has no recogniser', async () => {
    // Sender's speech button is controlled: the browser's own recogniser is never touched
    const recognition = vi.fn();
    vi.stubGlobal('webkitSpeechRecognition', recognition);
    const { socket } = setup();
    fireEvent.click(voiceButton());
    await waitFor(() => expect(socket.sent('speech:start')).toHaveLength(1));
    await act(async () => {
      socket.lastSent('speech:start').ack({ ok: false, error: { code: 'SPEECH_DISABLED', message: DISABLED } });
    });
    const notice = await screen.findByTestId('voice-unavailable');
    expect(notice.textContent).toContain('暂未开通语音输入');
    expect(recognition).not.toHaveBeenCalled();
    // pressing again asks again (the site may have enabled it meanwhile)
    fireEvent.click(voiceButton());
    await waitFor(() => expect(socket.sent('speech:start')).toHaveLength(2));
  });

  it('without a usable microphone the taxpayer is told so, and the stream is given back', async () => {
    vi.stubGlobal('navigator', { ...navigator, mediaDevices: undefined });
    const { socket } = setup();
    fireEvent.click(voiceButton());
    await waitFor(() => expect(socket.sent('speech:start')).toHaveLength(1));
    await act(async () => {
      socket.lastSent('speech:start').ack({
        ok: true,
        data: { streamId: STREAM, sampleRate: 16_000, frameMs: 100, maxSeconds: 60, driver: 'test' },
      });
    });
    const error = await screen.findByTestId('voice-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toMatch(/麦克风/);
    expect(socket.lastSent('speech:cancel').payload).toEqual({ streamId: STREAM });
    fireEvent.click(screen.getByRole('button', { name: '关闭提示' }));
    expect(screen.queryByTestId('voice-error')).toBeNull();
  });
});
