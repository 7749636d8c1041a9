import type { TEntrySummary } from '@zhengna/contracts';
import { Alert, Button, Flex, Input, Select, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useId, useState } from 'react';
import { formatFullTime } from '../../../shared/ui/format-time.ts';
import {
  fetchEntries,
  fetchTopics,
  type TEntryList,
  type TEntryListQuery,
  type TKnowledgeTopic,
} from '../api/knowledge-api.ts';
import { ENTRY_STATUS_COLORS, ENTRY_STATUS_LABELS, type EntryStatusKey, entryStatusOf } from '../entry-form.ts';
import { adminErrorMessage } from '../handle-error.ts';
import { EntryEditor } from './EntryEditor.tsx';

const STATUS_OPTIONS = (Object.keys(ENTRY_STATUS_LABELS) as EntryStatusKey[]).map((value) => ({
  value,
  label: ENTRY_STATUS_LABELS[value],
}));
const PAGE_SIZE = 20;

interface EntriesPageProps {
  /** Supervisors read; only administrators create and change entries. */
  canEdit: boolean;
  onSessionExpired: () => void;
}

/** 知识库 → 知识条目: search and filter the entries; one opens in the editor (drafts, 发布, 变更历史). */
export function EntriesPage({ canEdit, onSessionExpired }: EntriesPageProps) {
  const ids = useId();
  const [query, setQuery] = useState<TEntryListQuery>({ page: 1, pageSize: PAGE_SIZE });
  const [search, setSearch] = useState('');
  const [list, setList] = useState<TEntryList | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [topics, setTopics] = useState<TKnowledgeTopic[]>([]);
  const [reloads, setReloads] = useState(0);
  /** The open editor: an entry's id, or null for a new entry. */
  const [editing, setEditing] = useState<{ id: string | null } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    fetchTopics(controller.signal).then(setTopics, (e: unknown) => {
      if (!controller.signal.aborted)
        setError(adminErrorMessage(e, '专题列表加载失败，请稍后再试。', onSessionExpired));
    });
    return () => controller.abort();
  }, [onSessionExpired]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reloads` asks for the same page again after a change
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    fetchEntries(query, controller.signal)
      .then(setList, (e: unknown) => {
        if (!controller.signal.aborted)
          setError(adminErrorMessage(e, '知识条目加载失败，请稍后再试。', onSessionExpired));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [query, reloads, onSessionExpired]);

  const filter = (next: Partial<TEntryListQuery>) => setQuery((prev) => ({ ...prev, ...next, page: 1 }));
  const refresh = useCallback(() => setReloads((n) => n + 1), []);

  return (
    <Flex vertical gap={12}>
      <Flex gap={12} wrap align="flex-end">
        <Flex vertical gap={4} style={{ flex: '1 1 280px', maxWidth: 420 }}>
          <label htmlFor={`${ids}-q`}>搜索</label>
          <Input.Search
            id={`${ids}-q`}
            aria-label="搜索知识条目"
            placeholder="标准问题、相似问题、答案或编号"
            allowClear
            enterButton="搜索"
            maxLength={100}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(value) => filter({ q: value.trim() || undefined })}
            data-testid="entries-search"
          />
        </Flex>
        <Flex vertical gap={4} style={{ width: 200 }}>
          <label htmlFor={`${ids}-topic`}>专题</label>
          <Select
            id={`${ids}-topic`}
            allowClear
            placeholder="全部专题"
            showSearch={{ optionFilterProp: 'label' }}
            options={topics.map((t) => ({ value: t.id, label: `${t.name}（${t.entries}）` }))}
            value={query.topic}
            onChange={(topic?: string) => filter({ topic })}
            data-testid="entries-topic"
          />
        </Flex>
        <Flex vertical gap={4} style={{ width: 180 }}>
          <label htmlFor={`${ids}-status`}>状态</label>
          <Select
            id={`${ids}-status`}
            allowClear
            placeholder="全部状态"
            options={STATUS_OPTIONS}
            value={query.status}
            onChange={(status?: EntryStatusKey) => filter({ status })}
            data-testid="entries-status"
          />
        </Flex>
        <Flex gap={8} style={{ marginLeft: 'auto' }}>
          <Button onClick={refresh} loading={loading}>
            刷新
          </Button>
          {canEdit && (
            <Button type="primary" onClick={() => setEditing({ id: null })} data-testid="entries-new">
              新建条目
            </Button>
          )}
        </Flex>
      </Flex>
      {!canEdit && (
        <Typography.Text type="secondary">
          您可以查看知识条目和变更历史；新建、修改和发布须由系统管理员进行。
        </Typography.Text>
      )}
      {error && <Alert type="error" showIcon role="alert" title={error} />}
      <Table<TEntrySummary>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={list?.items ?? []}
        caption={<span className="zn-visually-hidden">知识条目列表</span>}
        locale={{ emptyText: query.q || query.topic || query.status ? '没有符合条件的知识条目' : '暂无知识条目' }}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: list?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (total) => `共 ${total} 条`,
        }}
        onChange={(p) => setQuery((prev) => ({ ...prev, page: p.current ?? 1, pageSize: p.pageSize ?? PAGE_SIZE }))}
        onRow={(entry) =>
          ({
            'data-testid': 'entry-row',
            'data-id': entry.id,
            style: { cursor: 'pointer' },
            onClick: () => setEditing({ id: entry.id }),
          }) as object
        }
        data-testid="entries-table"
        columns={[
          { title: '编号', dataIndex: 'id', width: 170 },
          { title: '专题', dataIndex: 'topicName', width: 120 },
          {
            title: '标准问题',
            dataIndex: 'question',
            render: (question: string, entry) => (
              // the row opens on click; this button makes it reachable by keyboard too
              <Button
                type="link"
                style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'start' }}
                onClick={(event) => {
                  event.stopPropagation();
                  setEditing({ id: entry.id });
                }}
              >
                {question}
              </Button>
            ),
          },
          {
            title: '状态',
            key: 'status',
            width: 130,
            render: (_, entry) => {
              const status = entryStatusOf(entry);
              return (
                <Tag color={ENTRY_STATUS_COLORS[status]} data-testid="entry-status">
                  {ENTRY_STATUS_LABELS[status]}
                </Tag>
              );
            },
          },
          {
            title: '版本',
            dataIndex: 'revision',
            width: 80,
            align: 'right',
            render: (n: number) => (n > 0 ? `第 ${n} 版` : '—'),
          },
          {
            title: '更新时间',
            dataIndex: 'updatedAt',
            width: 190,
            render: (iso: string) => <time dateTime={iso}>{formatFullTime(iso)}</time>,
          },
        ]}
      />
      {editing && (
        <EntryEditor
          key={editing.id ?? 'new'}
          entryId={editing.id}
          canEdit={canEdit}
          onClose={() => setEditing(null)}
          onChanged={refresh}
          onSessionExpired={onSessionExpired}
        />
      )}
    </Flex>
  );
}
