import { ZUpdateStaffRequest } from '@zhengna/contracts';
import { Alert, Form, Input, InputNumber, Modal, Select, Switch, TreeSelect, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError } from '../../../shared/api/api-error.ts';
import { zodRule } from '../../../shared/ui/zod-rule.ts';
import { adminErrorMessage } from '../../knowledge/handle-error.ts';
import { isVersionConflict, numberRange } from '../../settings/settings-form.ts';
import { type AccountFormValues, accountFormValuesOf, accountUpdateOf, ROLE_OPTIONS } from '../accounts.ts';
import { type TStaffAccount, updateStaffAccount } from '../api/accounts-api.ts';
import { CAPACITY } from '../capacity.ts';
import type { OfficeNode } from '../office-tree.ts';

const S = ZUpdateStaffRequest.shape;

interface StaffEditDialogProps {
  /** The account as listed when the dialog opened (its version is what the save is based on); null: closed. */
  account: TStaffAccount | null;
  /** The administrator's own account: role and status are not theirs to change. */
  isSelf: boolean;
  officeTree: OfficeNode[];
  onClose: () => void;
  onSaved: (account: TStaffAccount) => void;
  /** Someone else saved it first: the page reloads the list. */
  onConflict: () => void;
  onSessionExpired: () => void;
}

/** 编辑账号: name, role, office, 同时服务上限 and 启用; a stale edit is refused by the server, not lost. */
export function StaffEditDialog({
  account,
  isSelf,
  officeTree,
  onClose,
  onSaved,
  onConflict,
  onSessionExpired,
}: StaffEditDialogProps) {
  const [form] = Form.useForm<AccountFormValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // a new dialog starts without an error; a refreshed version of the same account keeps the conflict message
  const accountId = account?.id;
  useEffect(() => {
    if (accountId) setError(null);
  }, [accountId]);

  const submit = async (v: AccountFormValues) => {
    if (!account) return;
    setSaving(true);
    setError(null);
    try {
      onSaved(await updateStaffAccount(account.id, accountUpdateOf(account, v)));
    } catch (e) {
      const text = adminErrorMessage(e, '保存失败，请稍后再试。', onSessionExpired);
      if (isVersionConflict(e)) onConflict();
      const field = e instanceof ApiError ? (e.fields?.name ?? e.fields?.maxConcurrent) : undefined;
      setError(field ?? text);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={account !== null}
      title={account ? `编辑账号：${account.name}（${account.username}）` : '编辑账号'}
      okText="保存"
      cancelText="取消"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'staff-edit-submit' }}
      destroyOnHidden
      data-testid="staff-edit-dialog"
    >
      {isSelf && (
        <Typography.Paragraph type="secondary">
          这是您本人的账号：角色和启用状态须由其他管理员调整。
        </Typography.Paragraph>
      )}
      <Form<AccountFormValues>
        form={form}
        layout="vertical"
        name="staff-edit"
        initialValues={account ? accountFormValuesOf(account) : undefined}
        disabled={saving}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }, zodRule(S.name)]}>
          <Input maxLength={40} data-testid="staff-edit-name" />
        </Form.Item>
        <Form.Item
          name="role"
          label="角色"
          extra="更改角色后，该人员需重新登录"
          rules={[{ required: true, message: '请选择角色' }]}
        >
          <Select options={ROLE_OPTIONS} disabled={isSelf} data-testid="staff-edit-role" />
        </Form.Item>
        <Form.Item name="officeId" label="所属税务机关" rules={[{ required: true, message: '请选择所属税务机关' }]}>
          <TreeSelect
            treeData={officeTree}
            treeDefaultExpandAll
            showSearch={{ treeNodeFilterProp: 'title' }}
            data-testid="staff-edit-office"
          />
        </Form.Item>
        <Form.Item name="maxConcurrent" label="同时服务上限" rules={[zodRule(CAPACITY)]}>
          <InputNumber {...numberRange(CAPACITY)} precision={0} data-testid="staff-edit-cap" />
        </Form.Item>
        <Form.Item
          name="active"
          label="启用"
          valuePropName="checked"
          extra="停用后该账号不能登录，已登录的会话立即失效"
        >
          <Switch disabled={isSelf} checkedChildren="启用" unCheckedChildren="停用" data-testid="staff-edit-active" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon role="alert" title={error} data-testid="staff-edit-error" />}
    </Modal>
  );
}
