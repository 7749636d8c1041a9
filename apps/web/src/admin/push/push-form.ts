import type { TPushAudience, TPushDraft } from '@zhengna/contracts';

export type AudienceMode = 'rules' | 'list';
export type TaxpayerType = 'general' | 'small_scale' | 'individual';
export type CreditGrade = 'A' | 'B' | 'M' | 'C' | 'D';

/** The create form's fields (antd Form values). */
export interface PushFormValues {
  title: string;
  content: string;
  link: string;
  mode: AudienceMode;
  types: TaxpayerType[];
  industries: string[];
  regions: string[];
  taxOfficeIds: string[];
  creditGrades: CreditGrade[];
  /** Pasted or uploaded: taxpayer numbers separated by new lines, commas, spaces or semicolons. */
  listText: string;
  recommend: boolean;
  when: 'now' | 'later';
  /** ISO time, for `later`. */
  scheduledAt?: string;
}

export const TAXPAYER_TYPE_LABELS: Record<TaxpayerType, string> = {
  general: '一般纳税人',
  small_scale: '小规模纳税人',
  individual: '自然人',
};
export const CREDIT_GRADES: readonly CreditGrade[] = ['A', 'B', 'M', 'C', 'D'];

export const newPushValues = (): PushFormValues => ({
  title: '',
  content: '',
  link: '',
  mode: 'rules',
  types: [],
  industries: [],
  regions: [],
  taxOfficeIds: [],
  creditGrades: [],
  listText: '',
  recommend: false,
  when: 'now',
});

/** Taxpayer numbers from pasted text or an uploaded file (one per line, or separated by commas/spaces), deduplicated. */
export function parseTaxpayerList(text: string): string[] {
  const seen = new Set<string>();
  for (const raw of text.split(/[\s,，;；]+/)) {
    const no = raw.trim().toUpperCase();
    if (no) seen.add(no);
  }
  return [...seen];
}

export function audienceOf(v: PushFormValues): TPushAudience {
  if (v.mode === 'list') return { kind: 'list', taxpayerNos: parseTaxpayerList(v.listText ?? '') };
  return {
    kind: 'rules',
    types: v.types ?? [],
    industries: v.industries ?? [],
    regions: v.regions ?? [],
    taxOfficeIds: v.taxOfficeIds ?? [],
    creditGrades: v.creditGrades ?? [],
  };
}

export function draftOf(v: PushFormValues): TPushDraft {
  return {
    title: v.title ?? '',
    content: v.content ?? '',
    link: v.link ?? '',
    audience: audienceOf(v),
    recommend: v.recommend ?? false,
    ...(v.when === 'later' && v.scheduledAt ? { scheduledAt: v.scheduledAt } : {}),
  };
}

/** Server field paths (audience.taxpayerNos.3, audience.regions) → the form field showing the error. */
export function formFieldOf(path: string): keyof PushFormValues | null {
  if (path === 'title' || path === 'content' || path === 'link' || path === 'scheduledAt') return path;
  if (path.startsWith('audience.taxpayerNos')) return 'listText';
  const m = /^audience\.(types|industries|regions|taxOfficeIds|creditGrades)/.exec(path);
  return (m?.[1] as keyof PushFormValues | undefined) ?? null;
}
