import { BUSINESS_LABELS, ZSkillGroupInput } from '@zhengna/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import { type HTMLAttributes, useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError } from '../../../shared/api/api-error.ts';
import { zodRule } from '../../../shared/ui/zod-rule.ts';
import { adminErrorMessage } from '../../knowledge/handle-error.ts';
import { numberRange } from '../../settings/settings-form.ts';
import {
  deleteSkillGroup,
  fetchAgents,
  fetchSkillGroups,
  fetchTaxOffices,
  saveSkillGroup,
  type TAgentLoad,
  type TSkillGroup,
  type TTaxOffice,
} from '../api/organization-api.ts';
import {
  duplicateGroupIdError,
  fallbackCandidates,
  type GroupFormValues,
  groupFieldErrors,
  groupInputOf,
  groupValuesOf,
  NO_FALLBACK,
  newGroupValues,
} from '../group-form.ts';
import { officeLabel, officeTreeData } from '../office-tree.ts';
import { GroupMembersEditor } from './GroupMembersEditor.tsx';

const S = ZSkillGroupInput.shape;
const BUSINESS_OPTIONS = Object.entries(BUSINESS_LABELS).map(([value, label]) => ({ value, label }));

interface SkillGroupsPageProps {
  /** Supervisors read the groups; only administrators change them. */
  canEdit: boolean;
  onSessionExpired: () => void;
}

