import { type KeyboardEvent, useRef } from 'react';
import { EMOJIS } from './emoji-list.ts';

const COLUMNS = 8;

/** The 表情 grid: buttons named in Chinese, arrow keys move between them. Default export for React.lazy. */
export default function EmojiGrid({ onPick }: { onPick: (emoji: string) => void }) {
  const grid = useRef<HTMLFieldSetElement>(null);
  const move = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const delta = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS }[event.key];
    if (!delta) return;
    event.preventDefault();
    const next = Math.min(EMOJIS.length - 1, Math.max(0, index + delta));
    grid.current?.querySelectorAll('button')[next]?.focus();
  };
  return (
    <fieldset
      ref={grid}
      aria-label="选择表情"
      data-testid="emoji-grid"
      style={{
        display: 'grid',
        gridTemplateColumns: `repeat(${COLUMNS}, 32px)`,
        gap: 2,
        maxWidth: '80vw',
        border: 0,
        margin: 0,
        padding: 0,
      }}
    >
      {EMOJIS.map(([emoji, name], index) => (
        <button
          key={emoji}
          type="button"
          className="zn-emoji"
          aria-label={name}
          title={name}
          onClick={() => onPick(emoji)}
          onKeyDown={(event) => move(event, index)}
        >
          {emoji}
        </button>
      ))}
    </fieldset>
  );
}
