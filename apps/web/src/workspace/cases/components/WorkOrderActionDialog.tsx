import { type TWorkOrderAction, ZWorkOrderAction } from '@zhengna/contracts';
import { Alert, Form, Input, Modal, TreeSelect } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { FormErrorSummary } from '../../../shared/ui/FormErrorSummary.tsx';
import { errorSummary } from '../../../shared/ui/form-errors.ts';
import { type OfficeRef, officeTree } from '../../../shared/ui/office-tree.ts';
import { fetchOffices } from '../api/cases-api.ts';
import { ACTION_BUTTON_LABELS, type WorkOrderActionName } from '../work-order-actions.ts';

interface Values {
  text: string;
  toOfficeId?: string;
}

const TEXT_LABELS: Partial<Record<WorkOrderActionName, string>> = {
  complete: '办理结果',
  return: '退回原因',
  reassign: '转派原因',
  note: '备注内容',
};

interface Props {
  action: WorkOrderActionName | null;
  version: number;
  currentOfficeId: string;
  onCancel: () => void;
  /** Runs the step; resolves to the failure's Chinese message (the dialog stays open), or null when done. */
  onSubmit: (action: TWorkOrderAction) => Promise<string | null>;
}

/** 办结 (result), 退回 (reason), 转派 (office and reason), 备注: validated with the contracts' rules before sending. */
export function WorkOrderActionDialog({ action, version, currentOfficeId, onCancel, onSubmit }: Props) {
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState<string[]>([]);
  const [offices, setOffices] = useState<OfficeRef[]>([]);
  const [officesError, setOfficesError] = useState<string | null>(null);
  const treeData = useMemo(
    () =>
      officeTree(offices).map(function disable(n): ReturnType<typeof officeTree>[number] & { disabled?: boolean } {
        return { ...n, disabled: n.value === currentOfficeId, children: n.children?.map(disable) };
      }),
    [offices, currentOfficeId],
  );

  useEffect(() => {
    if (!action) return;
    setError(null);
    setSummary([]);
    form.resetFields();
    if (action === 'reassign') {
      setOfficesError(null);
      fetchOffices().then(setOffices, (e: unknown) =>
        setOfficesError(errorMessage(e, '机构列表加载失败，请稍后再试。')),
      );
    }
  }, [action, form]);

  if (!action || action === 'accept') return null;
  const label = TEXT_LABELS[action] ?? '说明';

  const toAction = (values: Values): TWorkOrderAction | string => {
    const text = values.text ?? '';
    const raw =
      action === 'complete'
        ? { action, version, result: text }
        : action === 'return'
          ? { action, version, reason: text }
          : action === 'reassign'
            ? { action, version, reason: text, toOfficeId: values.toOfficeId ?? '' }
            : { action, version, note: text };
    const parsed = ZWorkOrderAction.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    // the note schema has no Chinese message of its own
    return issue?.code === 'too_small' && action === 'note' ? '请填写备注内容' : (issue?.message ?? '输入不正确');
  };

  const finish = async (values: Values) => {
    const next = toAction(values);
    if (typeof next === 'string') {
      form.setFields([{ name: next.includes('机构') ? 'toOfficeId' : 'text', errors: [next] }]);
      setSummary([next]);
      return;
    }
    setSummary([]);
    setBusy(true);
    setError(await onSubmit(next));
    setBusy(false);
  };

  return (
    <Modal
      open
      title={ACTION_BUTTON_LABELS[action]}
      okText={`确定${ACTION_BUTTON_LABELS[action]}`}
      cancelText="取消"
      onCancel={onCancel}
      onOk={() => form.submit()}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'work-order-dialog-ok' }}
    >
      <FormErrorSummary errors={summary} />
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => void finish(v)}
        onFinishFailed={({ errorFields }) => setSummary(errorSummary(errorFields))}
        onFieldsChange={() => summary.length > 0 && setSummary(errorSummary(form.getFieldsError()))}
        data-testid="work-order-dialog"
      >
        {action === 'reassign' && (
          <>
            {officesError && (
              <Alert type="warning" showIcon role="alert" title={officesError} style={{ marginBottom: 8 }} />
            )}
            <Form.Item name="toOfficeId" label="转派至" rules={[{ required: true, message: '请选择转派机构' }]}>
              <TreeSelect
                treeData={treeData}
                showSearch={{ treeNodeFilterProp: 'title' }}
                treeDefaultExpandAll
                placeholder="请选择税务机关"
                data-testid="work-order-office"
              />
            </Form.Item>
          </>
        )}
        <Form.Item name="text" label={label} rules={[{ required: true, whitespace: true, message: `请填写${label}` }]}>
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={action === 'complete' ? 2000 : 500}
            showCount
            data-testid="work-order-text"
          />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon role="alert" title={error} data-testid="work-order-dialog-error" />}
    </Modal>
  );
}
