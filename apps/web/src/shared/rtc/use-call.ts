/** React access to a {@link CallController}: the call view of one conversation, re-rendered on every change. */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { RealtimeClient } from '../realtime/realtime-client.ts';
import { CallController, type CallControllerOptions, type CallView, EMPTY_CALL_VIEW } from './call-controller.ts';

/** One controller per realtime client, for as long as the component lives. */
export function useCallController(
  client: RealtimeClient | null,
  side: CallControllerOptions['side'],
  fetchIceServers: CallControllerOptions['fetchIceServers'],
): CallController | null {
  const [controller, setController] = useState<CallController | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: fetchIceServers is read when a call starts; a new function must not restart the controller
  useEffect(() => {
    if (!client) return;
    const created = new CallController({ side, client, fetchIceServers });
    setController(created);
    return () => {
      created.dispose();
      setController(null);
    };
  }, [client, side]);
  return controller;
}

export function useCallView(controller: CallController | null, conversationId: string | null): CallView {
  return useSyncExternalStore(
    (listener) => controller?.subscribe(listener) ?? (() => {}),
    () => controller?.getView(conversationId) ?? EMPTY_CALL_VIEW,
  );
}

/** "3 分 12 秒" / "45 秒" for a call's duration. */
export function formatCallDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? `${m} 分 ${s} 秒` : `${s} 秒`;
}

/** "03:12" for the running clock of an active call. */
export function formatCallClock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
