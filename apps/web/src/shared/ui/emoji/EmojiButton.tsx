import { SmileOutlined } from '@ant-design/icons';
import { Button, Popover, Spin } from 'antd';
import { lazy, Suspense, useState } from 'react';

const EmojiGrid = lazy(() => import('./EmojiGrid.tsx'));

/** 表情: opens the emoji grid (loaded on first use) and hands the chosen one to the input. */
export function EmojiButton({ disabled, onPick }: { disabled?: boolean; onPick: (emoji: string) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      placement="topLeft"
      // Always some content: antd never opens a popover without any. The grid's code loads on first open.
      content={
        <Suspense fallback={<Spin size="small" />}>
          <EmojiGrid
            onPick={(emoji) => {
              onPick(emoji);
              setOpen(false);
            }}
          />
        </Suspense>
      }
    >
      <Button
        type="text"
        size="small"
        icon={<SmileOutlined />}
        aria-label="表情"
        title="表情"
        aria-haspopup="true"
        aria-expanded={open}
        disabled={disabled}
        data-testid="emoji-button"
      />
    </Popover>
  );
}
