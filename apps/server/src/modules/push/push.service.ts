/**
 * 精准推送: an administrator writes a notice, picks its audience by the taxpayer profile (or uploads a list of
 * taxpayer numbers) and sends it now or later. Sending is a job that fills every matching inbox in batches of set-based
 * SQL; the inbox's unique (person, taxpayer, dedupe key) index makes it exactly-once however often the job is retried,
 * so a node dying mid-way costs nothing but the retry. After each batch one cluster event names the taxpayer-id range
 * it covered, and each node tells only its own connected taxpayers (not one bus event per delivery).
 */
import {
  type TDocumentRef,
  type TPush,
  type TPushAudience,
  type TPushDraft,
  type TPushOptions,
  type TPushPreview,
  ZPushAudience,
  ZPushDraft,
} from '@zhengna/contracts';
import { and, desc, eq, gt, inArray, lte, or } from 'drizzle-orm';
import type { Logger } from 'pino';
import { inboxItems, pushes } from '../../db/schema.ts';
import { AppError } from '../../platform/app-error.ts';
import type { ClusterBus } from '../../platform/cluster-bus.ts';
import type { Db } from '../../platform/db.ts';
import type { Jobs } from '../../platform/jobs.ts';
import type { StaffActor } from '../identity/identity.types.ts';
import { audienceWhere, idRanges, listOfPush, listParam, pushRepo } from './push.repo.ts';

type Row = typeof pushes.$inferSelect;

export const PUSH_JOB = 'push.send';
export const pushDedupeKey = (pushId: string) => `push:${pushId}`;
/** pg-boss starts a job by the database's clock; this node's may be a little behind it. */
const CLOCK_SLACK_MS = 2000;
/** Delivered/read counts of a list are re-read at most this often per node (each is an index scan per push). */
const COUNTS_TTL_MS = 5000;
/** 热点推荐 candidates are re-read at most this often per node. */
const RECOMMENDED_TTL_MS = 10_000;
const RECOMMENDED_DAYS = 30;
const RECOMMENDED_SHOWN = 3;
/** Numbers of a list audience shown in the list of pushes. */
const LIST_SHOWN = 20;

/** The inbox body: the Markdown as written, and the link (if any) as a Markdown link clients render safely. */
export function inboxBody(content: string, link: string | null): string {
  if (!link) return content;
  const safe = link.replace(/[()\s<>]/g, (c) => encodeURIComponent(c));
  return `${content}\n\n[查看详情](${safe})`;
}

