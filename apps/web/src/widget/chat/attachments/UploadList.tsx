import { Button, Flex, Typography, theme } from 'antd';
import { formatBytes } from './attachment-api.ts';
import type { UploadItem } from './use-attachment-uploads.ts';

/** Files picked, dropped or pasted for the next message: thumbnail, progress, the server's verdict, 移除. */
export function UploadList({ items, onRemove }: { items: readonly UploadItem[]; onRemove: (key: string) => void }) {
  const { token } = theme.useToken();
  if (items.length === 0) return null;
  return (
    <ul
      aria-label="待发送的附件"
      data-testid="upload-list"
      style={{ listStyle: 'none', margin: '0 0 6px', padding: 0 }}
    >
      {items.map((item) => (
        <li
          key={item.key}
          data-testid="upload-item"
          data-status={item.status}
          style={{
            display: 'flex',
            gap: 8,
            alignItems: 'center',
            padding: 4,
            marginBottom: 4,
            border: `1px solid ${item.status === 'error' ? token.colorErrorBorder : token.colorBorderSecondary}`,
            borderRadius: 6,
          }}
        >
          {item.previewUrl ? (
            <img src={item.previewUrl} alt="" width={36} height={36} style={{ objectFit: 'cover', borderRadius: 4 }} />
          ) : (
            <span aria-hidden="true" style={{ width: 36, textAlign: 'center', fontSize: 18 }}>
              📄
            </span>
          )}
          <Flex vertical style={{ flex: 1, minWidth: 0 }}>
            <Typography.Text ellipsis style={{ fontSize: 12 }}>
              {item.name} <Typography.Text type="secondary">{formatBytes(item.size)}</Typography.Text>
            </Typography.Text>
            {item.status === 'uploading' && (
              <progress max={100} value={item.percent} aria-label={`${item.name} 上传进度`} style={{ width: '100%' }} />
            )}
            {item.status === 'done' && (
              <Typography.Text type="success" style={{ fontSize: 12 }}>
                已上传，点击发送
              </Typography.Text>
            )}
            {item.status === 'error' && (
              <Typography.Text type="danger" style={{ fontSize: 12 }} role="alert" data-testid="upload-error">
                {item.error}
              </Typography.Text>
            )}
          </Flex>
          <Button size="small" type="text" onClick={() => onRemove(item.key)} aria-label={`移除 ${item.name}`}>
            移除
          </Button>
        </li>
      ))}
    </ul>
  );
}
