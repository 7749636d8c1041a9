import { DesktopOutlined, PhoneOutlined, VideoCameraOutlined } from '@ant-design/icons';
import { CALL_KIND_LABELS, type TCallKind } from '@zhengna/contracts';
import { Button, Flex, Tooltip } from 'antd';
import { useId, useState } from 'react';
import { useCallView } from '../../../shared/rtc/use-call.ts';
import { CALL_KINDS, inviteAvailability } from '../call-ui-state.ts';
import { useCalls } from '../hooks/calls-context.ts';

const ICONS: Record<TCallKind, React.ReactNode> = {
  audio: <PhoneOutlined aria-hidden />,
  video: <VideoCameraOutlined aria-hidden />,
  screen: <DesktopOutlined aria-hidden />,
};

interface CallButtonsProps {
  conversationId: string;
  /** The conversation is assigned to this agent. */
  mine: boolean;
  open: boolean;
}

/** 语音通话 / 视频通话 / 远程协助 in the conversation header: the agent invites the taxpayer. */
export function CallButtons({ conversationId, mine, open }: CallButtonsProps) {
  const { controller, live } = useCalls();
  const view = useCallView(controller, conversationId);
  const [starting, setStarting] = useState<TCallKind | null>(null);
  const reasonId = useId();
  const availability = inviteAvailability({
    mine,
    open,
    ready: controller !== null,
    call: view.call,
    live,
    conversationId,
  });
  if (!availability.visible) return null;
  const reason = availability.disabledReason;

  const invite = async (kind: TCallKind) => {
    if (!controller) return;
    setStarting(kind);
    try {
      await controller.invite(conversationId, kind);
    } finally {
      setStarting(null);
    }
  };

  return (
    <Flex gap={8} role="group" aria-label="音视频与远程协助">
      {CALL_KINDS.map((kind) => (
        <Tooltip key={kind} title={reason}>
          <Button
            size="small"
            icon={ICONS[kind]}
            disabled={reason !== null || starting !== null}
            loading={starting === kind}
            aria-describedby={reason ? reasonId : undefined}
            onClick={() => void invite(kind)}
            data-testid={`call-invite-${kind}`}
          >
            {CALL_KIND_LABELS[kind]}
          </Button>
        </Tooltip>
      ))}
      {reason && (
        <span id={reasonId} className="zn-visually-hidden">
          {reason}
        </span>
      )}
    </Flex>
  );
}
