import { ZEntryActionRequest } from '@zhengna/contracts';
import { Form, Input, Modal, Typography } from 'antd';
import { zodRule } from '../../../shared/ui/zod-rule.ts';

/** The steps that are confirmed with an optional 说明 (kept in the revision history). */
export type EntryDialogAction =
  | { kind: 'publish' }
  | { kind: 'unpublish' }
  | { kind: 'discard' }
  | { kind: 'rollback'; revision: number };

interface EntryActionDialogProps {
  action: EntryDialogAction;
  /** The form has edits not yet saved: 发布 saves them first, the other steps drop them. */
  unsaved: boolean;
  onCancel: () => void;
  onConfirm: (note: string) => void;
}

function describe(action: EntryDialogAction, unsaved: boolean) {
  switch (action.kind) {
    case 'publish':
      return {
        title: '发布知识条目',
        ok: '确定发布',
        text: `${unsaved ? '将先保存当前的修改，再发布。' : ''}发布后机器人立即使用该内容回答纳税人。`,
        danger: false,
      };
    case 'unpublish':
      return {
        title: '下线知识条目',
        ok: '确定下线',
        text: `下线后机器人不再使用该条目，条目转为草稿，可随时重新发布。${unsaved ? '尚未保存的修改将被放弃。' : ''}`,
        danger: true,
      };
    case 'discard':
      return {
        title: '放弃未发布的修改',
        ok: '确定放弃',
        text: '将删除该条目已保存的草稿，恢复为已发布的内容。此操作不可撤销。',
        danger: true,
      };
    case 'rollback':
      return {
        title: `回滚到第 ${action.revision} 版`,
        ok: '确定回滚',
        text: `将以第 ${action.revision} 版的内容发布为新版本，机器人立即使用该内容。${unsaved ? '尚未保存的修改将被放弃。' : ''}`,
        danger: true,
      };
  }
}

/** Confirms 发布 / 下线 / 放弃修改 / 回滚 and asks for an optional 说明. */
export function EntryActionDialog({ action, unsaved, onCancel, onConfirm }: EntryActionDialogProps) {
  const [form] = Form.useForm<{ note: string }>();
  const d = describe(action, unsaved);
  return (
    <Modal
      open
      title={d.title}
      okText={d.ok}
      cancelText="取消"
      okButtonProps={{ danger: d.danger, 'data-testid': 'entry-dialog-ok' }}
      onCancel={onCancel}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Typography.Paragraph>{d.text}</Typography.Paragraph>
      <Form<{ note: string }>
        form={form}
        layout="vertical"
        initialValues={{ note: '' }}
        onFinish={(values) => onConfirm((values.note ?? '').trim())}
        data-testid="entry-dialog"
      >
        <Form.Item
          name="note"
          label="说明（可选）"
          extra="记入变更历史，如修改原因、依据的文件。"
          rules={[zodRule(ZEntryActionRequest.shape.note)]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={200} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
