/**
 * 语音 — voice input in the widget (loaded on the first press of the 语音 button in the composer, its own chunk).
 * While dictating, a bar above the text box shows the listening state with a level meter, the time against the limit
 * and 停止 (focused when recording starts; Escape stops too); the text box receives the live text. A refusal (no
 * microphone, no permission, voice input not enabled on this site) is said in an alert that stays until closed.
 *
 * Plain elements styled like the library's (voice.css): importing antd components here makes the bundler regroup the
 * widget's shared chunks, which costs the first load more than this whole chunk.
 */
import { AudioOutlined, CloseOutlined, ExclamationCircleFilled, InfoCircleFilled } from '@ant-design/icons';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { type StartCapture, startCapture } from './voice-capture.ts';
import { clock, type SpeechChannel, VoiceSession, type VoiceStatus } from './voice-session.ts';
import './voice.css';

export interface VoiceInputProps {
  client: SpeechChannel;
  /** The 语音 button's state: the taxpayer wants to dictate. */
  wanted: boolean;
  /** What the text box holds now: dictated text is added after it. */
  value: string;
  onText: (text: string) => void;
  /** A dictation is under way (starting, recording or stopping); false again when it is over. */
  onActiveChange: (active: boolean) => void;
  /** The microphone (tests pass a fake). */
  capture?: StartCapture;
}

const STARTED = '语音输入已开始，请说话';
const FINISHED = '语音输入已结束，识别的文字已填入输入框，可修改后发送';
const STATUS_TEXT: Partial<Record<VoiceStatus, string>> = {
  starting: '正在打开麦克风…',
  recording: '正在聆听，请说普通话…',
  stopping: '正在识别…',
};

const isActive = (status: VoiceStatus) => status === 'starting' || status === 'recording' || status === 'stopping';

/** RMS 0…1 → 0…100 on a decibel scale (−60 dBFS and below is 0), as a level meter moves. */
export function meterPercent(level: number): number {
  if (!(level > 0)) return 0;
  const db = 20 * Math.log10(level);
  return Math.max(0, Math.min(100, Math.round(((db + 60) / 60) * 100)));
}

/** Puts the focus in the text box with the caret at the end, ready for editing the dictated text. */
function focusInput(): void {
  const input = document.querySelector<HTMLTextAreaElement>('[data-testid="widget-input"]');
  if (!input) return;
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
}

export function VoiceInput({ client, wanted, value, onText, onActiveChange, capture = startCapture }: VoiceInputProps) {
  const [session] = useState(() => new VoiceSession(client, capture));
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const { status, notice } = snapshot;
  const latest = useRef({ value, onText, onActiveChange });
  latest.current = { value, onText, onActiveChange };
  const stopButton = useRef<HTMLButtonElement>(null);
  const [announcement, setAnnouncement] = useState('');

  // the 语音 button starts and stops
  useEffect(() => {
    const now = session.getSnapshot().status;
    if (wanted && !isActive(now)) void session.start(latest.current.value, (text) => latest.current.onText(text));
    else if (!wanted && (now === 'starting' || now === 'recording')) void session.stop();
  }, [wanted, session]);

  // the chat closes: the microphone and the server's stream are given back
  useEffect(() => () => session.cancel(), [session]);

  const active = isActive(status);
  const wasActive = useRef(false);
  useEffect(() => {
    if (wasActive.current === active) return;
    wasActive.current = active;
    latest.current.onActiveChange(active);
  }, [active]);

  const previous = useRef<VoiceStatus>(status);
  useEffect(() => {
    const before = previous.current;
    previous.current = status;
    if (status === 'recording' && before !== 'recording') {
      setAnnouncement(STARTED);
      stopButton.current?.focus();
    } else if (!isActive(status) && (before === 'recording' || before === 'stopping')) {
      if (status === 'idle') setAnnouncement(FINISHED);
      // 停止 went away with the bar: the focus goes to the dictated text
      if (document.activeElement === document.body || document.activeElement === null) focusInput();
    }
  }, [status]);

  // Escape stops dictating (and does not close the chat)
  useEffect(() => {
    if (status !== 'starting' && status !== 'recording') return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      void session.stop();
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [status, session]);

  const percent = meterPercent(snapshot.level);
  return (
    <>
      <div className="zn-sr-only" role="status" aria-live="polite" data-testid="voice-announcer">
        {announcement}
      </div>
      {notice && (
        <div
          role="alert"
          className="zn-voice-notice"
          data-kind={notice.kind}
          data-testid={notice.kind === 'unavailable' ? 'voice-unavailable' : 'voice-error'}
        >
          {notice.kind === 'unavailable' ? (
            <InfoCircleFilled className="zn-voice-notice-icon" aria-hidden="true" />
          ) : (
            <ExclamationCircleFilled className="zn-voice-notice-icon" aria-hidden="true" />
          )}
          <span className="zn-voice-notice-text">{notice.message}</span>
          <button
            type="button"
            className="zn-voice-close"
            aria-label="关闭提示"
            onClick={() => {
              session.dismiss();
              focusInput();
            }}
          >
            <CloseOutlined aria-hidden="true" />
          </button>
        </div>
      )}
      {active && (
        <section className="zn-voice-bar" aria-label="语音输入" data-testid="voice-recorder" data-status={status}>
          <AudioOutlined className="zn-voice-mic" data-listening={status === 'recording'} aria-hidden="true" />
          <span className="zn-voice-text">{STATUS_TEXT[status]}</span>
          {/* biome-ignore lint/a11y/useSemanticElements: a native <meter> cannot be drawn alike in every browser */}
          <span
            className="zn-voice-meter"
            role="meter"
            aria-label="音量"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            data-testid="voice-level"
          >
            <span className="zn-voice-meter-fill" style={{ width: `${percent}%` }} />
          </span>
          <span className="zn-voice-time">
            {clock(snapshot.elapsed)} / {clock(snapshot.maxSeconds)}
          </span>
          <button
            ref={stopButton}
            type="button"
            className="zn-voice-stop"
            aria-label="停止语音输入"
            disabled={status === 'stopping'}
            onClick={() => void session.stop()}
            data-testid="voice-stop"
          >
            停止
          </button>
        </section>
      )}
    </>
  );
}

export default VoiceInput;
