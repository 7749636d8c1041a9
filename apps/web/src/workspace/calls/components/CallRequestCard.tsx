import type { TCall } from '@zhengna/contracts';
import { Alert, Button, Flex, Tooltip, Typography } from 'antd';
import { useId } from 'react';
import type { CallController } from '../../../shared/rtc/call-controller.ts';
import { requestHint, requestTitle } from '../call-ui-state.ts';

interface CallRequestCardProps {
  call: TCall;
  controller: CallController;
  busy: boolean;
  /** Why 接受 cannot be pressed now (another call in progress); null when it can. */
  blockedReason: string | null;
}

/** A taxpayer's request in the open conversation: 接受 rings them back with the same call, 拒绝 turns it down. */
export function CallRequestCard({ call, controller, busy, blockedReason }: CallRequestCardProps) {
  const title = requestTitle(call.kind);
  const titleId = useId();
  const reasonId = useId();
  return (
    <section aria-labelledby={titleId} data-testid="call-request-card" data-call-kind={call.kind}>
      <Alert
        type="info"
        showIcon
        banner
        title={<span id={titleId}>{title}</span>}
        description={
          <Flex vertical gap={2}>
            {call.note && <Typography.Text data-testid="call-request-note">说明：{call.note}</Typography.Text>}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {requestHint(call.kind)}
            </Typography.Text>
            {blockedReason && (
              <Typography.Text type="warning" id={reasonId} style={{ fontSize: 12 }}>
                {blockedReason}
              </Typography.Text>
            )}
          </Flex>
        }
        action={
          <Flex gap={8}>
            <Tooltip title={blockedReason}>
              <Button
                type="primary"
                size="small"
                loading={busy}
                disabled={blockedReason !== null}
                aria-describedby={blockedReason ? reasonId : undefined}
                onClick={() => void controller.invite(call.conversationId, call.kind, call.id)}
                data-testid="call-request-accept"
              >
                接受
              </Button>
            </Tooltip>
            <Button
              size="small"
              disabled={busy}
              onClick={() => void controller.decline(call)}
              data-testid="call-request-decline"
            >
              拒绝
            </Button>
          </Flex>
        }
      />
    </section>
  );
}
