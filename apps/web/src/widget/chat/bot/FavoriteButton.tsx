import { Button, Flex, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import type { TFavoriteKind } from '../../session/chat-api.ts';
import { useBotActions } from './bot-actions.ts';

interface FavoriteButtonProps {
  kind: TFavoriteKind;
  refId: string;
  testId: string;
}

/** 收藏 → 已收藏 (an answer or a document, into 我的收藏). */
export function FavoriteButton({ kind, refId, testId }: FavoriteButtonProps) {
  const actions = useBotActions();
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<string | null>(null);

  const save = async () => {
    if (state !== 'idle') return;
    setState('saving');
    setError(null);
    try {
      await actions.addFavorite(kind, refId);
      setState('saved');
    } catch (e) {
      setState('idle');
      setError(errorMessage(e, '收藏失败，请稍后再试。'));
    }
  };

  return (
    <Flex align="center" gap={6} wrap>
      <Button
        size="small"
        onClick={() => void save()}
        disabled={state === 'saved'}
        data-testid={testId}
        data-state={state}
      >
        {state === 'saved' ? '已收藏' : '收藏'}
      </Button>
      {error && (
        <Typography.Text type="danger" style={{ fontSize: 12 }} role="alert">
          {error}
        </Typography.Text>
      )}
    </Flex>
  );
}
