/**
 * SQL for the audit log: append, search (newest first, keyset on id) and the retention purge. There is deliberately
 * no update and no delete by id: the table's trigger would refuse them anyway (migration 0011).
 */
import { and, desc, eq, gte, like, lt, type SQL, sql } from 'drizzle-orm';
import { auditLog } from '../../db/schema.ts';
import { type Db, escapeLike } from '../../platform/db.ts';

export type AuditRow = typeof auditLog.$inferSelect;
export type AuditInsert = Omit<typeof auditLog.$inferInsert, 'id'>;

export type AuditFilter = {
  fromAt?: Date;
  toBefore?: Date;
  staffId?: string;
  kind?: AuditRow['kind'];
  result?: AuditRow['result'];
  actionPrefix?: string;
  targetId?: string;
  beforeId?: bigint;
  limit: number;
};

export const auditRepo = {
  async insert(db: Db, row: AuditInsert): Promise<void> {
    await db.insert(auditLog).values(row);
  },

  async search(db: Db, f: AuditFilter): Promise<AuditRow[]> {
    const where: SQL[] = [];
    if (f.fromAt) where.push(gte(auditLog.at, f.fromAt));
    if (f.toBefore) where.push(lt(auditLog.at, f.toBefore));
    if (f.staffId) where.push(eq(auditLog.staffId, f.staffId));
    if (f.kind) where.push(eq(auditLog.kind, f.kind));
    if (f.result) where.push(eq(auditLog.result, f.result));
    if (f.actionPrefix) where.push(like(auditLog.action, `${escapeLike(f.actionPrefix)}%`));
    if (f.targetId) where.push(eq(auditLog.targetId, f.targetId));
    if (f.beforeId !== undefined) where.push(lt(auditLog.id, f.beforeId));
    return db
      .select()
      .from(auditLog)
      .where(and(...where))
      .orderBy(desc(auditLog.id))
      .limit(f.limit);
  },

  /** Deletes entries older than `days` days (≥ the trigger's 183, so the trigger lets every one of them go). */
  async purgeOlderThan(db: Db, days: number): Promise<number> {
    const rows = await db
      .delete(auditLog)
      .where(lt(auditLog.at, sql`now() - make_interval(days => ${days})`))
      .returning({ id: auditLog.id });
    return rows.length;
  },
};
