import {
  APPOINTMENT_CHANNEL_LABELS,
  APPOINTMENT_STATUS_LABELS,
  type TAppointmentStaff,
  type TAppointmentStatus,
} from '@zhengna/contracts';
import { Alert, App, Badge, Button, Flex, Input, Modal, Radio, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { slotTimeLabel } from '../../../shared/ui/cst-time.ts';
import { completeAppointment, type StartMode, startAppointment } from '../api/appointments-api.ts';
import { actionsFor, START_MODE_LABELS, startModesFor } from '../appointment-day.ts';

const STATUS_COLORS: Record<TAppointmentStatus, string> = {
  booked: 'blue',
  cancelled: 'default',
  completed: 'green',
  no_show: 'red',
};

interface DayTableProps {
  items: TAppointmentStaff[];
  now: Date;
  onChanged: (a: TAppointmentStaff) => void;
  onOpenConversation: (conversationId: string) => void;
}

type Dialog = { kind: 'start'; a: TAppointmentStaff; mode: StartMode } | { kind: 'complete'; a: TAppointmentStaff };

/** One list of appointments with 开始 (文字会话 / 音视频邀请 / 电话回访) and 完成 (with a note). */
export function DayTable({ items, now, onChanged, onOpenConversation }: DayTableProps) {
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const open = (next: Dialog) => {
    setDialog(next);
    setNote('');
    setError(null);
  };

  const submit = async () => {
    if (!dialog) return;
    setSaving(true);
    setError(null);
    try {
      if (dialog.kind === 'start') {
        const next = await startAppointment(dialog.a.id, dialog.mode, note.trim());
        onChanged(next);
        setDialog(null);
        void message.success(
          dialog.mode === 'phone' ? '已记录电话回访，请拨打纳税人的联系电话' : '已开始服务，正在打开会话',
        );
        if (dialog.mode !== 'phone' && next.conversationId) onOpenConversation(next.conversationId);
      } else {
        onChanged(await completeAppointment(dialog.a.id, note.trim()));
        setDialog(null);
        void message.success('预约已完成');
      }
    } catch (e) {
      setError(errorMessage(e, '操作失败，请稍后再试。'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <Table<TAppointmentStaff>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={items}
        data-testid="appointments-table"
        onRow={(a) => ({ 'data-testid': 'appointment-row', 'data-status': a.status, 'data-id': a.id }) as object}
        columns={[
          {
            title: '时间',
            key: 'time',
            width: 120,
            render: (_, a) => <span data-testid="appointment-row-time">{slotTimeLabel(a.startsAt, a.endsAt)}</span>,
          },
          {
            title: '纳税人',
            key: 'taxpayer',
            render: (_, a) => (
              <Flex vertical>
                <span>
                  {a.taxpayerName}{' '}
                  {a.noShows > 0 && (
                    <Badge
                      count={`失约 ${a.noShows}`}
                      color="red"
                      title={`近期失约 ${a.noShows} 次`}
                      data-testid="appointment-row-no-shows"
                    />
                  )}
                </span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {a.taxpayerNo} · {a.maskedPhone}
                </Typography.Text>
              </Flex>
            ),
          },
          {
            title: '预约服务',
            key: 'service',
            render: (_, a) => (
              <Flex vertical>
                <span>{a.serviceName}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: a.description }}>
                  {a.description}
                </Typography.Text>
              </Flex>
            ),
          },
          { title: '方式', key: 'channel', width: 90, render: (_, a) => APPOINTMENT_CHANNEL_LABELS[a.channel] },
          { title: '坐席', key: 'staff', width: 90, render: (_, a) => a.staffName ?? '未分配' },
          {
            title: '状态',
            key: 'status',
            width: 110,
            render: (_, a) => (
              <Flex vertical gap={2}>
                <Tag
                  color={STATUS_COLORS[a.status]}
                  data-testid="appointment-row-status"
                  style={{ width: 'fit-content' }}
                >
                  {APPOINTMENT_STATUS_LABELS[a.status]}
                </Tag>
                {a.status === 'booked' && a.attended && (
                  <Typography.Text type="success" style={{ fontSize: 12 }}>
                    纳税人已到达
                  </Typography.Text>
                )}
                {a.startedMode && a.status === 'booked' && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    已开始·{START_MODE_LABELS[a.startedMode]}
                  </Typography.Text>
                )}
              </Flex>
            ),
          },
          {
            title: '操作',
            key: 'actions',
            width: 170,
            render: (_, a) => {
              const can = actionsFor(a, now);
              return (
                <Flex gap={6} wrap>
                  {can.start && (
                    <Button
                      size="small"
                      type={can.due ? 'primary' : 'default'}
                      onClick={() => open({ kind: 'start', a, mode: startModesFor(a.channel)[0] ?? 'chat' })}
                      aria-label={`开始 ${a.taxpayerName} 的预约`}
                      data-testid="appointment-start"
                    >
                      开始
                    </Button>
                  )}
                  {a.startedMode && a.startedMode !== 'phone' && a.conversationId && a.status === 'booked' && (
                    <Button
                      size="small"
                      onClick={() => a.conversationId && onOpenConversation(a.conversationId)}
                      data-testid="appointment-open-chat"
                    >
                      打开会话
                    </Button>
                  )}
                  {can.complete && (
                    <Button
                      size="small"
                      onClick={() => open({ kind: 'complete', a })}
                      aria-label={`完成 ${a.taxpayerName} 的预约`}
                      data-testid="appointment-complete"
                    >
                      完成
                    </Button>
                  )}
                </Flex>
              );
            },
          },
        ]}
      />
      <Modal
        open={dialog !== null}
        title={dialog?.kind === 'start' ? '开始预约服务' : '完成预约'}
        okText={dialog?.kind === 'start' ? '开始' : '标记为已完成'}
        cancelText="取消"
        confirmLoading={saving}
        onOk={() => void submit()}
        onCancel={() => !saving && setDialog(null)}
        okButtonProps={{ 'data-testid': 'appointment-dialog-ok' }}
        destroyOnHidden
      >
        {dialog && (
          <Flex vertical gap={12}>
            <Typography.Text>
              {dialog.a.taxpayerName} · {dialog.a.serviceName} · {slotTimeLabel(dialog.a.startsAt, dialog.a.endsAt)}
            </Typography.Text>
            {dialog.kind === 'start' && (
              <Radio.Group
                aria-label="服务方式"
                value={dialog.mode}
                onChange={(e) => setDialog({ ...dialog, mode: e.target.value as StartMode })}
                options={startModesFor(dialog.a.channel).map((m) => ({ value: m, label: START_MODE_LABELS[m] }))}
                data-testid="appointment-start-mode"
              />
            )}
            <Input.TextArea
              aria-label={dialog.kind === 'start' ? '备注（选填）' : '办理情况（选填）'}
              placeholder={dialog.kind === 'start' ? '备注（选填）' : '办理情况（选填），如：已解答，纳税人无其他问题'}
              value={note}
              maxLength={dialog.kind === 'start' ? 500 : 1000}
              showCount
              autoSize={{ minRows: 2, maxRows: 6 }}
              onChange={(e) => setNote(e.target.value)}
              data-testid="appointment-note"
            />
            {error && <Alert type="error" showIcon role="alert" title={error} data-testid="appointment-dialog-error" />}
          </Flex>
        )}
      </Modal>
    </>
  );
}
