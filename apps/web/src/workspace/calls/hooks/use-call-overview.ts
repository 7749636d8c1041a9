import type { TCall } from '@zhengna/contracts';
import { useEffect, useState } from 'react';
import type { CallController } from '../../../shared/rtc/call-controller.ts';
import { showsCallPanel } from '../call-ui-state.ts';

export type CallOverview = {
  /** Calls that are not over (a request, a ringing invitation, a call in progress), in any conversation. */
  live: readonly TCall[];
  /** Conversations whose call has a panel: ringing, in progress, or finished and not yet closed. */
  panels: readonly string[];
};

const EMPTY: CallOverview = { live: [], panels: [] };

/**
 * The workspace-wide view of the controller, re-rendering only when a call appears, changes state or goes away (not
 * on every mute or peer-state change, which only the call's own panel needs).
 */
export function useCallOverview(controller: CallController | null): CallOverview {
  const [overview, setOverview] = useState<CallOverview>(EMPTY);
  useEffect(() => {
    if (!controller) {
      setOverview(EMPTY);
      return;
    }
    // conversations seen with a call: a finished call stays until its panel is closed (dismissed)
    let known: string[] = [];
    let lastKey = '';
    const update = () => {
      const live = controller.liveCalls();
      known = [...new Set([...known, ...live.map((c) => c.conversationId)])].filter(
        (id) => controller.getView(id).call !== null,
      );
      const panels = known.filter((id) => showsCallPanel(controller.getView(id).call));
      const key = `${live.map((c) => `${c.id}:${c.state}`).join(',')}|${panels.join(',')}`;
      if (key === lastKey) return;
      lastKey = key;
      setOverview({ live, panels });
    };
    update();
    const unsubscribe = controller.subscribe(update);
    return () => {
      unsubscribe();
    };
  }, [controller]);
  return overview;
}