/** 组织与人员 → 技能组: the queues of human service, where each overflows to, and who serves them. */
export function SkillGroupsPage({ canEdit, onSessionExpired }: SkillGroupsPageProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<GroupFormValues>();
  const [groups, setGroups] = useState<TSkillGroup[]>([]);
  const [offices, setOffices] = useState<TTaxOffice[]>([]);
  const [agents, setAgents] = useState<TAgentLoad[]>([]);
  const [agentsError, setAgentsError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [membersOf, setMembersOf] = useState<TSkillGroup | null>(null);

  const loadGroups = useCallback(async () => {
    setLoading(true);
    try {
      const next = await fetchSkillGroups();
      setGroups(next);
      return next;
    } catch (e) {
      setError(adminErrorMessage(e, '技能组加载失败，请稍后再试。', onSessionExpired));
      return null;
    } finally {
      setLoading(false);
    }
  }, [onSessionExpired]);

  const loadAll = useCallback(async () => {
    setError(null);
    const [, officeList] = await Promise.all([
      loadGroups(),
      fetchTaxOffices().catch((e: unknown) => {
        setError(adminErrorMessage(e, '税务机关列表加载失败，请稍后再试。', onSessionExpired));
        return null;
      }),
      fetchAgents().then(
        (list) => {
          setAgents(list);
          setAgentsError(null);
        },
        (e: unknown) => setAgentsError(adminErrorMessage(e, '坐席列表加载失败，暂时无法选择成员。', onSessionExpired)),
      ),
    ]);
    if (officeList) setOffices(officeList);
  }, [loadGroups, onSessionExpired]);

  const startNew = useCallback(() => {
    setEditingId(null);
    form.resetFields();
    form.setFieldsValue(newGroupValues());
  }, [form]);

  useEffect(() => {
    void loadAll();
    startNew();
  }, [loadAll, startNew]);

  const treeData = useMemo(() => officeTreeData(offices), [offices]);
  const groupName = useCallback((id: string | null) => groups.find((g) => g.id === id)?.name ?? id, [groups]);
  const fallbackOptions = useMemo(
    () => [
      { value: NO_FALLBACK, label: '无' },
      ...fallbackCandidates(groups, editingId).map((g) => ({ value: g.id, label: `${g.name}（${g.id}）` })),
    ],
    [groups, editingId],
  );

  const edit = (g: TSkillGroup) => {
    setEditingId(g.id);
    form.resetFields();
    form.setFieldsValue(groupValuesOf(g));
  };

  const onFinish = async (values: GroupFormValues) => {
    const duplicate = duplicateGroupIdError(values.id, groups, editingId);
    if (duplicate) {
      form.setFields([{ name: 'id', errors: [duplicate] }]);
      return;
    }
    const input = groupInputOf(values);
    setSaving(true);
    setError(null);
    try {
      await saveSkillGroup(input);
      message.success(editingId ? `已保存“${input.name}”` : `已添加“${input.name}”`);
      await loadGroups();
      startNew();
    } catch (e) {
      const text = adminErrorMessage(e, '保存失败，请稍后再试。', onSessionExpired);
      const fields = e instanceof ApiError ? groupFieldErrors(e.message, e.fields) : null;
      if (fields) {
        form.setFields(
          (Object.keys(fields) as (keyof GroupFormValues)[]).map((name) => ({ name, errors: [fields[name] ?? ''] })),
        );
      } else setError(text);
    } finally {
      setSaving(false);
    }
  };

  const remove = async (g: TSkillGroup) => {
    setError(null);
    try {
      await deleteSkillGroup(g.id);
      message.success(`已删除“${g.name}”`);
      await loadGroups();
      if (editingId === g.id) startNew();
    } catch (e) {
      setError(adminErrorMessage(e, '删除失败，请稍后再试。', onSessionExpired));
    }
  };

  const membersSaved = async (g: TSkillGroup) => {
    setMembersOf(null);
    message.success(`已保存“${g.name}”的成员`);
    await loadGroups();
  };

  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">
        纳税人转人工后按业务和所属税务机关进入技能组排队；等待超过溢出时间后，溢出组的坐席也可以接待。
      </Typography.Text>
      {!canEdit && (
        <Alert
          type="info"
          showIcon
          title="您可以查看技能组；新增、修改和删除须由系统管理员进行。"
          data-testid="groups-readonly"
        />
      )}
      {error && <Alert type="error" showIcon role="alert" title={error} data-testid="groups-error" />}
      <Table<TSkillGroup>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={groups}
        pagination={false}
        locale={{ emptyText: '还没有技能组' }}
        data-testid="groups-table"
        onRow={(g) => ({ 'data-testid': 'group-row', 'data-id': g.id }) as HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: '名称',
            dataIndex: 'name',
            render: (name: string, g) => (
              <span>
                {name}
                <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                  {g.id}
                </Typography.Text>
              </span>
            ),
          },
          {
            title: '业务',
            dataIndex: 'business',
            width: 100,
            render: (b: TSkillGroup['business']) => BUSINESS_LABELS[b],
          },
          {
            title: '税务机关',
            dataIndex: 'taxOfficeId',
            render: (id: string | null) => <span data-testid="group-office">{officeLabel(id, offices)}</span>,
          },
          {
            title: '溢出到',
            dataIndex: 'fallbackGroupId',
            width: 110,
            render: (id: string | null) =>
              id ? groupName(id) : <Typography.Text type="secondary">无</Typography.Text>,
          },
          {
            title: '溢出等待',
            dataIndex: 'overflowAfterSeconds',
            width: 90,
            align: 'right',
            render: (s: number) => `${s} 秒`,
          },
          {
            title: '成员',
            key: 'members',
            render: (_: unknown, g) =>
              g.members.length > 0 ? (
                <Flex wrap gap={4} data-testid="group-members">
                  {g.members.map((m) => (
                    <Tag key={m.staffId} style={{ marginInlineEnd: 0 }}>
                      {m.name}
                    </Tag>
                  ))}
                </Flex>
              ) : (
                <Typography.Text type="secondary" data-testid="group-members">
                  暂无成员
                </Typography.Text>
              ),
          },
          ...(canEdit
            ? [
                {
                  title: '操作',
                  key: 'actions',
                  width: 170,
                  render: (_: unknown, g: TSkillGroup) => (
                    <Flex gap={4}>
                      <Button size="small" type="link" onClick={() => edit(g)} aria-label={`编辑 ${g.name}`}>
                        编辑
                      </Button>
                      <Button
                        size="small"
                        type="link"
                        onClick={() => setMembersOf(g)}
                        aria-label={`${g.name}的成员`}
                        data-testid="group-members-edit"
                      >
                        成员
                      </Button>
                      <Popconfirm
                        title={`确定删除“${g.name}”吗？`}
                        description="删除后该组的成员关系一并移除。"
                        okText="删除"
                        cancelText="取消"
                        okButtonProps={{ danger: true, 'data-testid': 'group-delete-confirm' }}
                        onConfirm={() => remove(g)}
                      >
                        <Button
                          size="small"
                          type="link"
                          danger
                          aria-label={`删除 ${g.name}`}
                          data-testid="group-delete"
                        >
                          删除
                        </Button>
                      </Popconfirm>
                    </Flex>
                  ),
                },
              ]
            : []),
        ]}
      />
      {canEdit && (
        <Card
          size="small"
          title={editingId ? `编辑技能组（${editingId}）` : '新增技能组'}
          style={{ maxWidth: 640 }}
          data-testid="group-form-card"
        >
          <Form<GroupFormValues>
            form={form}
            layout="vertical"
            disabled={saving}
            onFinish={(v) => void onFinish(v)}
            data-testid="group-form"
          >
            <Form.Item
              name="id"
              label="编号"
              extra="小写字母、数字和连字符，保存后不可修改"
              rules={[{ required: true, message: '请填写编号' }, zodRule(S.id)]}
            >
              <Input readOnly={editingId !== null} maxLength={64} data-testid="group-id" />
            </Form.Item>
            <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }, zodRule(S.name)]}>
              <Input maxLength={40} showCount data-testid="group-name" />
            </Form.Item>
            <Form.Item name="business" label="业务" rules={[{ required: true, message: '请选择业务' }]}>
              <Select options={BUSINESS_OPTIONS} data-testid="group-business" />
            </Form.Item>
            <Form.Item
              name="taxOffice"
              label="税务机关"
              extra="选择“全省”时，全省纳税人都进入该组"
              rules={[{ required: true, message: '请选择税务机关' }]}
            >
              <TreeSelect
                treeData={treeData}
                treeDefaultExpandAll
                showSearch={{ treeNodeFilterProp: 'title' }}
                placeholder="选择税务机关"
                data-testid="group-office-select"
              />
            </Form.Item>
            <Flex gap={24} wrap>
              <Form.Item name="fallback" label="溢出到" style={{ minWidth: 220 }}>
                <Select options={fallbackOptions} data-testid="group-fallback" />
              </Form.Item>
              <Form.Item
                name="overflowAfterSeconds"
                label="溢出等待（秒）"
                rules={[{ required: true, message: '请填写溢出等待时间' }, zodRule(S.overflowAfterSeconds)]}
              >
                <InputNumber
                  {...numberRange(S.overflowAfterSeconds)}
                  precision={0}
                  suffix="秒"
                  data-testid="group-overflow"
                />
              </Form.Item>
            </Flex>
            <Flex gap={8}>
              <Button type="primary" htmlType="submit" loading={saving} data-testid="group-save">
                {editingId ? '保存' : '添加'}
              </Button>
              {editingId && <Button onClick={startNew}>取消编辑</Button>}
            </Flex>
          </Form>
        </Card>
      )}
      <GroupMembersEditor
        group={membersOf}
        agents={agents}
        agentsError={agentsError}
        onClose={() => setMembersOf(null)}
        onSaved={(g) => void membersSaved(g)}
        onSessionExpired={onSessionExpired}
      />
    </Flex>
  );
}
