/**
 * The taxpayer's side of calls and remote assistance (PRODUCT §3.3, §3.4), loaded on demand (see call-entry.ts): the
 * request and invitation windows, the call window, the 正在共享屏幕 bar and a live region that tells screen-reader users
 * what changed. It floats over the top of the conversation; the chat goes on underneath. Default export for React.lazy.
 */
import { isFinalCallState, ZCall } from '@zhengna/contracts';
import { Button } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RealtimeClient } from '../../shared/realtime/realtime-client.ts';
import { useCallController, useCallView } from '../../shared/rtc/use-call.ts';
import { CallPrompt } from './CallPrompt.tsx';
import { CallWindow } from './CallWindow.tsx';
import { fetchIceServers } from './call-api.ts';
import type { CallIntent, CallRecordBuffer } from './call-entry.ts';
import { callPhase, markAnnouncement, RECONNECTING, stateAnnouncement } from './call-text.ts';
import './call.css';

export interface CallLayerProps {
  client: RealtimeClient | null;
  conversationId: string;
  withAuth: <T>(call: (accessToken: string) => Promise<T>) => Promise<T>;
  /** The `call:update` records that came before this code was loaded. */
  buffer: CallRecordBuffer;
  intent: CallIntent | null;
  onIntent: (intent: CallIntent | null) => void;
  /** The conversation's text size (大字): the call windows follow it. */
  fontSize: number;
}

export default function CallLayer({
  client,
  conversationId,
  withAuth,
  buffer,
  intent,
  onIntent,
  fontSize,
}: CallLayerProps) {
  const fetchIce = useCallback(() => withAuth(fetchIceServers), [withAuth]);
  const controller = useCallController(client, 'taxpayer', fetchIce);
  const view = useCallView(controller, conversationId);
  const { call } = view;
  const [minimised, setMinimised] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const layer = useRef<HTMLDivElement>(null);

  // what arrived before the controller existed; the controller hears everything after on its own
  useEffect(() => {
    if (!controller) return;
    for (const raw of buffer) {
      const parsed = ZCall.safeParse(raw);
      if (parsed.success) controller.ingest(parsed.data);
    }
  }, [controller, buffer]);

  // a live call answers the toolbar's wish: the request window must not come back when the call is over
  const live = call !== null && !isFinalCallState(call.state);
  useEffect(() => {
    if (intent && live) {
      onIntent(null);
      layer.current?.querySelector<HTMLElement>('.zn-call-card')?.focus();
    }
  }, [intent, live, onIntent]);

  // the same sentence twice in a row (two marks) must be heard twice: make the text differ invisibly
  const announce = useCallback(
    (text: string) => setAnnouncement((prev) => (text && prev === text ? `${text}\u00a0` : text)),
    [],
  );
  const stateKey = call ? `${call.id}:${call.state}` : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: announce once per state change, not per render
  useEffect(() => {
    if (call) announce(stateAnnouncement(call));
    if (call?.state === 'connecting') setMinimised(false);
  }, [stateKey]);
  const previousPeer = useRef(view.peer);
  useEffect(() => {
    if (view.peer === 'reconnecting') announce(RECONNECTING);
    else if (view.peer === 'connected' && previousPeer.current === 'reconnecting') announce('网络已恢复。');
    previousPeer.current = view.peer;
  }, [view.peer, announce]);
  const lastMark = view.marks.at(-1);
  useEffect(() => {
    if (lastMark) announce(markAnnouncement(lastMark));
  }, [lastMark, announce]);

  const phase = callPhase(call, intent);
  // a window that closed while it had the focus hands it back to the message box
  useEffect(() => {
    if (phase.type === 'none' && document.activeElement === document.body)
      document.querySelector<HTMLElement>('[data-testid="widget-input"]')?.focus();
  }, [phase.type]);

  if (!controller) return null;
  const sharing =
    call?.kind === 'screen' && view.joined && (call.state === 'connecting' || call.state === 'active') ? call : null;

  return (
    <div ref={layer} className="zn-call-layer" style={{ fontSize }}>
      <div className="zn-sr-only" role="status" aria-live="polite" data-testid="call-announcer">
        {announcement}
      </div>
      {sharing && (
        <section className="zn-share-bar" data-testid="share-indicator" aria-label="屏幕共享">
          <span className="zn-share-dot" aria-hidden="true" />
          <span className="zn-share-text">正在共享屏幕</span>
          <Button size="small" danger type="primary" onClick={() => void controller.hangup(sharing)}>
            停止共享
          </Button>
        </section>
      )}
      {phase.type === 'window' ? (
        <CallWindow
          key={phase.call.id}
          call={phase.call}
          view={view}
          controller={controller}
          minimised={minimised}
          onMinimise={setMinimised}
        />
      ) : phase.type !== 'none' ? (
        <CallPrompt
          phase={phase}
          view={view}
          controller={controller}
          conversationId={conversationId}
          onClose={() => {
            onIntent(null);
            controller.dismiss(conversationId);
          }}
        />
      ) : null}
    </div>
  );
}
