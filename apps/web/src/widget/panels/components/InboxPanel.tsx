import { INBOX_KIND_LABELS, type TInboxItem, type TInboxPage } from '@zhengna/contracts';
import { Badge, Button, Flex, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { formatMessageTime } from '../../../shared/ui/format-time.ts';
import { Markdown } from '../../chat/bot/LazyMarkdown.tsx';
import { fetchInbox, markAllInboxRead, markInboxRead } from '../api/panels-api.ts';
import { useLoad } from '../hooks/use-load.ts';
import { usePanelServices } from '../panel-services.ts';
import { LIST, ROW_BUTTON } from './list-styles.ts';
import { PanelState } from './PanelState.tsx';

const KIND_COLORS: Record<TInboxItem['kind'], string> = {
  push: 'blue',
  work_order_result: 'green',
  inquiry_reply: 'cyan',
  appointment_success: 'green',
  appointment_reminder: 'gold',
  appointment_cancelled: 'default',
  appointment_no_show: 'orange',
  system: 'default',
};

/** 我的消息 (2.4): notices with their kind; opening one shows it and marks it read; new ones arrive live. */
export function InboxPanel() {
  const services = usePanelServices();
  const { state, set, reload } = useLoad(
    () => services.withAuth((t) => fetchInbox(t)),
    '我的消息加载失败，请稍后再试。',
  );
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const page = state.status === 'ready' ? state.data : null;
  const { onInbox, setUnread } = services;

  useEffect(
    () =>
      onInbox((event) => {
        const item = event.item;
        if (!item) return;
        set({
          ...(page ?? { items: [], hasMore: false }),
          items: [item, ...(page?.items ?? []).filter((i) => i.id !== item.id)],
          unread: event.unread,
        });
      }),
    [onInbox, page, set],
  );

  const replace = (item: TInboxItem, next: TInboxPage) =>
    set({ ...next, items: next.items.map((i) => (i.id === item.id ? item : i)) });

  const toggle = async (item: TInboxItem) => {
    const opening = open !== item.id;
    setOpen(opening ? item.id : null);
    if (!opening || item.readAt || !page) return;
    try {
      const result = await services.withAuth((t) => markInboxRead(t, item.id));
      replace(result.item, page);
      setUnread(result.unread);
    } catch (e) {
      setError(errorMessage(e, '标记已读失败，请稍后再试。'));
    }
  };

  const readAll = async () => {
    if (!page) return;
    try {
      const unread = await services.withAuth(markAllInboxRead);
      const now = new Date().toISOString();
      set({ ...page, items: page.items.map((i) => (i.readAt ? i : { ...i, readAt: now })), unread });
      setUnread(unread);
    } catch (e) {
      setError(errorMessage(e, '操作失败，请稍后再试。'));
    }
  };

  const loadMore = async () => {
    const last = page?.items[page.items.length - 1];
    if (!page || !last) return;
    setLoadingMore(true);
    try {
      const more = await services.withAuth((t) => fetchInbox(t, last.createdAt));
      set({ ...more, items: [...page.items, ...more.items.filter((m) => !page.items.some((i) => i.id === m.id))] });
    } catch (e) {
      setError(errorMessage(e, '加载失败，请稍后再试。'));
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <PanelState state={state} empty="暂无消息" isEmpty={(d) => d.items.length === 0} onRetry={reload}>
      {(data) => (
        <>
          <Flex justify="space-between" align="center" style={{ marginBottom: 6 }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="inbox-unread-summary">
              {services.unread > 0 ? `${services.unread} 条未读` : '全部已读'}
            </Typography.Text>
            <Button size="small" onClick={() => void readAll()} disabled={services.unread === 0}>
              全部已读
            </Button>
          </Flex>
          {error && (
            <Typography.Text type="danger" role="alert" style={{ display: 'block' }}>
              {error}
            </Typography.Text>
          )}
          <ul style={LIST} data-testid="inbox-list">
            {data.items.map((item) => {
              const expanded = open === item.id;
              return (
                <li
                  key={item.id}
                  data-testid="inbox-item"
                  data-read={item.readAt ? 'true' : 'false'}
                  style={{ borderBottom: '1px solid rgba(5,5,5,.06)' }}
                >
                  <Button
                    type="text"
                    block
                    style={ROW_BUTTON}
                    aria-expanded={expanded}
                    aria-controls={`inbox-${item.id}`}
                    onClick={() => void toggle(item)}
                  >
                    <span style={{ display: 'block', width: '100%' }}>
                      <Flex align="center" gap={6}>
                        {!item.readAt && <Badge status="error" aria-label="未读" />}
                        <Tag color={KIND_COLORS[item.kind]} style={{ marginInlineEnd: 0 }}>
                          {INBOX_KIND_LABELS[item.kind]}
                        </Tag>
                        <strong style={{ flex: 1, minWidth: 0 }}>{item.title}</strong>
                      </Flex>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatMessageTime(item.createdAt)}
                        {item.readAt ? ' · 已读' : ' · 未读'}
                      </Typography.Text>
                    </span>
                  </Button>
                  {expanded && (
                    <div id={`inbox-${item.id}`} data-testid="inbox-detail" style={{ padding: '0 8px 8px' }}>
                      <Markdown>{item.body}</Markdown>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
          {data.hasMore && (
            <Button block size="small" loading={loadingMore} onClick={() => void loadMore()} style={{ marginTop: 6 }}>
              加载更多
            </Button>
          )}
        </>
      )}
    </PanelState>
  );
}
