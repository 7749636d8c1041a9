/**
 * 知识条目 in the console: list and search, create, save, 发布, 下线, discard a draft, 变更历史 and 回滚.
 *
 * What the bot answers with changes only by publishing (or rolling back, or an import that publishes): saving a
 * published entry stores a draft beside it. Every change names the version the editor saw; if someone changed the
 * entry since, it is refused with VERSION_CONFLICT rather than silently overwritten. Each publish, rollback and
 * withdrawal is a numbered revision, and every node rebuilds its answering index at once (cluster bus).
 */
import type { TEntryContent, TEntryDetail, TEntryListQuery, TEntryRevision, TEntrySummary } from '@zhengna/contracts';
import type { EntryContent } from '../../db/schema.ts';
import { AppError } from '../../platform/app-error.ts';
import type { ClusterBus } from '../../platform/cluster-bus.ts';
import type { Db } from '../../platform/db.ts';
import type { StaffActor } from '../identity/identity.types.ts';
import { columnsOf, contentOf, type Editor, type EntryRow, knowledgeRepo } from './knowledge.repo.ts';

const CONFLICT = '该条目已被他人修改，请刷新后再修改。';
const NOT_FOUND = '知识条目不存在或已被删除。';

export function toEntryDetail(row: EntryRow): TEntryDetail {
  return {
    id: row.id,
    status: row.status,
    version: row.version,
    revision: row.revision,
    updatedAt: row.updatedAt.toISOString(),
    content: contentOf(row),
    draft: row.draft ?? null,
    draftBy: row.draftBy ?? null,
    draftAt: row.draftAt?.toISOString() ?? null,
  };
}

export const editorOf = (actor: StaffActor): Editor => ({ staffId: actor.staffId, name: actor.name });

