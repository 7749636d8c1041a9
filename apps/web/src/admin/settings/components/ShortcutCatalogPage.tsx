import { ZShortcutInput } from '@zhengna/contracts';
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
  Radio,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { type HTMLAttributes, useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../../shared/api/api-error.ts';
import { zodRule } from '../../../shared/ui/zod-rule.ts';
import { adminErrorMessage } from '../../knowledge/handle-error.ts';
import { deleteShortcut, fetchShortcutCatalog, saveShortcut, type TAdminShortcut } from '../api/settings-api.ts';
import { numberRange } from '../settings-form.ts';
import {
  duplicateIdError,
  newShortcutValues,
  OPEN_IN_LABELS,
  type ShortcutFormValues,
  shortcutInputOf,
  shortcutValuesOf,
} from '../shortcut-form.ts';

const S = ZShortcutInput.shape;
const FIELDS = ['id', 'name', 'description', 'url', 'openIn', 'position', 'active'] as const;

/** 服务设置 → 快捷入口目录: the catalogue taxpayers pick their 快捷入口 from (administrators only). */
export function ShortcutCatalogPage({ onSessionExpired }: { onSessionExpired: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ShortcutFormValues>();
  const [list, setList] = useState<TAdminShortcut[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const next = await fetchShortcutCatalog();
      setList(next);
      return next;
    } catch (e) {
      setError(adminErrorMessage(e, '快捷入口目录加载失败，请稍后再试。', onSessionExpired));
      return null;
    } finally {
      setLoading(false);
    }
  }, [onSessionExpired]);

  const startNew = useCallback(
    (from: readonly TAdminShortcut[]) => {
      setEditingId(null);
      form.resetFields();
      form.setFieldsValue(newShortcutValues(from));
    },
    [form],
  );

  useEffect(() => {
    void load().then((next) => next && startNew(next));
  }, [load, startNew]);

  const edit = (s: TAdminShortcut) => {
    setEditingId(s.id);
    form.resetFields();
    form.setFieldsValue(shortcutValuesOf(s));
  };

  const onFinish = async (values: ShortcutFormValues) => {
    const duplicate = duplicateIdError(values.id, list, editingId);
    if (duplicate) {
      form.setFields([{ name: 'id', errors: [duplicate] }]);
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await saveShortcut(shortcutInputOf(values));
      message.success(editingId ? `已保存“${values.name.trim()}”` : `已添加“${values.name.trim()}”`);
      const next = await load();
      if (next) startNew(next);
    } catch (e) {
      const text = adminErrorMessage(e, '保存失败，请稍后再试。', onSessionExpired);
      const fields = e instanceof ApiError ? (e.fields ?? {}) : {};
      const known = FIELDS.filter((f) => fields[f]);
      if (known.length > 0) form.setFields(known.map((name) => ({ name, errors: [fields[name] ?? ''] })));
      else setError(text);
    } finally {
      setSaving(false);
    }
  };

  const remove = async (s: TAdminShortcut) => {
    try {
      await deleteShortcut(s.id);
      message.success(`已删除“${s.name}”`);
      const next = await load();
      if (next && editingId === s.id) startNew(next);
    } catch (e) {
      setError(adminErrorMessage(e, '删除失败，请稍后再试。', onSessionExpired));
    }
  };

  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">
        纳税人在征纳互动的“快捷入口”中从这里挑选常用入口；停用的入口不再提供，已选的纳税人也不再看到。
      </Typography.Text>
      {error && <Alert type="error" showIcon role="alert" title={error} data-testid="shortcuts-error" />}
      <Table<TAdminShortcut>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={list}
        pagination={false}
        locale={{ emptyText: '目录中还没有快捷入口' }}
        data-testid="shortcuts-table"
        onRow={(s) => ({ 'data-testid': 'shortcut-row', 'data-id': s.id }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: '排序', dataIndex: 'position', width: 70, align: 'right' },
          { title: '编号', dataIndex: 'id', width: 120 },
          {
            title: '名称',
            dataIndex: 'name',
            render: (name: string, s) => (
              <span>
                {name}
                {s.description && (
                  <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                    {s.description}
                  </Typography.Text>
                )}
              </span>
            ),
          },
          {
            title: '链接',
            dataIndex: 'url',
            render: (url: string) => <span style={{ wordBreak: 'break-all' }}>{url}</span>,
          },
          {
            title: '打开方式',
            dataIndex: 'openIn',
            width: 120,
            render: (v: TAdminShortcut['openIn']) => OPEN_IN_LABELS[v],
          },
          {
            title: '状态',
            dataIndex: 'active',
            width: 80,
            render: (active: boolean) => (active ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>),
          },
          {
            title: '操作',
            key: 'actions',
            width: 130,
            render: (_: unknown, s) => (
              <Flex gap={4}>
                <Button size="small" type="link" onClick={() => edit(s)} aria-label={`编辑 ${s.name}`}>
                  编辑
                </Button>
                <Popconfirm
                  title={`确定删除“${s.name}”吗？`}
                  description="已选择该入口的纳税人将不再看到它。"
                  okText="删除"
                  cancelText="取消"
                  okButtonProps={{ danger: true }}
                  onConfirm={() => remove(s)}
                >
                  <Button size="small" type="link" danger aria-label={`删除 ${s.name}`}>
                    删除
                  </Button>
                </Popconfirm>
              </Flex>
            ),
          },
        ]}
      />
      <Card
        size="small"
        title={editingId ? `编辑快捷入口（${editingId}）` : '新增快捷入口'}
        style={{ maxWidth: 640 }}
        data-testid="shortcut-form-card"
      >
        <Form<ShortcutFormValues>
          form={form}
          layout="vertical"
          disabled={saving}
          onFinish={(v) => void onFinish(v)}
          data-testid="shortcut-form"
        >
          <Form.Item
            name="id"
            label="编号"
            extra="小写字母、数字和连字符，保存后不可修改"
            rules={[{ required: true, message: '请填写编号' }, zodRule(S.id)]}
          >
            <Input disabled={editingId !== null} maxLength={64} data-testid="shortcut-id" />
          </Form.Item>
          <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }, zodRule(S.name)]}>
            <Input maxLength={20} showCount data-testid="shortcut-name" />
          </Form.Item>
          <Form.Item name="description" label="说明" rules={[zodRule(S.description)]}>
            <Input maxLength={100} data-testid="shortcut-description" />
          </Form.Item>
          <Form.Item
            name="url"
            label="链接"
            extra="以 http://、https:// 开头的网址，或以 / 开头的门户页面路径"
            rules={[{ required: true, message: '请填写链接' }, zodRule(S.url)]}
          >
            <Input maxLength={500} data-testid="shortcut-url" />
          </Form.Item>
          <Form.Item name="openIn" label="打开方式">
            <Radio.Group data-testid="shortcut-openIn">
              <Radio value="new_tab">{OPEN_IN_LABELS.new_tab}</Radio>
              <Radio value="parent">{OPEN_IN_LABELS.parent}</Radio>
            </Radio.Group>
          </Form.Item>
          <Flex gap={24}>
            <Form.Item name="position" label="排序（越小越靠前）" rules={[zodRule(S.position.unwrap())]}>
              <InputNumber {...numberRange(S.position.unwrap())} precision={0} data-testid="shortcut-position" />
            </Form.Item>
            <Form.Item name="active" label="启用" valuePropName="checked">
              <Switch data-testid="shortcut-active" />
            </Form.Item>
          </Flex>
          <Flex gap={8}>
            <Button type="primary" htmlType="submit" loading={saving} data-testid="shortcut-save">
              {editingId ? '保存' : '添加'}
            </Button>
            {editingId && <Button onClick={() => startNew(list)}>取消编辑</Button>}
          </Flex>
        </Form>
      </Card>
    </Flex>
  );
}
