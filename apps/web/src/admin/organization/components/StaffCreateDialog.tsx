import { type TCreateStaffRequest, type TStaffRole, ZCreateStaffRequest } from '@zhengna/contracts';
import { Alert, Form, Input, Modal, Select, TreeSelect, Typography } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../../shared/api/api-error.ts';
import { zodRule } from '../../../shared/ui/zod-rule.ts';
import { adminErrorMessage } from '../../knowledge/handle-error.ts';
import { ROLE_OPTIONS } from '../accounts.ts';
import { createStaffAccount, type TTemporaryPasswordResponse } from '../api/accounts-api.ts';
import type { OfficeNode } from '../office-tree.ts';

const S = ZCreateStaffRequest.shape;

interface Values {
  username: string;
  name: string;
  role: TStaffRole;
  officeId?: string;
}

interface StaffCreateDialogProps {
  open: boolean;
  officeTree: OfficeNode[];
  onClose: () => void;
  onCreated: (created: TTemporaryPasswordResponse) => void;
  onSessionExpired: () => void;
}

/** 新建账号: the server makes a temporary password; the page then shows it once. */
export function StaffCreateDialog({ open, officeTree, onClose, onCreated, onSessionExpired }: StaffCreateDialogProps) {
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (v: Values) => {
    setSaving(true);
    setError(null);
    try {
      const input: TCreateStaffRequest = {
        username: v.username.trim(),
        name: v.name.trim(),
        role: v.role,
        officeId: v.officeId ?? '',
      };
      onCreated(await createStaffAccount(input));
      form.resetFields();
    } catch (e) {
      const text = adminErrorMessage(e, '创建账号失败，请稍后再试。', onSessionExpired);
      const fields = e instanceof ApiError ? e.fields : undefined;
      const known = (['username', 'name', 'role', 'officeId'] as const).filter((k) => fields?.[k]);
      if (known.length > 0) form.setFields(known.map((name) => ({ name, errors: [fields?.[name] ?? ''] })));
      else setError(text);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title="新建账号"
      okText="创建"
      cancelText="取消"
      onOk={() => form.submit()}
      onCancel={() => {
        setError(null);
        onClose();
      }}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'staff-create-submit' }}
      destroyOnHidden
      data-testid="staff-create-dialog"
    >
      <Typography.Paragraph type="secondary">
        创建后系统会生成一个临时密码，只显示一次；本人首次登录时须修改密码。
      </Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        name="staff-create"
        disabled={saving}
        initialValues={{ role: 'agent' }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item
          name="username"
          label="用户名"
          extra="用于登录，字母、数字、点、下划线或连字符，创建后不可修改"
          rules={[{ required: true, message: '请填写用户名' }, zodRule(S.username)]}
        >
          <Input maxLength={64} autoComplete="off" data-testid="staff-create-username" />
        </Form.Item>
        <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }, zodRule(S.name)]}>
          <Input maxLength={40} data-testid="staff-create-name" />
        </Form.Item>
        <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
          <Select options={ROLE_OPTIONS} data-testid="staff-create-role" />
        </Form.Item>
        <Form.Item name="officeId" label="所属税务机关" rules={[{ required: true, message: '请选择所属税务机关' }]}>
          <TreeSelect
            treeData={officeTree}
            treeDefaultExpandAll
            showSearch={{ treeNodeFilterProp: 'title' }}
            placeholder="选择税务机关"
            data-testid="staff-create-office"
          />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon role="alert" title={error} data-testid="staff-create-error" />}
    </Modal>
  );
}
