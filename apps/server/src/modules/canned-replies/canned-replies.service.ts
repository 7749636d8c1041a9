/** 快捷回复: an agent's own replies and the shared ones supervisors keep. */
import type { TCannedReply } from '@zhengna/contracts';
import { and, asc, eq, isNull, or } from 'drizzle-orm';
import { cannedReplies } from '../../db/schema.ts';
import { AppError } from '../../platform/app-error.ts';
import type { Db } from '../../platform/db.ts';
import type { StaffActor } from '../identity/identity.types.ts';

const MAX_PER_AGENT = 200;

const toReply = (r: typeof cannedReplies.$inferSelect): TCannedReply => ({
  id: r.id,
  title: r.title,
  body: r.body,
  shared: r.staffId === null,
});

export function createCannedRepliesService(deps: { db: Db }) {
  const { db } = deps;
  const visibleTo = (actor: StaffActor) => or(isNull(cannedReplies.staffId), eq(cannedReplies.staffId, actor.staffId));
  return {
    async list(actor: StaffActor) {
      const rows = await db.select().from(cannedReplies).where(visibleTo(actor)).orderBy(asc(cannedReplies.title));
      return rows.map(toReply);
    },

    async create(actor: StaffActor, input: { title: string; body: string; shared: boolean }) {
      if (input.shared && actor.role === 'agent') throw new AppError('FORBIDDEN', '只有班长和管理员可以添加共享回复。');
      const mine = await db.select().from(cannedReplies).where(eq(cannedReplies.staffId, actor.staffId));
      if (!input.shared && mine.length >= MAX_PER_AGENT) {
        throw new AppError('VALIDATION_FAILED', `个人快捷回复最多 ${MAX_PER_AGENT} 条。`);
      }
      const [row] = await db
        .insert(cannedReplies)
        .values({ staffId: input.shared ? null : actor.staffId, title: input.title, body: input.body })
        .returning();
      if (!row) throw new AppError('INTERNAL');
      return toReply(row);
    },

    /** Own replies; shared ones only by supervisors and admins. */
    async remove(actor: StaffActor, id: string) {
      const own = eq(cannedReplies.staffId, actor.staffId);
      const rows = await db
        .delete(cannedReplies)
        .where(and(eq(cannedReplies.id, id), actor.role === 'agent' ? own : or(own, isNull(cannedReplies.staffId))))
        .returning({ id: cannedReplies.id });
      if (rows.length === 0) throw new AppError('NOT_FOUND', '快捷回复不存在或无权删除。');
      return { ok: true as const };
    },
  };
}

export type CannedRepliesService = ReturnType<typeof createCannedRepliesService>;
