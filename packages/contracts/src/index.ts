/**
 * @module @zhengna/contracts
 * The single source of truth for every REST body and socket event: the server validates with these schemas and the
 * clients parse with them.
 *
 * @example
 * import { ZSendMessage } from '@zhengna/contracts';
 * const payload = ZSendMessage.parse({ conversationId, clientId: crypto.randomUUID(), body: '你好' });
 */
export * from './analytics.ts';
export * from './appointments.ts';
export * from './assistant.ts';
export * from './audit.ts';
export * from './calls.ts';
export * from './cases.ts';
export * from './conversation.ts';
export * from './errors.ts';
export * from './identity.ts';
export * from './knowledge-admin.ts';
export * from './mask.ts';
export * from './organization.ts';
export * from './panels.ts';
export * from './realtime.ts';
export * from './settings.ts';
export * from './speech.ts';
export * from './workspace.ts';
