import { DesktopOutlined, PhoneOutlined, VideoCameraOutlined } from '@ant-design/icons';
import type { TCallKind, TMessagePayload } from '@zhengna/contracts';
import { Flex, Typography, theme } from 'antd';
import { formatFullTime, formatMessageTime } from '../../../shared/ui/format-time.ts';

type CallPayload = Extract<TMessagePayload, { kind: 'call' }>;

const ICON: Record<TCallKind, typeof PhoneOutlined> = {
  audio: PhoneOutlined,
  video: VideoCameraOutlined,
  screen: DesktopOutlined,
};

/**
 * A call's mark in the timeline (asked for, started, ended with its duration …), in the server's words, which already
 * name the kind ("视频通话已结束，时长 3 分 12 秒"): an icon says the rest.
 */
export function CallNotice({ payload, body, createdAt }: { payload: CallPayload; body: string; createdAt: string }) {
  const { token } = theme.useToken();
  const Icon = ICON[payload.callKind];
  const color =
    payload.state === 'active'
      ? token.colorSuccess
      : payload.state === 'failed'
        ? token.colorError
        : payload.state === 'requested'
          ? token.colorPrimary
          : token.colorTextTertiary;
  return (
    <Flex
      justify="center"
      style={{ margin: '8px 0' }}
      data-testid="call-notice"
      data-payload-kind="call"
      data-call-kind={payload.callKind}
      data-call-state={payload.state}
    >
      <Typography.Text type="secondary" style={{ fontSize: 12, textAlign: 'center' }}>
        <Icon aria-hidden style={{ color, marginInlineEnd: 6 }} />
        {body}{' '}
        <time dateTime={createdAt} title={formatFullTime(createdAt)}>
          {formatMessageTime(createdAt)}
        </time>
      </Typography.Text>
    </Flex>
  );
}
