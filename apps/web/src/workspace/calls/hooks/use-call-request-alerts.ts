import { CALL_KIND_LABELS, ZCall } from '@zhengna/contracts';
import { App } from 'antd';
import { useEffect } from 'react';
import type { RealtimeClient } from '../../../shared/realtime/realtime-client.ts';
import { beep, notifyDesktop } from '../../presence/assignment-alert.ts';
import { requestTitle } from '../call-ui-state.ts';

/**
 * A taxpayer asks for a call or remote assistance: announced like a new assignment (a beep, a desktop notification, an
 * in-page notice that opens the conversation). The notice stays until the request is answered or withdrawn.
 */
export function useCallRequestAlerts(client: RealtimeClient | null, onOpen: (conversationId: string) => void): void {
  const { notification } = App.useApp();
  useEffect(() => {
    if (!client) return;
    const ringing = new Set<string>();
    const off = client.on('call:update', (raw) => {
      const parsed = ZCall.safeParse(raw);
      if (!parsed.success) return;
      const call = parsed.data;
      const key = `call-request-${call.id}`;
      if (call.state !== 'requested') {
        if (ringing.delete(call.id)) notification.destroy(key);
        return;
      }
      if (ringing.has(call.id)) return;
      ringing.add(call.id);
      const title = requestTitle(call.kind);
      const description = call.note
        ? `${call.taxpayerName}：${call.note}`
        : `${call.taxpayerName} 正在等待您接受${CALL_KIND_LABELS[call.kind]}`;
      beep();
      notifyDesktop(title, description, () => onOpen(call.conversationId));
      notification.info({
        title,
        description,
        key,
        duration: 0,
        role: 'status',
        props: { 'data-testid': 'call-request-notice' } as object,
        onClick: () => onOpen(call.conversationId),
      });
    });
    return () => {
      off();
      for (const id of ringing) notification.destroy(`call-request-${id}`);
    };
  }, [client, notification, onOpen]);
}
