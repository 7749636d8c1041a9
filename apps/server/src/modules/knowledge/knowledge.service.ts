/**
 * Knowledge use cases: seeding the product's knowledge base, import/export in the JSONL layout, publishing, the
 * test console that shows why the bot answers what it answers, unanswered questions and document details.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TDocumentRef, TImportReport, TPortalPage, TTestConsoleResult } from '@zhengna/contracts';
import {
  DEFAULT_SIGNAL_CONFIG,
  detectHandoffIntent,
  detectHandoffKeyword,
  type Profile,
  scoreEmotion,
} from '@zhengna/qa-engine';
import { eq } from 'drizzle-orm';
import { settings } from '../../db/schema.ts';
import { AppError } from '../../platform/app-error.ts';
import type { ClusterBus } from '../../platform/cluster-bus.ts';
import type { Db } from '../../platform/db.ts';
import { identityRepo } from '../identity/identity.repo.ts';
import type { StaffActor, TaxpayerActor } from '../identity/identity.types.ts';
import { type DocumentRow, knowledgeRepo } from './knowledge.repo.ts';
import { editorOf } from './knowledge-entries.service.ts';
import type { KnowledgeIndex } from './knowledge-index.ts';
import {
  checkReferences,
  type KbLine,
  type LineError,
  parseKnowledgeFiles,
  toJsonl,
  validateRecords,
  ZKbLine,
} from './knowledge-jsonl.ts';
import { entriesToCsv, entriesToXlsx, fileNameOf, readTable, type TableFormat } from './knowledge-table.ts';
import { qaPackages, recommend } from './recommendations.ts';

const SEED_DIR = path.resolve(import.meta.dirname, 'seed-kb');
const KB_SEED_VERSION = 1;

export type KnowledgeDeps = {
  db: Db;
  index: KnowledgeIndex;
  cluster: ClusterBus;
  /** Notices an administrator marked 同时作为热点推荐 that reached this person (精准推送), shown first. */
  pushedDocuments?: (who: { portalUserId: string; taxpayerId: string }) => Promise<TDocumentRef[]>;
};

export function toDocumentRef(d: DocumentRow): TDocumentRef {
  return {
    id: d.id,
    title: d.title,
    kind: d.kind,
    issuer: d.issuer,
    number: d.number,
    year: d.year,
    summary: d.summary,
  };
}

/** The product's own knowledge base, imported on first start (idempotent). */
export async function seedKnowledge(db: Db): Promise<boolean> {
  const [marker] = await db.select().from(settings).where(eq(settings.key, 'kb_seed'));
  if (marker) return false;
  const [kb, topics, documents] = await Promise.all(
    ['kb.jsonl', 'topics.jsonl', 'documents.jsonl'].map((f) => readFile(path.join(SEED_DIR, f), 'utf8')),
  );
  const parsed = parseKnowledgeFiles({ kb: kb ?? '', topics: topics ?? '', documents: documents ?? '' });
  if (parsed.errors.length > 0) throw new Error(`seed knowledge base is invalid: ${JSON.stringify(parsed.errors[0])}`);
  await knowledgeRepo.importAll(db, parsed);
  await db
    .insert(settings)
    .values({ key: 'kb_seed', value: { version: KB_SEED_VERSION } })
    .onConflictDoNothing();
  return true;
}

