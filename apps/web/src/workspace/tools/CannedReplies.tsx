import { DeleteOutlined } from '@ant-design/icons';
import { type TCannedReply, ZCannedReplyInput } from '@zhengna/contracts';
import { App, Button, Checkbox, Empty, Flex, Input, List, Modal, Popover, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../shared/api/api-error.ts';
import { createCannedReply, deleteCannedReply, fetchCannedReplies } from '../conversations/api/workspace-api.ts';

interface CannedRepliesProps {
  disabled?: boolean;
  canShare: boolean;
  onPick: (body: string) => void;
}

/** 快捷回复: pick one into the reply box; add and delete personal ones (supervisors also shared ones). */
export function CannedReplies({ disabled, canShare, onPick }: CannedRepliesProps) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [replies, setReplies] = useState<TCannedReply[] | null>(null);
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState({ title: '', body: '', shared: false });
  const [saving, setSaving] = useState(false);

  const load = useCallback(() => {
    fetchCannedReplies().then(setReplies, (e: unknown) => {
      setReplies([]);
      void message.error(errorMessage(e, '快捷回复加载失败。'));
    });
  }, [message]);
  useEffect(() => {
    if (open && replies === null) load();
  }, [open, replies, load]);

  const save = async () => {
    const parsed = ZCannedReplyInput.safeParse(draft);
    if (!parsed.success) {
      void message.warning(parsed.error.issues[0]?.message ?? '内容不正确');
      return;
    }
    setSaving(true);
    try {
      const created = await createCannedReply(parsed.data);
      setReplies((list) => [created, ...(list ?? [])]);
      setEditing(false);
      setDraft({ title: '', body: '', shared: false });
      void message.success('已添加快捷回复');
    } catch (e) {
      void message.error(errorMessage(e, '保存失败，请稍后再试。'));
    } finally {
      setSaving(false);
    }
  };

  const remove = async (reply: TCannedReply) => {
    try {
      await deleteCannedReply(reply.id);
      setReplies((list) => (list ?? []).filter((r) => r.id !== reply.id));
    } catch (e) {
      void message.error(errorMessage(e, '删除失败，请稍后再试。'));
    }
  };

  const q = filter.trim();
  const shown = (replies ?? []).filter((r) => !q || r.title.includes(q) || r.body.includes(q));
  const content = (
    <Flex vertical gap={8} style={{ width: 360 }} data-testid="canned-replies">
      <Flex gap={8}>
        <Input
          allowClear
          placeholder="搜索快捷回复"
          aria-label="搜索快捷回复"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <Button onClick={() => setEditing(true)} data-testid="canned-add">
          新增
        </Button>
      </Flex>
      {replies === null ? (
        <Spin size="small" />
      ) : shown.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无快捷回复" />
      ) : (
        <List
          size="small"
          style={{ maxHeight: 320, overflowY: 'auto' }}
          dataSource={shown}
          renderItem={(r) => (
            <List.Item
              key={r.id}
              actions={
                !r.shared || canShare
                  ? [
                      <Button
                        key="del"
                        type="text"
                        size="small"
                        icon={<DeleteOutlined />}
                        aria-label={`删除快捷回复“${r.title}”`}
                        onClick={() => void remove(r)}
                      />,
                    ]
                  : []
              }
            >
              <button
                type="button"
                data-testid="canned-item"
                onClick={() => {
                  onPick(r.body);
                  setOpen(false);
                }}
                style={{ all: 'unset', cursor: 'pointer', display: 'block', width: '100%' }}
              >
                <Typography.Text strong>{r.title}</Typography.Text> {r.shared && <Tag>共享</Tag>}
                <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0, fontSize: 12 }}>
                  {r.body}
                </Typography.Paragraph>
              </button>
            </List.Item>
          )}
        />
      )}
    </Flex>
  );

  return (
    <>
      <Popover open={open} onOpenChange={setOpen} trigger="click" placement="topLeft" content={content}>
        <Button size="small" disabled={disabled} data-testid="canned-open">
          快捷回复
        </Button>
      </Popover>
      <Modal
        open={editing}
        title="新增快捷回复"
        okText="保存"
        cancelText="取消"
        confirmLoading={saving}
        onOk={() => void save()}
        onCancel={() => setEditing(false)}
      >
        <Flex vertical gap={8}>
          <Input
            placeholder="标题（不超过 40 字）"
            aria-label="快捷回复标题"
            value={draft.title}
            maxLength={40}
            onChange={(e) => setDraft((d) => ({ ...d, title: e.target.value }))}
            data-testid="canned-title"
          />
          <Input.TextArea
            placeholder="回复内容"
            aria-label="快捷回复内容"
            value={draft.body}
            autoSize={{ minRows: 3, maxRows: 8 }}
            onChange={(e) => setDraft((d) => ({ ...d, body: e.target.value }))}
            data-testid="canned-body"
          />
          {canShare && (
            <Checkbox checked={draft.shared} onChange={(e) => setDraft((d) => ({ ...d, shared: e.target.checked }))}>
              共享给全部坐席
            </Checkbox>
          )}
        </Flex>
      </Modal>
    </>
  );
}
