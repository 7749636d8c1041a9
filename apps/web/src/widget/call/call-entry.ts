/**
 * The part of calls and remote assistance that is in the widget's first load, kept tiny (the first load is at its size
 * budget): the toolbar's choice, and a listener that keeps the `call:update` records which arrive before the call code
 * (CallLayer, its own chunk) is loaded. The layer loads on the first record or when the taxpayer asks for a call.
 */
import { useEffect, useRef, useState } from 'react';
import type { RealtimeClient } from '../../shared/realtime/realtime-client.ts';

/** What the taxpayer asked for in the toolbar: remote assistance, or a voice/video call. */
export type CallIntent = 'screen' | 'call';

/** Said when 远程协助 is pressed with no agent serving the conversation. */
export const CALL_NEEDS_AGENT = '远程协助需要人工坐席接入后使用，请先点击转人工。';

/**
 * What the toolbar offers: 远程协助 is always there (without an agent it explains how to get one, so the feature can be
 * found); 音视频 only when an agent serves, which is the only time it can work.
 */
export function callTools(withAgent: boolean): { remoteAssist: 'open' | 'explain'; callRequest: boolean } {
  return { remoteAssist: withAgent ? 'open' : 'explain', callRequest: withAgent };
}

/** The records seen so far (raw; the layer validates them); every new controller replays them in order. */
export type CallRecordBuffer = unknown[];

export const loadCallLayer = () => import('./CallLayer.tsx');

export function useCallEntry(client: RealtimeClient | null) {
  const buffer = useRef<CallRecordBuffer>([]).current;
  const [loaded, setLoaded] = useState(false);
  const [intent, setIntent] = useState<CallIntent | null>(null);
  useEffect(
    () =>
      client?.on('call:update', (raw) => {
        // replaying in arrival order ends on each call's latest state; a handful is all a visit ever has
        buffer.push(raw);
        if (buffer.length > 20) buffer.shift();
        setLoaded(true);
      }),
    [client, buffer],
  );
  return {
    loaded,
    intent,
    buffer,
    open: (next: CallIntent | null) => {
      setIntent(next);
      if (next) setLoaded(true);
    },
  };
}
