import { Alert, App, Button, Flex, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { formatFullTime } from '../../../shared/ui/format-time.ts';
import { fetchTopics, type TKnowledgeTopic } from '../api/knowledge-api.ts';
import { adminErrorMessage } from '../handle-error.ts';
import { TopicDialog, type TopicDialogMode } from './TopicDialog.tsx';

interface TopicsPageProps {
  /** Supervisors read; only administrators create and change topics. */
  canEdit: boolean;
  onSessionExpired: () => void;
}

/** 知识库 → 专题: the topics the entries are filed under, with how many entries each has; 新建专题 and 编辑. */
export function TopicsPage({ canEdit, onSessionExpired }: TopicsPageProps) {
  const { message } = App.useApp();
  const [topics, setTopics] = useState<TKnowledgeTopic[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<TopicDialogMode | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal): Promise<TKnowledgeTopic[] | null> => {
      setLoading(true);
      setError(null);
      try {
        const next = await fetchTopics(signal);
        setTopics(next);
        return next;
      } catch (e) {
        if (!signal?.aborted) setError(adminErrorMessage(e, '专题列表加载失败，请稍后再试。', onSessionExpired));
        return null;
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [onSessionExpired],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const saved = (topic: TKnowledgeTopic, mode: TopicDialogMode) => {
    setDialog(null);
    void message.success(mode.kind === 'create' ? `专题“${topic.name}”已创建。` : `专题“${topic.name}”已保存。`);
    void load();
  };

  /** The dialog's 刷新 after a conflict: the list reloads and the dialog takes the topic as it now is. */
  const refreshOne = async (id: string) => {
    const next = await fetchTopics();
    setTopics(next);
    return next.find((t) => t.id === id);
  };

  return (
    <Flex vertical gap={12}>
      <Flex gap={8} justify="flex-end">
        <Button onClick={() => void load()} loading={loading}>
          刷新
        </Button>
        {canEdit && (
          <Button type="primary" onClick={() => setDialog({ kind: 'create' })} data-testid="topics-new">
            新建专题
          </Button>
        )}
      </Flex>
      {!canEdit && (
        <Typography.Text type="secondary" data-testid="topics-readonly">
          您可以查看专题；新建和修改须由系统管理员进行。
        </Typography.Text>
      )}
      {error && <Alert type="error" showIcon role="alert" title={error} data-testid="topics-error" />}
      <Table<TKnowledgeTopic>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={topics}
        pagination={false}
        caption={<span className="zn-visually-hidden">专题列表</span>}
        locale={{ emptyText: '暂无专题' }}
        onRow={(topic) => ({ 'data-testid': 'topic-row', 'data-id': topic.id }) as object}
        data-testid="topics-table"
        columns={[
          { title: '编号', dataIndex: 'id', width: 160 },
          { title: '名称', dataIndex: 'name', width: 180 },
          {
            title: '说明',
            dataIndex: 'description',
            render: (text: string) =>
              text ? (
                <span style={{ whiteSpace: 'pre-wrap' }}>{text}</span>
              ) : (
                <Typography.Text type="secondary">—</Typography.Text>
              ),
          },
          { title: '条目数', dataIndex: 'entries', width: 90, align: 'right' },
          {
            title: '更新时间',
            dataIndex: 'updatedAt',
            width: 190,
            render: (iso: string) => <time dateTime={iso}>{formatFullTime(iso)}</time>,
          },
          ...(canEdit
            ? [
                {
                  title: '操作',
                  key: 'actions',
                  width: 80,
                  render: (_: unknown, topic: TKnowledgeTopic) => (
                    <Button
                      type="link"
                      style={{ padding: 0 }}
                      // every row has one: the name says which topic it edits
                      aria-label={`编辑专题“${topic.name}”`}
                      onClick={() => setDialog({ kind: 'edit', topic })}
                      data-testid="topic-edit"
                    >
                      编辑
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {dialog && (
        <TopicDialog
          key={dialog.kind === 'edit' ? dialog.topic.id : 'new'}
          mode={dialog}
          onClose={() => setDialog(null)}
          onSaved={saved}
          onRefresh={refreshOne}
          onSessionExpired={onSessionExpired}
        />
      )}
    </Flex>
  );
}
