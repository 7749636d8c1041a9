/**
 * @module conversation
 * Conversations and their messages. A message is identified twice: by the sender's client-generated id (so a resend
 * is idempotent) and by its per-conversation sequence number (so a client knows exactly what it has missed).
 */
import { z } from 'zod';
import { ZMessagePayload } from './assistant.ts';
import { ZTaxpayerProfile } from './identity.ts';

export const MESSAGE_MAX_CHARS = 5000;

export const ZSenderType = z.enum(['taxpayer', 'agent', 'bot', 'system']);
export type TSenderType = z.infer<typeof ZSenderType>;

/** Client-generated message id: a UUID (crypto.randomUUID()) or any 8–64 safe characters. */
export const ZClientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '消息编号格式不正确');

export const ZMessageBody = z
  .string()
  .max(MESSAGE_MAX_CHARS, `消息不能超过 ${MESSAGE_MAX_CHARS} 字，请分段发送`)
  .refine((s) => s.trim().length > 0, '不能发送空白消息');

export const ZAttachment = z.object({
  id: z.uuid(),
  fileName: z.string(),
  mime: z.string(),
  size: z.number().int(),
  url: z.string(),
});
export type TAttachment = z.infer<typeof ZAttachment>;

export const ZMessage = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  seq: z.number().int().positive(),
  clientId: z.string().nullable(),
  senderType: ZSenderType,
  senderId: z.string().nullable(),
  senderName: z.string(),
  body: z.string(),
  attachments: z.array(ZAttachment),
  /** A staff-only note (never sent to the taxpayer). */
  private: z.boolean(),
  /** Structured content beside the text: the bot's answers, choices and notices. */
  payload: ZMessagePayload.nullable(),
  createdAt: z.iso.datetime(),
});
export type TMessage = z.infer<typeof ZMessage>;

export const ZConversationStatus = z.enum(['open', 'closed']);

export const ZConversation = z.object({
  id: z.uuid(),
  status: ZConversationStatus,
  /** The agent who holds it (null while the bot or the queue has it). */
  assigneeStaffId: z.uuid().nullable(),
  /** Waiting for a human since (null when not queued). */
  queuedAt: z.iso.datetime().nullable(),
  lastSeq: z.number().int().nonnegative(),
  createdAt: z.iso.datetime(),
  lastMessageAt: z.iso.datetime().nullable(),
});
export type TConversation = z.infer<typeof ZConversation>;

/** What the workspace lists: the conversation, who it is with, and its last message. */
export const ZConversationSummary = ZConversation.extend({
  taxpayer: ZTaxpayerProfile.pick({ taxpayerId: true, taxpayerNo: true, name: true, type: true, taxOfficeName: true }),
  personName: z.string(),
  lastMessage: ZMessage.nullable(),
});
export type TConversationSummary = z.infer<typeof ZConversationSummary>;

export const ZMessagePageQuery = z.object({
  /** Return messages with seq < beforeSeq (older page); omit for the newest page. */
  beforeSeq: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export const ZMessagePage = z.object({ messages: z.array(ZMessage), hasMore: z.boolean() });
export type TMessagePage = z.infer<typeof ZMessagePage>;

export const ZConversationWithPage = z.object({ conversation: ZConversation, page: ZMessagePage });

/** `:id` path parameters. */
export const ZUuidParam = z.object({ id: z.uuid('编号格式不正确') });
