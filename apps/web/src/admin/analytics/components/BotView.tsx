import { Col, Row } from 'antd';
import { formatRate } from '../analytics-format.ts';
import type { AnalyticsOf } from '../api/analytics-api.ts';
import { botDailyChart, botFeedbackChart } from '../charts/bot-charts.ts';
import { AnalyticsChart } from './AnalyticsChart.tsx';
import { Figures } from './Figures.tsx';
import { FigureTable } from './FigureTable.tsx';

/** 智能问答: conversations and the bot's replies by day, 有用 / 没用, the top and problem questions. */
export function BotView({ a }: { a: AnalyticsOf<'bot'> }) {
  const t = a.totals;
  return (
    <>
      <Figures
        items={[
          { title: '会话数', value: t.conversations },
          { title: '回答率', value: formatRate(t.answeredRate) },
          { title: '澄清率', value: formatRate(t.clarifiedRate) },
          { title: '未回答率', value: formatRate(t.noAnswerRate) },
          { title: '有用 / 没用', value: `${t.helpful} / ${t.unhelpful}` },
          { title: '有用率', value: formatRate(t.helpfulRate) },
        ]}
      />
      <FigureTable
        heading="按日"
        chart={
          <Row gutter={16}>
            <Col xs={24} lg={16}>
              <AnalyticsChart chart={botDailyChart} figures={a} />
            </Col>
            <Col xs={24} lg={8}>
              <AnalyticsChart chart={botFeedbackChart} figures={a} />
            </Col>
          </Row>
        }
        rowKey="date"
        dataSource={a.days}
        columns={[
          { title: '日期', dataIndex: 'date' },
          { title: '会话数', dataIndex: 'conversations' },
          { title: '已回答', dataIndex: 'answered' },
          { title: '澄清', dataIndex: 'clarified' },
          { title: '未找到答案', dataIndex: 'noAnswer' },
          { title: '有用', dataIndex: 'helpful' },
          { title: '没用', dataIndex: 'unhelpful' },
        ]}
        scroll={{ y: 360 }}
      />
      <Row gutter={16}>
        <Col xs={24} lg={8}>
          <FigureTable
            heading="热门问题"
            rowKey="entryId"
            dataSource={a.topQuestions}
            columns={[
              { title: '问题', dataIndex: 'question' },
              { title: '次数', dataIndex: 'count', width: 80 },
            ]}
          />
        </Col>
        <Col xs={24} lg={8}>
          <FigureTable
            heading="热门未回答问题"
            rowKey="question"
            dataSource={a.topUnanswered}
            columns={[
              { title: '问题', dataIndex: 'question' },
              { title: '次数', dataIndex: 'count', width: 80 },
            ]}
          />
        </Col>
        <Col xs={24} lg={8}>
          <FigureTable
            heading="问题条目（多次没用）"
            rowKey="entryId"
            dataSource={a.problemEntries}
            columns={[
              { title: '条目', dataIndex: 'question' },
              { title: '有用', dataIndex: 'helpful', width: 64 },
              { title: '没用', dataIndex: 'unhelpful', width: 64 },
            ]}
          />
        </Col>
      </Row>
    </>
  );
}
