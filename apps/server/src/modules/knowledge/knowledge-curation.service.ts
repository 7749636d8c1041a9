/**
 * The knowledge base's vocabulary in the console: topics (专题) and the bureau's own synonym groups (同义词), which
 * the bot adds to its built-in dictionary. Both are checked for concurrent edits, and a change rebuilds every
 * node's answering index at once.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../platform/app-error.ts';
import type { ClusterBus } from '../../platform/cluster-bus.ts';
import type { Db } from '../../platform/db.ts';
import type { StaffActor } from '../identity/identity.types.ts';
import { knowledgeRepo } from './knowledge.repo.ts';

const CONFLICT = '已被他人修改，请刷新后再修改。';

/** Groups in a canonical order (terms kept in their order: the first is the canonical form). */
const canonical = (groups: string[][]) => [...groups].sort((a, b) => (a.join('\u0000') < b.join('\u0000') ? -1 : 1));
export const synonymsVersion = (groups: string[][]) =>
  createHash('sha256')
    .update(JSON.stringify(canonical(groups)))
    .digest('hex')
    .slice(0, 32);

export function createKnowledgeCuration(deps: { db: Db; cluster: ClusterBus }) {
  const { db, cluster } = deps;
  const changed = (reason: string) => cluster.publish('knowledge.changed', { reason });

  async function topicView(id: string) {
    const topic = (await knowledgeRepo.topicsWithCounts(db)).find((t) => t.id === id);
    if (!topic) throw new AppError('NOT_FOUND', '专题不存在。');
    return { ...topic, updatedAt: topic.updatedAt.toISOString() };
  }

  return {
    async createTopic(_actor: StaffActor, input: { id: string; name: string; description: string }) {
      if (!(await knowledgeRepo.createTopic(db, input))) {
        throw new AppError('VALIDATION_FAILED', `专题编号 ${input.id} 已存在，请换一个编号。`);
      }
      await changed(`topic:${input.id}`);
      return topicView(input.id);
    },

    async updateTopic(_actor: StaffActor, id: string, input: { name: string; description: string; updatedAt: string }) {
      const row = await knowledgeRepo.updateTopic(db, id, { ...input, updatedAt: new Date(input.updatedAt) });
      if (!row) {
        if (!(await knowledgeRepo.topic(db, id))) throw new AppError('NOT_FOUND', '专题不存在。');
        throw new AppError('VERSION_CONFLICT', `该专题${CONFLICT}`);
      }
      await changed(`topic:${id}`);
      return topicView(id);
    },

    async synonyms(_actor: StaffActor) {
      const groups = canonical((await knowledgeRepo.synonyms(db)).map((r) => r.terms));
      return { groups, version: synonymsVersion(groups) };
    },

    /** Replaces the whole list if nobody changed it since `version`; a word may belong to one group only. */
    async saveSynonyms(actor: StaffActor, input: { groups: string[][]; version: string }) {
      const groups = input.groups.map((g) => [...new Set(g.map((t) => t.normalize('NFKC').trim()))]);
      const owner = new Map<string, number>();
      groups.forEach((g, i) => {
        if (g.length < 2) throw new AppError('VALIDATION_FAILED', `第 ${i + 1} 组同义词至少要有两个不同的词。`);
        for (const term of g) {
          const first = owner.get(term);
          if (first !== undefined) {
            throw new AppError('VALIDATION_FAILED', `“${term}”同时出现在第 ${first + 1} 组和第 ${i + 1} 组，请合并。`);
          }
          owner.set(term, i);
        }
      });
      const saved = await knowledgeRepo.replaceSynonyms(
        db,
        groups,
        (current) => synonymsVersion(current) === input.version,
      );
      if (!saved) throw new AppError('VERSION_CONFLICT', `同义词${CONFLICT}`);
      await changed('synonyms');
      return this.synonyms(actor);
    },
  };
}

export type KnowledgeCuration = ReturnType<typeof createKnowledgeCuration>;
