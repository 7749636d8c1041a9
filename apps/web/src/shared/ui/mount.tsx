import { type ReactNode, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

/** Renders a face into #root. */
export function mount(node: ReactNode): void {
  const element = document.getElementById('root');
  if (!element) throw new Error('#root missing');
  createRoot(element).render(<StrictMode>{node}</StrictMode>);
}
