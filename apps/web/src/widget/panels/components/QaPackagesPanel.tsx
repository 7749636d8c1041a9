import { Button, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { fetchQaPackages, startQaPackage } from '../api/panels-api.ts';
import { useLoad } from '../hooks/use-load.ts';
import { usePanelServices } from '../panel-services.ts';
import { LIST, ROW_BUTTON } from './list-styles.ts';
import { PanelState } from './PanelState.tsx';

/** 问答套餐 (2.3): topics ranked by how often they are asked; a click starts the topic in the conversation. */
export function QaPackagesPanel() {
  const services = usePanelServices();
  const { state, reload } = useLoad(() => services.withAuth(fetchQaPackages), '问答套餐加载失败，请稍后再试。');
  const [starting, setStarting] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const start = async (topicId: string) => {
    setStarting(topicId);
    setError(null);
    try {
      const message = await services.withAuth((token) =>
        startQaPackage(token, topicId, services.conversationId, crypto.randomUUID()),
      );
      services.showMessage(message);
      services.close();
    } catch (e) {
      setError(errorMessage(e, '问答套餐暂时无法打开，请稍后再试。'));
    } finally {
      setStarting(null);
    }
  };

  return (
    <PanelState state={state} empty="暂无问答套餐" isEmpty={(d) => d.length === 0} onRetry={reload}>
      {(packages) => (
        <>
          {error && (
            <Typography.Text type="danger" role="alert" style={{ display: 'block', marginBottom: 6 }}>
              {error}
            </Typography.Text>
          )}
          <ol style={LIST} aria-label="问答套餐（按咨询量排序）" data-testid="qa-packages">
            {packages.map((p, index) => (
              <li key={p.topicId} style={{ marginBottom: 4 }}>
                <Button
                  block
                  style={ROW_BUTTON}
                  loading={starting === p.topicId}
                  disabled={!services.canSend || (starting !== null && starting !== p.topicId)}
                  onClick={() => void start(p.topicId)}
                  data-testid="qa-package"
                  data-topic-id={p.topicId}
                >
                  <span style={{ display: 'block' }}>
                    <strong>
                      {index + 1}. {p.name}
                    </strong>
                    <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                      {p.questionCount} 个问题 · 已咨询 {p.asked} 次{p.description ? ` · ${p.description}` : ''}
                    </Typography.Text>
                  </span>
                </Button>
              </li>
            ))}
          </ol>
        </>
      )}
    </PanelState>
  );
}
