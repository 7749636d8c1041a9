import type { TEntryDetail, TEntryRevision } from '@zhengna/contracts';
import { Alert, Button, Flex, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { formatFullTime } from '../../../shared/ui/format-time.ts';
import { fetchEntryRevisions } from '../api/knowledge-api.ts';
import { canRollbackTo, REVISION_ACTION_COLORS, REVISION_ACTION_LABELS } from '../entry-form.ts';
import { adminErrorMessage } from '../handle-error.ts';
import { EntryContentView } from './EntryContentView.tsx';

interface EntryHistoryProps {
  detail: TEntryDetail;
  canEdit: boolean;
  /** Disables 回滚 while another step runs. */
  busy: boolean;
  topicName: (id: string) => string;
  onRollback: (revision: number) => void;
  onSessionExpired: () => void;
}

/** 变更历史: every published revision, newest first, each expandable to its content; admins may roll back. */
export function EntryHistory({ detail, canEdit, busy, topicName, onRollback, onSessionExpired }: EntryHistoryProps) {
  const [revisions, setRevisions] = useState<TEntryRevision[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { id, version } = detail;

  // biome-ignore lint/correctness/useExhaustiveDependencies: each change of the entry (a new version) may add a revision
  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    fetchEntryRevisions(id, controller.signal).then(setRevisions, (e: unknown) => {
      if (!controller.signal.aborted)
        setError(adminErrorMessage(e, '变更历史加载失败，请稍后再试。', onSessionExpired));
    });
    return () => controller.abort();
  }, [id, version, onSessionExpired]);

  return (
    <Flex vertical gap={8}>
      {error && <Alert type="error" showIcon role="alert" title={error} />}
      <Table<TEntryRevision>
        rowKey="revision"
        size="small"
        loading={revisions === null && !error}
        dataSource={revisions ?? []}
        pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
        locale={{ emptyText: '尚未发布过，暂无变更历史' }}
        caption={<span className="zn-visually-hidden">变更历史</span>}
        data-testid="entry-history"
        expandable={{
          expandedRowRender: (r) => <EntryContentView content={r.content} topicName={topicName(r.content.topic)} />,
          columnTitle: <span className="zn-visually-hidden">展开</span>,
        }}
        onRow={(r) => ({ 'data-testid': 'entry-revision', 'data-revision': r.revision }) as object}
        columns={[
          { title: '版本号', dataIndex: 'revision', width: 80, render: (n: number) => `第 ${n} 版` },
          {
            title: '操作',
            dataIndex: 'action',
            width: 80,
            render: (a: TEntryRevision['action']) => (
              <Tag color={REVISION_ACTION_COLORS[a]}>{REVISION_ACTION_LABELS[a]}</Tag>
            ),
          },
          { title: '操作人', dataIndex: 'staffName', width: 100 },
          {
            title: '时间',
            dataIndex: 'createdAt',
            width: 180,
            render: (iso: string) => <time dateTime={iso}>{formatFullTime(iso)}</time>,
          },
          {
            title: '说明',
            dataIndex: 'note',
            render: (note: string) => <span style={{ wordBreak: 'break-word' }}>{note || '—'}</span>,
          },
          ...(canEdit
            ? [
                {
                  title: '回滚',
                  key: 'rollback',
                  width: 120,
                  render: (_: unknown, r: TEntryRevision) =>
                    canRollbackTo(r, detail) ? (
                      <Button
                        size="small"
                        disabled={busy}
                        onClick={() => onRollback(r.revision)}
                        data-testid={`entry-rollback-${r.revision}`}
                      >
                        回滚到此版本
                      </Button>
                    ) : (
                      <Tag color="green">当前版本</Tag>
                    ),
                },
              ]
            : []),
        ]}
      />
    </Flex>
  );
}
