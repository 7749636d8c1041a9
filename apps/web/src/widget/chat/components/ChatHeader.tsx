import { Button, Flex, Typography, theme } from 'antd';

interface ChatHeaderProps {
  enterpriseName?: string;
  personName?: string;
  onClose: () => void;
}

export function ChatHeader({ enterpriseName, personName, onClose }: ChatHeaderProps) {
  const { token } = theme.useToken();
  return (
    <Flex
      component="header"
      align="center"
      justify="space-between"
      gap={8}
      style={{ padding: '10px 12px 10px 16px', background: token.colorPrimary, color: '#fff', flex: 'none' }}
    >
      <div style={{ minWidth: 0 }}>
        <Typography.Title level={1} style={{ color: '#fff', fontSize: 16, margin: 0 }}>
          征纳互动
        </Typography.Title>
        {enterpriseName && (
          <Typography.Text
            style={{ color: 'rgba(255,255,255,.9)', fontSize: 12, display: 'block' }}
            ellipsis={{ tooltip: enterpriseName }}
            data-testid="widget-enterprise-name"
          >
            {enterpriseName}
            {personName ? ` · ${personName}` : ''}
          </Typography.Text>
        )}
      </div>
      <Button
        type="text"
        onClick={onClose}
        aria-label="关闭征纳互动"
        data-testid="widget-close"
        style={{ color: '#fff', flex: 'none' }}
      >
        关闭
      </Button>
    </Flex>
  );
}
