import type { TAnnotation } from '@zhengna/contracts';
import { Button, Flex, Typography } from 'antd';
import { type KeyboardEvent, type MouseEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  containedPicture,
  type Fraction,
  fromPictureFraction,
  nudge,
  pointerFraction,
  type Size,
  throttle,
} from '../screen-geometry.ts';

/** Pointer moves sent at most every 50 ms (20 a second): smooth enough to follow, light on the data channel. */
const POINTER_INTERVAL_MS = 50;
/** The taxpayer's window keeps the last five marks; so does ours, numbered alike. */
const MAX_MARKS = 5;
const STEP = 0.02;

interface SharedScreenProps {
  stream: MediaStream | null;
  taxpayerName: string;
  /** Smaller while the agent reads the chat. */
  collapsed: boolean;
  /** Sends to the taxpayer; false when the data channel is not open (yet). */
  annotate: (annotation: TAnnotation) => boolean;
}

type Mark = Fraction & { n: number };

/**
 * 远程协助, the agent's side: the taxpayer's screen, fitted or at original size, full screen on demand. Moving the
 * mouse over it shows the taxpayer where the agent points; a click leaves a numbered mark. The keyboard does the same:
 * arrow keys move the pointer, Enter marks.
 */
export function SharedScreen({ stream, taxpayerName, collapsed, annotate }: SharedScreenProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const [fit, setFit] = useState(true);
  const [fullscreen, setFullscreen] = useState(false);
  const [videoSize, setVideoSize] = useState<Size | null>(null);
  const [elementSize, setElementSize] = useState<Size>({ width: 0, height: 0 });
  const [marks, setMarks] = useState<Mark[]>([]);
  const [keyboardPointer, setKeyboardPointer] = useState<Fraction | null>(null);
  const counter = useRef(0);

  useEffect(() => {
    const video = videoRef.current;
    if (!video || video.srcObject === stream) return;
    video.srcObject = stream;
    if (stream) video.play?.()?.catch(() => {});
  }, [stream]);

  // the picture's size arrives with the first frame and changes when the taxpayer shares another window
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const read = () =>
      setVideoSize(video.videoWidth > 0 ? { width: video.videoWidth, height: video.videoHeight } : null);
    video.addEventListener('loadedmetadata', read);
    video.addEventListener('resize', read);
    read();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setElementSize({ width: video.clientWidth, height: video.clientHeight }));
    observer.observe(video);
    return () => {
      video.removeEventListener('loadedmetadata', read);
      video.removeEventListener('resize', read);
      observer.disconnect();
    };
  }, []);

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement === containerRef.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  const sendPointer = useMemo(
    () => throttle((f: Fraction) => annotate({ type: 'pointer', ...f }), POINTER_INTERVAL_MS),
    [annotate],
  );
  useEffect(() => () => sendPointer.cancel(), [sendPointer]);

  const fractionAt = (e: MouseEvent<HTMLVideoElement>): Fraction | null => {
    const video = e.currentTarget;
    return pointerFraction(e, video.getBoundingClientRect(), videoSize);
  };

  const mark = useCallback(
    (f: Fraction) => {
      annotate({ type: 'mark', ...f });
      counter.current += 1;
      const n = counter.current;
      setMarks((m) => [...m, { ...f, n }].slice(-MAX_MARKS));
    },
    [annotate],
  );

  const clear = () => {
    annotate({ type: 'clear' });
    setMarks([]);
    counter.current = 0;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLVideoElement>) => {
    const step = e.shiftKey ? STEP * 5 : STEP;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const move = moves[e.key];
    const at = keyboardPointer ?? { x: 0.5, y: 0.5 };
    if (move) {
      e.preventDefault();
      const next = nudge(at, move[0], move[1]);
      setKeyboardPointer(next);
      sendPointer(next);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      setKeyboardPointer(at);
      mark(at);
    }
  };

  const toggleFullscreen = () => {
    const el = containerRef.current;
    if (!el) return;
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
    else void el.requestFullscreen?.().catch(() => {});
  };

  const picture = containedPicture(elementSize, videoSize);
  // half the window by default: the chat below stays usable; 全屏 or 收起画面 when one of them needs more
  const height = fullscreen ? undefined : collapsed ? 180 : 'clamp(240px, 50vh, 720px)';
  const badge = (n: number, f: Fraction, key: string, pointer = false) => {
    const at = fromPictureFraction(f, picture);
    return (
      <span
        key={key}
        aria-hidden
        data-testid={pointer ? 'screen-keyboard-pointer' : 'screen-mark'}
        style={{
          position: 'absolute',
          left: at.left,
          top: at.top,
          transform: 'translate(-50%, -50%)',
          width: pointer ? 16 : 24,
          height: pointer ? 16 : 24,
          borderRadius: '50%',
          background: pointer ? 'rgba(255,255,255,.35)' : '#e8542e',
          border: '2px solid #fff',
          boxShadow: '0 0 0 2px rgba(232,84,46,.5)',
          color: '#fff',
          fontSize: 12,
          lineHeight: '20px',
          textAlign: 'center',
          pointerEvents: 'none',
        }}
      >
        {pointer ? '' : n}
      </span>
    );
  };

  return (
    <Flex
      vertical
      ref={containerRef}
      style={{ background: '#10161f', borderRadius: fullscreen ? 0 : 6, overflow: 'hidden', marginTop: 8 }}
      data-testid="shared-screen-container"
    >
      <Flex align="center" gap={8} wrap style={{ padding: '6px 8px', color: '#fff' }}>
        <Typography.Text style={{ color: 'rgba(255,255,255,.85)', fontSize: 12 }}>
          移动鼠标可为纳税人指示位置，单击添加标记（也可聚焦画面后用方向键移动、回车标记）
        </Typography.Text>
        <Flex gap={8} style={{ marginLeft: 'auto' }}>
          <Button size="small" onClick={() => setFit((f) => !f)} data-testid="screen-fit-toggle">
            {fit ? '原始大小' : '适应窗口'}
          </Button>
          <Button size="small" onClick={toggleFullscreen} data-testid="screen-fullscreen">
            {fullscreen ? '退出全屏' : '全屏'}
          </Button>
          <Button size="small" onClick={clear} data-testid="screen-clear-marks">
            清除标记
          </Button>
        </Flex>
      </Flex>
      <div
        style={{
          position: 'relative',
          height,
          flex: fullscreen ? 1 : undefined,
          minHeight: 0,
          overflow: fit ? 'hidden' : 'auto',
        }}
      >
        <div
          style={{
            position: 'relative',
            width: fit || !videoSize ? '100%' : videoSize.width,
            height: fit || !videoSize ? '100%' : videoSize.height,
          }}
        >
          <video
            ref={videoRef}
            autoPlay
            playsInline
            muted
            tabIndex={0}
            aria-label={`${taxpayerName}共享的屏幕`}
            data-testid="shared-screen"
            onPointerMove={(e) => {
              const f = fractionAt(e);
              if (f) sendPointer(f);
            }}
            onClick={(e) => {
              const f = fractionAt(e);
              if (f) mark(f);
            }}
            onKeyDown={onKeyDown}
            onBlur={() => setKeyboardPointer(null)}
            style={{
              display: 'block',
              width: '100%',
              height: '100%',
              objectFit: 'contain',
              cursor: 'crosshair',
              background: '#000',
            }}
          />
          {marks.map((m) => badge(m.n, m, `mark-${m.n}`))}
          {keyboardPointer && badge(0, keyboardPointer, 'keyboard', true)}
          {!videoSize && (
            <Flex
              align="center"
              justify="center"
              style={{ position: 'absolute', inset: 0, color: 'rgba(255,255,255,.75)', pointerEvents: 'none' }}
            >
              等待纳税人共享屏幕…
            </Flex>
          )}
        </div>
      </div>
    </Flex>
  );
}
