import { PRESENCE_LABELS, type TBoard, type TQueuedConversation } from '@zhengna/contracts';
import { Alert, App, Button, Card, Flex, Progress, Select, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../shared/api/api-error.ts';
import { assignConversation, fetchBoard, fetchQueue } from '../conversations/api/workspace-api.ts';
import { formatWait } from '../conversations/hooks/conversation-list-state.ts';

const PRESENCE_COLOR = { online: 'green', busy: 'orange', away: 'default' } as const;
const REFRESH_MS = 5000;

/** 监控看板 (班长/管理员): queues, waits and agents' loads, refreshed every 5 s; 指派 a queued conversation. */
export function SupervisorBoard() {
  const { message } = App.useApp();
  const [board, setBoard] = useState<TBoard | null>(null);
  const [queued, setQueued] = useState<TQueuedConversation[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [assigning, setAssigning] = useState<string | null>(null);

  const load = useCallback(() => {
    Promise.all([fetchBoard(), fetchQueue()]).then(
      ([b, q]) => {
        setBoard(b);
        setQueued(q);
        setError(null);
      },
      (e: unknown) => setError(errorMessage(e, '监控数据加载失败。')),
    );
  }, []);
  useEffect(() => {
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const assign = async (conversationId: string) => {
    const staffId = choice[conversationId];
    if (!staffId) {
      void message.warning('请先选择坐席');
      return;
    }
    setAssigning(conversationId);
    try {
      await assignConversation(conversationId, staffId);
      void message.success('已指派');
      load();
    } catch (e) {
      void message.error(errorMessage(e, '指派失败，请稍后再试。'));
    } finally {
      setAssigning(null);
    }
  };

  const agents = board?.agents ?? [];
  return (
    <Flex vertical gap={16} style={{ padding: 16, overflowY: 'auto', height: '100%' }} data-testid="supervisor-board">
      <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
        监控看板
        <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 8, fontWeight: 'normal' }}>
          每 5 秒自动刷新
        </Typography.Text>
      </Typography.Title>
      {error && <Alert type="error" title={error} />}
      <Card title="技能组队列" size="small">
        <Table
          size="small"
          rowKey="groupId"
          pagination={false}
          loading={!board && !error}
          dataSource={board?.groups ?? []}
          data-testid="board-groups"
          columns={[
            { title: '技能组', dataIndex: 'name' },
            { title: '排队人数', dataIndex: 'waiting' },
            {
              title: '最长等待',
              dataIndex: 'longestWaitSeconds',
              render: (s: number) => (s > 0 ? formatWait(s) : '—'),
            },
            { title: '在线坐席', dataIndex: 'agentsOnline' },
          ]}
        />
      </Card>
      <Card title="坐席状态" size="small">
        <Table
          size="small"
          rowKey="staffId"
          pagination={false}
          dataSource={agents}
          data-testid="board-agents"
          columns={[
            { title: '坐席', dataIndex: 'name' },
            {
              title: '状态',
              dataIndex: 'presence',
              render: (p: keyof typeof PRESENCE_COLOR) => <Tag color={PRESENCE_COLOR[p]}>{PRESENCE_LABELS[p]}</Tag>,
            },
            {
              title: '负载',
              key: 'load',
              render: (_: unknown, a) => (
                <Flex align="center" gap={8}>
                  <Progress
                    percent={a.maxConcurrent ? Math.round((a.load / a.maxConcurrent) * 100) : 0}
                    size="small"
                    showInfo={false}
                    style={{ width: 100, margin: 0 }}
                    aria-label={`${a.name} 负载`}
                  />
                  {a.load}/{a.maxConcurrent}
                </Flex>
              ),
            },
          ]}
        />
      </Card>
      <Card title="排队中的会话" size="small">
        <Table
          size="small"
          rowKey="conversationId"
          pagination={false}
          dataSource={queued}
          data-testid="board-queue"
          locale={{ emptyText: '当前无人排队' }}
          columns={[
            { title: '纳税人', dataIndex: 'taxpayerName' },
            { title: '技能组', dataIndex: 'groupName' },
            { title: '已等待', dataIndex: 'waitingSeconds', render: (s: number) => formatWait(s) },
            {
              title: '指派',
              key: 'assign',
              render: (_: unknown, q) => (
                <Flex gap={8}>
                  <Select
                    size="small"
                    style={{ width: 180 }}
                    placeholder="选择坐席"
                    aria-label={`为 ${q.taxpayerName} 选择坐席`}
                    value={choice[q.conversationId]}
                    onChange={(v: string) => setChoice((c) => ({ ...c, [q.conversationId]: v }))}
                    options={agents.map((a) => ({
                      value: a.staffId,
                      label: `${a.name}（${PRESENCE_LABELS[a.presence]}，${a.load}/${a.maxConcurrent}）`,
                    }))}
                  />
                  <Button
                    size="small"
                    type="primary"
                    loading={assigning === q.conversationId}
                    onClick={() => void assign(q.conversationId)}
                    data-testid="board-assign"
                  >
                    指派
                  </Button>
                </Flex>
              ),
            },
          ]}
        />
      </Card>
    </Flex>
  );
}
