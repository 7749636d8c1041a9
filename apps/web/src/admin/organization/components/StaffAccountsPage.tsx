import { STAFF_ROLE_LABELS, type TStaffAccountPage, type TStaffRole } from '@zhengna/contracts';
import { Alert, App, Button, Flex, Input, Popconfirm, Select, Table, Tag, TreeSelect, Typography } from 'antd';
import { type HTMLAttributes, useCallback, useEffect, useMemo, useState } from 'react';
import { adminErrorMessage } from '../../knowledge/handle-error.ts';
import {
  accountTags,
  ROLE_OPTIONS,
  rowActions,
  STATUS_OPTIONS,
  type StaffFilters,
  type StatusFilter,
  staffListQuery,
  toggledActive,
} from '../accounts.ts';
import {
  fetchOfficeRecords,
  fetchStaffAccounts,
  resetStaffPassword,
  type TStaffAccount,
  type TTaxOfficeRecord,
  updateStaffAccount,
} from '../api/accounts-api.ts';
import { forceLogoutStaff } from '../api/organization-api.ts';
import { buildOfficeTree } from '../office-tree.ts';
import { StaffCreateDialog } from './StaffCreateDialog.tsx';
import { StaffEditDialog } from './StaffEditDialog.tsx';
import { type TemporaryPassword, TemporaryPasswordDialog } from './TemporaryPasswordDialog.tsx';

interface StaffAccountsPageProps {
  /** Administrators change accounts; supervisors only read them. */
  canEdit: boolean;
  /** The signed-in administrator: their own row offers no reset, 强制下线 or 停用. */
  myStaffId: string;
  onSessionExpired: () => void;
}

const EMPTY_PAGE: TStaffAccountPage = { items: [], total: 0, page: 1, pageSize: 20 };

