import type { TMessage, TShortcut } from '@zhengna/contracts';
import { createContext, useContext } from 'react';
import type { InboxEvent } from '../../shared/realtime/realtime-client.ts';
import type { PortalPage } from '../host/host-bridge.ts';

/** What the panels need from the chat around them. */
export interface PanelServices {
  readonly conversationId: string;
  readonly page: PortalPage;
  readonly canSend: boolean;
  withAuth<T>(call: (accessToken: string) => Promise<T>): Promise<T>;
  /** Sends a taxpayer message (a recommended question, a favourite's title …) and shows the conversation. */
  ask(text: string): void;
  /** A bot message returned by an HTTP call (问答套餐 start): shown at once, even before its push arrives. */
  showMessage(message: TMessage): void;
  /** Closes the panel so the conversation is visible again. */
  close(): void;
  openShortcut(shortcut: TShortcut): void;
  readonly unread: number;
  setUnread(unread: number): void;
  onInbox(listener: (event: InboxEvent) => void): () => void;
}

export const PanelServicesContext = createContext<PanelServices | null>(null);

export function usePanelServices(): PanelServices {
  const services = useContext(PanelServicesContext);
  if (!services) throw new Error('PanelServicesContext missing');
  return services;
}
