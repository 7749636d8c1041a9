/** SQL for the knowledge base: entries, topics, documents, synonyms, stop words, hits and unanswered questions. */
import { desc, eq, sql } from 'drizzle-orm';
import { kbDocuments, kbEntries, kbHits, kbStopWords, kbSynonyms, kbTopics, kbUnanswered } from '../../db/schema.ts';
import type { Db } from '../../platform/db.ts';
import type { DocumentLine, KbLine, TopicLine } from './knowledge-jsonl.ts';

export type EntryRow = typeof kbEntries.$inferSelect;
export type DocumentRow = typeof kbDocuments.$inferSelect;
export type TopicRow = typeof kbTopics.$inferSelect;

const HITS_TTL_MS = 10_000;
const hitsCache = new WeakMap<Db, { at: number; rows: Promise<(typeof kbHits.$inferSelect)[]> }>();

export const knowledgeRepo = {
  publishedEntries: (db: Db) => db.select().from(kbEntries).where(eq(kbEntries.status, 'published')),
  allEntries: (db: Db) => db.select().from(kbEntries).orderBy(kbEntries.id),
  topics: (db: Db) => db.select().from(kbTopics).orderBy(kbTopics.id),
  documents: (db: Db) => db.select().from(kbDocuments).orderBy(kbDocuments.id),
  synonyms: (db: Db) => db.select().from(kbSynonyms),
  stopWords: async (db: Db) => (await db.select().from(kbStopWords)).map((r) => r.word),

  async document(db: Db, id: string) {
    const [row] = await db.select().from(kbDocuments).where(eq(kbDocuments.id, id));
    return row;
  },

  /** Upserts the three files' rows in one transaction: all or nothing. */
  async importAll(db: Db, data: { topics: TopicLine[]; documents: DocumentLine[]; entries: KbLine[] }) {
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
      for (const e of data.entries) {
        const values = {
          topicId: e.topic,
          question: e.question,
          similar: e.similar,
          answer: e.answer,
          documents: e.documents,
          audience: e.audience,
          keywords: e.keywords,
        };
        await tx
          .insert(kbEntries)
          .values({ id: e.id, ...values, status: e.status ?? 'published' })
          .onConflictDoUpdate({
            target: kbEntries.id,
            set: {
              ...values,
              ...(e.status ? { status: e.status } : {}),
              version: sql`${kbEntries.version} + 1`,
              updatedAt: new Date(),
            },
          });
      }
    });
  },

  async setStatus(db: Db, id: string, status: 'draft' | 'published') {
    const rows = await db
      .update(kbEntries)
      .set({ status, version: sql`${kbEntries.version} + 1`, updatedAt: new Date() })
      .where(eq(kbEntries.id, id))
      .returning({ id: kbEntries.id });
    return rows.length > 0;
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
