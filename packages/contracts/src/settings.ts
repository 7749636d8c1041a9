/**
 * @module settings
 * Service settings the administrators keep: human service hours and the rules that hand a taxpayer to a human.
 * Every change carries the version it was based on, so two administrators cannot silently overwrite each other.
 */
import { z } from 'zod';

const ZTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, '时间格式应为 HH:mm');
const ZSpan = z.object({ start: ZTime, end: ZTime }).refine((s) => s.start < s.end, '结束时间须晚于开始时间');

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const WEEKDAY_LABELS: Record<(typeof WEEKDAYS)[number], string> = {
  mon: '周一',
  tue: '周二',
  wed: '周三',
  thu: '周四',
  fri: '周五',
  sat: '周六',
  sun: '周日',
};

/** Human service hours in China Standard Time; holidays close the whole day, make-up workdays open it. */
export const ZServiceHours = z.object({
  week: z.object(
    Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(ZSpan).max(4)])) as Record<
      (typeof WEEKDAYS)[number],
      z.ZodArray<typeof ZSpan>
    >,
  ),
  holidays: z.array(z.iso.date('日期格式应为 YYYY-MM-DD')).max(100).default([]),
  /** Weekend days worked as weekdays (调休上班), with Monday's hours. */
  workdays: z.array(z.iso.date('日期格式应为 YYYY-MM-DD')).max(50).default([]),
});
export type TServiceHours = z.infer<typeof ZServiceHours>;

export const ZHandoffRules = z.object({
  /** Typed phrases that ask for a human; matched as phrases, so 人工成本 does not count. */
  keywords: z.array(z.string().trim().min(2, '关键词至少 2 个字').max(20)).min(1, '至少保留一个转人工关键词').max(50),
  noAnswerLimit: z.number().int().min(1).max(10),
  unhelpfulLimit: z.number().int().min(1).max(10),
  multiTurnLimit: z.number().int().min(2).max(20),
  emotionThreshold: z.number().min(0.1).max(10),
  /** Smart detection (intent, emotion, no-answer, unresolved): ask first ("需要为您转人工服务吗？") or transfer at once. */
  smartMode: z.enum(['offer', 'direct']),
});
export type THandoffRules = z.infer<typeof ZHandoffRules>;

/** A setting as read: its value and the version a change must name. */
export const ZVersioned = <S extends z.ZodType>(value: S) => z.object({ value, version: z.number().int() });
export const ZSettingUpdate = <S extends z.ZodType>(value: S) => z.object({ value, version: z.number().int() });
