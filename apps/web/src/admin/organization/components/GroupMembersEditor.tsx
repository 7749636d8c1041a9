import { Alert, Form, Modal, Select, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { adminErrorMessage } from '../../knowledge/handle-error.ts';
import { setGroupMembers, type TAgentLoad, type TSkillGroup } from '../api/organization-api.ts';
import { memberOptions } from '../members.ts';

interface GroupMembersEditorProps {
  /** The group being edited; null: closed. */
  group: TSkillGroup | null;
  agents: readonly TAgentLoad[];
  agentsError: string | null;
  onClose: () => void;
  onSaved: (group: TSkillGroup) => void;
  onSessionExpired: () => void;
}

/** 成员: who serves the group's queue (replaces the whole list on save). */
export function GroupMembersEditor({
  group,
  agents,
  agentsError,
  onClose,
  onSaved,
  onSessionExpired,
}: GroupMembersEditorProps) {
  const [selected, setSelected] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setSelected(group ? group.members.map((m) => m.staffId) : []);
    setError(null);
  }, [group]);

  const options = useMemo(() => (group ? memberOptions(agents, group.members) : []), [agents, group]);

  const save = async () => {
    if (!group) return;
    setSaving(true);
    setError(null);
    try {
      await setGroupMembers(group.id, selected);
      onSaved(group);
    } catch (e) {
      setError(adminErrorMessage(e, '成员保存失败，请稍后再试。', onSessionExpired));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={group !== null}
      title={group ? `“${group.name}”的成员` : '成员'}
      okText="保存成员"
      cancelText="取消"
      onOk={() => void save()}
      onCancel={onClose}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'members-save' }}
      destroyOnHidden
      data-testid="members-dialog"
    >
      <Typography.Paragraph type="secondary">
        成员会接待该组排队的纳税人。保存后以此处所选为准，未选中的坐席将移出本组。
      </Typography.Paragraph>
      {agentsError && <Alert type="warning" showIcon title={agentsError} style={{ marginBottom: 12 }} />}
      <Form layout="vertical">
        <Form.Item label="成员" htmlFor="members-select" validateStatus={error ? 'error' : undefined} help={error}>
          <Select
            id="members-select"
            mode="multiple"
            allowClear
            placeholder="选择坐席"
            aria-label="成员"
            value={selected}
            onChange={setSelected}
            options={options}
            optionFilterProp="label"
            disabled={saving}
            data-testid="members-select"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