export function createPushService(deps: {
  db: Db;
  cluster: ClusterBus;
  logger: Logger;
  /** Taxpayers per INSERT … SELECT. */
  batchSize?: number;
  /** Id ranges delivered side by side (PostgreSQL: one pool connection each; PGlite has one connection: use 1). */
  workers?: number;
}) {
  const { db, cluster, logger } = deps;
  const batchSize = deps.batchSize ?? 5000;
  const workers = deps.workers ?? 1;
  let jobs: Jobs | undefined;
  const inflight = new Set<Promise<unknown>>();
  let recommended: { at: number; rows: Row[] } = { at: 0, rows: [] };
  const countsCache = new Map<string, { at: number; status: Row['status']; delivered: number; read: number }>();

  async function countsOf(rows: Row[], fresh = false) {
    const now = Date.now();
    // re-read when asked, when stale, or when the status moved since (sending → sent must show the final count)
    const stale = rows.filter((r) => {
      const c = countsCache.get(pushDedupeKey(r.id));
      return (
        (r.status === 'sending' || r.status === 'sent') &&
        (fresh || !c || c.status !== r.status || now - c.at > COUNTS_TTL_MS)
      );
    });
    const read = await pushRepo.counts(
      db,
      stale.map((r) => pushDedupeKey(r.id)),
    );
    for (const r of stale) {
      const k = pushDedupeKey(r.id);
      countsCache.set(k, { at: now, status: r.status, ...(read.get(k) ?? { delivered: 0, read: 0 }) });
    }
    return (id: string) => countsCache.get(pushDedupeKey(id)) ?? { delivered: 0, read: 0 };
  }

  const toPush = (r: Row, c: { delivered: number; read: number }): TPush => ({
    id: r.id,
    title: r.title,
    content: r.content,
    link: r.link,
    audience: ZPushAudience.parse(r.audience),
    recommend: r.recommend,
    status: r.status,
    scheduledAt: r.scheduledAt?.toISOString() ?? null,
    recipients: r.recipients,
    delivered: c.delivered,
    read: c.read,
    createdAt: r.createdAt.toISOString(),
    sentAt: r.sentAt?.toISOString() ?? null,
  });

  async function load(id: string): Promise<Row> {
    const [row] = await db.select().from(pushes).where(eq(pushes.id, id));
    if (!row) throw new AppError('NOT_FOUND', '推送不存在。');
    return row;
  }

  async function one(id: string, fresh = true): Promise<TPush> {
    const row = await load(id);
    return toPush(row, (await countsOf([row], fresh))(row.id));
  }

  const notNow = (r: Row, doing: string) =>
    new AppError(
      'VERSION_CONFLICT',
      `该推送${r.status === 'cancelled' ? '已取消' : r.status === 'draft' ? '尚未发送' : '已在发送或已发送'}，不能${doing}。`,
    );

  /**
   * Delivers a push (the job's body). Claims it (a due scheduled push, or one already sending: a retry), then
   * continues after the last taxpayer already delivered to. `maxBatches` stops early, as a crash would.
   */
  async function deliver(pushId: string, opts: { now?: Date; maxBatches?: number } = {}) {
    const now = opts.now ?? new Date();
    const [p] = await db
      .update(pushes)
      .set({ status: 'sending' })
      .where(
        and(
          eq(pushes.id, pushId),
          or(eq(pushes.status, 'sending'), and(eq(pushes.status, 'scheduled'), lte(pushes.scheduledAt, now))),
        ),
      )
      .returning();
    // cancelled, already sent, or not due yet: nothing to do
    if (!p) return { done: false, inserted: 0, batches: 0 };
    const audience = ZPushAudience.parse(p.audience);
    const where = audienceWhere(audience, listOfPush(p.id));
    const dedupeKey = pushDedupeKey(p.id);
    if (p.recipients === null) {
      const { recipients } = await pushRepo.count(db, where);
      await db.update(pushes).set({ recipients }).where(eq(pushes.id, p.id));
    }
    const body = inboxBody(p.content, p.link);
    let inserted = 0;
    let batches = 0;
    let stopped = false;
    // each worker walks its own id range; on PostgreSQL they run on separate connections side by side
    const walk = async (range: { from: string; upTo: string }) => {
      let cursor = await pushRepo.resumeCursor(db, dedupeKey, range.from, range.upTo);
      for (;;) {
        if (opts.maxBatches !== undefined && batches >= opts.maxBatches) {
          stopped = true;
          return;
        }
        batches += 1;
        const b = await pushRepo.deliverBatch(db, {
          where,
          cursor,
          upTo: range.upTo,
          size: batchSize,
          title: p.title,
          body,
          dedupeKey,
        });
        if (!b.last) return;
        inserted += b.inserted;
        if (b.inserted > 0) {
          cluster
            .publish('inbox.batch', { dedupeKey, after: cursor, upTo: b.last })
            .catch((err) => logger.warn({ err, pushId }, 'push batch notice not published'));
        }
        cursor = b.last;
        if (b.taxpayers < batchSize) return;
      }
    };
    await Promise.all(idRanges(workers).map(walk));
    if (stopped) return { done: false, inserted, batches };
    await db
      .update(pushes)
      .set({ status: 'sent', sentAt: new Date() })
      .where(and(eq(pushes.id, p.id), eq(pushes.status, 'sending')));
    logger.info({ pushId, inserted, batches }, 'push delivered');
    return { done: true, inserted, batches };
  }

  /** Without a job system (tests, jobs off) a due push is delivered by this process in the background. */
  function deliverInProcess(pushId: string) {
    const run = deliver(pushId)
      .catch((err) => logger.error({ err, pushId }, 'push delivery failed'))
      .finally(() => inflight.delete(run));
    inflight.add(run);
  }

  async function enqueue(r: Row) {
    if (jobs) {
      await jobs.sendAfter(
        PUSH_JOB,
        { pushId: r.id },
        { singletonKey: r.id, ...(r.status === 'scheduled' && r.scheduledAt ? { startAfter: r.scheduledAt } : {}) },
      );
    } else if (r.status === 'sending') {
      deliverInProcess(r.id);
    }
  }

  return {
    deliver,

    /** Starts the job queue on this node (any node may run any push). */
    async attachJobs(j: Jobs) {
      jobs = j;
      await j.work<{ pushId: string }>(PUSH_JOB, async ({ pushId }) => {
        await deliver(pushId, { now: new Date(Date.now() + CLOCK_SLACK_MS) });
      });
    },

    /**
     * Safety net, every minute: a scheduled push that is due but has no job (queued while jobs were off, or the
     * process died between saving and queueing) is queued again; the queue keeps one job per push.
     */
    async sweepDue(now = new Date()) {
      const due = await db
        .select()
        .from(pushes)
        .where(and(eq(pushes.status, 'scheduled'), lte(pushes.scheduledAt, now)));
      for (const r of due) {
        if (jobs) await enqueue(r);
        else deliverInProcess(r.id);
      }
      return due.length;
    },

    /** Resolves when this process's in-process deliveries have finished. */
    async idle() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },

    async list(_actor: StaffActor): Promise<TPush[]> {
      const rows = await db.select().from(pushes).orderBy(desc(pushes.createdAt)).limit(50);
      const counts = await countsOf(rows);
      // a list of 100 000 numbers per push would make the page megabytes: the list view gets its first few
      return rows.map((r) => {
        const p = toPush(r, counts(r.id));
        return p.audience.kind === 'list'
          ? {
              ...p,
              audience: { ...p.audience, taxpayerNos: p.audience.taxpayerNos.slice(0, LIST_SHOWN) },
              listSize: p.audience.taxpayerNos.length,
            }
          : p;
      });
    },

    get: (_actor: StaffActor, id: string) => one(id),

    /**
     * 热点推荐: the newest pushes marked as recommendations that this person received (who received it is exactly
     * who the audience selected). The candidates are cached per node; the per-person check is one index probe.
     */
    async recommendedDocuments(who: { portalUserId: string; taxpayerId: string }): Promise<TDocumentRef[]> {
      if (Date.now() - recommended.at > RECOMMENDED_TTL_MS) {
        recommended = {
          at: Date.now(),
          rows: await db
            .select()
            .from(pushes)
            .where(
              and(
                eq(pushes.recommend, true),
                inArray(pushes.status, ['sending', 'sent']),
                gt(pushes.createdAt, new Date(Date.now() - RECOMMENDED_DAYS * 86_400_000)),
              ),
            )
            .orderBy(desc(pushes.createdAt))
            .limit(20),
        };
      }
      const rows = recommended.rows;
      if (rows.length === 0) return [];
      const got = new Set(
        (
          await db
            .select({ key: inboxItems.dedupeKey })
            .from(inboxItems)
            .where(
              and(
                eq(inboxItems.portalUserId, who.portalUserId),
                eq(inboxItems.taxpayerId, who.taxpayerId),
                inArray(
                  inboxItems.dedupeKey,
                  rows.map((r) => pushDedupeKey(r.id)),
                ),
              ),
            )
        ).map((r) => r.key),
      );
      return rows
        .filter((r) => got.has(pushDedupeKey(r.id)))
        .slice(0, RECOMMENDED_SHOWN)
        .map((r) => ({
          id: pushDedupeKey(r.id),
          title: r.title,
          kind: '精准推送',
          issuer: '税务机关',
          number: '',
          year: (r.sentAt ?? r.createdAt).getFullYear(),
          summary: inboxBody(r.content, r.link).slice(0, 500),
        }));
    },

    async options(_actor: StaffActor): Promise<TPushOptions> {
      return pushRepo.options(db);
    },

    async preview(_actor: StaffActor, audience: TPushAudience): Promise<TPushPreview> {
      const where = audienceWhere(audience, listParam(audience));
      const count = await pushRepo.count(db, where);
      const sample = await pushRepo.sampleNames(db, where, 5);
      const unknown =
        audience.kind === 'list' ? await pushRepo.unknownNos(db, audience.taxpayerNos, 20) : { count: 0, sample: [] };
      return {
        matching: count.taxpayers,
        recipients: count.recipients,
        sample,
        unknown: unknown.count,
        unknownSample: unknown.sample,
      };
    },

    async create(actor: StaffActor, input: TPushDraft): Promise<TPush> {
      const d = ZPushDraft.parse(input);
      const [row] = await db
        .insert(pushes)
        .values({
          title: d.title,
          content: d.content,
          link: d.link === '' ? null : d.link,
          audience: d.audience,
          recommend: d.recommend,
          scheduledAt: d.scheduledAt ? new Date(d.scheduledAt) : null,
          createdBy: actor.staffId,
        })
        .returning();
      if (!row) throw new AppError('INTERNAL');
      return toPush(row, { delivered: 0, read: 0 });
    },

    /** 发送: now, or at the push's scheduled time if that is still ahead. */
    async send(_actor: StaffActor, id: string, now = new Date()): Promise<TPush> {
      const current = await load(id);
      if (current.status !== 'draft') throw notNow(current, '发送');
      const later = current.scheduledAt !== null && current.scheduledAt > now;
      const [row] = await db
        .update(pushes)
        .set({ status: later ? 'scheduled' : 'sending', version: current.version + 1 })
        .where(and(eq(pushes.id, id), eq(pushes.version, current.version)))
        .returning();
      if (!row) throw notNow(await load(id), '发送');
      await enqueue(row);
      return one(id);
    },

    /** 取消: a draft or a push waiting for its time. One already sending runs to the end. */
    async cancel(_actor: StaffActor, id: string): Promise<TPush> {
      const [row] = await db
        .update(pushes)
        .set({ status: 'cancelled' })
        .where(and(eq(pushes.id, id), inArray(pushes.status, ['draft', 'scheduled'])))
        .returning();
      if (!row) throw notNow(await load(id), '取消');
      return one(id);
    },
  };
}

export type PushService = ReturnType<typeof createPushService>;
