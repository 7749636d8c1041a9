// @vitest-environment happy-dom

import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { SPEECH_AUDIO } from '@zhengna/contracts';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from '../../shared/realtime/fake-socket.ts';
import { RealtimeClient } from '../../shared/realtime/realtime-client.ts';
import type { PcmFrame } from './pcm-framer.ts';
import { VoiceInput } from './VoiceInput.tsx';
import { CAPTURE_MESSAGES, type StartCapture, VoiceCaptureError } from './voice-capture.ts';

afterEach(cleanup);

const STREAM = '6f1c2a34-4444-4aaa-8bbb-000000000001';
const DISABLED = '本站暂未开通语音输入，请直接输入文字，或点击“转人工”联系人工客服。';
const flush = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));

/** What MessageComposer does: the text box and the 语音 button's state. */
function Host({
  client,
  capture,
  onActiveChange,
}: {
  client: RealtimeClient;
  capture: StartCapture;
  onActiveChange: (active: boolean) => void;
}) {
  const [value, setValue] = useState('您好，');
  const [wanted, setWanted] = useState(true);
  return (
    <>
      <textarea data-testid="widget-input" aria-label="输入消息" value={value} readOnly />
      <button type="button" onClick={() => setWanted((w) => !w)}>
        语音
      </button>
      <VoiceInput
        client={client}
        wanted={wanted}
        value={value}
        onText={setValue}
        capture={capture}
        onActiveChange={(active) => {
          onActiveChange(active);
          if (!active) setWanted(false);
        }}
      />
    </>
  );
}

function setup({ failure }: { failure?: Error } = {}) {
  const socket = new FakeSocket();
  socket.serverConnect();
  const client = new RealtimeClient(socket);
  let onFrame: ((frame: PcmFrame) => void) | null = null;
  const mic = { stopped: false };
  const capture: StartCapture = async (frame) => {
    if (failure) throw failure;
    onFrame = frame;
    return {
      stop: async () => {
        mic.stopped = true;
      },
    };
  };
  const onActiveChange = vi.fn();
  render(<Host client={client} capture={capture} onActiveChange={onActiveChange} />);
  const frame = (level: number) =>
    act(() => onFrame?.({ pcm: new Int16Array(SPEECH_AUDIO.frameSamples).buffer, level }));
  const startAck = async () => {
    await flush();
    socket.lastSent('speech:start').ack({
      ok: true,
      data: { streamId: STREAM, sampleRate: 16_000, frameMs: 100, maxSeconds: 60, driver: 'test' },
    });
    await flush();
  };
  return { socket, mic, frame, startAck, onActiveChange };
}

describe('VoiceInput', () => {
  it('shows the recording bar with a named meter, the time and a focused 停止语音输入', async () => {
    const { frame, startAck } = setup();
    await startAck();
    const bar = screen.getByTestId('voice-recorder');
    expect(bar.textContent).toContain('正在聆听，请说普通话…');
    const stop = screen.getByRole('button', { name: '停止语音输入' });
    expect(document.activeElement).toBe(stop);
    expect(screen.getByTestId('voice-announcer').textContent).toBe('语音输入已开始，请说话');

    const meter = screen.getByRole('meter', { name: '音量' });
    expect(meter.getAttribute('aria-valuemin')).toBe('0');
    expect(meter.getAttribute('aria-valuemax')).toBe('100');
    expect(meter.getAttribute('aria-valuenow')).toBe('0');
    for (let i = 0; i < 50; i++) await frame(0.1);
    // 0.1 RMS is −20 dBFS: two thirds of the −60…0 dB scale
    expect(meter.getAttribute('aria-valuenow')).toBe('67');
    expect(bar.textContent).toContain('0:05 / 1:00');
  });

  it('Escape stops (not the chat), and the end is announced with the text left in the box', async () => {
    const { socket, mic, frame, startAck, onActiveChange } = setup();
    await startAck();
    await frame(0.1);
    act(() => socket.fire('speech:result', { streamId: STREAM, segment: 0, text: '测试识别', final: false }));
    expect((screen.getByTestId('widget-input') as HTMLTextAreaElement).value).toBe('您好，测试识别');

    const escapeKey = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    act(() => {
      screen.getByRole('button', { name: '停止语音输入' }).dispatchEvent(escapeKey);
    });
    expect(escapeKey.defaultPrevented).toBe(true);
    await flush();
    expect(mic.stopped).toBe(true);
    expect(screen.getByTestId('voice-recorder').textContent).toContain('正在识别…');
    for (const e of socket.sent('speech:audio')) e.ack({ ok: true, data: null });
    await flush();
    socket.lastSent('speech:stop').ack({ ok: true, data: { streamId: STREAM, text: '测试识别第1段。' } });
    await flush();

    expect(screen.queryByTestId('voice-recorder')).toBeNull();
    const input = screen.getByTestId('widget-input') as HTMLTextAreaElement;
    expect(input.value).toBe('您好，测试识别第1段。');
    expect(screen.getByTestId('voice-announcer').textContent).toBe(
      '语音输入已结束，识别的文字已填入输入框，可修改后发送',
    );
    // 停止 went away with the bar: the focus is in the text, ready for editing
    expect(document.activeElement).toBe(input);
    expect(onActiveChange).toHaveBeenLastCalledWith(false);
  });

  it('the 停止 button stops', async () => {
    const { socket, mic, startAck } = setup();
    await startAck();
    fireEvent.click(screen.getByTestId('voice-stop'));
    await flush();
    expect(mic.stopped).toBe(true);
    expect(socket.sent('speech:stop')).toHaveLength(1);
  });

  it('says that voice input is not enabled here, in an alert that can be closed', async () => {
    const { socket, onActiveChange } = setup();
    await flush();
    socket.lastSent('speech:start').ack({ ok: false, error: { code: 'SPEECH_DISABLED', message: DISABLED } });
    await flush();
    const alert = screen.getByRole('alert');
    expect(alert.getAttribute('data-testid')).toBe('voice-unavailable');
    expect(alert.textContent).toContain('暂未开通语音输入');
    expect(screen.queryByTestId('voice-recorder')).toBeNull();
    expect(onActiveChange).toHaveBeenLastCalledWith(false);
    fireEvent.click(screen.getByRole('button', { name: '关闭提示' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('explains a refused microphone', async () => {
    const { startAck, socket } = setup({ failure: new VoiceCaptureError(CAPTURE_MESSAGES.denied) });
    await startAck();
    const alert = screen.getByTestId('voice-error');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toBe(CAPTURE_MESSAGES.denied);
    expect(socket.lastSent('speech:cancel').payload).toEqual({ streamId: STREAM });
  });

  it('gives the microphone and the stream back when the chat closes', async () => {
    const { socket, mic, startAck } = setup();
    await startAck();
    cleanup();
    await flush();
    expect(mic.stopped).toBe(true);
    expect(socket.lastSent('speech:cancel').payload).toEqual({ streamId: STREAM });
  });
});
