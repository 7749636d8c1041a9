/**
 * SQL for the knowledge base: entries (with their drafts and revision history), topics, documents, synonyms, stop
 * words, hits and unanswered questions.
 */
import { and, asc, count, desc, eq, ilike, inArray, isNotNull, isNull, or, type SQL, sql } from 'drizzle-orm';
import {
  type EntryContent,
  kbDocuments,
  kbEntries,
  kbEntryRevisions,
  kbHits,
  kbStopWords,
  kbSynonyms,
  kbTopics,
  kbUnanswered,
} from '../../db/schema.ts';
import { type Db, escapeLike } from '../../platform/db.ts';
import type { DocumentLine, KbLine, TopicLine } from './knowledge-jsonl.ts';

export type EntryRow = typeof kbEntries.$inferSelect;
export type DocumentRow = typeof kbDocuments.$inferSelect;
export type TopicRow = typeof kbTopics.$inferSelect;
export type RevisionRow = typeof kbEntryRevisions.$inferSelect;
/** Who changed the knowledge base; null for the system (seeding). */
export type Editor = { staffId: string; name: string } | null;
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export const contentOf = (e: EntryRow): EntryContent => ({
  topic: e.topicId,
  question: e.question,
  similar: e.similar,
  answer: e.answer,
  documents: e.documents,
  audience: e.audience,
  keywords: e.keywords,
});
export const columnsOf = (c: EntryContent) => ({
  topicId: c.topic,
  question: c.question,
  similar: c.similar,
  answer: c.answer,
  documents: c.documents,
  audience: c.audience,
  keywords: c.keywords,
});
const sameContent = (a: EntryContent, b: EntryContent) => JSON.stringify(a) === JSON.stringify(b);
const editorName = (by: Editor) => by?.name ?? '系统';

async function addRevision(
  tx: Tx,
  entryId: string,
  revision: number,
  action: RevisionRow['action'],
  content: EntryContent,
  by: Editor,
  note = '',
) {
  await tx.insert(kbEntryRevisions).values({
    entryId,
    revision,
    action,
    content,
    staffId: by?.staffId ?? null,
    staffName: editorName(by),
    note,
  });
}

export type EntryListFilter = {
  q?: string | undefined;
  topic?: string | undefined;
  status?: 'published' | 'draft' | 'changed' | undefined;
  page: number;
  pageSize: number;
};

const HITS_TTL_MS = 10_000;
const hitsCache = new WeakMap<Db, { at: number; rows: Promise<(typeof kbHits.$inferSelect)[]> }>();

