import {
  INQUIRY_STATUS_LABELS,
  RECEIVE_BY_LABELS,
  type TInquiryStaff,
  ZInquiryConvert,
  ZInquiryReply,
} from '@zhengna/contracts';
import { Alert, Button, Card, Descriptions, Empty, Flex, Form, Input, Modal, Select, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { FormErrorSummary } from '../../../shared/ui/FormErrorSummary.tsx';
import { errorSummary } from '../../../shared/ui/form-errors.ts';
import { formatFullTime } from '../../../shared/ui/format-time.ts';
import { zodRule } from '../../../shared/ui/zod-rule.ts';
import { maskTaxpayerNo } from '../../taxpayer/mask.ts';
import { caseFileUrl, convertInquiry, fetchWorkOrderTypes, replyInquiry } from '../api/cases-api.ts';
import { deadlineText } from '../case-deadline.ts';

interface InquiryDetailProps {
  inquiry: TInquiryStaff | undefined;
  now: number;
  onChanged: () => void;
  onOpenWorkOrder: (id: string) => void;
}

/** One 留言: what the taxpayer wrote and sent, the reply box (回复) and 转为工单. */
export function InquiryDetail({ inquiry: listed, now, onChanged, onOpenWorkOrder }: InquiryDetailProps) {
  const [inquiry, setInquiry] = useState(listed);
  const [reply, setReply] = useState('');
  const [replyError, setReplyError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [converting, setConverting] = useState(false);

  useEffect(() => setInquiry(listed), [listed]);

  if (!inquiry) return <Empty description="该留言已不在当前列表中" style={{ marginTop: '20vh' }} />;
  const pending = inquiry.status === 'pending';

  const send = async () => {
    const parsed = ZInquiryReply.safeParse({ reply });
    if (!parsed.success) {
      setReplyError(parsed.error.issues[0]?.message ?? '请填写回复内容');
      return;
    }
    setSending(true);
    setReplyError(null);
    try {
      setInquiry(await replyInquiry(inquiry.id, parsed.data.reply));
      setReply('');
      onChanged();
    } catch (e) {
      setReplyError(errorMessage(e, '回复失败，请稍后再试。'));
    } finally {
      setSending(false);
    }
  };

  return (
    <Flex vertical gap={12} style={{ maxWidth: 860 }} data-testid="inquiry-detail" data-id={inquiry.id}>
      <Flex align="center" gap={8} wrap>
        <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
          留言：{inquiry.typeName}
        </Typography.Title>
        <Tag data-testid="inquiry-detail-status">{INQUIRY_STATUS_LABELS[inquiry.status]}</Tag>
        {pending && (
          <Tag color={inquiry.overdue ? 'red' : 'blue'}>
            {inquiry.overdue ? '已超期' : '答复时限'}：{deadlineText(inquiry.dueAt, now)}
          </Tag>
        )}
        {inquiry.escalated && <Tag color="volcano">已升级至班长</Tag>}
      </Flex>
      <Descriptions
        size="small"
        bordered
        column={2}
        items={[
          { key: 'taxpayer', label: '纳税人', children: inquiry.taxpayerName },
          { key: 'no', label: '纳税人识别号', children: maskTaxpayerNo(inquiry.taxpayerNo) },
          { key: 'office', label: '留言机构', children: inquiry.taxOfficeName },
          { key: 'assignee', label: '承办人', children: inquiry.assigneeName ?? '未分配' },
          { key: 'receive', label: '结果接收方式', children: RECEIVE_BY_LABELS[inquiry.receiveBy] },
          { key: 'phone', label: '手机号码', children: inquiry.maskedPhone || '未登记' },
          { key: 'remind', label: '提醒服务', children: inquiry.remind ? '需要' : '不需要' },
          { key: 'created', label: '提交时间', children: formatFullTime(inquiry.createdAt) },
          { key: 'due', label: '答复时限', children: formatFullTime(inquiry.dueAt) },
        ]}
      />
      <Card size="small" title="留言内容">
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} data-testid="inquiry-detail-content">
          {inquiry.content}
        </Typography.Paragraph>
        {inquiry.files.length > 0 && (
          <ul aria-label="附件材料" style={{ margin: '8px 0 0', paddingInlineStart: 20 }}>
            {inquiry.files.map((f) => (
              <li key={f.id}>
                <a href={caseFileUrl(f.id)} target="_blank" rel="noopener noreferrer" data-testid="inquiry-detail-file">
                  {f.fileName}
                </a>
              </li>
            ))}
          </ul>
        )}
      </Card>
      {inquiry.reply && (
        <Card size="small" title="答复" data-testid="inquiry-detail-reply">
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{inquiry.reply}</Typography.Paragraph>
          {inquiry.repliedAt && <Typography.Text type="secondary">{formatFullTime(inquiry.repliedAt)}</Typography.Text>}
        </Card>
      )}
      {inquiry.workOrderId && (
        <Button onClick={() => onOpenWorkOrder(inquiry.workOrderId as string)} data-testid="inquiry-open-work-order">
          查看工单
        </Button>
      )}
      {pending && (
        <Card size="small" title="答复纳税人">
          <label htmlFor="inquiry-reply-box" style={{ display: 'block', marginBottom: 4 }}>
            回复内容
          </label>
          <Input.TextArea
            id="inquiry-reply-box"
            value={reply}
            onChange={(e) => setReply(e.target.value)}
            autoSize={{ minRows: 3, maxRows: 8 }}
            count={{ show: true, max: 2000 }}
            status={replyError ? 'error' : undefined}
            aria-invalid={Boolean(replyError)}
            aria-describedby={replyError ? 'inquiry-reply-error' : undefined}
            data-testid="inquiry-reply-input"
          />
          {replyError && (
            <Typography.Text id="inquiry-reply-error" type="danger" role="alert" style={{ display: 'block' }}>
              {replyError}
            </Typography.Text>
          )}
          <Flex gap={8} style={{ marginTop: 8 }}>
            <Button type="primary" loading={sending} onClick={() => void send()} data-testid="inquiry-reply-send">
              回复
            </Button>
            <Button onClick={() => setConverting(true)} data-testid="inquiry-convert">
              转为工单
            </Button>
          </Flex>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            答复将发送到纳税人的“我的消息”{inquiry.receiveBy !== 'inbox' ? '并以短信通知' : ''}
            ；纳税人在线时也会显示在对话中。
          </Typography.Text>
        </Card>
      )}
      <ConvertDialog
        open={converting}
        inquiry={inquiry}
        onCancel={() => setConverting(false)}
        onConverted={(workOrderId) => {
          setConverting(false);
          onChanged();
          onOpenWorkOrder(workOrderId);
        }}
      />
    </Flex>
  );
}

interface ConvertValues {
  type: string;
  title: string;
  note: string;
}

const C = ZInquiryConvert.shape;

/** 转为工单: the order's type (its time limit), a title and a note for whoever handles it. */
function ConvertDialog({
  open,
  inquiry,
  onCancel,
  onConverted,
}: {
  open: boolean;
  inquiry: TInquiryStaff;
  onCancel: () => void;
  onConverted: (workOrderId: string) => void;
}) {
  const [form] = Form.useForm<ConvertValues>();
  const [types, setTypes] = useState<{ id: string; name: string; limitDays: number }[]>([]);
  const [typesError, setTypesError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState<string[]>([]);

  useEffect(() => {
    if (!open) return;
    setError(null);
    setSummary([]);
    setTypesError(null);
    form.setFieldsValue({ title: inquiry.content.replace(/\s+/g, ' ').slice(0, 30), note: '' });
    fetchWorkOrderTypes().then(setTypes, (e: unknown) =>
      setTypesError(errorMessage(e, '工单类型加载失败，请稍后再试。')),
    );
  }, [open, inquiry, form]);

  const submit = async (values: ConvertValues) => {
    setBusy(true);
    setError(null);
    try {
      const order = await convertInquiry(inquiry.id, { ...values, note: values.note ?? '' });
      onConverted(order.id);
    } catch (e) {
      setError(errorMessage(e, '转为工单失败，请稍后再试。'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title="转为工单"
      okText="确定转为工单"
      cancelText="取消"
      onCancel={onCancel}
      onOk={() => form.submit()}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'convert-submit' }}
    >
      {typesError && <Alert type="warning" showIcon role="alert" title={typesError} style={{ marginBottom: 8 }} />}
      <FormErrorSummary errors={summary} />
      <Form<ConvertValues>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        onFinishFailed={({ errorFields }) => setSummary(errorSummary(errorFields))}
        onFieldsChange={() => summary.length > 0 && setSummary(errorSummary(form.getFieldsError()))}
        data-testid="convert-form"
      >
        <Form.Item name="type" label="工单类型" rules={[{ required: true, message: '请选择工单类型' }]}>
          <Select
            placeholder="请选择工单类型"
            options={types.map((t) => ({ value: t.id, label: `${t.name}（${t.limitDays} 个工作日）` }))}
            data-testid="convert-type"
          />
        </Form.Item>
        <Form.Item
          name="title"
          label="工单标题"
          rules={[{ required: true, whitespace: true, message: '请填写工单标题' }, zodRule(C.title)]}
        >
          <Input maxLength={60} showCount data-testid="convert-title" />
        </Form.Item>
        <Form.Item name="note" label="备注" rules={[zodRule(C.note)]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} showCount data-testid="convert-note" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon role="alert" title={error} data-testid="convert-error" />}
    </Modal>
  );
}
