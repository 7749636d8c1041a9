import { Alert } from 'antd';
import { useCallView } from '../../../shared/rtc/use-call.ts';
import { busyReason, showsCallPanel } from '../call-ui-state.ts';
import { useCalls } from '../hooks/calls-context.ts';
import { CallRequestCard } from './CallRequestCard.tsx';

interface ConversationCallSectionProps {
  conversationId: string;
  mine: boolean;
  open: boolean;
}

/**
 * Under the conversation header: the taxpayer's pending request, and what went wrong with a call that has no panel
 * to say it (a refused microphone before the invitation went out, a request the server refused).
 */
export function ConversationCallSection({ conversationId, mine, open }: ConversationCallSectionProps) {
  const { controller, live } = useCalls();
  const view = useCallView(controller, conversationId);
  const call = view.call;
  if (!controller) return null;
  const request = call?.state === 'requested' && mine && open ? call : null;
  // the call panel shows its own messages
  const own = !showsCallPanel(call);
  return (
    <>
      {request && (
        <CallRequestCard
          call={request}
          controller={controller}
          busy={view.busy}
          blockedReason={busyReason({ ready: true, call, live, conversationId, acceptingRequest: true })}
        />
      )}
      {/* antd Alert is role="alert": read out as it appears */}
      <div data-testid="conversation-call-messages">
        {own && view.error && (
          <Alert key={view.error} type="error" banner closable title={view.error} data-testid="call-error" />
        )}
        {own && view.notice && <Alert key={view.notice} type="warning" banner closable title={view.notice} />}
      </div>
    </>
  );
}
