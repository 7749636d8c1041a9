import { Alert, Button, Flex, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { formatFullTime } from '../../../shared/ui/format-time.ts';
import { fetchUnansweredQuestions, type TUnansweredQuestion } from '../api/knowledge-api.ts';
import { adminErrorMessage } from '../handle-error.ts';
import { EntryEditor } from './EntryEditor.tsx';

interface UnansweredPageProps {
  /** Administrators may answer a question with a new entry (新建条目); supervisors read. */
  canEdit: boolean;
  onSessionExpired: () => void;
}

/** 知识库 → 未解决问题: what taxpayers asked that the bot could not answer, for curators to add to the knowledge base. */
export function UnansweredPage({ canEdit, onSessionExpired }: UnansweredPageProps) {
  const [questions, setQuestions] = useState<TUnansweredQuestion[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  /** The question being answered with a new entry. */
  const [answering, setAnswering] = useState<TUnansweredQuestion | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setQuestions(await fetchUnansweredQuestions());
    } catch (e) {
      setError(adminErrorMessage(e, '未解决问题加载失败，请稍后再试。', onSessionExpired));
    } finally {
      setLoading(false);
    }
  }, [onSessionExpired]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Text type="secondary">
          智能助理未能回答的问题，默认按提问次数从多到少排列（点击表头可改按最近提问时间排序），可据此补充知识库。
        </Typography.Text>
        <Button onClick={() => void load()} loading={loading}>
          刷新
        </Button>
      </Flex>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
      <Table<TUnansweredQuestion>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={questions}
        pagination={{ pageSize: 20, showSizeChanger: false, showTotal: (total) => `共 ${total} 个问题` }}
        locale={{ emptyText: '暂无未解决问题' }}
        caption={<span className="zn-visually-hidden">未解决问题列表</span>}
        data-testid="kb-unanswered-table"
        columns={[
          {
            title: '问题',
            dataIndex: 'question',
            render: (text: string) => <span style={{ wordBreak: 'break-word' }}>{text}</span>,
          },
          {
            title: '提问次数',
            dataIndex: 'count',
            width: 110,
            align: 'right',
            sorter: (a, b) => a.count - b.count,
            defaultSortOrder: 'descend',
          },
          {
            title: '最近提问',
            dataIndex: 'lastAskedAt',
            width: 200,
            sorter: (a, b) => Date.parse(a.lastAskedAt) - Date.parse(b.lastAskedAt),
            render: (iso: string) => <time dateTime={iso}>{formatFullTime(iso)}</time>,
          },
          ...(canEdit
            ? [
                {
                  title: '操作',
                  key: 'actions',
                  width: 110,
                  render: (_: unknown, q: TUnansweredQuestion) => (
                    <Button size="small" onClick={() => setAnswering(q)} data-testid="unanswered-new-entry">
                      新建条目
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {answering && (
        <EntryEditor
          entryId={null}
          prefill={{ question: answering.question, fromUnansweredId: answering.id }}
          canEdit={canEdit}
          onClose={() => setAnswering(null)}
          // the question leaves the list once an entry is created from it
          onChanged={() => void load()}
          onSessionExpired={onSessionExpired}
        />
      )}
    </Flex>
  );
}
