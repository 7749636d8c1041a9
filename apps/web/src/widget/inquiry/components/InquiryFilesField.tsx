import { PaperClipOutlined } from '@ant-design/icons';
import { Button, Form, Typography } from 'antd';
import { useId, useRef } from 'react';
import { ACCEPTED_FILES, formatBytes } from '../../chat/attachments/attachment-api.ts';
import { MAX_INQUIRY_FILES } from '../inquiry-form.ts';
import type { InquiryFiles } from '../use-inquiry-files.ts';

/** 附件材料: pick images or files (the chat's types, ≤ 10 MB each, at most 5); each uploads at once, with 移除. */
export function InquiryFilesField({ files, error }: { files: InquiryFiles; error: string | null }) {
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  return (
    <Form.Item
      label="附件材料"
      htmlFor={id}
      extra={`可上传图片、PDF、Word、Excel，单个不超过 10 MB，最多 ${MAX_INQUIRY_FILES} 个。`}
      validateStatus={error ? 'error' : undefined}
      help={error ? <span role="alert">{error}</span> : undefined}
    >
      <Button id={id} icon={<PaperClipOutlined />} onClick={() => input.current?.click()} data-testid="inquiry-files">
        选择文件
      </Button>
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPTED_FILES}
        hidden
        // antd's form styles give input[type=file] display:block, which beats the hidden attribute
        style={{ display: 'none' }}
        data-testid="inquiry-file-input"
        onChange={(event) => {
          files.add(Array.from(event.target.files ?? []));
          event.target.value = '';
        }}
      />
      {files.items.length > 0 && (
        <ul aria-label="已选附件" style={{ listStyle: 'none', margin: '6px 0 0', padding: 0 }}>
          {files.items.map((item) => (
            <li
              key={item.key}
              data-testid="inquiry-file"
              data-status={item.status}
              style={{ display: 'flex', alignItems: 'center', gap: 6, fontSize: 12 }}
            >
              <span style={{ flex: 1, minWidth: 0, overflowWrap: 'anywhere' }}>
                {item.name} <Typography.Text type="secondary">{formatBytes(item.size)}</Typography.Text>
                {item.status === 'uploading' && (
                  <progress
                    max={100}
                    value={item.percent}
                    aria-label={`${item.name} 上传进度`}
                    style={{ width: '100%' }}
                  />
                )}
                {item.status === 'done' && <Typography.Text type="success"> 已上传</Typography.Text>}
                {item.status === 'error' && (
                  <Typography.Text type="danger" role="alert" style={{ display: 'block' }}>
                    {item.error}
                  </Typography.Text>
                )}
              </span>
              <Button size="small" type="link" onClick={() => files.remove(item.key)} aria-label={`移除 ${item.name}`}>
                移除
              </Button>
            </li>
          ))}
        </ul>
      )}
    </Form.Item>
  );
}
