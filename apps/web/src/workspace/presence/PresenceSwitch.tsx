import { PRESENCE_LABELS, type TPresence } from '@zhengna/contracts';
import { App, Segmented } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../shared/api/api-error.ts';
import { setPresence } from '../conversations/api/workspace-api.ts';
import { askNotificationPermission } from './assignment-alert.ts';

const ORDER: TPresence[] = ['online', 'busy', 'away'];
const COLORS: Record<TPresence, string> = { online: '#52c41a', busy: '#faad14', away: '#bfbfbf' };

/** 在线 / 忙碌 / 离开: only 在线 agents receive new conversations. */
export function PresenceSwitch({ initial }: { initial: TPresence }) {
  const { message } = App.useApp();
  const [presence, setLocal] = useState<TPresence>(initial);
  const [busy, setBusy] = useState(false);

  const change = async (next: TPresence) => {
    if (next === 'online') askNotificationPermission();
    const before = presence;
    setLocal(next);
    setBusy(true);
    try {
      setLocal(await setPresence(next));
    } catch (e) {
      setLocal(before);
      void message.error(errorMessage(e, '状态切换失败，请稍后再试。'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Segmented<TPresence>
      aria-label="坐席状态"
      data-testid="presence-switch"
      data-presence={presence}
      disabled={busy}
      value={presence}
      onChange={(v) => void change(v)}
      options={ORDER.map((p) => ({
        value: p,
        label: (
          <span data-testid={`presence-${p}`}>
            <span
              aria-hidden
              style={{
                display: 'inline-block',
                width: 8,
                height: 8,
                borderRadius: 4,
                background: COLORS[p],
                marginRight: 6,
              }}
            />
            {PRESENCE_LABELS[p]}
          </span>
        ),
      }))}
    />
  );
}
