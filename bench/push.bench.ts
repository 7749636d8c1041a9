/**
 * 精准推送 benchmark: seeds BENCH_TAXPAYERS (100 000) taxpayers, each with a person acting for it, plus a control group
 * the rule does not select; sends one push to a rule that selects the first group and times the delivery (the job's
 * body, set-based batches); then checks with SQL that every matching person got it exactly once and nobody else did.
 * A second push is interrupted after half its batches (as a node dying would leave it) and finished by a fresh
 * service instance (as a retried job would), and checked the same way.
 *
 *   npm run bench:push                      PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
 *   BENCH_MODES=postgres,embedded npm run bench:push   also PGlite (BENCH_EMBEDDED_TAXPAYERS, default 20 000)
 *
 * Prints one JSON object on stdout; progress goes to stderr.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { type RunningApp, startApp } from '../apps/server/src/app.ts';
import { loadConfig } from '../apps/server/src/config.ts';
import { createStaff, createTaxOffice } from '../apps/server/src/db/factories.ts';
import type { StaffActor } from '../apps/server/src/modules/identity/identity.types.ts';
import { createPushService, pushDedupeKey } from '../apps/server/src/modules/push/push.service.ts';
import { tempDataDir } from '../apps/server/test/harness.ts';
import { createTestDatabase } from '../apps/server/test/pg-database.ts';

const runStart = performance.now();
const log = (msg: string) =>
  process.stderr.write(`[bench ${((performance.now() - runStart) / 1000).toFixed(1)}s] ${msg}\n`);
const num = (name: string, dflt: number) => {
  const v = Number(process.env[name] || dflt);
  if (!Number.isFinite(v) || v < 1) throw new Error(`${name} must be a positive number`);
  return Math.floor(v);
};

const TAXPAYERS = num('BENCH_TAXPAYERS', 100_000);
const EMBEDDED_TAXPAYERS = num('BENCH_EMBEDDED_TAXPAYERS', 20_000);
const CONTROL = num('BENCH_CONTROL', 1000);
const BATCH = num('BENCH_BATCH', 5000);
const WORKERS = num('BENCH_WORKERS', 4);
const MODES = (process.env.BENCH_MODES || 'postgres').split(',').map((m) => m.trim());
const TARGET = { perSecond: 20_000, duplicates: 0, missing: 0 };
const REGION = '基准区';

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;
const round2 = (v: number) => Math.round(v * 100) / 100;

async function seed(app: RunningApp, n: number) {
  const t0 = performance.now();
  const office = await createTaxOffice(app.db, { id: 'BENCH', name: '基准税务局' });
  // matching taxpayers first, then the control group in another region; one person acting for each
  await app.db.execute(sql`
    insert into taxpayers (taxpayer_no, name, type, industry, region, tax_office_id, credit_grade)
    select 'BENCH' || lpad(g::text, 13, '0'), '基准企业' || g,
           (array['general', 'small_scale', 'individual'])[1 + g % 3], '批发业',
           case when g <= ${n} then ${REGION} else '对照区' end, ${office.id}, 'B'
      from generate_series(1, ${n + CONTROL}) g`);
  await app.db.execute(sql`
    insert into portal_users (name, phone, id_number, password_hash)
    select '办税员' || g, '139' || lpad(g::text, 8, '0'), 'BENCH' || lpad(g::text, 13, '0'), 'not-a-login'
      from generate_series(1, ${n + CONTROL}) g`);
  await app.db.execute(sql`
    insert into portal_user_taxpayers (user_id, taxpayer_id)
    select u.id, t.id from portal_users u join taxpayers t on t.taxpayer_no = u.id_number
     where u.id_number like 'BENCH%'`);
  await app.db.execute(sql`analyze taxpayers; analyze portal_users; analyze portal_user_taxpayers`).catch(() => {});
  return (performance.now() - t0) / 1000;
}

/** Duplicates (items beyond one per person and taxpayer), missing (matching persons without it), strays (others). */
async function verify(app: RunningApp, pushId: string) {
  const key = pushDedupeKey(pushId);
  const [row] = rowsOf<{ items: number; distinct_items: number; missing: number; strays: number }>(
    await app.db.execute(sql`
      select (select count(*) from inbox_items where dedupe_key = ${key})::int as items,
             (select count(distinct (portal_user_id, taxpayer_id)) from inbox_items where dedupe_key = ${key})::int
               as distinct_items,
             (select count(*) from portal_user_taxpayers put join taxpayers t on t.id = put.taxpayer_id
               where t.region = ${REGION}
                 and not exists (select 1 from inbox_items i where i.dedupe_key = ${key}
                                   and i.portal_user_id = put.user_id and i.taxpayer_id = put.taxpayer_id))::int
               as missing,
             (select count(*) from inbox_items i join taxpayers t on t.id = i.taxpayer_id
               where i.dedupe_key = ${key} and t.region <> ${REGION})::int as strays`),
  );
  if (!row) throw new Error('verification query returned nothing');
  return { delivered: row.items, duplicates: row.items - row.distinct_items, missing: row.missing, strays: row.strays };
}

