/** Administration of routing: skill groups, who is in them, and each agent's concurrency cap. */
import type { TSkillGroup } from '@zhengna/contracts';
import { asc, eq, inArray } from 'drizzle-orm';
import { conversations, skillGroups, staff, staffSkillGroups, taxOffices } from '../../db/schema.ts';
import { AppError } from '../../platform/app-error.ts';
import type { Db } from '../../platform/db.ts';
import type { StaffActor } from '../identity/identity.types.ts';
import { capacityChangeRefusal } from '../organization/organization.policy.ts';

type GroupInput = Omit<TSkillGroup, 'members'>;

export function createSkillGroupsService(deps: { db: Db }) {
  const { db } = deps;
  const offices = () => db.select().from(taxOffices).orderBy(asc(taxOffices.id));
  return {
    async list(_actor: StaffActor): Promise<TSkillGroup[]> {
      const [groups, members] = await Promise.all([
        db.select().from(skillGroups).orderBy(asc(skillGroups.id)),
        db
          .select({ groupId: staffSkillGroups.groupId, staffId: staff.id, name: staff.name })
          .from(staffSkillGroups)
          .innerJoin(staff, eq(staff.id, staffSkillGroups.staffId)),
      ]);
      return groups.map((g) => ({
        id: g.id,
        name: g.name,
        business: g.business,
        taxOfficeId: g.taxOfficeId,
        fallbackGroupId: g.fallbackGroupId,
        overflowAfterSeconds: g.overflowAfterSeconds,
        members: members.filter((m) => m.groupId === g.id).map((m) => ({ staffId: m.staffId, name: m.name })),
      }));
    },

    async upsert(_actor: StaffActor, input: GroupInput) {
      if (input.fallbackGroupId === input.id) throw new AppError('VALIDATION_FAILED', '溢出组不能是本组。');
      if (input.taxOfficeId) {
        const [office] = await db.select().from(taxOffices).where(eq(taxOffices.id, input.taxOfficeId));
        if (!office) throw new AppError('VALIDATION_FAILED', '税务机关不存在。');
      }
      if (input.fallbackGroupId) {
        const all = await db.select().from(skillGroups);
        const next = new Map(all.map((g) => [g.id, g.fallbackGroupId]));
        if (!next.has(input.fallbackGroupId)) throw new AppError('VALIDATION_FAILED', '溢出组不存在。');
        // a conversation overflowing along the chain must not come back to where it started
        const seen = new Set([input.id]);
        for (let g: string | null | undefined = input.fallbackGroupId; g; g = next.get(g)) {
          if (seen.has(g)) throw new AppError('VALIDATION_FAILED', '溢出组不能形成循环，请换一个溢出组。');
          seen.add(g);
        }
      }
      await db.insert(skillGroups).values(input).onConflictDoUpdate({ target: skillGroups.id, set: input });
      return { ok: true as const };
    },

    async remove(_actor: StaffActor, id: string) {
      const waiting = await db
        .select({ id: conversations.id })
        .from(conversations)
        .where(eq(conversations.queueGroupId, id));
      if (waiting.length > 0)
        throw new AppError('VALIDATION_FAILED', `该组还有 ${waiting.length} 位纳税人在排队，不能删除。`);
      const used = await db.select().from(skillGroups).where(eq(skillGroups.fallbackGroupId, id));
      if (used.length > 0) throw new AppError('VALIDATION_FAILED', `该组是“${used[0]?.name}”的溢出组，请先修改。`);
      const rows = await db.delete(skillGroups).where(eq(skillGroups.id, id)).returning({ id: skillGroups.id });
      if (rows.length === 0) throw new AppError('NOT_FOUND', '技能组不存在。');
      return { ok: true as const };
    },

    async setMembers(_actor: StaffActor, groupId: string, staffIds: string[]) {
      const [group] = await db.select().from(skillGroups).where(eq(skillGroups.id, groupId));
      if (!group) throw new AppError('NOT_FOUND', '技能组不存在。');
      const unique = [...new Set(staffIds)];
      const found = unique.length ? await db.select({ id: staff.id }).from(staff).where(inArray(staff.id, unique)) : [];
      if (found.length !== unique.length) throw new AppError('VALIDATION_FAILED', '有成员不存在。');
      await db.transaction(async (tx) => {
        await tx.delete(staffSkillGroups).where(eq(staffSkillGroups.groupId, groupId));
        if (unique.length) await tx.insert(staffSkillGroups).values(unique.map((staffId) => ({ staffId, groupId })));
      });
      return { ok: true as const };
    },

    /**
     * An administrator sets anyone's cap; a supervisor (班长) their own and their agents' — agents of their office or
     * an office below it — never another supervisor's or an administrator's.
     */
    async setCapacity(actor: StaffActor, staffId: string, maxConcurrent: number) {
      const people = await db
        .select({ id: staff.id, role: staff.role, taxOfficeId: staff.taxOfficeId })
        .from(staff)
        .where(inArray(staff.id, [staffId, actor.staffId]));
      const target = people.find((p) => p.id === staffId);
      const me = people.find((p) => p.id === actor.staffId);
      if (!target) throw new AppError('NOT_FOUND', '坐席不存在。');
      if (actor.role !== 'admin' && target.id !== actor.staffId) {
        const refusal = capacityChangeRefusal(me?.taxOfficeId ?? null, target, await offices());
        if (refusal) throw new AppError('FORBIDDEN', refusal);
      }
      await db.update(staff).set({ maxConcurrent }).where(eq(staff.id, staffId));
      return { ok: true as const };
    },

    offices,
  };
}

export type SkillGroupsService = ReturnType<typeof createSkillGroupsService>;
