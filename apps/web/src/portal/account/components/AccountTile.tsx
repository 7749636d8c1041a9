import { App, Card, Typography } from 'antd';

interface AccountTileProps {
  title: string;
  description: string;
}

/** One function tile on 税务数字账户; the demo only says it is a demo. */
export function AccountTile({ title, description }: AccountTileProps) {
  const { message } = App.useApp();
  return (
    <Card
      hoverable
      role="button"
      tabIndex={0}
      aria-label={title}
      onClick={() => void message.info(`${title}：演示页面，暂未开放`)}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          void message.info(`${title}：演示页面，暂未开放`);
        }
      }}
      style={{ height: '100%' }}
    >
      <Typography.Title level={3} style={{ fontSize: 16, marginTop: 0 }}>
        {title}
      </Typography.Title>
      <Typography.Text type="secondary">{description}</Typography.Text>
    </Card>
  );
}
