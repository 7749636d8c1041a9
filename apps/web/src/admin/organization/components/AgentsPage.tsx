import { PRESENCE_LABELS, STAFF_ROLE_LABELS, type TPresence } from '@zhengna/contracts';
import { Alert, App, Badge, Button, Flex, Form, InputNumber, Popconfirm, Table, Typography } from 'antd';
import { type HTMLAttributes, useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../../shared/api/api-error.ts';
import { adminErrorMessage } from '../../knowledge/handle-error.ts';
import { numberRange } from '../../settings/settings-form.ts';
import { fetchAgents, forceLogoutStaff, setAgentCapacity, type TAgentLoad } from '../api/organization-api.ts';
import { CAPACITY, checkCapacity } from '../capacity.ts';

const PRESENCE_STATUS: Record<TPresence, 'success' | 'warning' | 'default'> = {
  online: 'success',
  busy: 'warning',
  away: 'default',
};

/** 组织与人员 → 坐席: who is online, how many conversations each serves, and each one's 同时服务上限. */
export function AgentsPage({
  onSessionExpired,
  canForceLogout = false,
}: {
  onSessionExpired: () => void;
  /** 强制下线 (administrators only; the server enforces it). */
  canForceLogout?: boolean;
}) {
  const { message } = App.useApp();
  const [agents, setAgents] = useState<TAgentLoad[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  /** Caps typed but not saved yet, by staffId. */
  const [drafts, setDrafts] = useState<Record<string, number | null>>({});
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const [savingId, setSavingId] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setAgents(await fetchAgents());
    } catch (e) {
      setError(adminErrorMessage(e, '坐席列表加载失败，请稍后再试。', onSessionExpired));
    } finally {
      setLoading(false);
    }
  }, [onSessionExpired]);

  useEffect(() => {
    void load();
  }, [load]);

  const setRowError = (staffId: string, text: string | null) =>
    setRowErrors((prev) => {
      const { [staffId]: _, ...rest } = prev;
      return text ? { ...rest, [staffId]: text } : rest;
    });

  const forceLogout = async (a: TAgentLoad) => {
    try {
      await forceLogoutStaff(a.staffId);
      message.success(`已将${a.name}强制下线`);
    } catch (e) {
      message.error(adminErrorMessage(e, '强制下线失败，请稍后再试。', onSessionExpired));
    }
  };

  const save = async (a: TAgentLoad) => {
    const checked = checkCapacity(a.staffId in drafts ? drafts[a.staffId] : a.maxConcurrent);
    if (!checked.ok) {
      setRowError(a.staffId, checked.error);
      return;
    }
    setRowError(a.staffId, null);
    setSavingId(a.staffId);
    try {
      await setAgentCapacity(a.staffId, checked.value);
      setAgents((prev) => prev.map((x) => (x.staffId === a.staffId ? { ...x, maxConcurrent: checked.value } : x)));
      setDrafts(({ [a.staffId]: _, ...rest }) => rest);
      message.success(`已将${a.name}的同时服务上限设为 ${checked.value}`);
    } catch (e) {
      const text = adminErrorMessage(e, '保存失败，请稍后再试。', onSessionExpired);
      const field = e instanceof ApiError ? e.fields?.maxConcurrent : undefined;
      setRowError(a.staffId, field ?? text);
    } finally {
      setSavingId(null);
    }
  };

  return (
    <Flex vertical gap={12}>
      <Flex align="center" gap={12}>
        <Typography.Text type="secondary">
          同时服务上限是一位坐席可同时接待的会话数，设为 0 时不再为其分配新会话。
        </Typography.Text>
        <Button size="small" onClick={() => void load()} loading={loading} data-testid="agents-refresh">
          刷新
        </Button>
      </Flex>
      {error && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={error}
          action={<Button onClick={() => void load()}>重试</Button>}
          data-testid="agents-error"
        />
      )}
      <Table<TAgentLoad>
        rowKey="staffId"
        size="small"
        loading={loading}
        dataSource={agents}
        pagination={false}
        locale={{ emptyText: '还没有坐席' }}
        data-testid="agents-table"
        onRow={(a) =>
          ({ 'data-testid': 'agent-row', 'data-id': a.staffId, 'data-name': a.name }) as HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '角色', dataIndex: 'role', width: 90, render: (r: TAgentLoad['role']) => STAFF_ROLE_LABELS[r] },
          {
            title: '状态',
            dataIndex: 'presence',
            width: 90,
            render: (p: TPresence) => (
              <span data-testid="agent-presence">
                <Badge status={PRESENCE_STATUS[p]} text={PRESENCE_LABELS[p]} />
              </span>
            ),
          },
          {
            title: '当前接待',
            dataIndex: 'load',
            width: 100,
            align: 'right',
            render: (load: number, a) => (
              <span data-testid="agent-load">
                {load} / {a.maxConcurrent}
              </span>
            ),
          },
          {
            title: '同时服务上限',
            key: 'cap',
            width: 260,
            render: (_: unknown, a) => {
              const value = a.staffId in drafts ? drafts[a.staffId] : a.maxConcurrent;
              const rowError = rowErrors[a.staffId];
              return (
                <Flex gap={8} align="start">
                  <Form.Item
                    style={{ margin: 0 }}
                    validateStatus={rowError ? 'error' : undefined}
                    help={rowError && <span data-testid="agent-cap-error">{rowError}</span>}
                  >
                    <InputNumber
                      {...numberRange(CAPACITY)}
                      precision={0}
                      value={value}
                      onChange={(v) => {
                        setDrafts((prev) => ({ ...prev, [a.staffId]: v }));
                        setRowError(a.staffId, null);
                      }}
                      onPressEnter={() => void save(a)}
                      disabled={savingId === a.staffId}
                      aria-label={`${a.name}的同时服务上限`}
                      data-testid="agent-cap-input"
                    />
                  </Form.Item>
                  <Button
                    onClick={() => void save(a)}
                    loading={savingId === a.staffId}
                    disabled={value === a.maxConcurrent}
                    aria-label={`保存${a.name}的同时服务上限`}
                    data-testid="agent-cap-save"
                  >
                    保存
                  </Button>
                </Flex>
              );
            },
          },
          ...(canForceLogout
            ? [
                {
                  title: '操作',
                  key: 'logout',
                  width: 110,
                  render: (_: unknown, a: TAgentLoad) => (
                    <Popconfirm
                      title={`确定将${a.name}强制下线吗？`}
                      description="其所有登录（含工作台连接）将立即失效，需重新登录。"
                      okText="强制下线"
                      cancelText="取消"
                      okButtonProps={{ danger: true }}
                      onConfirm={() => forceLogout(a)}
                    >
                      <Button danger size="small" aria-label={`强制下线${a.name}`} data-testid="agent-force-logout">
                        强制下线
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Flex>
  );
}