async function runMode(mode: 'postgres' | 'embedded') {
  const n = mode === 'postgres' ? TAXPAYERS : EMBEDDED_TAXPAYERS;
  let drop: (() => Promise<void>) | undefined;
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    SEED_KB: 'false',
    BOT_ENABLED: 'false',
    DATA_DIR: mode === 'embedded' ? tempDataDir() : 'memory://',
  };
  if (mode === 'postgres') {
    process.env.TEST_DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/test';
    const db = await createTestDatabase();
    drop = db.drop;
    env.DATABASE_URL = db.url;
  }
  log(`${mode}: starting (fresh database)`);
  // jobs off: the bench runs the job's body itself, so pg-boss's polling interval does not count as delivery time
  const app = await startApp(loadConfig(env), { jobs: false });
  try {
    log(`${mode}: seeding ${n} taxpayers + ${CONTROL} control, one person each`);
    const seedSeconds = await seed(app, n);
    const admin = await createStaff(app.db, { taxOfficeId: 'BENCH', role: 'admin', passwordHash: 'x' });
    const actor: StaffActor = { kind: 'staff', sessionId: 'bench', staffId: admin.id, role: 'admin', name: 'bench' };
    const service = createPushService({
      db: app.db,
      cluster: app.cluster,
      logger: pino({ level: 'silent' }),
      batchSize: BATCH,
      workers: mode === 'postgres' ? WORKERS : 1,
    });
    const audience = {
      kind: 'rules' as const,
      types: [],
      industries: [],
      regions: [REGION],
      taxOfficeIds: [],
      creditGrades: [],
    };
    const preview = await service.preview(actor, audience);
    log(`${mode}: preview says ${preview.matching} taxpayers, ${preview.recipients} deliveries`);

    const push = await service.create(actor, { title: '征期提醒', content: '请于 **15 日**前完成申报。', audience });
    log(`${mode}: sending`);
    const t0 = performance.now();
    await service.send(actor, push.id);
    await service.idle();
    const seconds = (performance.now() - t0) / 1000;
    const sent = await service.get(actor, push.id);
    const check = await verify(app, push.id);
    log(`${mode}: ${check.delivered} delivered in ${seconds.toFixed(2)} s, status ${sent.status}`);

    // a node dies after half the batches; a retried job on a fresh node finishes the push
    const half = Math.max(1, Math.ceil((n + CONTROL) / BATCH / 2));
    const second = await service.create(actor, { title: '发票新规', content: '新规解读', audience });
    await app.db.execute(sql`update pushes set status = 'sending' where id = ${second.id}`);
    const crashed = await service.deliver(second.id, { maxBatches: half });
    const r0 = performance.now();
    const retried = createPushService({
      db: app.db,
      cluster: app.cluster,
      logger: pino({ level: 'silent' }),
      batchSize: BATCH,
      workers: mode === 'postgres' ? WORKERS : 1,
    });
    const resumed = await retried.deliver(second.id);
    const resumeSeconds = (performance.now() - r0) / 1000;
    const resumeCheck = await verify(app, second.id);
    log(
      `${mode}: resume — ${crashed.inserted} before the crash, ${resumed.inserted} after, ` +
        `${resumeCheck.duplicates} duplicates, ${resumeCheck.missing} missing`,
    );
    return {
      shape: mode === 'postgres' ? 'distributed (PostgreSQL)' : 'embedded (PGlite)',
      recipients: preview.recipients,
      seconds: round2(seconds),
      perSecond: Math.round(check.delivered / seconds),
      duplicates: check.duplicates,
      missing: check.missing,
      delivered: check.delivered,
      strays: check.strays,
      status: sent.status,
      batchSize: BATCH,
      workers: mode === 'postgres' ? WORKERS : 1,
      seedSeconds: round2(seedSeconds),
      resume: {
        batchesBeforeCrash: crashed.batches,
        deliveredBeforeCrash: crashed.inserted,
        deliveredAfterRestart: resumed.inserted,
        resumeSeconds: round2(resumeSeconds),
        duplicates: resumeCheck.duplicates,
        missing: resumeCheck.missing,
        strays: resumeCheck.strays,
      },
    };
  } finally {
    await app.close();
    await drop?.();
  }
}

const results: Record<string, Awaited<ReturnType<typeof runMode>>> = {};
for (const mode of ['postgres', 'embedded'] as const) if (MODES.includes(mode)) results[mode] = await runMode(mode);
const main = results.postgres ?? results.embedded;
if (!main) throw new Error('BENCH_MODES selects nothing (postgres, embedded)');
const ok =
  main.duplicates === 0 &&
  main.missing === 0 &&
  main.strays === 0 &&
  main.resume.duplicates === 0 &&
  main.resume.missing === 0 &&
  (!results.postgres || results.postgres.perSecond >= TARGET.perSecond);
process.stdout.write(
  `${JSON.stringify({
    recipients: main.recipients,
    seconds: main.seconds,
    perSecond: main.perSecond,
    duplicates: main.duplicates,
    missing: main.missing,
    target: TARGET,
    ok,
    ...results,
  })}\n`,
);
process.exit(0);
