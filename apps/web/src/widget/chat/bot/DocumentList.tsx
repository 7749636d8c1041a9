import type { TDocumentRef } from '@zhengna/contracts';
import { Typography, theme } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { documentMeta } from './document-label.ts';

const DocumentDetailModal = lazy(() => import('./DocumentDetailModal.tsx'));

/** 相关文件 under an answer; a click opens the document's detail. */
export function DocumentList({ documents }: { documents: readonly TDocumentRef[] }) {
  const { token } = theme.useToken();
  const [open, setOpen] = useState<TDocumentRef | null>(null);
  return (
    <section aria-label="相关文件" style={{ marginTop: 8 }}>
      <Typography.Text type="secondary" style={{ fontSize: '0.9em' }}>
        相关文件
      </Typography.Text>
      <ul style={{ listStyle: 'none', margin: '4px 0 0', padding: 0 }}>
        {documents.map((document) => {
          const meta = documentMeta(document);
          return (
            <li key={document.id} style={{ marginBottom: 4 }}>
              <button
                type="button"
                onClick={() => setOpen(document)}
                data-testid="document-link"
                data-document-id={document.id}
                aria-haspopup="dialog"
                style={{
                  padding: 0,
                  border: 0,
                  background: 'none',
                  color: token.colorLink,
                  cursor: 'pointer',
                  font: 'inherit',
                  textAlign: 'left',
                }}
              >
                {document.title}
              </button>
              {meta && (
                <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                  {meta}
                </Typography.Text>
              )}
            </li>
          );
        })}
      </ul>
      {open && (
        <Suspense fallback={null}>
          <DocumentDetailModal document={open} onClose={() => setOpen(null)} />
        </Suspense>
      )}
    </section>
  );
}
