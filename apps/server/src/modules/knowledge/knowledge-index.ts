/**
 * Each node's in-memory answering index: the qa-engine built from the published entries in the database. Rebuilt at
 * start and whenever any node publishes a change (cluster bus), without a restart; answers keep coming from the old
 * index until the new one is ready.
 */
import { type KbEntry, QaEngine } from '@zhengna/qa-engine';
import type { Logger } from 'pino';
import type { Db } from '../../platform/db.ts';
import { type DocumentRow, type EntryRow, knowledgeRepo, type TopicRow } from './knowledge.repo.ts';

export type IndexSnapshot = {
  engine: QaEngine;
  entries: Map<string, EntryRow>;
  documents: Map<string, DocumentRow>;
  topics: Map<string, TopicRow>;
  builtAt: Date;
};

export class KnowledgeIndex {
  private snapshot: IndexSnapshot | null = null;
  private building: Promise<void> | null = null;
  private again = false;

  constructor(
    private db: Db,
    private logger: Logger,
  ) {}

  get current(): IndexSnapshot {
    if (!this.snapshot) throw new Error('knowledge index not built yet');
    return this.snapshot;
  }

  /** Rebuilds from the database; concurrent requests collapse into one extra rebuild. */
  rebuild(): Promise<void> {
    if (this.building) {
      this.again = true;
      return this.building;
    }
    this.building = (async () => {
      try {
        do {
          this.again = false;
          this.snapshot = await this.build();
        } while (this.again);
      } finally {
        this.building = null;
      }
    })();
    return this.building;
  }

  private async build(): Promise<IndexSnapshot> {
    const started = Date.now();
    const [rows, documents, topics, synonyms, stopWords] = await Promise.all([
      knowledgeRepo.publishedEntries(this.db),
      knowledgeRepo.documents(this.db),
      knowledgeRepo.topics(this.db),
      knowledgeRepo.synonyms(this.db),
      knowledgeRepo.stopWords(this.db),
    ]);
    const entries: KbEntry[] = rows.map((r) => ({
      id: r.id,
      topicId: r.topicId,
      question: r.question,
      similar: r.similar,
      answer: r.answer,
      documents: r.documents,
      audience: r.audience,
      keywords: r.keywords,
    }));
    const engine = QaEngine.build({ entries, synonyms: synonyms.map((s) => s.terms), stopWords });
    this.logger.info({ entries: entries.length, ms: Date.now() - started }, 'knowledge index built');
    return {
      engine,
      entries: new Map(rows.map((r) => [r.id, r])),
      documents: new Map(documents.map((d) => [d.id, d])),
      topics: new Map(topics.map((t) => [t.id, t])),
      builtAt: new Date(),
    };
  }
}