export function createKnowledgeEntries(deps: { db: Db; cluster: ClusterBus }) {
  const { db, cluster } = deps;
  const changed = (reason: string) => cluster.publish('knowledge.changed', { reason });

  /** Topic and documents must exist: a draft is not checked by foreign keys, and publishing must not fail later. */
  async function checkReferences(content: TEntryContent) {
    const [topic, known] = await Promise.all([
      knowledgeRepo.topic(db, content.topic),
      knowledgeRepo.existingDocumentIds(db, content.documents),
    ]);
    if (!topic) throw new AppError('VALIDATION_FAILED', `专题 ${content.topic} 不存在，请重新选择。`);
    const missing = content.documents.find((d) => !known.has(d));
    if (missing) throw new AppError('VALIDATION_FAILED', `相关文档 ${missing} 不存在，请重新选择。`);
  }

  async function change(
    id: string,
    version: number,
    fn: Parameters<typeof knowledgeRepo.change>[3],
  ): Promise<TEntryDetail> {
    const result = await knowledgeRepo.change(db, id, version, fn);
    if (result === 'missing') throw new AppError('NOT_FOUND', NOT_FOUND);
    if (result === 'stale') throw new AppError('VERSION_CONFLICT', CONFLICT);
    if ('refused' in result) throw new AppError('VALIDATION_FAILED', result.refused);
    return toEntryDetail(result);
  }

  /** The next free KB-<topic>-NNN. */
  async function nextId(topic: string) {
    const prefix = `KB-${topic}-`;
    const taken = await knowledgeRepo.idsLike(db, prefix);
    const max = Math.max(0, ...taken.map((id) => Number(id.slice(prefix.length))).filter(Number.isInteger));
    return `${prefix}${String(max + 1).padStart(3, '0')}`;
  }

  return {
    async list(_actor: StaffActor, q: TEntryListQuery): Promise<{ items: TEntrySummary[]; total: number }> {
      const { items, total } = await knowledgeRepo.listEntries(db, q);
      return {
        total,
        items: items.map((r) => ({
          ...r,
          topicName: r.topicName ?? r.topic,
          hasDraft: Boolean(r.hasDraft),
          updatedAt: r.updatedAt.toISOString(),
        })),
      };
    },

    async get(_actor: StaffActor, id: string): Promise<TEntryDetail> {
      const row = await knowledgeRepo.entry(db, id);
      if (!row) throw new AppError('NOT_FOUND', NOT_FOUND);
      return toEntryDetail(row);
    },

    async topics(_actor: StaffActor) {
      return knowledgeRepo.topicsWithCounts(db);
    },

    async documentOptions(_actor: StaffActor) {
      return (await knowledgeRepo.documents(db)).map((d) => ({ id: d.id, title: d.title }));
    },

    /** A new entry is a draft: it answers nothing until 发布. */
    async create(
      _actor: StaffActor,
      input: { id?: string | undefined; content: TEntryContent; fromUnansweredId?: string | undefined },
    ): Promise<TEntryDetail> {
      await checkReferences(input.content);
      for (let attempt = 0; attempt < 3; attempt++) {
        const id = input.id ?? (await nextId(input.content.topic));
        const row = await knowledgeRepo.createEntry(db, id, input.content);
        if (row) {
          if (input.fromUnansweredId) await knowledgeRepo.removeUnanswered(db, input.fromUnansweredId);
          return toEntryDetail(row);
        }
        if (input.id) throw new AppError('VALIDATION_FAILED', `编号 ${input.id} 已存在，请换一个编号。`);
      }
      throw new AppError('VERSION_CONFLICT', '生成条目编号时与他人冲突，请重试。');
    },

    /** Saves: a published entry keeps answering with its published content; the edit waits as its draft. */
    async save(actor: StaffActor, id: string, input: { version: number; content: TEntryContent }) {
      await checkReferences(input.content);
      return change(id, input.version, async (row) =>
        row.status === 'published'
          ? { draft: input.content as EntryContent, draftBy: actor.name, draftAt: new Date() }
          : columnsOf(input.content as EntryContent),
      );
    },

    async publish(actor: StaffActor, id: string, input: { version: number; note: string }) {
      // checked before the row is locked: on the embedded database a query beside the transaction would wait for it
      const current = await knowledgeRepo.entry(db, id);
      if (current?.version === input.version) await checkReferences(current.draft ?? contentOf(current));
      const detail = await change(id, input.version, async (row, tx) => {
        if (row.status === 'published' && !row.draft) return '该条目已发布，没有未发布的修改。';
        const content = row.draft ?? contentOf(row);
        return {
          ...(await knowledgeRepo.publishContent(tx, row, content, 'publish', editorOf(actor), input.note)),
          draft: null,
          draftBy: null,
          draftAt: null,
        };
      });
      await changed(`publish:${id}`);
      return detail;
    },

    async unpublish(actor: StaffActor, id: string, input: { version: number; note: string }) {
      const detail = await change(id, input.version, async (row, tx) =>
        row.status !== 'published'
          ? '该条目未发布，无需下线。'
          : knowledgeRepo.withdraw(tx, row, editorOf(actor), input.note),
      );
      await changed(`unpublish:${id}`);
      return detail;
    },

    async discardDraft(_actor: StaffActor, id: string, input: { version: number }) {
      return change(id, input.version, async (row) =>
        row.draft ? { draft: null, draftBy: null, draftAt: null } : '该条目没有未发布的修改。',
      );
    },

    async revisions(_actor: StaffActor, id: string): Promise<TEntryRevision[]> {
      if (!(await knowledgeRepo.entry(db, id))) throw new AppError('NOT_FOUND', NOT_FOUND);
      return (await knowledgeRepo.revisions(db, id)).map((r) => ({
        revision: r.revision,
        action: r.action,
        content: r.content,
        staffName: r.staffName,
        note: r.note,
        createdAt: r.createdAt.toISOString(),
      }));
    },

    /** Publishes an earlier revision's content as a new revision; a pending draft stays as it is. */
    async rollback(actor: StaffActor, id: string, input: { version: number; revision: number; note: string }) {
      const target = await knowledgeRepo.revision(db, id, input.revision);
      if (!target) throw new AppError('NOT_FOUND', `第 ${input.revision} 版不存在。`);
      await checkReferences(target.content);
      const note = input.note || `回滚到第 ${input.revision} 版`;
      const detail = await change(id, input.version, (row, tx) =>
        knowledgeRepo.publishContent(tx, row, target.content, 'rollback', editorOf(actor), note),
      );
      await changed(`rollback:${id}`);
      return detail;
    },
  };
}

export type KnowledgeEntries = ReturnType<typeof createKnowledgeEntries>;
