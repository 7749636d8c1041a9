import { ZTopicCreateRequest } from '@zhengna/contracts';
import { Alert, Button, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../../shared/api/api-error.ts';
import { zodRule } from '../../../shared/ui/zod-rule.ts';
import { isVersionConflict } from '../../settings/settings-form.ts';
import { createTopic, type TKnowledgeTopic, updateTopic } from '../api/knowledge-api.ts';
import { adminErrorMessage } from '../handle-error.ts';

const S = ZTopicCreateRequest.shape;

/** 新建 a topic, or 编辑 one (its 编号 is fixed once created). */
export type TopicDialogMode = { kind: 'create' } | { kind: 'edit'; topic: TKnowledgeTopic };

interface Values {
  id?: string;
  name?: string;
  description?: string;
}

interface TopicDialogProps {
  mode: TopicDialogMode;
  onClose: () => void;
  onSaved: (topic: TKnowledgeTopic, mode: TopicDialogMode) => void;
  /** Reloads the topics and returns this one as the server now has it (undefined when it is gone). */
  onRefresh: (id: string) => Promise<TKnowledgeTopic | undefined>;
  onSessionExpired: () => void;
}

/**
 * The 专题 dialog. 编辑 sends the updatedAt the topic was shown with; when someone else changed it in between, the
 * conflict is shown with 刷新, which loads their version into the form.
 */
export function TopicDialog({ mode, onClose, onSaved, onRefresh, onSessionExpired }: TopicDialogProps) {
  const [form] = Form.useForm<Values>();
  /** The topic as last loaded: 刷新 replaces it, so the next 保存 sends the fresh updatedAt. */
  const [base, setBase] = useState(mode.kind === 'edit' ? mode.topic : null);
  const [saving, setSaving] = useState(false);
  const [refreshing, setRefreshing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);

  const submit = async (v: Values) => {
    setSaving(true);
    setError(null);
    setConflict(null);
    const name = (v.name ?? '').trim();
    const description = (v.description ?? '').trim();
    try {
      const saved = base
        ? await updateTopic(base.id, { name, description, updatedAt: base.updatedAt })
        : await createTopic({ id: (v.id ?? '').trim(), name, description });
      onSaved(saved, mode);
    } catch (e) {
      const shown = adminErrorMessage(e, '保存失败，请稍后再试。', onSessionExpired);
      const fields = e instanceof ApiError ? e.fields : undefined;
      if (isVersionConflict(e)) setConflict(shown);
      else if (fields?.id && !base) form.setFields([{ name: 'id', errors: [fields.id] }]);
      else setError(shown);
    } finally {
      setSaving(false);
    }
  };

  const refresh = async () => {
    if (!base) return;
    setRefreshing(true);
    try {
      const fresh = await onRefresh(base.id);
      setConflict(null);
      if (!fresh) {
        setError('该专题已不存在，请关闭后刷新列表。');
        return;
      }
      setBase(fresh);
      form.setFieldsValue({ name: fresh.name, description: fresh.description });
    } catch (e) {
      setError(adminErrorMessage(e, '专题加载失败，请稍后再试。', onSessionExpired));
    } finally {
      setRefreshing(false);
    }
  };

  const busy = saving || refreshing;
  return (
    <Modal
      open
      title={base ? `编辑专题：${base.name}` : '新建专题'}
      okText={base ? '保存' : '创建'}
      cancelText="取消"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving}
      okButtonProps={{ disabled: refreshing, 'data-testid': 'topic-dialog-submit' }}
      destroyOnHidden
      data-testid="topic-dialog"
    >
      {conflict && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          title={conflict}
          description="刷新会载入他人修改后的名称和说明，您在此处的修改将丢失。"
          action={
            <Button onClick={() => void refresh()} loading={refreshing} data-testid="topic-refresh">
              刷新
            </Button>
          }
          style={{ marginBottom: 12 }}
          data-testid="topic-conflict"
        />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        name="topic"
        initialValues={
          base ? { name: base.name, description: base.description } : { id: '', name: '', description: '' }
        }
        disabled={busy}
        onFinish={(v) => void submit(v)}
      >
        {!base && (
          <Form.Item
            name="id"
            label="编号"
            extra="字母、数字、下划线或连字符，创建后不可修改；知识条目和导入文件用它指明专题。"
            // an id never has spaces: a pasted one loses them here instead of failing the check
            normalize={(value: string) => value.trim()}
            rules={[{ required: true, whitespace: true, message: '请填写专题编号' }, zodRule(S.id)]}
          >
            <Input maxLength={64} autoComplete="off" data-testid="topic-id" />
          </Form.Item>
        )}
        <Form.Item
          name="name"
          label="名称"
          rules={[{ required: true, whitespace: true, message: '请填写专题名称' }, zodRule(S.name)]}
        >
          <Input maxLength={100} data-testid="topic-name" />
        </Form.Item>
        <Form.Item name="description" label="说明" rules={[zodRule(S.description)]}>
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={2000}
            showCount
            placeholder="这个专题包含哪些问题（可选）"
            data-testid="topic-description"
          />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon role="alert" title={error} data-testid="topic-dialog-error" />}
    </Modal>
  );
}
