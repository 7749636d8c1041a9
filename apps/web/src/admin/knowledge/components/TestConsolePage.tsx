import { type TTestConsoleResult, ZTestConsoleRequest } from '@zhengna/contracts';
import { Alert, Button, Card, Descriptions, Empty, Flex, Input, Table, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { SafeMarkdown } from '../../../shared/ui/SafeMarkdown.tsx';
import { testQuestion } from '../api/knowledge-api.ts';
import { adminErrorMessage } from '../handle-error.ts';
import { OUTCOME_COLORS, OUTCOME_LABELS } from '../outcome-labels.ts';

type Candidate = TTestConsoleResult['candidates'][number];
type Signal = TTestConsoleResult['signals'][number];

const QUESTION_MAX = 10_000;

/** 知识库 → 测试台: ask as a taxpayer would and see why the bot answered what it answered. */
export function TestConsolePage({ onSessionExpired }: { onSessionExpired: () => void }) {
  const [question, setQuestion] = useState('');
  const [tested, setTested] = useState<{ question: string; result: TTestConsoleResult } | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef<AbortController | null>(null);

  useEffect(() => () => inFlight.current?.abort(), []);

  const run = async () => {
    const parsed = ZTestConsoleRequest.shape.question.safeParse(question);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? '问题格式不正确');
      return;
    }
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setLoading(true);
    setError(null);
    try {
      const result = await testQuestion(parsed.data, controller.signal);
      setTested({ question: parsed.data, result });
    } catch (e) {
      if (controller.signal.aborted) return;
      setError(adminErrorMessage(e, '测试失败，请稍后再试。', onSessionExpired));
    } finally {
      if (inFlight.current === controller) {
        inFlight.current = null;
        setLoading(false);
      }
    }
  };

  return (
    <Flex vertical gap={16}>
      <Card title="向智能助理提问" size="small">
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          按纳税人的说法输入问题，查看智能助理的处理结果、候选条目的得分和命中词，以及转人工等对话信号。
        </Typography.Paragraph>
        <form
          aria-label="知识库测试"
          onSubmit={(event) => {
            event.preventDefault();
            void run();
          }}
        >
          <Flex vertical gap={24}>
            <Input.TextArea
              value={question}
              onChange={(event) => setQuestion(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
                  event.preventDefault();
                  if (!loading) void run();
                }
              }}
              placeholder="输入纳税人可能提出的问题，例如：数电发票开错了怎么红冲？（Enter 测试，Shift+Enter 换行）"
              aria-label="测试问题"
              autoSize={{ minRows: 2, maxRows: 8 }}
              maxLength={QUESTION_MAX}
              showCount
              data-testid="kb-test-input"
            />
            <Flex justify="flex-end" gap={8}>
              <Button
                onClick={() => {
                  setQuestion('');
                  setTested(null);
                  setError(null);
                }}
                disabled={loading}
              >
                清空
              </Button>
              <Button type="primary" htmlType="submit" loading={loading} data-testid="kb-test-submit">
                测试
              </Button>
            </Flex>
          </Flex>
        </form>
      </Card>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
      {tested ? <TestResult question={tested.question} result={tested.result} /> : null}
    </Flex>
  );
}

function TestResult({ question, result }: { question: string; result: TTestConsoleResult }) {
  return (
    <Flex vertical gap={16} data-testid="kb-test-result">
      <Card title="处理结果" size="small">
        <Descriptions column={{ xs: 1, md: 3 }} size="small">
          <Descriptions.Item label="结果">
            <Tag color={OUTCOME_COLORS[result.outcome]} data-testid="kb-test-outcome" data-outcome={result.outcome}>
              {OUTCOME_LABELS[result.outcome]}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label="耗时">{result.tookMs.toFixed(1)} 毫秒</Descriptions.Item>
          <Descriptions.Item label="候选数">{result.candidates.length}</Descriptions.Item>
          <Descriptions.Item label="测试问题" span="filled">
            <Typography.Text style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
              {question || '（空）'}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label="归一化词项" span="filled">
            {result.terms.length > 0 ? (
              <Flex wrap gap={4} data-testid="kb-test-terms">
                {unique(result.terms).map((term) => (
                  <Tag key={term}>{term}</Tag>
                ))}
              </Flex>
            ) : (
              <Typography.Text type="secondary">无</Typography.Text>
            )}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title="候选条目" size="small">
        <Table<Candidate>
          rowKey="entryId"
          size="small"
          pagination={false}
          dataSource={result.candidates}
          scroll={{ x: 720 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有候选条目" /> }}
          data-testid="kb-test-candidates"
          columns={[
            { title: '排名', key: 'rank', width: 60, render: (_, __, index) => index + 1 },
            { title: '条目编号', dataIndex: 'entryId', width: 130 },
            { title: '标准问题', dataIndex: 'question' },
            { title: '专题', dataIndex: 'topicId', width: 90 },
            {
              title: '得分',
              dataIndex: 'score',
              width: 90,
              align: 'right',
              render: (score: number) => score.toFixed(3),
            },
            {
              title: '命中词',
              dataIndex: 'matchedTerms',
              render: (terms: string[]) =>
                terms.length > 0 ? (
                  <Flex wrap gap={4}>
                    {unique(terms).map((term) => (
                      <Tag key={term} color="blue">
                        {term}
                      </Tag>
                    ))}
                  </Flex>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </Card>
      <Card title="回复内容" size="small">
        {result.answer ? (
          <SafeMarkdown data-testid="kb-test-answer">{result.answer}</SafeMarkdown>
        ) : (
          <Typography.Text type="secondary">（无回复内容）</Typography.Text>
        )}
      </Card>
      <Card title="对话信号" size="small">
        <Table<Signal>
          rowKey="name"
          size="small"
          pagination={false}
          dataSource={result.signals}
          locale={{ emptyText: '没有信号' }}
          data-testid="kb-test-signals"
          columns={[
            { title: '信号', dataIndex: 'name', width: 180 },
            {
              title: '是否触发',
              dataIndex: 'fired',
              width: 100,
              render: (fired: boolean) => (fired ? <Tag color="red">是</Tag> : <Tag>否</Tag>),
            },
            { title: '说明', dataIndex: 'detail' },
          ]}
        />
      </Card>
    </Flex>
  );
}

/** Terms as tags, each once. */
function unique(terms: readonly string[]): string[] {
  return [...new Set(terms)];
}
