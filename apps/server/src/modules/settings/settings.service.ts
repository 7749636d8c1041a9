/**
 * Service settings (human service hours, handoff rules): read through a per-node cache that every node drops when
 * any node changes a setting; changed only with the version the change was based on.
 */
import {
  DEFAULT_SECURITY_SETTINGS,
  type TAppointmentSettings,
  type TCaseSettings,
  type THandoffRules,
  type TSecuritySettings,
  type TServiceHours,
  ZAppointmentSettings,
  ZCaseSettings,
  ZHandoffRules,
  ZSecuritySettings,
  ZServiceHours,
} from '@zhengna/contracts';
import { DEFAULT_SIGNAL_CONFIG } from '@zhengna/qa-engine';
import { eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { settings } from '../../db/schema.ts';
import { AppError } from '../../platform/app-error.ts';
import type { ClusterBus } from '../../platform/cluster-bus.ts';
import type { Db } from '../../platform/db.ts';
import type { StaffActor } from '../identity/identity.types.ts';
import { ALWAYS_OPEN } from './service-hours.ts';

export const DEFAULT_HANDOFF_RULES: THandoffRules = {
  keywords: [...DEFAULT_SIGNAL_CONFIG.handoffKeywords],
  noAnswerLimit: DEFAULT_SIGNAL_CONFIG.noAnswerLimit,
  unhelpfulLimit: DEFAULT_SIGNAL_CONFIG.unhelpfulLimit,
  multiTurnLimit: DEFAULT_SIGNAL_CONFIG.multiTurnLimit,
  emotionThreshold: DEFAULT_SIGNAL_CONFIG.emotionThreshold,
  smartMode: 'direct',
};

/** 留言 and 工单 until an administrator changes them: common types, statutory-style limits, plain SMS wording. */
export const DEFAULT_CASE_SETTINGS: TCaseSettings = {
  inquiryTypes: [
    { id: 'invoice', name: '发票问题' },
    { id: 'filing', name: '申报问题' },
    { id: 'registration', name: '登记问题' },
    { id: 'policy', name: '政策咨询' },
    { id: 'complaint', name: '投诉建议' },
    { id: 'other', name: '其他' },
  ],
  inquirySlaDays: 1,
  contentMaxLength: 500,
  workOrderTypes: [
    { id: 'consult', name: '咨询类', limitDays: 3 },
    { id: 'business', name: '业务办理类', limitDays: 5 },
    { id: 'complaint', name: '投诉举报类', limitDays: 10 },
  ],
  remindDaysBefore: 1,
  smsTemplates: {
    inquiry_reply: { text: '【征纳互动】您的留言已收到{office}的回复：{reply}', providerCode: '' },
    work_order_result: { text: '【征纳互动】您的工单{number}（{title}）已办结，办理结果：{result}', providerCode: '' },
    push: { text: '【征纳互动】{title}：{content}', providerCode: '' },
    appointment_success: { text: '【征纳互动】您已成功预约{time}的{service}，请准时参加。', providerCode: '' },
  },
};

/** 预约: remind an hour ahead, 失约 after 15 minutes, three 失约 in 90 days restrict booking for 30 days. */
export const DEFAULT_APPOINTMENT_SETTINGS: TAppointmentSettings = {
  remindMinutesBefore: 60,
  graceMinutes: 15,
  noShowLimit: 3,
  noShowWindowDays: 90,
  restrictDays: 30,
};

const DEFINITIONS = {
  service_hours: { schema: ZServiceHours, fallback: ALWAYS_OPEN },
  handoff_rules: { schema: ZHandoffRules, fallback: DEFAULT_HANDOFF_RULES },
  cases: { schema: ZCaseSettings, fallback: DEFAULT_CASE_SETTINGS },
  appointments: { schema: ZAppointmentSettings, fallback: DEFAULT_APPOINTMENT_SETTINGS },
  security: { schema: ZSecuritySettings, fallback: DEFAULT_SECURITY_SETTINGS },
} as const;
export type SettingKey = keyof typeof DEFINITIONS;
type ValueOf<K extends SettingKey> = z.infer<(typeof DEFINITIONS)[K]['schema']>;

export function createSettingsService(deps: { db: Db; cluster: ClusterBus }) {
  const { db, cluster } = deps;
  const cache = new Map<SettingKey, { value: unknown; version: number }>();
  cluster.on('settings.changed', ({ key }) => cache.delete(key as SettingKey));
  // changes made on other nodes while this one was cut off from Redis were never heard here
  cluster.on('cluster.resumed', () => cache.clear());

  async function get<K extends SettingKey>(key: K): Promise<{ value: ValueOf<K>; version: number }> {
    const hit = cache.get(key);
    if (hit) return hit as { value: ValueOf<K>; version: number };
    const [row] = await db.select().from(settings).where(eq(settings.key, key));
    const parsed = row ? DEFINITIONS[key].schema.safeParse(row.value) : null;
    const out = {
      value: (parsed?.success ? parsed.data : DEFINITIONS[key].fallback) as ValueOf<K>,
      version: row?.version ?? 0,
    };
    cache.set(key, out);
    return out;
  }

  return {
    get,
    serviceHours: async (): Promise<TServiceHours> => (await get('service_hours')).value,
    handoffRules: async (): Promise<THandoffRules> => (await get('handoff_rules')).value,
    caseSettings: async (): Promise<TCaseSettings> => (await get('cases')).value,
    appointmentSettings: async (): Promise<TAppointmentSettings> => (await get('appointments')).value,
    security: async (): Promise<TSecuritySettings> => (await get('security')).value,

    /** Saves a setting if nobody changed it since `version`; the new version is returned. */
    async update<K extends SettingKey>(_actor: StaffActor, key: K, change: { value: ValueOf<K>; version: number }) {
      const saved = await db.transaction(async (tx) => {
        const [row] = await tx.select().from(settings).where(eq(settings.key, key)).for('update');
        const current = row?.version ?? 0;
        if (change.version !== current) throw new AppError('VERSION_CONFLICT');
        if (!row) {
          await tx.insert(settings).values({ key, value: change.value, version: 1 });
          return 1;
        }
        const [updated] = await tx
          .update(settings)
          .set({ value: change.value, version: sql`${settings.version} + 1`, updatedAt: new Date() })
          .where(eq(settings.key, key))
          .returning({ version: settings.version });
        return updated?.version ?? current + 1;
      });
      cache.delete(key);
      await cluster.publish('settings.changed', { key });
      return { value: change.value, version: saved };
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
