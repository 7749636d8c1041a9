import { Alert, Button } from 'antd';
import { useState } from 'react';
import { type QueueBannerState, queueBannerText } from './queue-state.ts';

/** The live queue position with 退出排队. */
export function QueueBanner({ state, onLeave }: { state: QueueBannerState; onLeave: () => Promise<void> }) {
  const [leaving, setLeaving] = useState(false);
  return (
    <Alert
      type="info"
      banner
      role="status"
      data-testid="queue-banner"
      data-position={state.position ?? undefined}
      title={queueBannerText(state)}
      action={
        <Button
          size="small"
          loading={leaving}
          data-testid="queue-leave"
          onClick={() => {
            setLeaving(true);
            onLeave().finally(() => setLeaving(false));
          }}
        >
          退出排队
        </Button>
      }
    />
  );
}
