import { Alert } from 'antd';
import type { CallView } from '../../shared/rtc/call-controller.ts';
import { RECONNECTING } from './call-text.ts';

/** What went wrong (an alert), what changed (a status) and a connection that is coming back, in a call's window. */
export function CallMessages({ view }: { view: CallView }) {
  return (
    <>
      {view.error && <Alert type="error" showIcon role="alert" title={view.error} data-testid="call-error" />}
      {view.notice && <Alert type="info" showIcon role="status" title={view.notice} data-testid="call-notice" />}
      {view.peer === 'reconnecting' && (
        <Alert type="warning" showIcon role="status" title={RECONNECTING} data-testid="call-reconnecting" />
      )}
    </>
  );
}
