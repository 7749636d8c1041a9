/**
 * SQL shared by 留言 and 工单: the staff member's scope, the office tree, and routing a new to-do to the receiving
 * office's skill group and its least-loaded agent.
 */
import { and, eq, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { skillGroups, staff, staffSkillGroups, taxOffices, taxpayers } from '../../db/schema.ts';
import type { Db } from '../../platform/db.ts';
import { type Business, chooseGroup } from '../handoff/routing.ts';
import type { StaffActor } from '../identity/identity.types.ts';
import type { StaffScope } from './cases.policy.ts';

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;
const MAX_OFFICE_DEPTH = 32;

/** 留言类型 / 工单类型 ids that name a business get that business's skill group; the rest go to general consulting. */
export function businessOfCaseType(type: string): Business {
  return type === 'invoice' || type === 'filing' || type === 'registration' ? type : 'general';
}

export const casesRepo = {
  async staffScope(db: Db, actor: StaffActor): Promise<StaffScope> {
    const [row] = await db.select({ taxOfficeId: staff.taxOfficeId }).from(staff).where(eq(staff.id, actor.staffId));
    const groups = await db
      .select({ g: staffSkillGroups.groupId })
      .from(staffSkillGroups)
      .where(eq(staffSkillGroups.staffId, actor.staffId));
    return {
      staffId: actor.staffId,
      role: actor.role,
      taxOfficeId: row?.taxOfficeId ?? '',
      groupIds: groups.map((g) => g.g),
    };
  },

  /** The rows an agent's `office` scope covers: their office, their groups, or assigned to them. */
  scopeFilter(
    s: StaffScope,
    cols: { taxOfficeId: PgColumn; groupId: PgColumn; assigneeStaffId: PgColumn },
  ): SQL | undefined {
    if (s.role !== 'agent') return undefined;
    return or(
      eq(cols.taxOfficeId, s.taxOfficeId),
      eq(cols.assigneeStaffId, s.staffId),
      s.groupIds.length ? inArray(cols.groupId, s.groupIds) : undefined,
    );
  },

  offices: (db: Db) =>
    db
      .select({ id: taxOffices.id, name: taxOffices.name, parentId: taxOffices.parentId })
      .from(taxOffices)
      .orderBy(taxOffices.id),

  async taxpayerOffice(db: Db, taxpayerId: string): Promise<string> {
    const [row] = await db
      .select({ officeId: taxpayers.taxOfficeId })
      .from(taxpayers)
      .where(eq(taxpayers.id, taxpayerId));
    return row?.officeId ?? '';
  },

  async office(db: Db, id: string) {
    const [row] = await db.select().from(taxOffices).where(eq(taxOffices.id, id));
    return row;
  },

  /** The office and its parents, nearest first (a cycle ends the chain). */
  async officeChain(db: Db, officeId: string): Promise<string[]> {
    const rows = rowsOf<{ id: string }>(
      await db.execute(sql`
        with recursive chain (id, parent_id, depth) as (
          select id, parent_id, 0 from tax_offices where id = ${officeId}
          union all
          select o.id, o.parent_id, ch.depth + 1 from tax_offices o join chain ch on o.id = ch.parent_id
           where ch.depth < ${MAX_OFFICE_DEPTH}
        )
        select id from chain order by depth`),
    );
    const chain: string[] = [];
    for (const r of rows) {
      if (chain.includes(r.id)) break;
      chain.push(r.id);
    }
    return chain;
  },

  /**
   * Where a new to-do goes: the business's skill group at the receiving office or the nearest office above it (else
   * province-wide, else general consulting — as chats are routed), then that group's least-loaded agent, online ones
   * first. A to-do is not real-time, so an office whose agents are all away still gets it assigned (it waits for
   * them); a group with nobody in it leaves it to the group, where the office's agents and supervisors see it.
   */
  async route(
    db: Db,
    officeId: string,
    business: Business,
  ): Promise<{ groupId: string | null; staffId: string | null }> {
    const chain = await casesRepo.officeChain(db, officeId);
    // only the office's own line: a group of some unrelated office must not catch another office's to-dos
    const groups = (
      await db
        .select()
        .from(skillGroups)
        .where(or(isNull(skillGroups.taxOfficeId), chain.length ? inArray(skillGroups.taxOfficeId, chain) : undefined))
    ).map((g) => ({ ...g, business: g.business as Business }));
    const group = groups.length ? chooseGroup(groups, chain, business) : null;
    if (!group) return { groupId: null, staffId: null };
    const [agent] = rowsOf<{ id: string }>(
      await db.execute(sql`
        select s.id from staff s join staff_skill_groups m on m.staff_id = s.id
         where m.group_id = ${group.id} and s.active
         order by case s.presence when 'online' then 0 when 'busy' then 1 else 2 end,
                  (select count(*) from inquiries i where i.assignee_staff_id = s.id and i.status = 'pending')
                  + (select count(*) from work_orders w
                      where w.assignee_staff_id = s.id and w.status in ('pending', 'processing')),
                  s.id
         limit 1`),
    );
    return { groupId: group.id, staffId: agent?.id ?? null };
  },

  async staffNames(db: Db, ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await db.select({ id: staff.id, name: staff.name }).from(staff).where(inArray(staff.id, unique));
    return new Map(rows.map((r) => [r.id, r.name]));
  },

  async officeNames(db: Db, ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await db
      .select({ id: taxOffices.id, name: taxOffices.name })
      .from(taxOffices)
      .where(inArray(taxOffices.id, unique));
    return new Map(rows.map((r) => [r.id, r.name]));
  },

  activeStaff: (db: Db, id: string) =>
    db
      .select({ id: staff.id })
      .from(staff)
      .where(and(eq(staff.id, id), eq(staff.active, true))),
};
