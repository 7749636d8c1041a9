/**
 * Demo data for the embedded default: tax offices, six taxpayers of different types, industries and regions, one
 * person acting for two enterprises, and staff of each role. Runs under the startup lock; idempotent (a marker in
 * settings says it ran).
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../platform/db.ts';
import { createPortalUser, createStaff, createTaxOffice, createTaxpayer } from './factories.ts';
import {
  appointmentServices,
  inboxItems,
  portalUserTaxpayers,
  settings,
  skillGroups,
  staffSkillGroups,
} from './schema.ts';

const SEED_VERSION = 1;
export const DEMO_TAXPAYER_PASSWORD = 'Zhengna@2026';

export const DEMO_OFFICES = [
  { id: '13700000000', name: '国家税务总局山东省税务局', parentId: null },
  { id: '13701000000', name: '国家税务总局济南市税务局', parentId: '13700000000' },
  { id: '13701020000', name: '国家税务总局济南市历下区税务局', parentId: '13701000000' },
  { id: '13701030000', name: '国家税务总局济南市市中区税务局', parentId: '13701000000' },
  { id: '13702000000', name: '国家税务总局青岛市税务局', parentId: '13700000000' },
  { id: '13702020000', name: '国家税务总局青岛市市南区税务局', parentId: '13702000000' },
  { id: '13702110000', name: '国家税务总局青岛市黄岛区税务局', parentId: '13702000000' },
  { id: '13703030000', name: '国家税务总局淄博市张店区税务局', parentId: '13700000000' },
] as const;

export const DEMO_TAXPAYERS = [
  {
    taxpayerNo: '91370100MA3C000001',
    name: '济南明远科技有限公司',
    type: 'general',
    industry: '软件和信息技术服务业',
    region: '济南市历下区',
    taxOfficeId: '13701020000',
    creditGrade: 'A',
  },
  {
    taxpayerNo: '91370100MA3C000002',
    name: '济南泉城餐饮管理有限公司',
    type: 'small_scale',
    industry: '餐饮业',
    region: '济南市市中区',
    taxOfficeId: '13701030000',
    creditGrade: 'B',
  },
  {
    taxpayerNo: '91370200MA3C000003',
    name: '青岛海岳国际贸易有限公司',
    type: 'general',
    industry: '批发业',
    region: '青岛市市南区',
    taxOfficeId: '13702020000',
    creditGrade: 'A',
  },
  {
    taxpayerNo: '91370200MA3C000004',
    name: '青岛蓝湾建筑工程有限公司',
    type: 'general',
    industry: '建筑业',
    region: '青岛市黄岛区',
    taxOfficeId: '13702110000',
    creditGrade: 'B',
  },
  {
    taxpayerNo: '91370300MA3C000005',
    name: '淄博齐鲁文创工作室',
    type: 'small_scale',
    industry: '文化艺术业',
    region: '淄博市张店区',
    taxOfficeId: '13703030000',
    creditGrade: 'M',
  },
  {
    taxpayerNo: '370102199003074512',
    name: '王晓明',
    type: 'individual',
    industry: '个人',
    region: '济南市历下区',
    taxOfficeId: '13701020000',
    creditGrade: '—',
  },
] as const;

export const DEMO_STAFF = [
  { username: 'agent1', name: '张敏', role: 'agent', taxOfficeId: '13701000000', password: 'Agent@2026' },
  { username: 'agent2', name: '刘洋', role: 'agent', taxOfficeId: '13702000000', password: 'Agent@2026' },
  { username: 'supervisor1', name: '陈华', role: 'supervisor', taxOfficeId: '13701000000', password: 'Super@2026' },
  { username: 'admin', name: '系统管理员', role: 'admin', taxOfficeId: '13700000000', password: 'Admin@2026' },
] as const;

/** Queues of human service: province-wide by business, and Jinan's own invoicing desk that overflows to the province. */
export const DEMO_GROUPS = [
  { id: 'general', name: '综合咨询', business: 'general', taxOfficeId: null, fallbackGroupId: null },
  { id: 'invoice', name: '发票业务', business: 'invoice', taxOfficeId: null, fallbackGroupId: 'general' },
  { id: 'filing', name: '申报业务', business: 'filing', taxOfficeId: null, fallbackGroupId: 'general' },
  { id: 'registration', name: '登记业务', business: 'registration', taxOfficeId: null, fallbackGroupId: 'general' },
  {
    id: 'invoice-jinan',
    name: '济南市发票业务',
    business: 'invoice',
    taxOfficeId: '13701000000',
    fallbackGroupId: 'invoice',
  },
] as const;

const DEMO_MEMBERSHIPS: Record<string, string[]> = {
  agent1: ['invoice-jinan', 'invoice', 'general'],
  agent2: ['invoice', 'filing', 'registration', 'general'],
  supervisor1: ['general'],
};

