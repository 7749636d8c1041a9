/**
 * 热点推荐 and 问答套餐, derived from the published knowledge base and what taxpayers actually ask.
 * - Recommendations: entries meant for this taxpayer's type, industry and region, near the portal page they came from
 *   (开票业务 → invoicing topics), and asked most lately — with at most two per topic so one topic does not fill the
 *   panel — plus the documents of those entries and of the page's topics.
 * - Q&A packages: topics ranked by how often their questions were answered or clicked.
 */
import type { TDocumentRef, TPortalPage, TQaPackage, TRecommendations } from '@zhengna/contracts';
import type { Profile } from '@zhengna/qa-engine';
import type { Db } from '../../platform/db.ts';
import { type EntryRow, knowledgeRepo } from './knowledge.repo.ts';
import { toDocumentRef } from './knowledge.service.ts';
import type { IndexSnapshot } from './knowledge-index.ts';

/** The topics a portal page is about (ids of the seed knowledge base's topics). */
export const PAGE_TOPICS: Record<TPortalPage, string[]> = {
  invoice: ['T01', 'T02', 'T03', 'T06', 'T07', 'T18'],
  account: ['T04', 'T05', 'T06', 'T17'],
  home: ['T13', 'T14', 'T09', 'T10', 'T11'],
  other: [],
};

const QUESTIONS = 6;
const DOCUMENTS = 4;
const PER_TOPIC = 2;
const RECENT_MS = 30 * 24 * 3600_000;

type Hits = Map<string, { count: number; lastAt: Date }>;

async function loadHits(db: Db): Promise<Hits> {
  const rows = await knowledgeRepo.hitsCached(db);
  return new Map(rows.map((r) => [r.entryId, { count: r.count, lastAt: r.lastAt }]));
}

function audienceScore(e: EntryRow, p: Profile): number {
  let s = 0;
  const a = e.audience;
  if (a.taxpayerTypes.length > 0) s += p.taxpayerType && a.taxpayerTypes.includes(p.taxpayerType) ? 2 : -4;
  if (a.industries.length > 0) s += p.industry && a.industries.some((i) => p.industry?.includes(i)) ? 1.5 : -1;
  if (a.regions.length > 0) s += p.region && a.regions.some((r) => p.region?.includes(r)) ? 1 : -1;
  return s;
}

export async function recommend(
  db: Db,
  snap: IndexSnapshot,
  profile: Profile,
  page: TPortalPage,
): Promise<TRecommendations> {
  const hits = await loadHits(db);
  const pageTopics = new Set(PAGE_TOPICS[page]);
  const now = Date.now();
  const scored = [...snap.entries.values()].map((e) => {
    const h = hits.get(e.id);
    const popularity = h ? Math.log1p(h.count) * (now - h.lastAt.getTime() < RECENT_MS ? 1 : 0.3) : 0;
    const score = audienceScore(e, profile) + (pageTopics.has(e.topicId) ? 2.5 : 0) + popularity;
    return { e, score };
  });
  // stable for equal scores: the knowledge base's own order
  scored.sort((a, b) => b.score - a.score || a.e.id.localeCompare(b.e.id));
  const perTopic = new Map<string, number>();
  const picked: EntryRow[] = [];
  for (const { e } of scored) {
    if (picked.length >= QUESTIONS) break;
    const n = perTopic.get(e.topicId) ?? 0;
    if (n >= PER_TOPIC) continue;
    perTopic.set(e.topicId, n + 1);
    picked.push(e);
  }
  const docs = new Map<string, TDocumentRef>();
  const addDoc = (id: string) => {
    const d = snap.documents.get(id);
    if (d && docs.size < DOCUMENTS) docs.set(id, toDocumentRef(d));
  };
  for (const e of picked) for (const id of e.documents) addDoc(id);
  for (const d of snap.documents.values()) if (d.topics.some((t) => pageTopics.has(t))) addDoc(d.id);
  return {
    questions: picked.map((e) => ({ entryId: e.id, question: e.question })),
    documents: [...docs.values()],
  };
}

export async function qaPackages(db: Db, snap: IndexSnapshot, limit = 8): Promise<TQaPackage[]> {
  const hits = await loadHits(db);
  const byTopic = new Map<string, { asked: number; questionCount: number }>();
  for (const e of snap.entries.values()) {
    const t = byTopic.get(e.topicId) ?? { asked: 0, questionCount: 0 };
    t.asked += hits.get(e.id)?.count ?? 0;
    t.questionCount += 1;
    byTopic.set(e.topicId, t);
  }
  return [...byTopic.entries()]
    .flatMap(([topicId, t]) => {
      const topic = snap.topics.get(topicId);
      return topic ? [{ topicId, name: topic.name, description: topic.description, ...t }] : [];
    })
    .sort((a, b) => b.asked - a.asked || a.topicId.localeCompare(b.topicId))
    .slice(0, limit);
}

/** A topic's questions, most asked first. */
export async function topicQuestions(db: Db, snap: IndexSnapshot, topicId: string, limit = 10) {
  const hits = await loadHits(db);
  return [...snap.entries.values()]
    .filter((e) => e.topicId === topicId)
    .sort((a, b) => (hits.get(b.id)?.count ?? 0) - (hits.get(a.id)?.count ?? 0) || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map((e) => ({ entryId: e.id, question: e.question }));
}
