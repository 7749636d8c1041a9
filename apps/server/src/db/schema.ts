/**
 * The one database schema (drizzle pg-core), shared by PGlite (embedded) and PostgreSQL (distributed).
 * Migrations are generated from it with `npm run db:generate` into ./migrations and applied on start.
 */
import type { TMessagePayload } from '@zhengna/contracts';
import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** Key/value settings, including generated secrets shared by every node. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  /** Bumped on every change; an update names the version it was based on. */
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const taxOffices = pgTable('tax_offices', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  parentId: text('parent_id'),
});

/** An enterprise or a natural person registered for tax. */
export const taxpayers = pgTable('taxpayers', {
  id: uuid('id').primaryKey().defaultRandom(),
  taxpayerNo: text('taxpayer_no').notNull().unique(),
  name: text('name').notNull(),
  type: text('type', { enum: ['general', 'small_scale', 'individual'] }).notNull(),
  industry: text('industry').notNull(),
  region: text('region').notNull(),
  taxOfficeId: text('tax_office_id')
    .notNull()
    .references(() => taxOffices.id),
  creditGrade: text('credit_grade').notNull().default('B'),
  createdAt: createdAt(),
});

/** A person who logs in to the portal; acts for one or more taxpayers. */
export const portalUsers = pgTable('portal_users', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  phone: text('phone').notNull(),
  idNumber: text('id_number').notNull(),
  passwordHash: text('password_hash').notNull(),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
  createdAt: createdAt(),
});

export const portalUserTaxpayers = pgTable(
  'portal_user_taxpayers',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => portalUsers.id, { onDelete: 'cascade' }),
    taxpayerId: uuid('taxpayer_id')
      .notNull()
      .references(() => taxpayers.id, { onDelete: 'cascade' }),
    role: text('role').notNull().default('办税员'),
  },
  (t) => [primaryKey({ columns: [t.userId, t.taxpayerId] }), index('put_taxpayer_idx').on(t.taxpayerId)],
);

export const staff = pgTable('staff', {
  id: uuid('id').primaryKey().defaultRandom(),
  username: text('username').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: ['agent', 'supervisor', 'admin'] }).notNull(),
  taxOfficeId: text('tax_office_id')
    .notNull()
    .references(() => taxOffices.id),
  passwordHash: text('password_hash').notNull(),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
  active: boolean('active').notNull().default(true),
  /** 在线 / 忙碌 / 离开: only 在线 agents receive new conversations. */
  presence: text('presence', { enum: ['online', 'busy', 'away'] })
    .notNull()
    .default('away'),
  /** How many open conversations the agent may hold at once. */
  maxConcurrent: integer('max_concurrent').notNull().default(5),
  lastAssignedAt: timestamp('last_assigned_at', { withTimezone: true }),
  createdAt: createdAt(),
});

