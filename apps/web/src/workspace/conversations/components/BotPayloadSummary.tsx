import type { TMessagePayload } from '@zhengna/contracts';
import { Flex, Tag, Typography } from 'antd';

/**
 * What the agent needs to know about an assistant message beyond its text: which entry answered, which choices
 * were offered, that nothing was found. Read-only: the agent cannot click the taxpayer's choices.
 */
export function BotPayloadSummary({ payload }: { payload: TMessagePayload }) {
  switch (payload.kind) {
    case 'answer':
      return (
        <Flex vertical gap={2} style={{ marginTop: 6 }} data-testid="bot-payload-summary">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            <Tag color="green">直接回答</Tag>
            命中条目 {payload.entryId}：{payload.question}
          </Typography.Text>
          {payload.documents.length > 0 && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              相关文件：{payload.documents.map((d) => d.title).join('；')}
            </Typography.Text>
          )}
        </Flex>
      );
    case 'clarify':
      return (
        <div style={{ marginTop: 6 }} data-testid="bot-payload-summary">
          <Tag color="blue">澄清追问</Tag>
          <ol style={{ margin: '4px 0 0', paddingLeft: '1.5em', fontSize: 12 }}>
            {payload.candidates.map((c) => (
              <li key={c.entryId}>
                {c.question}（{c.entryId}）
              </li>
            ))}
          </ol>
        </div>
      );
    case 'no_answer':
      return (
        <div style={{ marginTop: 6 }} data-testid="bot-payload-summary">
          <Tag color="red">未找到答案</Tag>
        </div>
      );
    default:
      return null;
  }
}
