import { lazy, Suspense } from 'react';

const loadMarkdown = () => import('../../../shared/ui/SafeMarkdown.tsx');
const SafeMarkdown = lazy(async () => ({ default: (await loadMarkdown()).SafeMarkdown }));

/** Starts loading the Markdown renderer (called once the chat has painted, so answers render without a flash). */
export function preloadMarkdown(): void {
  void loadMarkdown().catch(() => {});
}

/**
 * SafeMarkdown loaded on demand: the parser is a fifth of the widget's JavaScript and not needed for the first paint.
 * Until it arrives the text is shown as plain text (React escapes it, so this is as safe).
 */
export function Markdown({ children, 'data-testid': testId }: { children: string; 'data-testid'?: string }) {
  return (
    <Suspense
      fallback={
        <div className="zn-markdown" style={{ whiteSpace: 'pre-wrap' }} data-testid={testId}>
          {children}
        </div>
      }
    >
      <SafeMarkdown data-testid={testId}>{children}</SafeMarkdown>
    </Suspense>
  );
}
