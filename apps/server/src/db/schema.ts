/**
 * The one database schema (drizzle pg-core), shared by PGlite (embedded) and PostgreSQL (distributed).
 * Migrations are generated from it with `npm run db:generate` into ./migrations and applied on start.
 */
import type { TMessagePayload } from '@zhengna/contracts';
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
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
  /** Optimistic concurrency for the console's 税务机关 editor. */
  version: integer('version').notNull().default(1),
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
  /** Set when an administrator resets the password: the next login must choose a new one. */
  mustChangePassword: boolean('must_change_password').notNull().default(false),
  /** Optimistic concurrency for the console's account editor. */
  version: integer('version').notNull().default(1),
  /** The TOTP (RFC 6238) shared secret, sealed with the node-wide key; set at setup, in force once confirmed. */
  totpSecret: text('totp_secret'),
  totpEnabled: boolean('totp_enabled').notNull().default(false),
  /** The last 30-second step whose code was accepted: a code works once. */
  totpLastStep: integer('totp_last_step'),
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
    /** The skill group whose queue it last entered (kept after it is taken, for 统计分析 by group). */
    handoffGroupId: text('handoff_group_id'),
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
    // 统计分析: a day range of conversations, of handoffs, of assignments
    index('conversations_created_idx').on(t.createdAt),
    index('conversations_handoff_idx').on(t.handoffRequestedAt).where(sql`handoff_requested_at is not null`),
    index('conversations_assigned_idx').on(t.assignedAt).where(sql`assigned_at is not null`),
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
    // 统计分析: the bot's answers / clarifications / no-answers of a day range, and an agent's first reply
    index('messages_bot_outcome_idx')
      .on(t.createdAt)
      .where(sql`sender_type = 'bot' and payload->>'kind' in ('answer', 'clarify', 'no_answer')`),
    index('messages_agent_idx').on(t.conversationId, t.createdAt).where(sql`sender_type = 'agent'`),
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
    /**
     * Unpublished changes to a published entry (issue #10): saving in the console writes here, and the bot keeps
     * answering with the columns above until 发布 copies the draft over them. Null when there is none; an entry that
     * was never published keeps its draft in the columns themselves (status 'draft').
     */
    draft: jsonb('draft').$type<EntryContent>(),
    draftBy: text('draft_by'),
    draftAt: timestamp('draft_at', { withTimezone: true }),
    /** The number of the last published revision (kb_entry_revisions); 0 before the first. */
    revision: integer('revision').notNull().default(0),
  },
  (t) => [index('kb_entries_topic_idx').on(t.topicId)],
);

/** An entry's content as one value: what a draft holds and what a revision records. */
export type EntryContent = {
  topic: string;
  question: string;
  similar: string[];
  answer: string;
  documents: string[];
  audience: Audience;
  keywords: string[];
};

/**
 * 变更历史 (issue #10): every content the bot was ever given for an entry — by publishing, importing or rolling back —
 * and every withdrawal, numbered per entry. Rolling back publishes an earlier revision's content as a new revision.
 */
export const kbEntryRevisions = pgTable(
  'kb_entry_revisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    entryId: text('entry_id').notNull(),
    revision: integer('revision').notNull(),
    action: text('action', { enum: ['publish', 'import', 'rollback', 'unpublish'] }).notNull(),
    content: jsonb('content').$type<EntryContent>().notNull(),
    staffId: uuid('staff_id'),
    staffName: text('staff_name').notNull(),
    note: text('note').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('kb_entry_revisions_entry_idx').on(t.entryId, t.revision)],
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

export const botFeedback = pgTable(
  'bot_feedback',
  {
    messageId: uuid('message_id')
      .primaryKey()
      .references(() => messages.id),
    entryId: text('entry_id').notNull(),
    helpful: boolean('helpful').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('bot_feedback_created_idx').on(t.createdAt)],
);

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
      enum: [
        'push',
        'work_order_result',
        'inquiry_reply',
        'appointment_success',
        'appointment_reminder',
        'appointment_cancelled',
        'appointment_no_show',
        'system',
      ],
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
    // a push's delivered/read counts
    index('inbox_dedupe_key_idx').on(t.dedupeKey),
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

// ── 留言, 工单, 短信, 精准推送 ─────────────────────────────────────────

