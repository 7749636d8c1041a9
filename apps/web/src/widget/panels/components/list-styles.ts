import type { CSSProperties } from 'react';

/** A full-width, left-aligned, wrapping button for a list row. */
export const ROW_BUTTON: CSSProperties = {
  height: 'auto',
  whiteSpace: 'normal',
  textAlign: 'left',
  justifyContent: 'flex-start',
  padding: '6px 8px',
};

export const LIST: CSSProperties = { listStyle: 'none', margin: 0, padding: 0 };

export const SECTION_TITLE: CSSProperties = { fontSize: 13, margin: '8px 0 4px' };
