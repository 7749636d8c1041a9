import type { TStaffMe } from '@zhengna/contracts';
import { App, Empty, Flex, Layout, Segmented } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import type { RealtimeClient } from '../../../shared/realtime/realtime-client.ts';
import { useNow } from '../../layout/use-now.ts';
import { type CaseScope, fetchInquiries, fetchWorkOrders } from '../api/cases-api.ts';
import { type CaseItem, CaseList } from './CaseList.tsx';
import { InquiryDetail } from './InquiryDetail.tsx';
import { WorkOrderDetail } from './WorkOrderDetail.tsx';

type Kind = 'inquiry' | 'work_order';

interface CasesViewProps {
  me: TStaffMe;
  client: RealtimeClient | null;
}

/**
 * 留言工单: the 留言 to-dos and the 工单 of the agent (我的), of their office (本机构) and, for supervisors, the overdue
 * ones (超期); the chosen one's detail on the right. New assignments and deadline alerts arrive live.
 */
export function CasesView({ me, client }: CasesViewProps) {
  const { notification } = App.useApp();
  const supervisor = me.role !== 'agent';
  const [kind, setKind] = useState<Kind>('inquiry');
  const [scope, setScope] = useState<CaseScope>('mine');
  const [items, setItems] = useState<CaseItem[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<{ kind: Kind; id: string } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const now = useNow(30_000);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the reload trigger.
  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(null);
    const load: Promise<CaseItem[]> =
      kind === 'inquiry'
        ? fetchInquiries(scope).then((list) => list.map((item) => ({ kind: 'inquiry' as const, item })))
        : fetchWorkOrders(scope).then((list) => list.map((item) => ({ kind: 'work_order' as const, item })));
    load.then(
      (list) => !cancelled && setItems(list),
      (e: unknown) => !cancelled && setError(errorMessage(e, '列表加载失败，请稍后再试。')),
    );
    void load.finally(() => !cancelled && setLoading(false)).catch(() => {});
    return () => {
      cancelled = true;
    };
  }, [kind, scope, attempt]);

  // a new 留言/工单 for me, a reminder before a deadline, an escalation: say so and refresh the list
  useEffect(() => {
    if (!client) return;
    const show = (raw: unknown, escalated: boolean) => {
      const p = raw as { caseKind?: unknown; title?: unknown; taxpayerName?: unknown; alert?: unknown };
      const what = p?.caseKind === 'work_order' ? '工单' : '留言';
      const heading =
        p?.alert === 'escalate' ? `${what}已超期` : p?.alert === 'remind' ? `${what}即将到期` : `新的${what}待办`;
      notification[escalated ? 'warning' : 'info']({
        title: heading,
        description: `${typeof p?.taxpayerName === 'string' ? p.taxpayerName : ''} ${typeof p?.title === 'string' ? p.title : ''}`,
        role: 'status',
        props: { 'data-testid': 'case-notice' } as object,
      });
      reload();
    };
    const stopAssigned = client.on('case:assigned', (raw) => show(raw, false));
    const stopAlert = client.on('case:alert', (raw) => show(raw, true));
    return () => {
      stopAssigned();
      stopAlert();
    };
  }, [client, notification, reload]);

  const scopes = [
    { value: 'mine' as const, label: '我的' },
    { value: 'office' as const, label: '本机构' },
    ...(supervisor ? [{ value: 'overdue' as const, label: '超期' }] : []),
  ];

  const changed = () => reload();
  const selectedInquiry = items.flatMap((i) => (i.kind === 'inquiry' && i.item.id === selected?.id ? [i.item] : []))[0];
  const openWorkOrder = (id: string) => {
    setKind('work_order');
    setSelected({ kind: 'work_order', id });
  };

  return (
    <Layout style={{ height: '100%' }}>
      <Layout.Sider width={360} theme="light" style={{ overflowY: 'auto', borderRight: '1px solid rgba(5,5,5,.06)' }}>
        <Flex vertical gap={8} style={{ padding: 12 }}>
          <Segmented<Kind>
            block
            aria-label="待办类型"
            value={kind}
            onChange={(k) => {
              setKind(k);
              setSelected(null);
            }}
            options={[
              { value: 'inquiry', label: <span data-testid="cases-kind-inquiry">留言待办</span> },
              { value: 'work_order', label: <span data-testid="cases-kind-work-order">工单</span> },
            ]}
          />
          <Segmented<CaseScope>
            block
            size="small"
            aria-label="范围"
            value={scope}
            onChange={setScope}
            options={scopes.map((s) => ({
              value: s.value,
              label: <span data-testid={`cases-scope-${s.value}`}>{s.label}</span>,
            }))}
          />
          <CaseList
            items={items}
            loading={loading}
            error={error}
            selectedId={selected?.id ?? null}
            now={now}
            onSelect={(id) => setSelected({ kind, id })}
            onReload={reload}
          />
        </Flex>
      </Layout.Sider>
      <Layout.Content style={{ overflowY: 'auto', padding: 16, minHeight: 0 }}>
        {selected?.kind === 'inquiry' ? (
          <InquiryDetail
            key={selected.id}
            inquiry={selectedInquiry}
            now={now}
            onChanged={changed}
            onOpenWorkOrder={openWorkOrder}
          />
        ) : selected?.kind === 'work_order' ? (
          <WorkOrderDetail key={selected.id} id={selected.id} now={now} onChanged={changed} />
        ) : (
          <Empty description="请从左侧选择一条留言或工单" style={{ marginTop: '20vh' }} />
        )}
      </Layout.Content>
    </Layout>
  );
}
