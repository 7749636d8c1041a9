import type { TDocumentRef } from '@zhengna/contracts';
import { Button, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { documentMeta } from '../../chat/bot/document-label.ts';
import { fetchRecommendations } from '../api/panels-api.ts';
import { useLoad } from '../hooks/use-load.ts';
import { usePanelServices } from '../panel-services.ts';
import { LIST, ROW_BUTTON, SECTION_TITLE } from './list-styles.ts';
import { PanelState } from './PanelState.tsx';

const DocumentDetailModal = lazy(() => import('../../chat/bot/DocumentDetailModal.tsx'));

/** 热点推荐 (2.2): questions and documents chosen for this taxpayer and the portal page; a question is asked at once. */
export function RecommendationsPanel() {
  const services = usePanelServices();
  const { state, reload } = useLoad(
    () => services.withAuth((token) => fetchRecommendations(token, services.page)),
    '热点推荐加载失败，请稍后再试。',
  );
  const [document, setDocument] = useState<TDocumentRef | null>(null);

  return (
    <PanelState
      state={state}
      empty="暂无推荐内容"
      isEmpty={(d) => d.questions.length === 0 && d.documents.length === 0}
      onRetry={reload}
    >
      {(data) => (
        <>
          {data.questions.length > 0 && (
            <section aria-labelledby="hot-questions">
              <Typography.Title level={3} id="hot-questions" style={SECTION_TITLE}>
                常见问题
              </Typography.Title>
              <ul style={LIST} data-testid="hot-questions">
                {data.questions.map((q) => (
                  <li key={q.entryId}>
                    <Button
                      type="text"
                      block
                      style={ROW_BUTTON}
                      disabled={!services.canSend}
                      onClick={() => services.ask(q.question)}
                      data-testid="hot-question"
                      data-entry-id={q.entryId}
                    >
                      {q.question}
                    </Button>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {data.documents.length > 0 && (
            <section aria-labelledby="hot-documents">
              <Typography.Title level={3} id="hot-documents" style={SECTION_TITLE}>
                相关文件
              </Typography.Title>
              <ul style={LIST} data-testid="hot-documents">
                {data.documents.map((d) => (
                  <li key={d.id}>
                    <Button
                      type="link"
                      block
                      style={ROW_BUTTON}
                      onClick={() => setDocument(d)}
                      aria-haspopup="dialog"
                      data-testid="hot-document"
                    >
                      <span>
                        {d.title}
                        {documentMeta(d) && (
                          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                            {documentMeta(d)}
                          </Typography.Text>
                        )}
                      </span>
                    </Button>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {document && (
            <Suspense fallback={null}>
              <DocumentDetailModal document={document} onClose={() => setDocument(null)} />
            </Suspense>
          )}
        </>
      )}
    </PanelState>
  );
}
