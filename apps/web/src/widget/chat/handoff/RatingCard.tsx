import { Button, Flex, Input, Rate, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';

export const RATING_LABELS = ['非常不满意', '不满意', '一般', '满意', '非常满意'] as const;
const COMMENT_MAX = 500;

interface RatingCardProps {
  onSubmit: (score: number, comment: string) => Promise<void>;
}

/** 满意度: 1–5 stars (keyboard: arrow keys), an optional comment, 提交 once. Loaded lazily (not in the first paint). */
export default function RatingCard({ onSubmit }: RatingCardProps) {
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (done) {
    return (
      <Typography.Text type="success" role="status" data-testid="rating-thanks">
        感谢您的评价！
      </Typography.Text>
    );
  }

  const submit = async () => {
    if (score < 1) {
      setError('请选择 1 到 5 分');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit(score, comment.trim());
      setDone(true);
    } catch (e) {
      setError(errorMessage(e, '评价提交失败，请稍后再试。'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section
      aria-label="满意度评价"
      data-testid="rating-card"
      style={{ border: '1px solid rgba(5,5,5,.1)', borderRadius: 8, padding: 12, background: '#fff' }}
    >
      <Flex vertical gap={8}>
        <Typography.Text strong>本次服务已结束，请对本次服务进行满意度评价</Typography.Text>
        <Flex align="center" gap={8} wrap>
          <Rate
            {...{ role: 'radiogroup' }}
            value={score}
            onChange={(v) => {
              setScore(v);
              setError(null);
            }}
            tooltips={[...RATING_LABELS]}
            aria-label="满意度评分"
            data-testid="rating-stars"
          />
          <Typography.Text type="secondary" data-testid="rating-label">
            {score > 0 ? RATING_LABELS[score - 1] : '请选择评分'}
          </Typography.Text>
        </Flex>
        <Input.TextArea
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          maxLength={COMMENT_MAX}
          autoSize={{ minRows: 2, maxRows: 4 }}
          placeholder="您的意见或建议（选填）"
          aria-label="评价内容（选填）"
          data-testid="rating-comment"
        />
        {error && (
          <Typography.Text type="danger" role="alert" data-testid="rating-error">
            {error}
          </Typography.Text>
        )}
        <Button
          type="primary"
          onClick={submit}
          loading={busy}
          data-testid="rating-submit"
          style={{ alignSelf: 'flex-start' }}
        >
          提交
        </Button>
      </Flex>
    </section>
  );
}
