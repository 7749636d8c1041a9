import { Alert, Button, Drawer, Empty, Flex, Input, List, Spin, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../shared/api/api-error.ts';
import { SafeMarkdown } from '../../shared/ui/SafeMarkdown.tsx';
import { searchKnowledge, type TKnowledgeHit } from '../conversations/api/workspace-api.ts';

/** 知识库搜索: find an entry and insert its answer into the reply box (the agent edits before sending). */
export function KnowledgeSearch({ disabled, onInsert }: { disabled?: boolean; onInsert: (text: string) => void }) {
  const [open, setOpen] = useState(false);
  const [hits, setHits] = useState<TKnowledgeHit[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const search = async (q: string) => {
    if (!q.trim()) return;
    setLoading(true);
    setError(null);
    try {
      setHits(await searchKnowledge(q.trim()));
    } catch (e) {
      setError(errorMessage(e, '知识库搜索失败。'));
    } finally {
      setLoading(false);
    }
  };

  return (
    <>
      <Button size="small" disabled={disabled} onClick={() => setOpen(true)} data-testid="knowledge-open">
        知识库搜索
      </Button>
      <Drawer open={open} onClose={() => setOpen(false)} title="知识库搜索" size={460} destroyOnHidden={false}>
        <Flex vertical gap={12} data-testid="knowledge-search">
          <Input.Search
            placeholder="输入问题关键词"
            aria-label="知识库搜索"
            enterButton="搜索"
            onSearch={(q) => void search(q)}
            loading={loading}
            data-testid="knowledge-query"
          />
          {error && <Alert type="error" title={error} />}
          {loading && <Spin />}
          {hits && hits.length === 0 && <Empty description="没有找到相关条目" />}
          {hits && hits.length > 0 && (
            <List
              dataSource={hits}
              renderItem={(h) => (
                <List.Item key={h.entryId} data-testid="knowledge-hit">
                  <Flex vertical gap={4} style={{ width: '100%' }}>
                    <Typography.Text strong>{h.question}</Typography.Text>
                    <div style={{ fontSize: 13, maxHeight: 160, overflowY: 'auto' }}>
                      <SafeMarkdown>{h.answer}</SafeMarkdown>
                    </div>
                    <Button
                      size="small"
                      type="primary"
                      style={{ alignSelf: 'flex-start' }}
                      aria-label={`插入“${h.question}”的答案`}
                      data-testid="knowledge-insert"
                      onClick={() => {
                        onInsert(h.answer);
                        setOpen(false);
                      }}
                    >
                      插入回复
                    </Button>
                  </Flex>
                </List.Item>
              )}
            />
          )}
        </Flex>
      </Drawer>
    </>
  );
}
