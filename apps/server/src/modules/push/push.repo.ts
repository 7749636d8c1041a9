/**
 * SQL of 精准推送. Delivery is set-based: one INSERT … SELECT per batch of taxpayers (in id order), never one call
 * per taxpayer; the unique index inbox_dedupe_idx (person, taxpayer, dedupe key) makes a repeated batch a no-op.
 */
import type { TPushAudience } from '@zhengna/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';

/** Below every uuid: where a delivery starts. */
export const FIRST_CURSOR = '00000000-0000-0000-0000-000000000000';
const LAST_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/**
 * The uuid space cut into `n` ranges (from, upTo] by the first 32 bits, for workers delivering side by side
 * (random uuids spread evenly over them).
 */
export function idRanges(n: number): { from: string; upTo: string }[] {
  const cut = (i: number) =>
    i === 0
      ? FIRST_CURSOR
      : i === n
        ? LAST_UUID
        : `${Math.floor((i * 0x1_0000_0000) / n)
            .toString(16)
            .padStart(8, '0')}-0000-0000-0000-000000000000`;
  return Array.from({ length: n }, (_, i) => ({ from: cut(i), upTo: cut(i + 1) }));
}

/**
 * The audience as a condition on `taxpayers t`. A list audience is read from `listSource` (a JSON array parameter for
 * a preview, the push row itself during delivery, so 100 000 numbers are not sent with every batch).
 */
export function audienceWhere(a: TPushAudience, listSource: SQL): SQL {
  if (a.kind === 'list') return sql`t.taxpayer_no in (select jsonb_array_elements_text(${listSource}))`;
  const parts: SQL[] = [];
  const anyOf = (column: SQL, values: readonly string[]) => {
    if (values.length > 0)
      parts.push(sql`${column} in (select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`);
  };
  anyOf(sql`t.type`, a.types);
  anyOf(sql`t.industry`, a.industries);
  anyOf(sql`t.region`, a.regions);
  anyOf(sql`t.tax_office_id`, a.taxOfficeIds);
  anyOf(sql`t.credit_grade`, a.creditGrades);
  return parts.length > 0 ? sql.join(parts, sql` and `) : sql`true`;
}

export const listParam = (a: TPushAudience): SQL =>
  sql`${JSON.stringify(a.kind === 'list' ? a.taxpayerNos : [])}::jsonb`;
export const listOfPush = (pushId: string): SQL =>
  sql`(select p.audience -> 'taxpayerNos' from pushes p where p.id = ${pushId})`;

const rowsOf = <T>(r: unknown): T[] => (r as { rows: T[] }).rows;

export const pushRepo = {
  /** Matching taxpayers, and inbox deliveries (persons acting for them). */
  async count(db: Db, where: SQL): Promise<{ taxpayers: number; recipients: number }> {
    const [row] = rowsOf<{ taxpayers: number; recipients: number }>(
      await db.execute(sql`
        select (select count(*) from taxpayers t where ${where})::int as taxpayers,
               (select count(*) from taxpayers t join portal_user_taxpayers put on put.taxpayer_id = t.id
                 where ${where})::int as recipients`),
    );
    return row ?? { taxpayers: 0, recipients: 0 };
  },

  async sampleNames(db: Db, where: SQL, limit: number): Promise<string[]> {
    return rowsOf<{ name: string }>(
      await db.execute(sql`select t.name from taxpayers t where ${where} order by t.name limit ${limit}`),
    ).map((r) => r.name);
  },

  /** Numbers of the list that name no taxpayer: how many, and the first few. */
  async unknownNos(db: Db, nos: readonly string[], limit: number): Promise<{ count: number; sample: string[] }> {
    const rows = rowsOf<{ no: string; total: number }>(
      await db.execute(sql`
        select n.no, count(*) over ()::int as total
          from (select distinct jsonb_array_elements_text(${JSON.stringify(nos)}::jsonb) as no) n
         where not exists (select 1 from taxpayers t where t.taxpayer_no = n.no)
         order by n.no
         limit ${limit}`),
    );
    return { count: rows[0]?.total ?? 0, sample: rows.map((r) => r.no) };
  },

  /**
   * Delivers to the matching taxpayers among the next `size` taxpayers after `cursor` (up to `upTo`), every person
   * acting for each. The span is taken by primary key alone, so each batch costs the same however far the delivery
   * is and however few taxpayers the audience selects. Returns the span's size, its last id (the next cursor) and how
   * many items were new.
   */
  async deliverBatch(
    db: Db,
    p: { where: SQL; cursor: string; upTo: string; size: number; title: string; body: string; dedupeKey: string },
  ): Promise<{ taxpayers: number; last: string | null; inserted: number }> {
    const [row] = rowsOf<{ taxpayers: number; last: string | null; inserted: number }>(
      await db.execute(sql`
        with span as (
          select * from taxpayers
           where id > ${p.cursor}::uuid and id <= ${p.upTo}::uuid
           order by id
           limit ${p.size}
        ), ins as (
          insert into inbox_items (portal_user_id, taxpayer_id, kind, title, body, dedupe_key)
          select put.user_id, t.id, 'push', ${p.title}::text, ${p.body}::text, ${p.dedupeKey}::text
            from span t
            -- by index, per taxpayer of the span (a hash join would read the whole table every batch)
           cross join lateral (select user_id from portal_user_taxpayers x where x.taxpayer_id = t.id) put
           where ${p.where}
          on conflict do nothing
          returning 1
        )
        select (select count(*) from span)::int as taxpayers,
               (select id::text from span order by id desc limit 1) as last,
               (select count(*) from ins)::int as inserted`),
    );
    return row ?? { taxpayers: 0, last: null, inserted: 0 };
  },

  /**
   * Where an interrupted delivery of the id range (from, upTo] resumes: the last taxpayer in it already delivered
   * to. Each batch is one statement, so the delivered rows themselves are the durable cursor (no separate
   * bookkeeping that could disagree with them).
   */
  async resumeCursor(db: Db, dedupeKey: string, from: string, upTo: string): Promise<string> {
    const [row] = rowsOf<{ id: string }>(
      await db.execute(sql`
        select taxpayer_id::text as id from inbox_items
         where dedupe_key = ${dedupeKey} and taxpayer_id > ${from}::uuid and taxpayer_id <= ${upTo}::uuid
         order by taxpayer_id desc limit 1`),
    );
    return row?.id ?? from;
  },

  /** Delivered and read counts per dedupe key. */
  async counts(db: Db, keys: readonly string[]): Promise<Map<string, { delivered: number; read: number }>> {
    if (keys.length === 0) return new Map();
    const rows = rowsOf<{ key: string; delivered: number; read: number }>(
      await db.execute(sql`
        select dedupe_key as key, count(*)::int as delivered, count(read_at)::int as read
          from inbox_items
         where dedupe_key in (select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))
         group by dedupe_key`),
    );
    return new Map(rows.map((r) => [r.key, { delivered: r.delivered, read: r.read }]));
  },

  async options(db: Db) {
    const [industries, regions, offices] = await Promise.all([
      db.execute(sql`select distinct industry as v from taxpayers order by 1 limit 500`),
      db.execute(sql`select distinct region as v from taxpayers order by 1 limit 500`),
      db.execute(sql`select id, name from tax_offices order by id limit 1000`),
    ]);
    return {
      industries: rowsOf<{ v: string }>(industries).map((r) => r.v),
      regions: rowsOf<{ v: string }>(regions).map((r) => r.v),
      taxOffices: rowsOf<{ id: string; name: string }>(offices),
    };
  },
};
