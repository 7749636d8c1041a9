import type { TFavorite } from '@zhengna/contracts';
import { createContext, useContext } from 'react';
import type { TDocumentDetail, TFavoriteKind } from '../../session/chat-api.ts';

/** What the assistant's messages can do: send on the taxpayer's behalf and call the chat API (authenticated). */
export interface BotActions {
  /** False while offline or once the conversation is closed: choices are then shown but disabled. */
  readonly canSend: boolean;
  /** Sends a normal taxpayer message (the same path as the input box). */
  send(text: string): void;
  /** 转人工: asks the server for a human (reason 'button'). */
  handoff(): void;
  /** 满意度 for a closed conversation. */
  rate(conversationId: string, score: number, comment: string): Promise<void>;
  sendFeedback(messageId: string, helpful: boolean): Promise<void>;
  addFavorite(kind: TFavoriteKind, refId: string): Promise<TFavorite>;
  fetchDocument(documentId: string): Promise<TDocumentDetail>;
  /** 留言 / 预约: offered only when the feature is on (shared/config/features.ts) and a handler is given. */
  startInquiry?: () => void;
  startAppointment?: () => void;
}

export const BotActionsContext = createContext<BotActions | null>(null);

export function useBotActions(): BotActions {
  const actions = useContext(BotActionsContext);
  if (!actions) throw new Error('BotActionsContext missing: wrap the message list in <BotActionsContext value={…}>');
  return actions;
}