/** Who a taxpayer wants the result by: 站内消息, 短信 or both. */
const receiveBy = () => text('receive_by', { enum: ['inbox', 'sms', 'both'] }).notNull();

/**
 * 留言: a question left for a tax office, answered by its agents within an SLA (working days). `clientKey` makes a
 * double submission one message.
 */
export const inquiries = pgTable(
  'inquiries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    taxpayerId: uuid('taxpayer_id')
      .notNull()
      .references(() => taxpayers.id, { onDelete: 'cascade' }),
    portalUserId: uuid('portal_user_id')
      .notNull()
      .references(() => portalUsers.id, { onDelete: 'cascade' }),
    /** The chat it was left from, if any: a reply also appears there. */
    conversationId: uuid('conversation_id').references(() => conversations.id),
    taxOfficeId: text('tax_office_id')
      .notNull()
      .references(() => taxOffices.id),
    /** Id from the configurable 留言类型 list (settings). */
    type: text('type').notNull(),
    content: text('content').notNull(),
    phone: text('phone').notNull(),
    remind: boolean('remind').notNull().default(false),
    receiveBy: receiveBy(),
    status: text('status', { enum: ['pending', 'replied', 'converted', 'closed'] })
      .notNull()
      .default('pending'),
    groupId: text('group_id').references(() => skillGroups.id, { onDelete: 'set null' }),
    assigneeStaffId: uuid('assignee_staff_id').references(() => staff.id),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    reply: text('reply'),
    repliedAt: timestamp('replied_at', { withTimezone: true }),
    repliedBy: uuid('replied_by').references(() => staff.id),
    workOrderId: uuid('work_order_id'),
    clientKey: text('client_key').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('inquiries_client_key_idx').on(t.portalUserId, t.clientKey),
    index('inquiries_owner_idx').on(t.taxpayerId, t.createdAt),
    index('inquiries_assignee_idx').on(t.assigneeStaffId, t.status),
    index('inquiries_due_idx').on(t.status, t.dueAt),
  ],
);

/**
 * 工单: states 待受理 (pending) → 处理中 (processing) → 已办结 (done), or 退回 (returned, with a reason); 转派 moves
 * it to another office. Every step is a row of work_order_steps. `version` detects concurrent edits.
 */
export const workOrders = pgTable(
  'work_orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Shown to people: GD + date + a random part (not a guessable sequence). */
    number: text('number').notNull().unique(),
    taxpayerId: uuid('taxpayer_id')
      .notNull()
      .references(() => taxpayers.id, { onDelete: 'cascade' }),
    portalUserId: uuid('portal_user_id').references(() => portalUsers.id, { onDelete: 'set null' }),
    inquiryId: uuid('inquiry_id').references(() => inquiries.id),
    /** Id from the configurable work-order types (settings), each with its time limit in working days. */
    type: text('type').notNull(),
    title: text('title').notNull(),
    content: text('content').notNull(),
    phone: text('phone').notNull().default(''),
    receiveBy: receiveBy(),
    taxOfficeId: text('tax_office_id')
      .notNull()
      .references(() => taxOffices.id),
    groupId: text('group_id').references(() => skillGroups.id, { onDelete: 'set null' }),
    assigneeStaffId: uuid('assignee_staff_id').references(() => staff.id),
    status: text('status', { enum: ['pending', 'processing', 'done', 'returned'] })
      .notNull()
      .default('pending'),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    result: text('result'),
    doneAt: timestamp('done_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => staff.id),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('work_orders_owner_idx').on(t.taxpayerId, t.createdAt),
    index('work_orders_office_idx').on(t.taxOfficeId, t.status),
    index('work_orders_assignee_idx').on(t.assigneeStaffId, t.status),
    index('work_orders_due_idx').on(t.status, t.dueAt),
  ],
);

export const workOrderSteps = pgTable(
  'work_order_steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workOrderId: uuid('work_order_id')
      .notNull()
      .references(() => workOrders.id, { onDelete: 'cascade' }),
    /** null: the system (a deadline job). */
    staffId: uuid('staff_id').references(() => staff.id),
    action: text('action', {
      enum: ['create', 'accept', 'process', 'complete', 'return', 'reassign', 'remind', 'escalate', 'note'],
    }).notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    fromOfficeId: text('from_office_id'),
    toOfficeId: text('to_office_id'),
    note: text('note').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [index('work_order_steps_order_idx').on(t.workOrderId, t.createdAt)],
);

