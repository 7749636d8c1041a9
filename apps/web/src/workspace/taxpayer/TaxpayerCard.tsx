import { HANDOFF_REASON_LABELS, TAXPAYER_TYPE_LABELS, type TTaxpayerCard } from '@zhengna/contracts';
import { Alert, Button, Descriptions, Empty, List, Rate, Spin, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../shared/api/api-error.ts';
import { formatFullTime } from '../../shared/ui/format-time.ts';
import { fetchTaxpayerCard, revealPhone } from '../conversations/api/workspace-api.ts';
import { maskTaxpayerNo } from './mask.ts';

/** 纳税人信息: who the agent is talking to, where they came from, and their earlier conversations. */
export function TaxpayerCard({ conversationId }: { conversationId: string }) {
  const [card, setCard] = useState<TTaxpayerCard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reveal, setReveal] = useState(false);
  /** The full phone number once asked for (each reveal is on the audit record), or why it was refused. */
  const [phone, setPhone] = useState<{ full?: string; error?: string; loading?: boolean }>({});

  useEffect(() => {
    let cancelled = false;
    setCard(null);
    setError(null);
    setReveal(false);
    setPhone({});
    fetchTaxpayerCard(conversationId).then(
      (c) => !cancelled && setCard(c),
      (e: unknown) => !cancelled && setError(errorMessage(e, '纳税人信息加载失败。')),
    );
    return () => {
      cancelled = true;
    };
  }, [conversationId]);

  if (error) return <Alert type="error" title={error} style={{ margin: 12 }} />;
  if (!card) return <Spin style={{ display: 'block', margin: '40px auto' }} description="加载纳税人信息…" />;
  const p = card.profile;
  return (
    <section aria-label="纳税人信息" data-testid="taxpayer-card" style={{ padding: 12 }}>
      <Typography.Title level={2} style={{ fontSize: 15, marginTop: 0 }}>
        纳税人信息
      </Typography.Title>
      <Descriptions column={1} size="small" colon={false} styles={{ label: { width: 84 } }}>
        <Descriptions.Item label="纳税人名称">
          <span data-testid="card-name">{p.name}</span>
        </Descriptions.Item>
        <Descriptions.Item label="纳税人识别号">
          <span data-testid="card-taxpayer-no">{reveal ? p.taxpayerNo : maskTaxpayerNo(p.taxpayerNo)}</span>
          <Button
            type="link"
            size="small"
            onClick={() => setReveal((r) => !r)}
            aria-pressed={reveal}
            data-testid="card-reveal"
          >
            {reveal ? '隐藏' : '显示'}
          </Button>
        </Descriptions.Item>
        <Descriptions.Item label="联系人">
          {card.personName} <span data-testid="card-phone">{phone.full ?? card.phone}</span>
          {card.phone && !phone.full && (
            <Button
              type="link"
              size="small"
              loading={phone.loading}
              aria-label="显示完整手机号码"
              onClick={() => {
                setPhone({ loading: true });
                revealPhone(conversationId).then(
                  (full) => setPhone({ full }),
                  (e: unknown) => setPhone({ error: errorMessage(e, '无法显示完整号码。') }),
                );
              }}
              data-testid="card-reveal-phone"
            >
              显示号码
            </Button>
          )}
          {phone.error && (
            <Typography.Text type="danger" role="alert" style={{ display: 'block', fontSize: 12 }}>
              {phone.error}
            </Typography.Text>
          )}
        </Descriptions.Item>
        <Descriptions.Item label="纳税人类型">{TAXPAYER_TYPE_LABELS[p.type]}</Descriptions.Item>
        <Descriptions.Item label="行业">{p.industry}</Descriptions.Item>
        <Descriptions.Item label="主管税务机关">{p.taxOfficeName}</Descriptions.Item>
        <Descriptions.Item label="纳税信用等级">
          <Tag color="blue">{p.creditGrade}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label="来源页面">
          <span data-testid="card-page">{card.page ?? '未知'}</span>
        </Descriptions.Item>
        <Descriptions.Item label="转人工原因">
          {card.handoffReason ? (
            <Tag color="orange" data-testid="card-handoff-reason">
              {HANDOFF_REASON_LABELS[card.handoffReason]}
            </Tag>
          ) : (
            '—'
          )}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Title level={3} style={{ fontSize: 14 }}>
        历史会话
      </Typography.Title>
      {card.earlier.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无历史会话" />
      ) : (
        <List
          size="small"
          data-testid="card-earlier"
          dataSource={card.earlier}
          renderItem={(c) => (
            <List.Item key={c.conversationId}>
              <Typography.Text style={{ fontSize: 12 }}>
                <time dateTime={c.createdAt}>{formatFullTime(c.createdAt)}</time>
                {c.closedAt ? '' : '（进行中）'}
              </Typography.Text>
              {c.rating ? (
                <Rate disabled value={c.rating} style={{ fontSize: 12 }} aria-label={`满意度 ${c.rating} 分`} />
              ) : (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  未评价
                </Typography.Text>
              )}
            </List.Item>
          )}
        />
      )}
    </section>
  );
}
