import { Alert, Button, Empty, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import type { Load } from '../hooks/use-load.ts';

/** Loading skeleton, a Chinese error with 重试, an empty note, or the content. */
export function PanelState<T>({
  state,
  empty,
  isEmpty,
  onRetry,
  children,
}: {
  state: Load<T>;
  empty: string;
  isEmpty: (data: T) => boolean;
  onRetry: () => void;
  children: (data: T) => ReactNode;
}) {
  if (state.status === 'loading') return <Skeleton active paragraph={{ rows: 4 }} title={false} />;
  if (state.status === 'error') {
    return (
      <Alert
        type="error"
        showIcon
        title={state.message}
        action={
          <Button size="small" onClick={onRetry}>
            重试
          </Button>
        }
      />
    );
  }
  if (isEmpty(state.data)) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />;
  return <>{children(state.data)}</>;
}