/**
 * Server-side sessions. The client holds a random secret; we store only its SHA-256, so a database leak does not
 * leak live sessions. `kind` separates the portal cookie, the chat bearer and the staff cookie.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    kind: text('kind', { enum: ['portal', 'chat', 'staff'] }).notNull(),
    portalUserId: uuid('portal_user_id').references(() => portalUsers.id, { onDelete: 'cascade' }),
    taxpayerId: uuid('taxpayer_id').references(() => taxpayers.id, { onDelete: 'cascade' }),
    staffId: uuid('staff_id').references(() => staff.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('sessions_portal_user_idx').on(t.portalUserId), index('sessions_staff_idx').on(t.staffId)],
);

/** Ids of single sign-on tokens already exchanged: a token works once. */
export const usedSsoTokens = pgTable('used_sso_tokens', {
  jti: text('jti').primaryKey(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    taxpayerId: uuid('taxpayer_id')
      .notNull()
      .references(() => taxpayers.id),
    portalUserId: uuid('portal_user_id')
      .notNull()
      .references(() => portalUsers.id),
    status: text('status', { enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    assigneeStaffId: uuid('assignee_staff_id').references(() => staff.id),
    lastSeq: integer('last_seq').notNull().default(0),
    /** The bot's dialogue state (previous turn, streaks) so any node can take the next turn. */
    botState: jsonb('bot_state'),
    handoffRequestedAt: timestamp('handoff_requested_at', { withTimezone: true }),
    handoffReason: text('handoff_reason'),
    /** Waiting for a human in this skill group's queue since queuedAt (cleared when assigned or left). */
    queueGroupId: text('queue_group_id'),
    /** The portal page the chat was opened from (home, account, invoice …). */
    entryPage: text('entry_page'),
    queuedAt: timestamp('queued_at', { withTimezone: true }),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    createdAt: createdAt(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    index('conversations_owner_idx').on(t.portalUserId, t.taxpayerId),
    // one open conversation per person and enterprise
    uniqueIndex('conversations_one_open_idx').on(t.portalUserId, t.taxpayerId).where(sql`status = 'open'`),
    index('conversations_activity_idx').on(t.lastMessageAt),
    index('conversations_queue_idx').on(t.queueGroupId, t.queuedAt),
    index('conversations_assignee_idx').on(t.assigneeStaffId, t.status),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    seq: integer('seq').notNull(),
    clientId: text('client_id'),
    senderType: text('sender_type', { enum: ['taxpayer', 'agent', 'bot', 'system'] }).notNull(),
    senderId: text('sender_id'),
    senderName: text('sender_name').notNull(),
    body: text('body').notNull(),
    attachmentIds: jsonb('attachment_ids').$type<string[]>().notNull().default([]),
    payload: jsonb('payload').$type<TMessagePayload>(),
    /** A staff-only note: never delivered to or read by the taxpayer. */
    private: boolean('private').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('messages_seq_idx').on(t.conversationId, t.seq),
    // a resend with the same client id by the same sender is the same message
    uniqueIndex('messages_client_id_idx').on(t.conversationId, t.senderType, t.senderId, t.clientId),
  ],
);

export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    uploaderType: text('uploader_type', { enum: ['taxpayer', 'agent'] }).notNull(),
    uploaderId: text('uploader_id').notNull(),
    storageKey: text('storage_key').notNull().unique(),
    fileName: text('file_name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('attachments_conversation_idx').on(t.conversationId)],
);

// ── knowledge ─────────────────────────────────────────────────────────

export const kbTopics = pgTable('kb_topics', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const kbDocuments = pgTable('kb_documents', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  kind: text('kind').notNull(),
  issuer: text('issuer').notNull().default(''),
  number: text('number').notNull().default(''),
  year: integer('year'),
  summary: text('summary').notNull().default(''),
  topics: jsonb('topics').$type<string[]>().notNull().default([]),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type Audience = {
  taxpayerTypes: ('general' | 'small_scale' | 'individual')[];
  industries: string[];
  regions: string[];
};

export const kbEntries = pgTable(
  'kb_entries',
  {
    id: text('id').primaryKey(),
    topicId: text('topic_id')
      .notNull()
      .references(() => kbTopics.id),
    question: text('question').notNull(),
    similar: jsonb('similar').$type<string[]>().notNull().default([]),
    answer: text('answer').notNull(),
    documents: jsonb('documents').$type<string[]>().notNull().default([]),
    audience: jsonb('audience').$type<Audience>().notNull(),
    keywords: jsonb('keywords').$type<string[]>().notNull().default([]),
    status: text('status', { enum: ['draft', 'published'] })
      .notNull()
      .default('published'),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('kb_entries_topic_idx').on(t.topicId)],
);

/** Domain synonym groups; the first term of a group is its canonical form. */
export const kbSynonyms = pgTable('kb_synonyms', {
  id: uuid('id').primaryKey().defaultRandom(),
  terms: jsonb('terms').$type<string[]>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const kbStopWords = pgTable('kb_stop_words', { word: text('word').primaryKey() });

/** How often each entry was answered or clicked (ranks 问答套餐, feeds 热点推荐). */
export const kbHits = pgTable('kb_hits', {
  entryId: text('entry_id').primaryKey(),
  count: integer('count').notNull().default(0),
  lastAt: timestamp('last_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Questions the bot could not answer, grouped by their normalised text, for curators. */
export const kbUnanswered = pgTable('kb_unanswered', {
  id: uuid('id').primaryKey().defaultRandom(),
  normalized: text('normalized').notNull().unique(),
  question: text('question').notNull(),
  count: integer('count').notNull().default(1),
  lastAskedAt: timestamp('last_asked_at', { withTimezone: true }).notNull().defaultNow(),
});

export const botFeedback = pgTable('bot_feedback', {
  messageId: uuid('message_id')
    .primaryKey()
    .references(() => messages.id),
  entryId: text('entry_id').notNull(),
  helpful: boolean('helpful').notNull(),
  createdAt: createdAt(),
});

export const favorites = pgTable(
  'favorites',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    portalUserId: uuid('portal_user_id')
      .notNull()
      .references(() => portalUsers.id, { onDelete: 'cascade' }),
    taxpayerId: uuid('taxpayer_id')
      .notNull()
      .references(() => taxpayers.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['entry', 'document'] }).notNull(),
    refId: text('ref_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('favorites_unique_idx').on(t.portalUserId, t.taxpayerId, t.kind, t.refId)],
);

// ── 我的消息 (inbox) ──────────────────────────────────────────────────

export const inboxItems = pgTable(
  'inbox_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    portalUserId: uuid('portal_user_id')
      .notNull()
      .references(() => portalUsers.id, { onDelete: 'cascade' }),
    taxpayerId: uuid('taxpayer_id')
      .notNull()
      .references(() => taxpayers.id, { onDelete: 'cascade' }),
    kind: text('kind', {
      enum: ['push', 'work_order_result', 'inquiry_reply', 'appointment_success', 'appointment_no_show', 'system'],
    }).notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** Set by the source (e.g. a push campaign id) so a retried delivery does not duplicate the item. */
    dedupeKey: text('dedupe_key'),
    createdAt: createdAt(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    index('inbox_owner_idx').on(t.portalUserId, t.taxpayerId, t.createdAt),
    uniqueIndex('inbox_dedupe_idx').on(t.portalUserId, t.taxpayerId, t.dedupeKey),
  ],
);

// ── 快捷入口 ──────────────────────────────────────────────────────────

export const shortcutCatalog = pgTable('shortcut_catalog', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  url: text('url').notNull(),
  openIn: text('open_in', { enum: ['new_tab', 'parent'] })
    .notNull()
    .default('new_tab'),
  position: integer('position').notNull().default(0),
  active: boolean('active').notNull().default(true),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const taxpayerShortcuts = pgTable(
  'taxpayer_shortcuts',
  {
    portalUserId: uuid('portal_user_id')
      .notNull()
      .references(() => portalUsers.id, { onDelete: 'cascade' }),
    taxpayerId: uuid('taxpayer_id')
      .notNull()
      .references(() => taxpayers.id, { onDelete: 'cascade' }),
    shortcutId: text('shortcut_id')
      .notNull()
      .references(() => shortcutCatalog.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.portalUserId, t.taxpayerId, t.shortcutId] })],
);

/** A person's chosen set is "customised" once they save it, even if empty; until then the defaults show. */
export const taxpayerShortcutPrefs = pgTable(
  'taxpayer_shortcut_prefs',
  {
    portalUserId: uuid('portal_user_id')
      .notNull()
      .references(() => portalUsers.id, { onDelete: 'cascade' }),
    taxpayerId: uuid('taxpayer_id')
      .notNull()
      .references(() => taxpayers.id, { onDelete: 'cascade' }),
    savedAt: timestamp('saved_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.portalUserId, t.taxpayerId] })],
);

// ── 转人工: skill groups and their members ────────────────────────────

/** A queue of human service: a business (发票, 申报, 登记, 综合) at a tax office (or province-wide when null). */
export const skillGroups = pgTable('skill_groups', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  business: text('business', { enum: ['invoice', 'filing', 'registration', 'general'] }).notNull(),
  taxOfficeId: text('tax_office_id').references(() => taxOffices.id),
  /** After overflowAfterSeconds in this queue, a conversation may also be served by the fallback group. */
  fallbackGroupId: text('fallback_group_id'),
  overflowAfterSeconds: integer('overflow_after_seconds').notNull().default(120),
});

export const staffSkillGroups = pgTable(
  'staff_skill_groups',
  {
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    groupId: text('group_id')
      .notNull()
      .references(() => skillGroups.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.staffId, t.groupId] }), index('ssg_group_idx').on(t.groupId)],
);

/** 满意度: one rating per conversation, given by the taxpayer after it ended. */
export const conversationRatings = pgTable('conversation_ratings', {
  conversationId: uuid('conversation_id')
    .primaryKey()
    .references(() => conversations.id),
  score: integer('score').notNull(),
  comment: text('comment').notNull().default(''),
  staffId: uuid('staff_id').references(() => staff.id),
  createdAt: createdAt(),
});

/** 快捷回复: personal (staffId set) or shared (null). */
export const cannedReplies = pgTable(
  'canned_replies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    staffId: uuid('staff_id').references(() => staff.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('canned_staff_idx').on(t.staffId)],
);