/**
 * Files of a 留言 or 工单 (the chat's own files live in `attachments`). Uploaded first, then bound to the case when it
 * is submitted; an unbound file belongs to its uploader only.
 */
export const caseFiles = pgTable(
  'case_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    taxpayerId: uuid('taxpayer_id').references(() => taxpayers.id, { onDelete: 'cascade' }),
    uploaderType: text('uploader_type', { enum: ['taxpayer', 'staff'] }).notNull(),
    uploaderId: text('uploader_id').notNull(),
    inquiryId: uuid('inquiry_id').references(() => inquiries.id, { onDelete: 'cascade' }),
    workOrderId: uuid('work_order_id').references(() => workOrders.id, { onDelete: 'cascade' }),
    appointmentId: uuid('appointment_id').references((): AnyPgColumn => appointments.id, { onDelete: 'cascade' }),
    storageKey: text('storage_key').notNull().unique(),
    fileName: text('file_name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('case_files_inquiry_idx').on(t.inquiryId),
    index('case_files_work_order_idx').on(t.workOrderId),
    index('case_files_appointment_idx').on(t.appointmentId),
  ],
);

/** Every SMS the product sends, whatever the driver: the `outbox` driver only stores it here (status 'stored'). */
export const smsOutbox = pgTable(
  'sms_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    phone: text('phone').notNull(),
    template: text('template').notNull(),
    params: jsonb('params').$type<Record<string, string>>().notNull(),
    content: text('content').notNull(),
    driver: text('driver').notNull(),
    status: text('status', { enum: ['stored', 'sent', 'failed'] }).notNull(),
    error: text('error'),
    /** The source's key (e.g. `work_order_result:<id>`): a retried send is not sent twice. */
    dedupeKey: text('dedupe_key').unique(),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('sms_outbox_created_idx').on(t.createdAt)],
);

/** 精准推送: a notice for the taxpayers an audience rule selects, delivered once to each inbox by a job. */
export const pushes = pgTable(
  'pushes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    content: text('content').notNull(),
    link: text('link'),
    /** Rules over the taxpayer profile, or a list of taxpayer numbers (contracts: TPushAudience). */
    audience: jsonb('audience').notNull(),
    /** Also shown among 热点推荐 to the taxpayers it selects. */
    recommend: boolean('recommend').notNull().default(false),
    status: text('status', { enum: ['draft', 'scheduled', 'sending', 'sent', 'cancelled'] })
      .notNull()
      .default('draft'),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
    recipients: integer('recipients'),
    createdBy: uuid('created_by').references(() => staff.id),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('pushes_status_idx').on(t.status, t.scheduledAt)],
);

// ── 预约 ─────────────────────────────────────────────────────────────

/**
 * An appointment service of a tax office (e.g. 发票业务视频辅导): its channel, weekly schedule (China Standard Time),
 * slot length and capacity, booking window, cut-off and cancellation rule. Dates closed on top of the service
 * calendar's holidays go in `closedDates`.
 */
export const appointmentServices = pgTable('appointment_services', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  taxOfficeId: text('tax_office_id')
    .notNull()
    .references(() => taxOffices.id),
  business: text('business', { enum: ['invoice', 'filing', 'registration', 'general'] }).notNull(),
  /** 在线文字 / 音视频 / 电话回访 */
  channel: text('channel', { enum: ['text', 'av', 'phone'] }).notNull(),
  /** contracts: TAppointmentSchedule — per weekday the spans slots are cut from. */
  schedule: jsonb('schedule').notNull(),
  slotMinutes: integer('slot_minutes').notNull(),
  capacity: integer('capacity').notNull(),
  /** Bookable from this many days ahead (1 = from tomorrow) … */
  minDaysAhead: integer('min_days_ahead').notNull().default(1),
  /** … to this many days ahead. */
  maxDaysAhead: integer('max_days_ahead').notNull().default(14),
  /** No booking later than this many minutes before a slot starts. */
  cutoffMinutes: integer('cutoff_minutes').notNull().default(60),
  /** Cancel or reschedule up to this many minutes before the slot. */
  cancelMinutes: integer('cancel_minutes').notNull().default(120),
  closedDates: jsonb('closed_dates').$type<string[]>().notNull().default([]),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  createdAt: createdAt(),
});

