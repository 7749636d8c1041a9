import { STAFF_ROLE_LABELS, type TStaffMe } from '@zhengna/contracts';
import { Button, Flex, Segmented, Tag, Typography } from 'antd';
import type { ConnectionState } from '../../../shared/realtime/realtime-client.ts';
import { PresenceSwitch } from '../../presence/PresenceSwitch.tsx';
import type { WorkspaceView } from './Workspace.tsx';

interface WorkspaceHeaderProps {
  me: TStaffMe;
  connection: ConnectionState;
  onLogout: () => void;
  /** 会话 / 留言工单 / 预约, and 监控看板 / 通话记录 for supervisors and admins. */
  view?: WorkspaceView;
  onViewChange?: (view: WorkspaceView) => void;
  supervisor?: boolean;
}

const CONNECTION: Record<ConnectionState, { color: string; label: string }> = {
  connecting: { color: 'default', label: '连接中' },
  connected: { color: 'green', label: '已连接' },
  disconnected: { color: 'orange', label: '已断开，正在重连' },
};

export function WorkspaceHeader({ me, connection, onLogout, view, onViewChange, supervisor }: WorkspaceHeaderProps) {
  return (
    <Flex align="center" gap={12} style={{ height: '100%' }}>
      <Typography.Title level={1} style={{ color: '#fff', fontSize: 18, margin: 0, whiteSpace: 'nowrap' }}>
        征纳互动坐席工作台
      </Typography.Title>
      {view && onViewChange && (
        <Segmented<WorkspaceView>
          aria-label="工作台视图"
          value={view}
          onChange={onViewChange}
          data-testid="workspace-view"
          options={[
            { value: 'chats', label: '会话' },
            { value: 'cases', label: <span data-testid="view-cases">留言工单</span> },
            { value: 'appointments', label: <span data-testid="view-appointments">预约</span> },
            ...(supervisor
              ? [
                  { value: 'board' as const, label: <span data-testid="view-board">监控看板</span> },
                  { value: 'calls' as const, label: <span data-testid="view-calls">通话记录</span> },
                ]
              : []),
          ]}
        />
      )}
      <Flex align="center" gap={8} style={{ marginLeft: 'auto' }}>
        <PresenceSwitch initial={me.presence} />
        <Tag color={CONNECTION[connection].color} role="status">
          {CONNECTION[connection].label}
        </Tag>
        <Typography.Text style={{ color: '#fff' }} data-testid="workspace-staff-name">
          {me.name}（{STAFF_ROLE_LABELS[me.role]}）
        </Typography.Text>
        <Button size="small" onClick={onLogout} data-testid="workspace-logout">
          退出登录
        </Button>
      </Flex>
    </Flex>
  );
}