/** 组织与人员 → 人员账号: find, create and edit staff accounts; reset passwords; 强制下线; 停用/启用. */
export function StaffAccountsPage({ canEdit, myStaffId, onSessionExpired }: StaffAccountsPageProps) {
  const { message } = App.useApp();
  const [filters, setFilters] = useState<StaffFilters>({ q: '' });
  const [searchText, setSearchText] = useState('');
  const [page, setPage] = useState(1);
  const [list, setList] = useState<TStaffAccountPage>(EMPTY_PAGE);
  const [offices, setOffices] = useState<TTaxOfficeRecord[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<TStaffAccount | null>(null);
  const [shownPassword, setShownPassword] = useState<TemporaryPassword | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setList(await fetchStaffAccounts(staffListQuery(filters, page)));
      setError(null);
    } catch (e) {
      setError(adminErrorMessage(e, '人员账号加载失败，请稍后再试。', onSessionExpired));
    } finally {
      setLoading(false);
    }
  }, [filters, page, onSessionExpired]);

  useEffect(() => {
    void load();
  }, [load]);

  // after a conflict the list is reloaded: the open editor takes the fresh version, so the next 保存 can succeed
  useEffect(() => {
    setEditing((open) => (open ? (list.items.find((a) => a.id === open.id) ?? open) : open));
  }, [list]);

  useEffect(() => {
    fetchOfficeRecords().then(setOffices, (e: unknown) =>
      setError(adminErrorMessage(e, '税务机关列表加载失败，请稍后再试。', onSessionExpired)),
    );
  }, [onSessionExpired]);

  const officeTree = useMemo(() => buildOfficeTree(offices), [offices]);
  const filter = (next: Partial<StaffFilters>) => {
    setFilters((prev) => ({ ...prev, ...next }));
    setPage(1);
  };

  /** Runs a row action; the list is reloaded after it (the account's version and state changed). */
  const act = async (a: TStaffAccount, fn: () => Promise<void>, fallback: string) => {
    setBusyId(a.id);
    try {
      await fn();
    } catch (e) {
      message.error(adminErrorMessage(e, fallback, onSessionExpired));
    } finally {
      setBusyId(null);
      await load();
    }
  };

  const resetPassword = (a: TStaffAccount) =>
    act(
      a,
      async () => {
        const { account, temporaryPassword } = await resetStaffPassword(a.id);
        setShownPassword({ title: '密码已重置', account, password: temporaryPassword });
      },
      '重置密码失败，请稍后再试。',
    );

  const forceLogout = (a: TStaffAccount) =>
    act(
      a,
      async () => {
        await forceLogoutStaff(a.id);
        message.success(`已将${a.name}强制下线`);
      },
      '强制下线失败，请稍后再试。',
    );

  const toggleActive = (a: TStaffAccount) =>
    act(
      a,
      async () => {
        const saved = await updateStaffAccount(a.id, toggledActive(a));
        message.success(saved.active ? `已启用${a.name}的账号` : `已停用${a.name}的账号，其登录已失效`);
      },
      a.active ? '停用失败，请稍后再试。' : '启用失败，请稍后再试。',
    );

  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">
        工作人员的登录账号。新建或重置密码时系统生成临时密码，只显示一次，本人首次登录须修改密码。
      </Typography.Text>
      {!canEdit && (
        <Alert
          type="info"
          showIcon
          title="您可以查看人员账号；新建、修改、重置密码和停用须由系统管理员进行。"
          data-testid="staff-readonly"
        />
      )}
      <Flex wrap gap={8} align="center" role="search" aria-label="查找人员账号">
        <Input.Search
          allowClear
          placeholder="用户名或姓名"
          aria-label="搜索用户名或姓名"
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
          onSearch={(q) => filter({ q })}
          enterButton="搜索"
          style={{ width: 280 }}
          data-testid="staff-search"
        />
        <Select<TStaffRole>
          allowClear
          placeholder="全部角色"
          aria-label="按角色筛选"
          options={ROLE_OPTIONS}
          value={filters.role}
          onChange={(role) => filter({ role })}
          style={{ width: 120 }}
          data-testid="staff-filter-role"
        />
        <TreeSelect
          allowClear
          placeholder="全部税务机关"
          aria-label="按税务机关筛选"
          treeData={officeTree}
          treeDefaultExpandAll
          showSearch={{ treeNodeFilterProp: 'title' }}
          value={filters.officeId}
          onChange={(officeId?: string) => filter({ officeId })}
          style={{ width: 260 }}
          data-testid="staff-filter-office"
        />
        <Select<StatusFilter>
          allowClear
          placeholder="全部状态"
          aria-label="按状态筛选"
          options={STATUS_OPTIONS}
          value={filters.status}
          onChange={(status) => filter({ status })}
          style={{ width: 120 }}
          data-testid="staff-filter-status"
        />
        <Button onClick={() => void load()} loading={loading} data-testid="staff-refresh">
          刷新
        </Button>
        {canEdit && (
          <Button type="primary" onClick={() => setCreating(true)} data-testid="staff-create">
            新建账号
          </Button>
        )}
      </Flex>
      {error && <Alert type="error" showIcon role="alert" title={error} data-testid="staff-error" />}
      <Table<TStaffAccount>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={list.items}
        aria-label="人员账号"
        locale={{ emptyText: '没有符合条件的账号' }}
        pagination={{
          current: list.page,
          pageSize: list.pageSize,
          total: list.total,
          showSizeChanger: false,
          showTotal: (total) => `共 ${total} 个账号`,
          onChange: setPage,
        }}
        data-testid="staff-table"
        onRow={(a) =>
          ({
            'data-testid': 'staff-row',
            'data-id': a.id,
            'data-username': a.username,
          }) as HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: '用户名', dataIndex: 'username', width: 140 },
          { title: '姓名', dataIndex: 'name', width: 120 },
          { title: '角色', dataIndex: 'role', width: 80, render: (r: TStaffRole) => STAFF_ROLE_LABELS[r] },
          { title: '所属税务机关', dataIndex: 'officeName' },
          {
            title: '状态',
            key: 'status',
            width: 200,
            render: (_: unknown, a) => (
              <Flex wrap gap={4} data-testid="staff-status">
                {accountTags(a).map((t) => (
                  <Tag key={t.label} color={t.color} style={{ marginInlineEnd: 0 }}>
                    {t.label}
                  </Tag>
                ))}
              </Flex>
            ),
          },
          ...(canEdit
            ? [
                {
                  title: '操作',
                  key: 'actions',
                  width: 300,
                  render: (_: unknown, a: TStaffAccount) => {
                    const can = rowActions(a, myStaffId);
                    const busy = busyId === a.id;
                    return (
                      <Flex wrap gap={0}>
                        <Button
                          size="small"
                          type="link"
                          onClick={() => setEditing(a)}
                          aria-label={`编辑 ${a.name}`}
                          data-testid="staff-edit"
                        >
                          编辑
                        </Button>
                        {can.resetPassword && (
                          <Popconfirm
                            title={`确定重置${a.name}的密码吗？`}
                            description="将生成新的临时密码，其现有登录全部失效。"
                            okText="重置密码"
                            cancelText="取消"
                            okButtonProps={{ 'data-testid': 'staff-reset-confirm' }}
                            onConfirm={() => resetPassword(a)}
                          >
                            <Button
                              size="small"
                              type="link"
                              disabled={busy}
                              aria-label={`重置密码 ${a.name}`}
                              data-testid="staff-reset"
                            >
                              重置密码
                            </Button>
                          </Popconfirm>
                        )}
                        {can.forceLogout && (
                          <Popconfirm
                            title={`确定将${a.name}强制下线吗？`}
                            description="其所有登录（含工作台连接）将立即失效，需重新登录。"
                            okText="强制下线"
                            cancelText="取消"
                            okButtonProps={{ danger: true, 'data-testid': 'staff-logout-confirm' }}
                            onConfirm={() => forceLogout(a)}
                          >
                            <Button
                              size="small"
                              type="link"
                              disabled={busy}
                              aria-label={`强制下线 ${a.name}`}
                              data-testid="staff-logout"
                            >
                              强制下线
                            </Button>
                          </Popconfirm>
                        )}
                        {can.toggleActive &&
                          (a.active ? (
                            <Popconfirm
                              title={`确定停用${a.name}的账号吗？`}
                              description="停用后不能登录，已登录的会话立即失效。"
                              okText="停用"
                              cancelText="取消"
                              okButtonProps={{ danger: true, 'data-testid': 'staff-deactivate-confirm' }}
                              onConfirm={() => toggleActive(a)}
                            >
                              <Button
                                size="small"
                                type="link"
                                danger
                                disabled={busy}
                                aria-label={`停用 ${a.name}`}
                                data-testid="staff-deactivate"
                              >
                                停用
                              </Button>
                            </Popconfirm>
                          ) : (
                            <Button
                              size="small"
                              type="link"
                              disabled={busy}
                              onClick={() => void toggleActive(a)}
                              aria-label={`启用 ${a.name}`}
                              data-testid="staff-activate"
                            >
                              启用
                            </Button>
                          ))}
                      </Flex>
                    );
                  },
                },
              ]
            : []),
        ]}
      />
      {canEdit && (
        <>
          <StaffCreateDialog
            open={creating}
            officeTree={officeTree}
            onClose={() => setCreating(false)}
            onCreated={({ account, temporaryPassword }) => {
              setCreating(false);
              setShownPassword({ title: '账号已创建', account, password: temporaryPassword });
              void load();
            }}
            onSessionExpired={onSessionExpired}
          />
          <StaffEditDialog
            account={editing}
            isSelf={editing?.id === myStaffId}
            officeTree={officeTree}
            onClose={() => setEditing(null)}
            onSaved={(a) => {
              setEditing(null);
              message.success(`已保存${a.name}的账号`);
              void load();
            }}
            onConflict={() => void load()}
            onSessionExpired={onSessionExpired}
          />
          <TemporaryPasswordDialog shown={shownPassword} onClose={() => setShownPassword(null)} />
        </>
      )}
    </Flex>
  );
}
