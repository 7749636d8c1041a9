import { APPOINTMENT_CHANNEL_LABELS, BUSINESS_LABELS, type TAppointmentService } from '@zhengna/contracts';
import { Alert, App, Button, Flex, Popconfirm, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { adminErrorMessage } from '../../knowledge/handle-error.ts';
import { fetchTaxOffices, type TTaxOffice } from '../../organization/api/organization-api.ts';
import { deactivateAppointmentService, fetchAppointmentServices } from '../api/appointments-admin-api.ts';
import { scheduleSummary } from '../appointment-service-form.ts';
import { ServiceEditor } from './ServiceEditor.tsx';

/** 预约 → 预约服务: the services per tax office and business, each with its schedule, slots and rules; admins edit. */
export function AppointmentServicesPage({
  canEdit,
  onSessionExpired,
}: {
  canEdit: boolean;
  onSessionExpired: () => void;
}) {
  const { message } = App.useApp();
  const [services, setServices] = useState<TAppointmentService[] | null>(null);
  const [offices, setOffices] = useState<TTaxOffice[]>([]);
  const [error, setError] = useState<string | null>(null);
  // null: the list; 'new': a new service; otherwise the id being edited
  const [editing, setEditing] = useState<string | null>(null);
  const [editorKey, setEditorKey] = useState(0);

  const load = useCallback(async () => {
    setError(null);
    try {
      const [list, officeList] = await Promise.all([fetchAppointmentServices(), fetchTaxOffices()]);
      setServices(list);
      setOffices(officeList);
    } catch (e) {
      setError(adminErrorMessage(e, '预约服务加载失败，请稍后再试。', onSessionExpired));
    }
  }, [onSessionExpired]);
  useEffect(() => {
    void load();
  }, [load]);

  const deactivate = async (service: TAppointmentService) => {
    try {
      const saved = await deactivateAppointmentService(service.id);
      setServices((list) => list?.map((s) => (s.id === saved.id ? saved : s)) ?? null);
      void message.success(`已停用“${service.name}”`);
    } catch (e) {
      void message.error(adminErrorMessage(e, '停用失败，请稍后再试。', onSessionExpired));
    }
  };

  if (editing !== null && services) {
    const service = services.find((s) => s.id === editing) ?? null;
    return (
      <ServiceEditor
        key={`${editing}-${editorKey}`}
        service={service}
        offices={offices}
        canEdit={canEdit}
        onSessionExpired={onSessionExpired}
        onCancel={() => setEditing(null)}
        onReload={() => {
          void load().then(() => setEditorKey((n) => n + 1));
        }}
        onSaved={(saved) => {
          setServices((list) =>
            list?.some((s) => s.id === saved.id)
              ? list.map((s) => (s.id === saved.id ? saved : s))
              : [...(list ?? []), saved],
          );
          setEditing(null);
          void message.success('预约服务已保存');
        }}
      />
    );
  }

  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">
        纳税人可在征纳互动中预约的服务：按税务机关和业务设置服务方式、每周时段（北京时间）、时段长度与名额、可预约范围、截止与取消规则。
      </Typography.Text>
      {error && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={error}
          action={<Button onClick={() => void load()}>重试</Button>}
        />
      )}
      {canEdit && (
        <div>
          <Button type="primary" onClick={() => setEditing('new')} disabled={!services} data-testid="service-new">
            新建预约服务
          </Button>
        </div>
      )}
      <Table<TAppointmentService>
        rowKey="id"
        size="small"
        loading={services === null && !error}
        dataSource={services ?? []}
        pagination={false}
        data-testid="services-table"
        onRow={(s) => ({ 'data-testid': 'service-row', 'data-id': s.id }) as object}
        columns={[
          { title: '服务名称', dataIndex: 'name' },
          { title: '税务机关', dataIndex: 'taxOfficeName' },
          { title: '业务', key: 'business', render: (_, s) => BUSINESS_LABELS[s.business] },
          { title: '方式', key: 'channel', render: (_, s) => APPOINTMENT_CHANNEL_LABELS[s.channel] },
          { title: '时段', key: 'schedule', render: (_, s) => scheduleSummary(s) },
          {
            title: '状态',
            key: 'active',
            render: (_, s) => (s.active ? <Tag color="green">启用</Tag> : <Tag>已停用</Tag>),
          },
          {
            title: '操作',
            key: 'actions',
            render: (_, s) => (
              <Flex gap={4}>
                <Button
                  size="small"
                  type="link"
                  onClick={() => setEditing(s.id)}
                  aria-label={`${canEdit ? '编辑' : '查看'}${s.name}`}
                >
                  {canEdit ? '编辑' : '查看'}
                </Button>
                {canEdit && s.active && (
                  <Popconfirm
                    title={`停用“${s.name}”？`}
                    description="停用后纳税人不能再预约该服务，已有预约不受影响。"
                    okText="停用"
                    cancelText="取消"
                    onConfirm={() => deactivate(s)}
                  >
                    <Button size="small" type="link" danger aria-label={`停用${s.name}`}>
                      停用
                    </Button>
                  </Popconfirm>
                )}
              </Flex>
            ),
          },
        ]}
      />
    </Flex>
  );
}
