/**
 * The SQL of 统计分析 for 留言, 工单 and appointments: their own tables are small and indexed, so the whole range is
 * read from them live (no rollup).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { day, n, rowsOf, type Scope } from './analytics-sql.ts';

const inRange = (col: SQL, s: Scope) => sql`${col} >= ${s.from.toISOString()} and ${col} < ${s.to.toISOString()}`;

export const analyticsCasesRepo = {
  async caseTotals(db: Db, s: Scope) {
    const office = (t: string) => (s.officeId ? sql` and ${sql.raw(t)}.tax_office_id = ${s.officeId}` : sql``);
    const group = (t: string) => (s.groupId ? sql` and ${sql.raw(t)}.group_id = ${s.groupId}` : sql``);
    const [row] = rowsOf<Record<string, number>>(
      await db.execute(sql`
        select
          (select count(*) from inquiries i where ${inRange(sql`i.created_at`, s)}${office('i')}${group('i')})::int
            as i_created,
          (select count(*) from inquiries i where ${inRange(sql`i.created_at`, s)} and i.replied_at is not null
             ${office('i')}${group('i')})::int as i_finished,
          (select count(*) from inquiries i where ${inRange(sql`i.created_at`, s)} and i.replied_at <= i.due_at
             ${office('i')}${group('i')})::int as i_on_time,
          (select count(*) from inquiries i where i.status = 'pending' and i.due_at < now()
             ${office('i')}${group('i')})::int as i_overdue,
          (select count(*) from work_orders w where ${inRange(sql`w.created_at`, s)}${office('w')}${group('w')})::int
            as w_created,
          (select count(*) from work_orders w where ${inRange(sql`w.created_at`, s)} and w.done_at is not null
             ${office('w')}${group('w')})::int as w_finished,
          (select count(*) from work_orders w where ${inRange(sql`w.created_at`, s)} and w.done_at <= w.due_at
             ${office('w')}${group('w')})::int as w_on_time,
          (select count(*) from work_orders w where w.status in ('pending', 'processing') and w.due_at < now()
             ${office('w')}${group('w')})::int as w_overdue`),
    );
    const totals = (p: 'i' | 'w') => {
      const finished = n(row?.[`${p}_finished`]);
      const onTime = n(row?.[`${p}_on_time`]);
      return {
        created: n(row?.[`${p}_created`]),
        finished,
        onTime,
        onTimeRate: finished ? onTime / finished : null,
        overdueOpen: n(row?.[`${p}_overdue`]),
      };
    };
    return { inquiries: totals('i'), workOrders: totals('w') };
  },

  async casesByDay(db: Db, s: Scope) {
    const office = s.officeId ? sql` and tax_office_id = ${s.officeId}` : sql``;
    const group = s.groupId ? sql` and group_id = ${s.groupId}` : sql``;
    return rowsOf<{ day: string; inquiries: number; work_orders: number }>(
      await db.execute(sql`
        select day, count(*) filter (where k = 'i')::int as inquiries, count(*) filter (where k = 'w')::int as work_orders
          from (select ${day(sql`created_at`)} as day, 'i' as k from inquiries
                 where ${inRange(sql`created_at`, s)}${office}${group}
                union all
                select ${day(sql`created_at`)}, 'w' from work_orders
                 where ${inRange(sql`created_at`, s)}${office}${group}) x
         group by 1`),
    ).map((r) => ({ day: r.day, inquiries: n(r.inquiries), workOrders: n(r.work_orders) }));
  },

  /** Open 留言 and 工单 past their deadline now, oldest deadline first (no taxpayer data). */
  async overdue(db: Db, s: Scope, limit = 100) {
    const office = (t: string) => (s.officeId ? sql` and ${sql.raw(t)}.tax_office_id = ${s.officeId}` : sql``);
    const group = (t: string) => (s.groupId ? sql` and ${sql.raw(t)}.group_id = ${s.groupId}` : sql``);
    return rowsOf<{
      kind: 'inquiry' | 'work_order';
      id: string;
      number: string | null;
      type: string;
      due_at: string | Date;
      office_name: string;
      assignee_name: string | null;
    }>(
      await db.execute(sql`
        select * from (
          select 'inquiry' as kind, i.id::text as id, null::text as number, i.type, i.due_at,
                 o.name as office_name, st.name as assignee_name
            from inquiries i join tax_offices o on o.id = i.tax_office_id
            left join staff st on st.id = i.assignee_staff_id
           where i.status = 'pending' and i.due_at < now()${office('i')}${group('i')}
          union all
          select 'work_order', w.id::text, w.number, w.type, w.due_at, o.name, st.name
            from work_orders w join tax_offices o on o.id = w.tax_office_id
            left join staff st on st.id = w.assignee_staff_id
           where w.status in ('pending', 'processing') and w.due_at < now()${office('w')}${group('w')}) x
         order by due_at, id limit ${limit}`),
    ).map((r) => ({
      kind: r.kind,
      id: r.id,
      number: r.number,
      type: r.type,
      dueAt: new Date(r.due_at).toISOString(),
      officeName: r.office_name,
      assigneeName: r.assignee_name,
    }));
  },

  async appointmentsByDay(db: Db, s: Scope) {
    const office = s.officeId
      ? sql` and a.service_id in (select id from appointment_services where tax_office_id = ${s.officeId})`
      : sql``;
    return rowsOf<{ day: string; booked: number; completed: number; no_show: number; cancelled: number }>(
      await db.execute(sql`
        select ${day(sql`a.starts_at`)} as day, count(*)::int as booked,
               count(*) filter (where a.status = 'completed')::int as completed,
               count(*) filter (where a.status = 'no_show')::int as no_show,
               count(*) filter (where a.status = 'cancelled')::int as cancelled
          from appointments a
         where ${inRange(sql`a.starts_at`, s)}${office}
         group by 1`),
    ).map((r) => ({
      day: r.day,
      booked: n(r.booked),
      completed: n(r.completed),
      noShow: n(r.no_show),
      cancelled: n(r.cancelled),
    }));
  },
};
