import type { TDocumentRef } from '@zhengna/contracts';
import { Alert, Button, Descriptions, Flex, Modal, Skeleton, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import type { TDocumentDetail } from '../../session/chat-api.ts';
import { useBotActions } from './bot-actions.ts';
import { FavoriteButton } from './FavoriteButton.tsx';

interface DocumentDetailModalProps {
  /** The document to show; null keeps the dialog closed. */
  document: TDocumentRef | null;
  onClose: () => void;
}

type Load =
  | { status: 'loading' }
  | { status: 'error'; id: string; message: string }
  | { status: 'ready'; id: string; detail: TDocumentDetail };

/** A policy document's detail (GET /api/chat/documents/:id) with 收藏. */
export default function DocumentDetailModal({ document, onClose }: DocumentDetailModalProps) {
  const { fetchDocument } = useBotActions();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const documentId = document?.id ?? null;

  useEffect(() => {
    if (!documentId) return;
    let cancelled = false;
    setLoad({ status: 'loading' });
    fetchDocument(documentId).then(
      (detail) => !cancelled && setLoad({ status: 'ready', id: documentId, detail }),
      (error: unknown) =>
        !cancelled &&
        setLoad({ status: 'error', id: documentId, message: errorMessage(error, '文件详情加载失败，请稍后再试。') }),
    );
    return () => {
      cancelled = true;
    };
  }, [documentId, fetchDocument]);

  // What the answer already said about the document is shown at once; the detail adds topics (and fresher data).
  const current: Load = load.status !== 'loading' && load.id !== documentId ? { status: 'loading' } : load;
  const detail = current.status === 'ready' ? current.detail : null;
  const shown: TDocumentRef | null = detail ?? document;

  return (
    <Modal
      open={document !== null}
      onCancel={onClose}
      title={shown?.title ?? '文件详情'}
      destroyOnHidden
      width={560}
      footer={
        document ? (
          <Flex justify="space-between" align="center" gap={8}>
            <FavoriteButton kind="document" refId={document.id} testId="favorite-document" />
            <Button onClick={onClose}>关闭</Button>
          </Flex>
        ) : null
      }
    >
      {shown && (
        <div data-testid="document-detail">
          <Descriptions column={1} size="small" styles={{ label: { width: 80 } }}>
            <Descriptions.Item label="文件类型">{shown.kind || '—'}</Descriptions.Item>
            <Descriptions.Item label="发文机关">{shown.issuer || '—'}</Descriptions.Item>
            <Descriptions.Item label="文号">{shown.number || '—'}</Descriptions.Item>
            <Descriptions.Item label="年份">{shown.year ? `${shown.year}年` : '—'}</Descriptions.Item>
            {detail && detail.topics.length > 0 && (
              <Descriptions.Item label="相关专题">
                <Flex wrap gap={4}>
                  {detail.topics.map((topic) => (
                    <Tag key={topic}>{topic}</Tag>
                  ))}
                </Flex>
              </Descriptions.Item>
            )}
          </Descriptions>
          {shown.summary && (
            <Typography.Paragraph style={{ marginTop: 12, whiteSpace: 'pre-wrap' }}>
              {shown.summary}
            </Typography.Paragraph>
          )}
          {current.status === 'loading' && <Skeleton active title={false} paragraph={{ rows: 2 }} />}
          {current.status === 'error' && <Alert type="warning" showIcon title={current.message} />}
        </div>
      )}
    </Modal>
  );
}