export const knowledgeRepo = {
  publishedEntries: (db: Db) => db.select().from(kbEntries).where(eq(kbEntries.status, 'published')),
  allEntries: (db: Db) => db.select().from(kbEntries).orderBy(kbEntries.id),
  topics: (db: Db) => db.select().from(kbTopics).orderBy(kbTopics.id),
  documents: (db: Db) => db.select().from(kbDocuments).orderBy(kbDocuments.id),
  /** Which of these document ids exist. */
  async existingDocumentIds(db: Db, ids: string[]) {
    if (ids.length === 0) return new Set<string>();
    const rows = await db.select({ id: kbDocuments.id }).from(kbDocuments).where(inArray(kbDocuments.id, ids));
    return new Set(rows.map((r) => r.id));
  },
  synonyms: (db: Db) => db.select().from(kbSynonyms),
  stopWords: async (db: Db) => (await db.select().from(kbStopWords)).map((r) => r.word),

  async document(db: Db, id: string) {
    const [row] = await db.select().from(kbDocuments).where(eq(kbDocuments.id, id));
    return row;
  },

  /**
   * Upserts the three files' rows in one transaction: all or nothing. Entries are published at once (a revision
   * 'import' each, unless the content is what the bot already answers with) or, as drafts, saved without changing
   * what the bot answers: a published entry gets them as its draft.
   */
  async importAll(
    db: Db,
    data: { topics: TopicLine[]; documents: DocumentLine[]; entries: KbLine[] },
    options: { asDraft?: boolean; by?: Editor } = {},
  ) {
    const by = options.by ?? null;
    await db.transaction(async (tx) => {
      for (const t of data.topics) {
        await tx
          .insert(kbTopics)
          .values({ id: t.id, name: t.name, description: t.description })
          .onConflictDoUpdate({
            target: kbTopics.id,
            set: { name: t.name, description: t.description, updatedAt: new Date() },
          });
      }
      for (const d of data.documents) {
        const values = {
          title: d.title,
          kind: d.kind,
          issuer: d.issuer,
          number: d.number,
          year: d.year ?? null,
          summary: d.summary,
          topics: d.topics,
        };
        await tx
          .insert(kbDocuments)
          .values({ id: d.id, ...values })
          .onConflictDoUpdate({ target: kbDocuments.id, set: { ...values, updatedAt: new Date() } });
      }
      const ids = data.entries.map((e) => e.id);
      const existing = new Map<string, EntryRow>();
      for (let i = 0; i < ids.length; i += 1000) {
        const rows = await tx
          .select()
          .from(kbEntries)
          .where(inArray(kbEntries.id, ids.slice(i, i + 1000)))
          .for('update');
        for (const r of rows) existing.set(r.id, r);
      }
      const now = new Date();
      for (const e of data.entries) {
        const content: EntryContent = {
          topic: e.topic,
          question: e.question,
          similar: e.similar,
          answer: e.answer,
          documents: e.documents,
          audience: e.audience,
          keywords: e.keywords,
        };
        const row = existing.get(e.id);
        const asDraft = options.asDraft || e.status === 'draft';
        if (asDraft && row?.status === 'published') {
          await tx
            .update(kbEntries)
            .set({ draft: content, draftBy: editorName(by), draftAt: now, version: row.version + 1, updatedAt: now })
            .where(eq(kbEntries.id, e.id));
        } else if (asDraft) {
          await tx
            .insert(kbEntries)
            .values({ id: e.id, ...columnsOf(content), status: 'draft' })
            .onConflictDoUpdate({
              target: kbEntries.id,
              set: { ...columnsOf(content), version: sql`${kbEntries.version} + 1`, updatedAt: now },
            });
        } else if (row && row.status === 'published' && sameContent(contentOf(row), content)) {
          // already what the bot answers with: no new revision
        } else {
          const revision = (row?.revision ?? 0) + 1;
          await tx
            .insert(kbEntries)
            .values({ id: e.id, ...columnsOf(content), status: 'published', revision })
            .onConflictDoUpdate({
              target: kbEntries.id,
              set: {
                ...columnsOf(content),
                status: 'published',
                revision,
                version: sql`${kbEntries.version} + 1`,
                updatedAt: now,
              },
            });
          await addRevision(tx, e.id, revision, 'import', content, by);
        }
      }
    });
  },

  async entry(db: Db, id: string) {
    const [row] = await db.select().from(kbEntries).where(eq(kbEntries.id, id));
    return row;
  },

  async listEntries(db: Db, f: EntryListFilter) {
    const conds: SQL[] = [];
    if (f.q) {
      const like = `%${escapeLike(f.q)}%`;
      const match = or(
        ilike(kbEntries.id, like),
        ilike(kbEntries.question, like),
        ilike(kbEntries.answer, like),
        sql`${kbEntries.similar}::text ilike ${like}`,
        sql`coalesce(${kbEntries.draft}->>'question', '') ilike ${like}`,
      );
      if (match) conds.push(match);
    }
    if (f.topic) conds.push(eq(kbEntries.topicId, f.topic));
    if (f.status === 'draft') conds.push(eq(kbEntries.status, 'draft'));
    if (f.status === 'published') conds.push(and(eq(kbEntries.status, 'published'), isNull(kbEntries.draft)) as SQL);
    if (f.status === 'changed') conds.push(and(eq(kbEntries.status, 'published'), isNotNull(kbEntries.draft)) as SQL);
    const where = conds.length ? and(...conds) : undefined;
    const [items, [total]] = await Promise.all([
      db
        .select({
          id: kbEntries.id,
          topic: kbEntries.topicId,
          topicName: kbTopics.name,
          question: kbEntries.question,
          status: kbEntries.status,
          hasDraft: sql<boolean>`${kbEntries.draft} is not null`,
          revision: kbEntries.revision,
          version: kbEntries.version,
          updatedAt: kbEntries.updatedAt,
        })
        .from(kbEntries)
        .leftJoin(kbTopics, eq(kbTopics.id, kbEntries.topicId))
        .where(where)
        .orderBy(asc(kbEntries.id))
        .limit(f.pageSize)
        .offset((f.page - 1) * f.pageSize),
      db.select({ n: count() }).from(kbEntries).where(where),
    ]);
    return { items, total: total?.n ?? 0 };
  },

  topicsWithCounts: (db: Db) =>
    db
      .select({
        id: kbTopics.id,
        name: kbTopics.name,
        description: kbTopics.description,
        entries: sql<number>`(select count(*)::int from kb_entries e where e.topic_id = ${kbTopics.id})`,
        updatedAt: kbTopics.updatedAt,
      })
      .from(kbTopics)
      .orderBy(kbTopics.id),

  async createTopic(db: Db, t: { id: string; name: string; description: string }) {
    const rows = await db.insert(kbTopics).values(t).onConflictDoNothing().returning();
    return rows[0];
  },

  /** Renames a topic if it is still at the updatedAt the editor saw. */
  async updateTopic(db: Db, id: string, t: { name: string; description: string; updatedAt: Date }) {
    const rows = await db
      .update(kbTopics)
      .set({ name: t.name, description: t.description, updatedAt: new Date() })
      .where(
        and(
          eq(kbTopics.id, id),
          sql`date_trunc('milliseconds', ${kbTopics.updatedAt}) = ${t.updatedAt.toISOString()}::timestamptz`,
        ),
      )
      .returning();
    return rows[0];
  },

  async topic(db: Db, id: string) {
    const [row] = await db.select().from(kbTopics).where(eq(kbTopics.id, id));
    return row;
  },

  /** Replaces the synonym groups in one transaction, if they are still what `check` accepts. */
  async replaceSynonyms(db: Db, groups: string[][], check: (current: string[][]) => boolean) {
    return db.transaction(async (tx) => {
      // one writer at a time: the advisory lock serialises concurrent saves on PostgreSQL
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('kb_synonyms'))`);
      const current = (await tx.select().from(kbSynonyms)).map((r) => r.terms);
      if (!check(current)) return false;
      await tx.delete(kbSynonyms);
      for (let i = 0; i < groups.length; i += 500) {
        const chunk = groups.slice(i, i + 500).map((terms) => ({ terms }));
        if (chunk.length) await tx.insert(kbSynonyms).values(chunk);
      }
      return true;
    });
  },

  /** Ids taken under a prefix, to number a new entry (KB-T01-351). */
  async idsLike(db: Db, prefix: string) {
    const rows = await db
      .select({ id: kbEntries.id })
      .from(kbEntries)
      .where(ilike(kbEntries.id, `${escapeLike(prefix)}%`));
    return rows.map((r) => r.id);
  },

  async createEntry(db: Db, id: string, content: EntryContent) {
    const rows = await db
      .insert(kbEntries)
      .values({ id, ...columnsOf(content), status: 'draft' })
      .onConflictDoNothing()
      .returning();
    return rows[0];
  },

  /**
   * Runs a change on an entry at the version the editor saw: locks the row, and answers 'stale' when someone else
   * changed it first, 'missing' when it is gone. `change` returns the columns to set (version and updatedAt added).
   */
  async change(
    db: Db,
    id: string,
    version: number,
    change: (row: EntryRow, tx: Tx) => Promise<Partial<typeof kbEntries.$inferInsert> | string>,
  ): Promise<EntryRow | 'missing' | 'stale' | { refused: string }> {
    return db.transaction(async (tx) => {
      const [row] = await tx.select().from(kbEntries).where(eq(kbEntries.id, id)).for('update');
      if (!row) return 'missing';
      if (row.version !== version) return 'stale';
      const set = await change(row, tx);
      if (typeof set === 'string') return { refused: set };
      const [updated] = await tx
        .update(kbEntries)
        .set({ ...set, version: row.version + 1, updatedAt: new Date() })
        .where(eq(kbEntries.id, id))
        .returning();
      return updated ?? 'missing';
    });
  },

  /** Publishes content as the entry's next revision: the columns the bot reads, a revision row. */
  async publishContent(
    tx: Tx,
    row: EntryRow,
    content: EntryContent,
    action: 'publish' | 'rollback',
    by: Editor,
    note: string,
  ) {
    const revision = row.revision + 1;
    await addRevision(tx, row.id, revision, action, content, by, note);
    return { ...columnsOf(content), status: 'published' as const, revision };
  },

  /** Withdraws a published entry: it stops answering; a pending draft becomes its working content. */
  async withdraw(tx: Tx, row: EntryRow, by: Editor, note: string) {
    const revision = row.revision + 1;
    await addRevision(tx, row.id, revision, 'unpublish', contentOf(row), by, note);
    return {
      ...(row.draft ? columnsOf(row.draft) : {}),
      status: 'draft' as const,
      revision,
      draft: null,
      draftBy: null,
      draftAt: null,
    };
  },

  revisions: (db: Db, id: string) =>
    db
      .select()
      .from(kbEntryRevisions)
      .where(eq(kbEntryRevisions.entryId, id))
      .orderBy(desc(kbEntryRevisions.revision))
      .limit(200),

  async revision(db: Db, id: string, revision: number) {
    const [row] = await db
      .select()
      .from(kbEntryRevisions)
      .where(and(eq(kbEntryRevisions.entryId, id), eq(kbEntryRevisions.revision, revision)));
    return row;
  },

  async removeUnanswered(db: Db, id: string) {
    await db.delete(kbUnanswered).where(eq(kbUnanswered.id, id));
  },

  async countHit(db: Db, entryId: string) {
    await db
      .insert(kbHits)
      .values({ entryId, count: 1 })
      .onConflictDoUpdate({ target: kbHits.entryId, set: { count: sql`${kbHits.count} + 1`, lastAt: new Date() } });
    hitsCache.delete(db);
  },

  /**
   * Every chat that opens asks for 热点推荐 and 问答套餐, which rank by these counts: read them at most every few
   * seconds per node (this node's own counting refreshes at once; other nodes' shows within HITS_TTL_MS).
   */
  hitsCached(db: Db): Promise<(typeof kbHits.$inferSelect)[]> {
    const cached = hitsCache.get(db);
    if (cached && Date.now() - cached.at < HITS_TTL_MS) return cached.rows;
    // a real Promise: a drizzle query runs again each time it is awaited
    const rows = Promise.resolve().then(() => db.select().from(kbHits));
    hitsCache.set(db, { at: Date.now(), rows });
    rows.catch(() => hitsCache.delete(db));
    return rows;
  },

  async recordUnanswered(db: Db, normalized: string, question: string) {
    await db
      .insert(kbUnanswered)
      .values({ normalized, question })
      .onConflictDoUpdate({
        target: kbUnanswered.normalized,
        set: { count: sql`${kbUnanswered.count} + 1`, lastAskedAt: new Date(), question },
      });
  },

  unanswered: (db: Db, limit: number) =>
    db.select().from(kbUnanswered).orderBy(desc(kbUnanswered.count), desc(kbUnanswered.lastAskedAt)).limit(limit),
};