/**
 * One slot of a service, created when first booked. `booked` is raised by one conditional UPDATE (booked < capacity),
 * so two taxpayers racing for the last place cannot both get it.
 */
export const appointmentSlots = pgTable(
  'appointment_slots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => appointmentServices.id, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    capacity: integer('capacity').notNull(),
    booked: integer('booked').notNull().default(0),
  },
  (t) => [uniqueIndex('appointment_slots_service_start_idx').on(t.serviceId, t.startsAt)],
);

/** A booking: 已预约 → 已完成, or 已取消, or 失约 (set by a job after the grace period). */
export const appointments = pgTable(
  'appointments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Shown to people: YY + date + a random part. */
    number: text('number').notNull().unique(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => appointmentServices.id),
    slotId: uuid('slot_id')
      .notNull()
      .references(() => appointmentSlots.id),
    taxpayerId: uuid('taxpayer_id')
      .notNull()
      .references(() => taxpayers.id, { onDelete: 'cascade' }),
    portalUserId: uuid('portal_user_id')
      .notNull()
      .references(() => portalUsers.id, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    phone: text('phone').notNull(),
    description: text('description').notNull(),
    receiveBy: receiveBy(),
    status: text('status', { enum: ['booked', 'cancelled', 'completed', 'no_show'] })
      .notNull()
      .default('booked'),
    /** The agent who takes it (chosen at the slot or assigned ahead). */
    staffId: uuid('staff_id').references(() => staff.id),
    conversationId: uuid('conversation_id').references(() => conversations.id),
    /** The taxpayer was there: joined the interaction the agent started, or checked in. */
    attendedAt: timestamp('attended_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }),
    startedMode: text('started_mode', { enum: ['chat', 'av', 'phone'] }),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    completedNote: text('completed_note'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    noShowAt: timestamp('no_show_at', { withTimezone: true }),
    clientKey: text('client_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('appointments_client_key_idx').on(t.portalUserId, t.clientKey),
    // one live booking per taxpayer in one slot
    uniqueIndex('appointments_one_per_slot_idx').on(t.slotId, t.taxpayerId).where(sql`status = 'booked'`),
    index('appointments_owner_idx').on(t.taxpayerId, t.startsAt),
    index('appointments_service_day_idx').on(t.serviceId, t.startsAt),
    index('appointments_due_idx').on(t.status, t.startsAt),
  ],
);

/**
 * A call or a remote assistance session in a conversation (PRODUCT §3.3, §3.4) — the record supervisors read. At
 * most one call per conversation is live (requested … active): the partial unique index makes a second one fail.
 */
export const calls = pgTable(
  'calls',
  {
    /** Chosen by the inviting browser (crypto.randomUUID()) or by the server for a taxpayer's request. */
    id: uuid('id').primaryKey(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    taxpayerId: uuid('taxpayer_id')
      .notNull()
      .references(() => taxpayers.id, { onDelete: 'cascade' }),
    portalUserId: uuid('portal_user_id')
      .notNull()
      .references(() => portalUsers.id, { onDelete: 'cascade' }),
    /** The agent who held the conversation when the call began. */
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id),
    kind: text('kind', { enum: ['audio', 'video', 'screen'] }).notNull(),
    state: text('state', {
      enum: ['requested', 'inviting', 'connecting', 'active', 'ended', 'declined', 'missed', 'failed', 'cancelled'],
    }).notNull(),
    initiator: text('initiator', { enum: ['taxpayer', 'agent'] }).notNull(),
    note: text('note').notNull().default(''),
    failureReason: text('failure_reason', {
      enum: ['device_denied', 'device_missing', 'network', 'screen_denied', 'other'],
    }),
    endedBy: text('ended_by', { enum: ['taxpayer', 'agent', 'system'] }),
    createdAt: createdAt(),
    invitedAt: timestamp('invited_at', { withTimezone: true }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    connectedAt: timestamp('connected_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    durationSeconds: integer('duration_seconds').notNull().default(0),
  },
  (t) => [
    uniqueIndex('calls_one_live_per_conversation_idx')
      .on(t.conversationId)
      .where(sql`${t.state} in ('requested', 'inviting', 'connecting', 'active')`),
    index('calls_conversation_idx').on(t.conversationId, t.createdAt),
    /** A socket's live calls on every (re)connect: small partial indexes, so a connect never scans the call history. */
    index('calls_live_taxpayer_idx')
      .on(t.portalUserId, t.taxpayerId)
      .where(sql`${t.state} in ('requested', 'inviting', 'connecting', 'active')`),
    index('calls_live_staff_idx')
      .on(t.staffId)
      .where(sql`${t.state} in ('requested', 'inviting', 'connecting', 'active')`),
    index('calls_staff_created_idx').on(t.staffId, t.createdAt),
    index('calls_created_idx').on(t.createdAt),
    /** The sweep: live calls whose ring or connect time ran out. */
    index('calls_live_idx').on(t.state, t.createdAt).where(sql`${t.state} in ('requested', 'inviting', 'connecting')`),
  ],
);

/**
 * 审计日志 (issue #10): one row per staff action that read a taxpayer's personal data or changed something. Append-only
 * in the database itself (migration 0011): a trigger refuses UPDATE and TRUNCATE, and DELETE of rows younger than
 * AUDIT_MIN_RETENTION_DAYS, whoever asks. No foreign key to staff: an entry outlives the account it names.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    // sequential, which is fine: only admins see ids, and keyset pages need an order that never ties
    id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    staffId: uuid('staff_id'),
    staffName: text('staff_name').notNull(),
    role: text('role', { enum: ['agent', 'supervisor', 'admin'] }),
    kind: text('kind', { enum: ['read', 'change', 'login', 'reveal'] }).notNull(),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    result: text('result', { enum: ['ok', 'denied', 'failed'] }).notNull(),
    status: text('status').notNull(),
    ip: text('ip'),
    request: text('request').notNull(),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at.desc(), t.id.desc()),
    index('audit_log_staff_idx').on(t.staffId, t.id.desc()),
    // prefix search (`settings.`) under any collation
    index('audit_log_action_idx').on(t.action.op('text_pattern_ops'), t.id.desc()),
    index('audit_log_target_idx').on(t.targetId, t.id.desc()),
  ],
);

/*
 * 统计分析 rollups (analytics.rollup.ts): the figures of complete past China (UTC+8) days, by the dimensions the
 * dashboard filters on, so a year reads a few hundred thousand small rows instead of millions of messages. Written
 * only by the analytics.rollup job (delete + insert of whole days, one transaction under an advisory lock); the days
 * it has written are listed in analytics_rollup_days, every other day is computed live from the events. `day` is
 * the China date of the event the row counts; `office_id` the taxpayer's tax office; `group_id` the skill group the
 * conversation queued in (null: never queued). In the entry and unanswered tables a null office_id is the row for
 * all offices (a taxpayer's office is never null), so the unfiltered top lists read one row per day and key.
 */

/** The China days whose figures are in the rollup tables (and when they were last computed). */
export const analyticsRollupDays = pgTable('analytics_rollup_days', {
  day: date('day', { mode: 'string' }).primaryKey(),
  rolledAt: timestamp('rolled_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Per day, office and group: conversations (by their creation), the bot's answers / clarifications / no-answers (by
 * the reply's time) and 有用/没用 (by the feedback's time).
 */
export const analyticsDaily = pgTable(
  'analytics_daily',
  {
    day: date('day', { mode: 'string' }).notNull(),
    officeId: text('office_id').notNull(),
    groupId: text('group_id'),
    conversations: integer('conversations').notNull(),
    answered: integer('answered').notNull(),
    clarified: integer('clarified').notNull(),
    noAnswer: integer('no_answer').notNull(),
    helpful: integer('helpful').notNull(),
    unhelpful: integer('unhelpful').notNull(),
  },
  (t) => [index('analytics_daily_day_idx').on(t.day)],
);

/** Per day, office (null: all) and knowledge entry: the bot's answers with it, and 有用/没用 on them. */
export const analyticsEntriesDaily = pgTable(
  'analytics_entries_daily',
  {
    day: date('day', { mode: 'string' }).notNull(),
    officeId: text('office_id'),
    entryId: text('entry_id'),
    /** The entry's question as the answers carried it (the live entry's own question wins when shown). */
    question: text('question'),
    answers: integer('answers').notNull(),
    helpful: integer('helpful').notNull(),
    unhelpful: integer('unhelpful').notNull(),
  },
  (t) => [index('analytics_entries_daily_office_day_idx').on(t.officeId, t.day)],
);

/** Per day, office (null: all) and trimmed question text: the questions the bot found no answer to. */
export const analyticsUnansweredDaily = pgTable(
  'analytics_unanswered_daily',
  {
    day: date('day', { mode: 'string' }).notNull(),
    officeId: text('office_id'),
    question: text('question').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [index('analytics_unanswered_daily_office_day_idx').on(t.officeId, t.day)],
);

/** Per day of the request, office, group and reason: handoffs and what became of them. */
export const analyticsHandoffsDaily = pgTable(
  'analytics_handoffs_daily',
  {
    day: date('day', { mode: 'string' }).notNull(),
    officeId: text('office_id').notNull(),
    groupId: text('group_id'),
    /** The handoff reason, 'unknown' when none was recorded. */
    reason: text('reason').notNull(),
    handoffs: integer('handoffs').notNull(),
    assigned: integer('assigned').notNull(),
    queued: integer('queued').notNull(),
    abandoned: integer('abandoned').notNull(),
    unserved: integer('unserved').notNull(),
    inquiryConversions: integer('inquiry_conversions').notNull(),
    appointmentConversions: integer('appointment_conversions').notNull(),
  },
  (t) => [index('analytics_handoffs_daily_day_idx').on(t.day)],
);

/** Per day of the request, office and group: how many taken handoffs waited exactly `seconds` (for percentiles). */
export const analyticsWaitsDaily = pgTable(
  'analytics_waits_daily',
  {
    day: date('day', { mode: 'string' }).notNull(),
    officeId: text('office_id').notNull(),
    groupId: text('group_id'),
    seconds: doublePrecision('seconds').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [index('analytics_waits_daily_day_idx').on(t.day)],
);

/** Per day of the assignment, office, group and agent: conversations taken, their first replies, ends and ratings. */
export const analyticsAgentsDaily = pgTable(
  'analytics_agents_daily',
  {
    day: date('day', { mode: 'string' }).notNull(),
    officeId: text('office_id').notNull(),
    groupId: text('group_id'),
    staffId: uuid('staff_id').notNull(),
    handled: integer('handled').notNull(),
    firstResponses: integer('first_responses').notNull(),
    firstResponseSeconds: numeric('first_response_seconds').notNull(),
    closed: integer('closed').notNull(),
    handlingSeconds: numeric('handling_seconds').notNull(),
    ratings: integer('ratings').notNull(),
    scoreSum: integer('score_sum').notNull(),
    satisfied: integer('satisfied').notNull(),
  },
  (t) => [index('analytics_agents_daily_day_idx').on(t.day)],
);

/** Per day of the assignment, office, group and agent: how many first replies came exactly `seconds` after it. */
export const analyticsFirstResponsesDaily = pgTable(
  'analytics_first_responses_daily',
  {
    day: date('day', { mode: 'string' }).notNull(),
    officeId: text('office_id').notNull(),
    groupId: text('group_id'),
    staffId: uuid('staff_id').notNull(),
    seconds: doublePrecision('seconds').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [index('analytics_first_responses_daily_day_idx').on(t.day)],
);

/**
 * Per day of the assignment, office and group: seconds of agent-held conversation in each China hour (`slotDay`,
 * `hour`) from the assignment to its end (an open one: to when the day was last rolled up).
 */
export const analyticsHeldHourly = pgTable(
  'analytics_held_hourly',
  {
    day: date('day', { mode: 'string' }).notNull(),
    officeId: text('office_id').notNull(),
    groupId: text('group_id'),
    slotDay: date('slot_day', { mode: 'string' }).notNull(),
    hour: integer('hour').notNull(),
    seconds: numeric('seconds').notNull(),
  },
  (t) => [index('analytics_held_hourly_day_idx').on(t.day)],
);
