import { STAFF_ROLE_LABELS, type TStaffMe } from '@zhengna/contracts';
import { Button, Flex, Tag, Typography } from 'antd';
import type { ConnectionState } from '../../../shared/realtime/realtime-client.ts';

interface WorkspaceHeaderProps {
  me: TStaffMe;
  connection: ConnectionState;
  onLogout: () => void;
}

const CONNECTION: Record<ConnectionState, { color: string; label: string }> = {
  connecting: { color: 'default', label: '连接中' },
  connected: { color: 'green', label: '在线' },
  disconnected: { color: 'orange', label: '已断开，正在重连' },
};

export function WorkspaceHeader({ me, connection, onLogout }: WorkspaceHeaderProps) {
  return (
    <Flex align="center" gap={12} style={{ height: '100%' }}>
      <Typography.Title level={1} style={{ color: '#fff', fontSize: 18, margin: 0 }}>
        征纳互动坐席工作台
      </Typography.Title>
      <Flex align="center" gap={8} style={{ marginLeft: 'auto' }}>
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
