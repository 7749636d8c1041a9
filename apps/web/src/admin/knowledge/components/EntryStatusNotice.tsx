import type { TEntryDetail } from '@zhengna/contracts';
import { Alert, Tag, Typography } from 'antd';
import { formatFullTime } from '../../../shared/ui/format-time.ts';
import { detailStatusOf, ENTRY_STATUS_COLORS, ENTRY_STATUS_LABELS } from '../entry-form.ts';

/** Says whether the form shows what the bot answers with, a draft it does not use yet, or a new entry. */
export function EntryStatusNotice({
  detail,
  isNew,
  dirty,
}: {
  detail: TEntryDetail | null;
  isNew: boolean;
  dirty: boolean;
}) {
  const unsaved = dirty ? (
    <Typography.Text type="warning" strong role="status" data-testid="entry-unsaved">
      有尚未保存的修改。
    </Typography.Text>
  ) : null;
  if (!detail) {
    if (!isNew) return null;
    return (
      <Alert
        type="info"
        showIcon
        title="新条目：保存后为草稿，发布后机器人才会使用。"
        description={unsaved}
        data-testid="entry-status-notice"
        data-status="new"
      />
    );
  }
  const status = detailStatusOf(detail);
  const tag = <Tag color={ENTRY_STATUS_COLORS[status]}>{ENTRY_STATUS_LABELS[status]}</Tag>;
  const meta = `第 ${detail.revision} 版 · 更新于 ${formatFullTime(detail.updatedAt)}`;
  if (status === 'changed') {
    const who = detail.draftBy ?? '';
    const when = detail.draftAt ? `于 ${formatFullTime(detail.draftAt)} ` : '';
    return (
      <Alert
        type="warning"
        showIcon
        title={<>{tag}该条目有未发布的修改，机器人仍使用已发布内容</>}
        description={
          <>
            下方显示的是{who}
            {when}保存的草稿，发布后才生效。{unsaved}
          </>
        }
        data-testid="entry-status-notice"
        data-status={status}
      />
    );
  }
  if (status === 'draft') {
    return (
      <Alert
        type="info"
        showIcon
        title={<>{tag}机器人不会使用该条目，发布后才生效</>}
        description={
          <>
            {detail.revision > 0
              ? `曾经发布过（已下线），可在“变更历史”中查看或回滚。更新于 ${formatFullTime(detail.updatedAt)}。`
              : '尚未发布过。'}
            {unsaved}
          </>
        }
        data-testid="entry-status-notice"
        data-status={status}
      />
    );
  }
  return (
    <Alert
      type="success"
      showIcon
      title={<>{tag}机器人正在使用以下内容</>}
      description={
        <>
          {meta}。修改后可保存草稿，发布后才生效。{unsaved}
        </>
      }
      data-testid="entry-status-notice"
      data-status={status}
    />
  );
}
