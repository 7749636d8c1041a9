import type { TAttachment } from '@zhengna/contracts';
import { Button, Flex, Image, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { formatBytes } from './attachment-api.ts';
import { useFetchFile } from './attachment-context.ts';

/**
 * A message's files. Stored files need the bearer token, so they are fetched and shown from blob URLs: images
 * inline (click for the full-size preview), other files as a download.
 */
export default function MessageAttachments({ attachments }: { attachments: readonly TAttachment[] }) {
  return (
    <Flex vertical gap={6} style={{ marginTop: 6 }} data-testid="message-attachments">
      {attachments.map((a) =>
        a.mime.startsWith('image/') ? (
          <ImageAttachment key={a.id} attachment={a} />
        ) : (
          <FileAttachment key={a.id} attachment={a} />
        ),
      )}
    </Flex>
  );
}

function useBlobUrl(url: string, enabled: boolean) {
  const fetchFile = useFetchFile();
  const [state, setState] = useState<{ src?: string; error?: string }>({});
  useEffect(() => {
    if (!enabled) return;
    let objectUrl: string | undefined;
    let cancelled = false;
    fetchFile(url).then(
      (blob) => {
        if (cancelled) return;
        objectUrl = URL.createObjectURL(blob);
        setState({ src: objectUrl });
      },
      (error: unknown) => !cancelled && setState({ error: errorMessage(error, '文件加载失败。') }),
    );
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url, enabled, fetchFile]);
  return state;
}

function ImageAttachment({ attachment }: { attachment: TAttachment }) {
  const { src, error } = useBlobUrl(attachment.url, true);
  if (error) return <Typography.Text type="danger">{`${attachment.fileName}：${error}`}</Typography.Text>;
  if (!src) return <Typography.Text type="secondary">图片加载中…</Typography.Text>;
  return (
    <Image
      src={src}
      alt={attachment.fileName}
      width={180}
      style={{ maxHeight: 240, objectFit: 'contain', borderRadius: 6, background: '#fff' }}
      preview={{ mask: '查看大图' }}
      data-testid="attachment-image"
    />
  );
}

function FileAttachment({ attachment }: { attachment: TAttachment }) {
  const fetchFile = useFetchFile();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const url = URL.createObjectURL(await fetchFile(attachment.url));
      const link = document.createElement('a');
      link.href = url;
      link.download = attachment.fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setError(errorMessage(e, '下载失败，请稍后再试。'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Flex vertical data-testid="attachment-file">
      <Button size="small" loading={busy} onClick={() => void download()} aria-label={`下载 ${attachment.fileName}`}>
        📄 {attachment.fileName}（{formatBytes(attachment.size)}）
      </Button>
      {error && (
        <Typography.Text type="danger" role="alert" style={{ fontSize: 12 }}>
          {error}
        </Typography.Text>
      )}
    </Flex>
  );
}
