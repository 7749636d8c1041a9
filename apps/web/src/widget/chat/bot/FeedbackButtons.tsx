import { Button, Flex, Typography, theme } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { useBotActions } from './bot-actions.ts';

/** 有用 / 没用 under an answer: one choice per answer; both buttons are disabled once it is recorded. */
export function FeedbackButtons({ messageId }: { messageId: string }) {
  const actions = useBotActions();
  const { token } = theme.useToken();
  const [choice, setChoice] = useState<boolean | null>(null);
  const [pending, setPending] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const locked = choice !== null || pending !== null;

  const choose = async (helpful: boolean) => {
    if (locked) return;
    setPending(helpful);
    setError(null);
    try {
      await actions.sendFeedback(messageId, helpful);
      setChoice(helpful);
    } catch (e) {
      setError(errorMessage(e, '反馈提交失败，请稍后再试。'));
    } finally {
      setPending(null);
    }
  };

  const chosenStyle = { color: token.colorPrimary, borderColor: token.colorPrimary, background: token.colorPrimaryBg };
  const button = (helpful: boolean, label: string, testId: string) => (
    <Button
      size="small"
      onClick={() => void choose(helpful)}
      disabled={locked}
      aria-pressed={choice === helpful}
      style={choice === helpful ? chosenStyle : undefined}
      data-testid={testId}
    >
      {label}
    </Button>
  );

  return (
    <Flex align="center" gap={6} wrap role="group" aria-label="这个回答对您有帮助吗">
      {button(true, '有用', 'feedback-helpful')}
      {button(false, '没用', 'feedback-unhelpful')}
      <span role="status" style={{ fontSize: 12 }}>
        {choice !== null && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="feedback-choice">
            已反馈：{choice ? '有用' : '没用'}
          </Typography.Text>
        )}
        {error && (
          <Typography.Text type="danger" style={{ fontSize: 12 }}>
            {error}
          </Typography.Text>
        )}
      </span>
    </Flex>
  );
}