export async function seedDemo(db: Db): Promise<boolean> {
  const [marker] = await db.select().from(settings).where(eq(settings.key, 'demo_seed'));
  if (marker && (marker.value as { version: number }).version >= SEED_VERSION) {
    await seedDemoAppointmentServices(db);
    return false;
  }

  for (const o of DEMO_OFFICES) await createTaxOffice(db, o);
  const tp = [];
  for (const t of DEMO_TAXPAYERS) tp.push(await createTaxpayer(db, t));
  const [t1, t2, t3, t4, t5, t6] = tp as [
    (typeof tp)[0],
    (typeof tp)[0],
    (typeof tp)[0],
    (typeof tp)[0],
    (typeof tp)[0],
    (typeof tp)[0],
  ];
  // 李静 is the tax clerk of two enterprises and switches between them
  await createPortalUser(db, {
    name: '李静',
    phone: '13805310001',
    idNumber: '370102198805061234',
    password: DEMO_TAXPAYER_PASSWORD,
    taxpayerIds: [t1.id, t2.id],
  });
  await createPortalUser(db, {
    name: '赵海',
    phone: '13905320003',
    idNumber: '370202198507153456',
    password: DEMO_TAXPAYER_PASSWORD,
    taxpayerIds: [t3.id],
  });
  await createPortalUser(db, {
    name: '孙丽',
    phone: '13705320004',
    idNumber: '370211199202204567',
    password: DEMO_TAXPAYER_PASSWORD,
    taxpayerIds: [t4.id],
  });
  await createPortalUser(db, {
    name: '周文',
    phone: '13605330005',
    idNumber: '370303199106115678',
    password: DEMO_TAXPAYER_PASSWORD,
    taxpayerIds: [t5.id],
  });
  await createPortalUser(db, {
    name: '王晓明',
    phone: '13505310006',
    idNumber: '370102199003074512',
    password: DEMO_TAXPAYER_PASSWORD,
    taxpayerIds: [t6.id],
  });
  const staffIds = new Map<string, string>();
  for (const s of DEMO_STAFF) staffIds.set(s.username, (await createStaff(db, s)).id);
  await db
    .insert(skillGroups)
    .values([...DEMO_GROUPS])
    .onConflictDoNothing();
  await db
    .insert(staffSkillGroups)
    .values(
      Object.entries(DEMO_MEMBERSHIPS).flatMap(([username, groups]) =>
        groups.map((groupId) => ({ staffId: staffIds.get(username) as string, groupId })),
      ),
    )
    .onConflictDoNothing();
  await seedDemoInbox(db);
  await seedDemoAppointmentServices(db);

  await db
    .insert(settings)
    .values({ key: 'demo_seed', value: { version: SEED_VERSION } })
    .onConflictDoUpdate({ target: settings.key, set: { value: { version: SEED_VERSION } } });
  return true;
}

/** A few 我的消息 items per demo person, so the inbox has something to show on first start. */
async function seedDemoInbox(db: Db) {
  const memberships = await db.select().from(portalUserTaxpayers);
  const items = memberships.flatMap((m) => [
    {
      portalUserId: m.userId,
      taxpayerId: m.taxpayerId,
      kind: 'system' as const,
      title: '欢迎使用征纳互动',
      body: '您可以随时向智能助理提问；需要人工服务时，点击“转人工”即可。',
      dedupeKey: 'demo-welcome',
    },
    {
      portalUserId: m.userId,
      taxpayerId: m.taxpayerId,
      kind: 'push' as const,
      title: '数电发票开具提醒',
      body: '数电发票无需领用税控设备，可在【开票业务】→【蓝字发票开具】中直接开具。开具前请确认开票员已完成实名认证。',
      dedupeKey: 'demo-push-1',
    },
  ]);
  if (items.length > 0) await db.insert(inboxItems).values(items).onConflictDoNothing();
}

/** Two 预约 services with bookable weekday slots (once: a data directory seeded earlier gets them on its next start). */
async function seedDemoAppointmentServices(db: Db) {
  const [any] = await db.select({ id: appointmentServices.id }).from(appointmentServices).limit(1);
  if (any) return;
  const weekdays = (spans: { start: string; end: string }[]) => ({
    mon: spans,
    tue: spans,
    wed: spans,
    thu: spans,
    fri: spans,
    sat: [],
    sun: [],
  });
  await db.insert(appointmentServices).values([
    {
      name: '发票业务视频辅导',
      taxOfficeId: '13701000000',
      business: 'invoice',
      channel: 'av',
      schedule: weekdays([
        { start: '09:00', end: '11:30' },
        { start: '14:00', end: '17:00' },
      ]),
      slotMinutes: 30,
      capacity: 2,
    },
    {
      name: '申报问题电话回访',
      taxOfficeId: '13700000000',
      business: 'filing',
      channel: 'phone',
      schedule: weekdays([
        { start: '09:00', end: '12:00' },
        { start: '14:00', end: '17:00' },
      ]),
      slotMinutes: 60,
      capacity: 3,
    },
  ]);
}
