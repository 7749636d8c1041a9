import { ZCreateTaxOfficeRequest } from '@zhengna/contracts';
import { Alert, Form, Input, Modal, TreeSelect } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '../../../shared/api/api-error.ts';
import { zodRule } from '../../../shared/ui/zod-rule.ts';
import { adminErrorMessage } from '../../knowledge/handle-error.ts';
import { isVersionConflict } from '../../settings/settings-form.ts';
import { createTaxOffice, type TTaxOfficeRecord, updateTaxOffice } from '../api/accounts-api.ts';
import { parentChoices, parentIdOf, TOP_LEVEL } from '../office-editor.ts';

const S = ZCreateTaxOfficeRequest.shape;

/** What the dialog does: add (under a parent, or at the top), rename, or move an office. */
export type OfficeDialogMode =
  | { kind: 'add'; parentId: string | null }
  | { kind: 'rename'; office: TTaxOfficeRecord }
  | { kind: 'move'; office: TTaxOfficeRecord };

const TITLES = { add: '添加税务机关', rename: '重命名税务机关', move: '移动税务机关' } as const;
const OK_TEXT = { add: '添加', rename: '保存', move: '移动' } as const;

interface Values {
  id?: string;
  name?: string;
  parent?: string;
}

interface OfficeDialogProps {
  /** null: closed. */
  mode: OfficeDialogMode | null;
  offices: readonly TTaxOfficeRecord[];
  onClose: () => void;
  onSaved: (office: TTaxOfficeRecord, mode: OfficeDialogMode) => void;
  /** Someone else changed the tree: the page reloads it. */
  onConflict: () => void;
  onSessionExpired: () => void;
}

function initialValuesOf(mode: OfficeDialogMode): Values {
  switch (mode.kind) {
    case 'add':
      return { parent: mode.parentId ?? TOP_LEVEL };
    case 'rename':
      return { name: mode.office.name };
    case 'move':
      return { parent: mode.office.parentId ?? TOP_LEVEL };
  }
}

export function OfficeDialog({ mode, offices, onClose, onSaved, onConflict, onSessionExpired }: OfficeDialogProps) {
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // a newly opened dialog starts without an error; the same office at a fresh version keeps the conflict message
  const opened = mode ? `${mode.kind}:${mode.kind === 'add' ? mode.parentId : mode.office.id}` : null;
  useEffect(() => {
    if (opened) setError(null);
  }, [opened]);

  const choices = useMemo(
    () => parentChoices(offices, mode && mode.kind !== 'add' ? mode.office.id : null),
    [offices, mode],
  );

  const submit = async (v: Values) => {
    if (!mode) return;
    setSaving(true);
    setError(null);
    try {
      const saved =
        mode.kind === 'add'
          ? await createTaxOffice({
              id: (v.id ?? '').trim(),
              name: (v.name ?? '').trim(),
              parentId: parentIdOf(v.parent),
            })
          : await updateTaxOffice(mode.office.id, {
              version: mode.office.version,
              name: mode.kind === 'rename' ? (v.name ?? '').trim() : mode.office.name,
              parentId: mode.kind === 'move' ? parentIdOf(v.parent) : mode.office.parentId,
            });
      onSaved(saved, mode);
    } catch (e) {
      const text = adminErrorMessage(e, '保存失败，请稍后再试。', onSessionExpired);
      if (isVersionConflict(e)) onConflict();
      const fields = e instanceof ApiError ? e.fields : undefined;
      if (fields?.id && mode.kind === 'add') form.setFields([{ name: 'id', errors: [fields.id] }]);
      else setError(text);
    } finally {
      setSaving(false);
    }
  };

  const kind = mode?.kind ?? 'add';
  const subject = mode && mode.kind !== 'add' ? `：${mode.office.name}` : '';
  return (
    <Modal
      open={mode !== null}
      title={`${TITLES[kind]}${subject}`}
      okText={OK_TEXT[kind]}
      cancelText="取消"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'office-dialog-submit' }}
      destroyOnHidden
      data-testid="office-dialog"
    >
      <Form<Values>
        form={form}
        layout="vertical"
        name="office"
        initialValues={mode ? initialValuesOf(mode) : undefined}
        disabled={saving}
        onFinish={(v) => void submit(v)}
      >
        {kind === 'add' && (
          <Form.Item
            name="id"
            label="机关代码"
            extra="字母、数字或连字符，添加后不可修改"
            rules={[{ required: true, message: '请填写机关代码' }, zodRule(S.id)]}
          >
            <Input maxLength={32} data-testid="office-id" />
          </Form.Item>
        )}
        {kind !== 'move' && (
          <Form.Item
            name="name"
            label="机关名称"
            rules={[{ required: true, message: '请填写机关名称' }, zodRule(S.name)]}
          >
            <Input maxLength={60} data-testid="office-name" />
          </Form.Item>
        )}
        {kind !== 'rename' && (
          <Form.Item name="parent" label="上级机关" rules={[{ required: true, message: '请选择上级机关' }]}>
            <TreeSelect
              treeData={choices}
              treeDefaultExpandAll
              showSearch={{ treeNodeFilterProp: 'title' }}
              data-testid="office-parent"
            />
          </Form.Item>
        )}
      </Form>
      {error && <Alert type="error" showIcon role="alert" title={error} data-testid="office-dialog-error" />}
    </Modal>
  );
}