export function createKnowledgeService(deps: KnowledgeDeps) {
  const { db, index, cluster } = deps;
  const changed = (reason: string) => cluster.publish('knowledge.changed', { reason });

  async function profileOf(taxpayerId: string | undefined): Promise<Profile | undefined> {
    if (!taxpayerId) return undefined;
    const p = await identityRepo.profile(db, taxpayerId);
    if (!p) throw new AppError('NOT_FOUND', '纳税人不存在。');
    return { taxpayerType: p.type, industry: p.industry, region: p.region };
  }

  /** Every entry as its exchange line (what the bot answers with, or the draft of one never published). */
  async function entryLines(): Promise<KbLine[]> {
    return (await knowledgeRepo.allEntries(db)).map((e) => ({
      id: e.id,
      topic: e.topicId,
      question: e.question,
      similar: e.similar,
      answer: e.answer,
      documents: e.documents,
      audience: e.audience,
      keywords: e.keywords,
      ...(e.status === 'draft' ? { status: 'draft' as const } : {}),
    }));
  }

  return {
    /** The three JSONL files; all or nothing, every problem reported with its file and line. */
    async importFiles(
      actor: StaffActor,
      files: { kb: string; topics: string; documents: string; asDraft: boolean },
    ): Promise<TImportReport> {
      const [topics, documents] = await Promise.all([knowledgeRepo.topics(db), knowledgeRepo.documents(db)]);
      const parsed = parseKnowledgeFiles(files, {
        topicIds: topics.map((t) => t.id),
        documentIds: documents.map((d) => d.id),
      });
      const counts = {
        entries: parsed.entries.length,
        topics: parsed.topics.length,
        documents: parsed.documents.length,
      };
      if (parsed.errors.length > 0) return { ok: false, ...counts, errors: parsed.errors.slice(0, 500) };
      await knowledgeRepo.importAll(db, parsed, { asDraft: files.asDraft, by: editorOf(actor) });
      await changed('import');
      return { ok: true, ...counts, errors: [] };
    },

    /** Entries from a spreadsheet (CSV or .xlsx); all or nothing, every problem reported with its row. */
    async importTable(
      actor: StaffActor,
      input: { format: TableFormat; data: string; asDraft: boolean },
    ): Promise<TImportReport> {
      const [topics, documents] = await Promise.all([knowledgeRepo.topics(db), knowledgeRepo.documents(db)]);
      const file = fileNameOf(input.format);
      const errors: LineError[] = [];
      const records = await readTable(input.format, input.data, topics, errors);
      const entries = validateRecords(file, records, ZKbLine, errors);
      checkReferences(file, entries, new Set(topics.map((t) => t.id)), new Set(documents.map((d) => d.id)), errors);
      errors.sort((a, b) => a.line - b.line);
      const counts = { entries: entries.length, topics: 0, documents: 0 };
      if (errors.length > 0) return { ok: false, ...counts, errors: errors.slice(0, 500) };
      await knowledgeRepo.importAll(
        db,
        { topics: [], documents: [], entries: entries.map((e) => e.value) },
        { asDraft: input.asDraft, by: editorOf(actor) },
      );
      await changed('import');
      return { ok: true, ...counts, errors: [] };
    },

    async exportFile(_actor: StaffActor, file: 'kb' | 'topics' | 'documents'): Promise<string> {
      if (file === 'topics') {
        return toJsonl(
          (await knowledgeRepo.topics(db)).map((t) => ({ id: t.id, name: t.name, description: t.description })),
        );
      }
      if (file === 'documents') {
        return toJsonl((await knowledgeRepo.documents(db)).map((d) => ({ ...toDocumentRef(d), topics: d.topics })));
      }
      return toJsonl(await entryLines());
    },

    /** The entries as a spreadsheet, in the layout importTable reads. */
    async exportTable(_actor: StaffActor, format: TableFormat): Promise<string | Buffer> {
      const lines = await entryLines();
      return format === 'csv' ? entriesToCsv(lines) : entriesToXlsx(lines);
    },

    /** What the bot would do with a question, and why: outcome, terms, scored candidates and dialogue signals. */
    async testConsole(_actor: StaffActor, input: { question: string; taxpayerId?: string | undefined }) {
      const started = performance.now();
      const profile = await profileOf(input.taxpayerId);
      const snap = index.current;
      const outcome = snap.engine.answer(input.question, profile ? { profile } : {});
      const emotion = scoreEmotion(input.question);
      const keyword = detectHandoffKeyword(input.question);
      const intent = detectHandoffIntent(input.question);
      const entry = outcome.entryId ? snap.entries.get(outcome.entryId) : undefined;
      const result: TTestConsoleResult = {
        outcome: outcome.kind,
        answer: outcome.kind === 'smalltalk' ? (outcome.smalltalkReply ?? null) : (entry?.answer ?? null),
        terms: outcome.terms,
        candidates: outcome.candidates.slice(0, 10).map((c) => ({
          entryId: c.entryId,
          question: c.question,
          topicId: c.topicId,
          score: c.score,
          matchedTerms: c.matchedTerms,
        })),
        signals: [
          { name: '转人工关键词', fired: keyword, detail: keyword ? '包含转人工关键词' : '未包含' },
          { name: '转人工意图', fired: intent, detail: intent ? '识别到希望人工服务的表达' : '未识别到' },
          {
            name: '情绪',
            fired: emotion.intensity >= DEFAULT_SIGNAL_CONFIG.emotionThreshold,
            detail: `强度 ${emotion.intensity.toFixed(2)}${emotion.terms.length ? `（${emotion.terms.join('、')}）` : ''}`,
          },
        ],
        tookMs: Math.round((performance.now() - started) * 1000) / 1000,
      };
      return result;
    },

    async unanswered(_actor: StaffActor) {
      return (await knowledgeRepo.unanswered(db, 200)).map((u) => ({
        id: u.id,
        question: u.question,
        count: u.count,
        lastAskedAt: u.lastAskedAt.toISOString(),
      }));
    },

    async recommendations(actor: TaxpayerActor, page: TPortalPage) {
      const base = await recommend(db, index.current, (await profileOf(actor.taxpayerId)) ?? {}, page);
      const pushed = (await deps.pushedDocuments?.(actor)) ?? [];
      return pushed.length > 0 ? { ...base, documents: [...pushed, ...base.documents] } : base;
    },

    async packages(_actor: TaxpayerActor) {
      return qaPackages(db, index.current);
    },

    /** The agent's knowledge search: the best entries for a question, with their answers to insert. */
    async search(_actor: StaffActor, q: string) {
      const snap = index.current;
      const outcome = snap.engine.answer(q);
      return outcome.candidates.slice(0, 8).flatMap((c) => {
        const e = snap.entries.get(c.entryId);
        return e ? [{ entryId: e.id, question: e.question, answer: e.answer, score: c.score }] : [];
      });
    },

    async document(id: string) {
      const d = index.current.documents.get(id) ?? (await knowledgeRepo.document(db, id));
      if (!d) throw new AppError('NOT_FOUND', '文档不存在。');
      return { ...toDocumentRef(d), topics: d.topics };
    },
  };
}

export type KnowledgeService = ReturnType<typeof createKnowledgeService>;
