import { PUSH_STATUS_LABELS, type TPush, type TPushOptions, type TPushPreview, ZPushDraft } from '@zhengna/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Flex,
  Form,
  Input,
  Popconfirm,
  Radio,
  Select,
  Switch,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type HTMLAttributes, useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../../shared/api/api-error.ts';
import { zodRule } from '../../../shared/ui/zod-rule.ts';
import { adminErrorMessage } from '../../knowledge/handle-error.ts';
import { cancelPush, createPush, fetchPushes, fetchPushOptions, previewPush, sendPush } from '../api/push-api.ts';
import {
  audienceOf,
  CREDIT_GRADES,
  draftOf,
  formFieldOf,
  newPushValues,
  type PushFormValues,
  parseTaxpayerList,
  TAXPAYER_TYPE_LABELS,
} from '../push-form.ts';

const S = ZPushDraft.shape;
const STATUS_COLORS: Record<TPush['status'], string> = {
  draft: 'default',
  scheduled: 'blue',
  sending: 'orange',
  sent: 'green',
  cancelled: 'default',
};
const MAX_LIST = 100_000;

function audienceSummary(p: TPush): string {
  const a = p.audience;
  if (a.kind === 'list') return `名单 ${p.listSize ?? a.taxpayerNos.length} 户`;
  const parts = [
    a.types.length ? a.types.map((t) => TAXPAYER_TYPE_LABELS[t]).join('、') : '',
    a.industries.join('、'),
    a.regions.join('、'),
    a.taxOfficeIds.length ? `${a.taxOfficeIds.length} 个税务机关` : '',
    a.creditGrades.length ? `信用 ${a.creditGrades.join('/')}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('；') : '全部纳税人';
}

const formatTime = (iso: string | null) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');

/** 消息推送 → 精准推送: pushes and their delivery, and the form to write, target, preview and send one. */
export function PushPage({ onSessionExpired }: { onSessionExpired: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<PushFormValues & { scheduledAtPicker?: Dayjs }>();
  const [list, setList] = useState<TPush[]>([]);
  const [options, setOptions] = useState<TPushOptions>({ industries: [], regions: [], taxOffices: [] });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<TPushPreview | null>(null);
  const [busy, setBusy] = useState<'preview' | 'save' | null>(null);
  const mode = Form.useWatch('mode', form);
  const when = Form.useWatch('when', form);

  const load = useCallback(async () => {
    try {
      setList(await fetchPushes());
      setError(null);
    } catch (e) {
      setError(adminErrorMessage(e, '推送列表加载失败，请稍后再试。', onSessionExpired));
    } finally {
      setLoading(false);
    }
  }, [onSessionExpired]);

  useEffect(() => {
    void load();
    fetchPushOptions()
      .then(setOptions)
      .catch((e) => setError(adminErrorMessage(e, '筛选条件加载失败，请稍后再试。', onSessionExpired)));
  }, [load, onSessionExpired]);

  // while a push is on its way, its delivered/read counts move: refresh every few seconds
  const active = list.some((p) => p.status === 'sending' || p.status === 'scheduled');
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => void load(), 3000);
    return () => clearInterval(timer);
  }, [active, load]);

  const values = (): PushFormValues => {
    const v = form.getFieldsValue(true) as PushFormValues & { scheduledAtPicker?: Dayjs };
    return { ...v, scheduledAt: v.scheduledAtPicker?.toISOString() };
  };

  /** Shows the server's Chinese error beside its field (or above the form when it is about no field). */
  const showError = (e: unknown, fallback: string) => {
    const text = adminErrorMessage(e, fallback, onSessionExpired);
    const fields = e instanceof ApiError ? (e.fields ?? {}) : {};
    const placed = Object.entries(fields).flatMap(([path, msg]) => {
      const name = formFieldOf(path);
      return name ? [{ name: name === 'scheduledAt' ? 'scheduledAtPicker' : name, errors: [msg] }] : [];
    });
    if (placed.length > 0) form.setFields(placed as never);
    else setError(text);
  };

  const checkList = (v: PushFormValues): boolean => {
    if (v.mode !== 'list') return true;
    const nos = parseTaxpayerList(v.listText ?? '');
    const msg =
      nos.length === 0 ? '请粘贴或上传纳税人识别号名单' : nos.length > MAX_LIST ? '名单最多 100000 个纳税人' : null;
    if (msg) form.setFields([{ name: 'listText', errors: [msg] }]);
    return msg === null;
  };

  const onPreview = async () => {
    const v = values();
    if (!checkList(v)) return;
    setBusy('preview');
    setError(null);
    try {
      setPreview(await previewPush(audienceOf(v)));
    } catch (e) {
      showError(e, '预览失败，请稍后再试。');
    } finally {
      setBusy(null);
    }
  };

  const save = async (andSend: boolean) => {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    const v = values();
    if (!checkList(v)) return;
    if (v.when === 'later' && !v.scheduledAt) {
      form.setFields([{ name: 'scheduledAtPicker', errors: ['请选择发送时间'] }]);
      return;
    }
    setBusy('save');
    setError(null);
    try {
      const created = await createPush(draftOf(v));
      if (andSend) {
        const sent = await sendPush(created.id);
        message.success(sent.status === 'scheduled' ? '已安排定时发送' : '已开始发送');
      } else {
        message.success('已保存草稿');
      }
      form.resetFields();
      form.setFieldsValue(newPushValues());
      setPreview(null);
      await load();
    } catch (e) {
      showError(e, '保存失败，请稍后再试。');
    } finally {
      setBusy(null);
    }
  };

  const act = async (p: TPush, action: 'send' | 'cancel') => {
    try {
      const next = action === 'send' ? await sendPush(p.id) : await cancelPush(p.id);
      message.success(
        action === 'cancel' ? '已取消推送' : next.status === 'scheduled' ? '已安排定时发送' : '已开始发送',
      );
      await load();
    } catch (e) {
      setError(adminErrorMessage(e, '操作失败，请稍后再试。', onSessionExpired));
    }
  };

  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">
        按纳税人类型、行业、地区、主管税务机关、信用等级或上传名单选定对象，消息送达其“我的消息”，每人只收到一次。
      </Typography.Text>
      {error && <Alert type="error" showIcon role="alert" title={error} data-testid="push-error" />}
      <Table<TPush>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={list}
        pagination={false}
        locale={{ emptyText: '还没有推送' }}
        data-testid="push-table"
        onRow={(p) => ({ 'data-testid': 'push-row', 'data-id': p.id }) as HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: '标题',
            dataIndex: 'title',
            render: (title: string, p) => (
              <span>
                {title}
                {p.recommend && (
                  <Tag color="gold" style={{ marginLeft: 6 }}>
                    热点推荐
                  </Tag>
                )}
              </span>
            ),
          },
          { title: '对象', key: 'audience', render: (_: unknown, p) => audienceSummary(p) },
          {
            title: '状态',
            dataIndex: 'status',
            width: 90,
            render: (s: TPush['status']) => (
              <Tag color={STATUS_COLORS[s]} data-testid="push-status">
                {PUSH_STATUS_LABELS[s]}
              </Tag>
            ),
          },
          { title: '计划时间', dataIndex: 'scheduledAt', width: 140, render: formatTime },
          {
            title: '应送达',
            dataIndex: 'recipients',
            width: 80,
            align: 'right',
            render: (n: number | null) => n ?? '—',
          },
          {
            title: '已送达',
            dataIndex: 'delivered',
            width: 80,
            align: 'right',
            render: (n: number) => <span data-testid="push-delivered">{n}</span>,
          },
          { title: '已读', dataIndex: 'read', width: 70, align: 'right' },
          {
            title: '操作',
            key: 'actions',
            width: 120,
            render: (_: unknown, p) => (
              <Flex gap={4}>
                {p.status === 'draft' && (
                  <Button size="small" type="link" onClick={() => void act(p, 'send')} data-testid="push-send">
                    发送
                  </Button>
                )}
                {(p.status === 'draft' || p.status === 'scheduled') && (
                  <Popconfirm
                    title={`确定取消“${p.title}”吗？`}
                    okText="取消推送"
                    cancelText="不取消"
                    okButtonProps={{ danger: true }}
                    onConfirm={() => act(p, 'cancel')}
                  >
                    <Button size="small" type="link" danger data-testid="push-cancel">
                      取消
                    </Button>
                  </Popconfirm>
                )}
              </Flex>
            ),
          },
        ]}
      />
      <Card size="small" title="新建推送" style={{ maxWidth: 760 }}>
        <Form<PushFormValues & { scheduledAtPicker?: Dayjs }>
          form={form}
          layout="vertical"
          initialValues={newPushValues()}
          disabled={busy === 'save'}
          data-testid="push-form"
          onValuesChange={(changed) => {
            if (!('title' in changed || 'content' in changed || 'link' in changed)) setPreview(null);
          }}
        >
          <Form.Item name="title" label="标题" rules={[{ required: true, message: '请填写标题' }, zodRule(S.title)]}>
            <Input maxLength={60} showCount data-testid="push-title" />
          </Form.Item>
          <Form.Item
            name="content"
            label="内容"
            extra="支持 Markdown（加粗、列表、链接），不支持 HTML"
            rules={[{ required: true, message: '请填写内容' }, zodRule(S.content)]}
          >
            <Input.TextArea rows={5} maxLength={5000} showCount data-testid="push-content" />
          </Form.Item>
          <Form.Item
            name="link"
            label="链接（可选）"
            extra="以 http://、https:// 开头的网址，或以 / 开头的门户页面路径"
            rules={[zodRule(S.link)]}
          >
            <Input maxLength={500} data-testid="push-link" />
          </Form.Item>
          <Form.Item name="mode" label="推送对象">
            <Radio.Group data-testid="push-mode">
              <Radio value="rules">按条件筛选</Radio>
              <Radio value="list">上传名单</Radio>
            </Radio.Group>
          </Form.Item>
          {mode === 'list' ? (
            <Form.Item
              name="listText"
              label="纳税人识别号名单"
              extra="每行一个，或以逗号、空格分隔；也可上传 .txt / .csv 文件，最多 100000 个"
            >
              <Input.TextArea rows={5} data-testid="push-list" />
            </Form.Item>
          ) : (
            <Flex gap={12} wrap>
              <Form.Item name="types" label="纳税人类型" style={{ minWidth: 220 }}>
                <Select
                  mode="multiple"
                  allowClear
                  placeholder="不限"
                  data-testid="push-types"
                  options={Object.entries(TAXPAYER_TYPE_LABELS).map(([value, label]) => ({ value, label }))}
                />
              </Form.Item>
              <Form.Item name="industries" label="行业" style={{ minWidth: 220 }}>
                <Select
                  mode="multiple"
                  allowClear
                  placeholder="不限"
                  data-testid="push-industries"
                  options={options.industries.map((v) => ({ value: v, label: v }))}
                />
              </Form.Item>
              <Form.Item name="regions" label="地区" style={{ minWidth: 220 }}>
                <Select
                  mode="multiple"
                  allowClear
                  placeholder="不限"
                  data-testid="push-regions"
                  options={options.regions.map((v) => ({ value: v, label: v }))}
                />
              </Form.Item>
              <Form.Item name="taxOfficeIds" label="主管税务机关" style={{ minWidth: 220 }}>
                <Select
                  mode="multiple"
                  allowClear
                  placeholder="不限"
                  optionFilterProp="label"
                  data-testid="push-offices"
                  options={options.taxOffices.map((o) => ({ value: o.id, label: o.name }))}
                />
              </Form.Item>
              <Form.Item name="creditGrades" label="纳税信用等级" style={{ minWidth: 160 }}>
                <Select
                  mode="multiple"
                  allowClear
                  placeholder="不限"
                  data-testid="push-grades"
                  options={CREDIT_GRADES.map((g) => ({ value: g, label: `${g} 级` }))}
                />
              </Form.Item>
            </Flex>
          )}
          {mode === 'list' && (
            <Upload
              accept=".txt,.csv"
              showUploadList={false}
              beforeUpload={(file) => {
                void file.text().then((text) => {
                  form.setFieldsValue({ listText: text });
                  setPreview(null);
                });
                return false;
              }}
            >
              <Button style={{ marginBottom: 16 }} data-testid="push-upload">
                上传名单文件
              </Button>
            </Upload>
          )}
          <Form.Item name="recommend" label="同时作为热点推荐" valuePropName="checked">
            <Switch data-testid="push-recommend" />
          </Form.Item>
          <Flex gap={16} align="start">
            <Form.Item name="when" label="发送时间">
              <Radio.Group data-testid="push-when">
                <Radio value="now">立即发送</Radio>
                <Radio value="later">定时发送</Radio>
              </Radio.Group>
            </Form.Item>
            {when === 'later' && (
              <Form.Item name="scheduledAtPicker" label="计划发送时间">
                <DatePicker
                  showTime={{ format: 'HH:mm' }}
                  format="YYYY-MM-DD HH:mm"
                  disabledDate={(d) => d.isBefore(dayjs().startOf('day'))}
                  data-testid="push-scheduled-at"
                />
              </Form.Item>
            )}
          </Flex>
          {preview && (
            <Alert
              type={preview.matching > 0 ? 'info' : 'warning'}
              showIcon
              style={{ marginBottom: 16 }}
              data-testid="push-preview-result"
              title={`符合条件的纳税人 ${preview.matching} 户，将送达 ${preview.recipients} 人次`}
              description={
                <>
                  {preview.sample.length > 0 && <div>例如：{preview.sample.join('、')}</div>}
                  {preview.unknown > 0 && (
                    <div data-testid="push-preview-unknown">
                      名单中有 {preview.unknown} 个识别号未找到纳税人：{preview.unknownSample.join('、')}
                      {preview.unknown > preview.unknownSample.length ? ' 等' : ''}
                    </div>
                  )}
                </>
              }
            />
          )}
          <Flex gap={8}>
            <Button onClick={() => void onPreview()} loading={busy === 'preview'} data-testid="push-preview">
              预览人数
            </Button>
            <Button
              type="primary"
              onClick={() => void save(true)}
              loading={busy === 'save'}
              data-testid="push-save-send"
            >
              {when === 'later' ? '保存并定时发送' : '保存并发送'}
            </Button>
            <Button onClick={() => void save(false)} data-testid="push-save-draft">
              保存草稿
            </Button>
          </Flex>
        </Form>
      </Card>
    </Flex>
  );
}
