import type { TDocumentRef, TFavorite } from '@zhengna/contracts';
import { Button, Flex, Tag, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { fetchFavorites, removeFavorite } from '../api/panels-api.ts';
import { useLoad } from '../hooks/use-load.ts';
import { usePanelServices } from '../panel-services.ts';
import { LIST, ROW_BUTTON } from './list-styles.ts';
import { PanelState } from './PanelState.tsx';

const DocumentDetailModal = lazy(() => import('../../chat/bot/DocumentDetailModal.tsx'));

/** 我的收藏 (2.5): starred answers (asked again on click) and documents (detail on click); 取消收藏 removes. */
export function FavoritesPanel() {
  const services = usePanelServices();
  const { state, set, reload } = useLoad(() => services.withAuth(fetchFavorites), '我的收藏加载失败，请稍后再试。');
  const [document, setDocument] = useState<TDocumentRef | null>(null);
  const [error, setError] = useState<string | null>(null);

  const open = (favorite: TFavorite) => {
    if (favorite.kind === 'entry') services.ask(favorite.title);
    else
      setDocument({
        id: favorite.refId,
        title: favorite.title,
        kind: '',
        issuer: '',
        number: '',
        year: null,
        summary: '',
      });
  };

  const remove = async (favorite: TFavorite) => {
    setError(null);
    try {
      await services.withAuth((t) => removeFavorite(t, favorite.id));
      if (state.status === 'ready') set(state.data.filter((f) => f.id !== favorite.id));
    } catch (e) {
      setError(errorMessage(e, '取消收藏失败，请稍后再试。'));
    }
  };

  return (
    <PanelState
      state={state}
      empty="还没有收藏。在回答或文件下点击“收藏”即可保存到这里。"
      isEmpty={(d) => d.length === 0}
      onRetry={reload}
    >
      {(favorites) => (
        <>
          {error && (
            <Typography.Text type="danger" role="alert" style={{ display: 'block' }}>
              {error}
            </Typography.Text>
          )}
          <ul style={LIST} data-testid="favorites-list">
            {favorites.map((favorite) => (
              <li key={favorite.id} data-testid="favorite-item" data-kind={favorite.kind}>
                <Flex align="center" gap={4}>
                  <Button
                    type="text"
                    block
                    style={{ ...ROW_BUTTON, flex: 1, minWidth: 0 }}
                    onClick={() => open(favorite)}
                    disabled={favorite.kind === 'entry' && !services.canSend}
                    aria-haspopup={favorite.kind === 'document' ? 'dialog' : undefined}
                    data-testid="favorite-open"
                  >
                    <span>
                      <Tag color={favorite.kind === 'entry' ? 'blue' : 'purple'}>
                        {favorite.kind === 'entry' ? '问答' : '文件'}
                      </Tag>
                      {favorite.title}
                    </span>
                  </Button>
                  <Button
                    size="small"
                    type="text"
                    danger
                    onClick={() => void remove(favorite)}
                    aria-label={`取消收藏：${favorite.title}`}
                    data-testid="favorite-remove"
                  >
                    取消收藏
                  </Button>
                </Flex>
              </li>
            ))}
          </ul>
          {document && (
            <Suspense fallback={null}>
              <DocumentDetailModal document={document} onClose={() => setDocument(null)} />
            </Suspense>
          )}
        </>
      )}
    </PanelState>
  );
}
