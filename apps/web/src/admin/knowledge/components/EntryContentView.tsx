import { TAXPAYER_TYPE_LABELS, type TEntryContent } from '@zhengna/contracts';
import { Descriptions, Typography } from 'antd';

const list = (values: readonly string[], empty = '无') => (values.length > 0 ? values.join('、') : empty);

/** An entry's content to read (a revision in 变更历史, the published content beside a draft); plain text. */
export function EntryContentView({ content, topicName }: { content: TEntryContent; topicName?: string }) {
  return (
    <Descriptions
      column={1}
      size="small"
      bordered
      styles={{ label: { width: 120, whiteSpace: 'nowrap' } }}
      items={[
        { key: 'topic', label: '专题', children: topicName ?? content.topic },
        { key: 'question', label: '标准问题', children: content.question },
        {
          key: 'similar',
          label: '相似问题',
          children:
            content.similar.length > 0 ? (
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {content.similar.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            ) : (
              '无'
            ),
        },
        {
          key: 'answer',
          label: '答案',
          children: (
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', margin: 0 }}>
              {content.answer}
            </Typography.Paragraph>
          ),
        },
        { key: 'documents', label: '相关文档', children: list(content.documents) },
        {
          key: 'audience',
          label: '适用纳税人类型',
          children: list(
            content.audience.taxpayerTypes.map((t) => TAXPAYER_TYPE_LABELS[t]),
            '全部',
          ),
        },
        { key: 'industries', label: '行业', children: list(content.audience.industries, '全部') },
        { key: 'regions', label: '地区', children: list(content.audience.regions, '全部') },
        { key: 'keywords', label: '关键词', children: list(content.keywords) },
      ]}
    />
  );
}
