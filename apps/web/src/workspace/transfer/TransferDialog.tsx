import { PRESENCE_LABELS } from '@zhengna/contracts';
import { Alert, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../shared/api/api-error.ts';
import {
  fetchAgents,
  fetchGroups,
  type TAgentLoad,
  type TGroup,
  type TransferInput,
} from '../conversations/api/workspace-api.ts';
import { TRANSFER_NOTE_MAX, type TransferDraft, validateTransfer } from './transfer-form.ts';

interface TransferDialogProps {
  open: boolean;
  selfStaffId: string;
  onCancel: () => void;
  /** Performs the transfer; a rejection keeps the dialog open with the server's message. */
  onTransfer: (input: TransferInput) => Promise<void>;
  /** For tests: the lists without the network. */
  loadAgents?: () => Promise<TAgentLoad[]>;
  loadGroups?: () => Promise<TGroup[]>;
}

const EMPTY: TransferDraft = { target: 'agent', staffId: null, groupId: null, note: '' };

/** 转接: to a colleague (with their presence and load) or back to a group's queue, with a note for whoever takes it. */
export function TransferDialog({
  open,
  selfStaffId,
  onCancel,
  onTransfer,
  loadAgents = fetchAgents,
  loadGroups = fetchGroups,
}: TransferDialogProps) {
  const [draft, setDraft] = useState<TransferDraft>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<'target' | 'note', string>>>({});
  const [agents, setAgents] = useState<TAgentLoad[]>([]);
  const [groups, setGroups] = useState<TGroup[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    setDraft(EMPTY);
    setErrors({});
    setSubmitError(null);
    setLoadError(null);
    Promise.all([loadAgents(), loadGroups()]).then(
      ([a, g]) => {
        setAgents(a.filter((x) => x.staffId !== selfStaffId));
        setGroups(g);
      },
      (e: unknown) => setLoadError(errorMessage(e, '坐席和技能组加载失败。')),
    );
  }, [open, selfStaffId, loadAgents, loadGroups]);

  const update = (patch: Partial<TransferDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setErrors({});
  };

  const submit = async () => {
    const checked = validateTransfer(draft);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setBusy(true);
    setSubmitError(null);
    try {
      await onTransfer(checked.input);
    } catch (e) {
      setSubmitError(errorMessage(e, '转接失败，请稍后再试。'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title="转接会话"
      okText="转接"
      cancelText="取消"
      onOk={() => void submit()}
      onCancel={onCancel}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'transfer-submit' }}
      destroyOnHidden
    >
      <Form layout="vertical" data-testid="transfer-dialog" onFinish={() => void submit()}>
        {loadError && <Alert type="error" title={loadError} style={{ marginBottom: 12 }} />}
        <Form.Item label="转接给">
          <Radio.Group
            value={draft.target}
            onChange={(e) => update({ target: e.target.value })}
            options={[
              { value: 'agent', label: '坐席' },
              { value: 'group', label: '技能组' },
            ]}
            optionType="button"
            aria-label="转接对象类型"
            data-testid="transfer-target-type"
          />
        </Form.Item>
        <Form.Item
          label={draft.target === 'agent' ? '坐席' : '技能组'}
          validateStatus={errors.target ? 'error' : undefined}
          help={errors.target}
          htmlFor="transfer-target"
        >
          {draft.target === 'agent' ? (
            <Select
              id="transfer-target"
              aria-label="选择坐席"
              data-testid="transfer-agent"
              placeholder="请选择坐席"
              value={draft.staffId ?? undefined}
              onChange={(v: string) => update({ staffId: v })}
              showSearch={{ optionFilterProp: 'title' }}
              options={agents.map((a) => ({
                value: a.staffId,
                title: a.name,
                disabled: a.presence === 'away',
                label: `${a.name}（${PRESENCE_LABELS[a.presence]}，${a.load}/${a.maxConcurrent}）`,
              }))}
            />
          ) : (
            <Select
              id="transfer-target"
              aria-label="选择技能组"
              data-testid="transfer-group"
              placeholder="请选择技能组"
              value={draft.groupId ?? undefined}
              onChange={(v: string) => update({ groupId: v })}
              options={groups.map((g) => ({ value: g.id, label: g.name }))}
            />
          )}
        </Form.Item>
        <Form.Item
          label="转接说明"
          validateStatus={errors.note ? 'error' : undefined}
          help={errors.note}
          htmlFor="transfer-note"
        >
          <Input.TextArea
            id="transfer-note"
            value={draft.note}
            onChange={(e) => update({ note: e.target.value })}
            autoSize={{ minRows: 3, maxRows: 6 }}
            placeholder="向接手的同事说明纳税人的问题和已办理的情况"
            data-testid="transfer-note"
          />
        </Form.Item>
        <Typography.Text type={draft.note.length > TRANSFER_NOTE_MAX ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
          {draft.note.length}/{TRANSFER_NOTE_MAX}
        </Typography.Text>
        {submitError && (
          <Alert type="error" title={submitError} role="alert" data-testid="transfer-error" style={{ marginTop: 8 }} />
        )}
      </Form>
    </Modal>
  );
}
