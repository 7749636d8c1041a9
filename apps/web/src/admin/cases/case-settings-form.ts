import type { TSmsTemplateKey } from '@zhengna/contracts';

export const SMS_TEMPLATE_LABELS: Record<TSmsTemplateKey, { label: string; vars: string }> = {
  inquiry_reply: { label: '留言答复', vars: '{office} 答复机构，{reply} 答复内容' },
  work_order_result: { label: '工单办结', vars: '{number} 工单编号，{title} 工单标题，{result} 办理结果' },
  push: { label: '精准推送', vars: '{title} 标题，{content} 内容' },
  appointment_success: { label: '预约成功', vars: '{time} 预约时间，{service} 预约事项' },
};

export type FieldPath = (string | number)[];

/**
 * The server's field errors of a PUT ({"value.workOrderTypes.1.limitDays": "…"}) as antd form paths
 * (['workOrderTypes', 1, 'limitDays']); the first message of a path wins.
 */
export function caseSettingFieldErrors(
  fields: Record<string, string> | undefined,
): { name: FieldPath; errors: string[] }[] {
  const seen = new Set<string>();
  const out: { name: FieldPath; errors: string[] }[] = [];
  for (const [path, message] of Object.entries(fields ?? {})) {
    const parts = path.split('.');
    if (parts[0] === 'value') parts.shift();
    if (parts.length === 0 || parts[0] === '') continue;
    const key = parts.join('.');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ name: parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p)), errors: [message] });
  }
  return out;
}

/** Type ids must be unique within a list (the server keys 留言 and 工单 by them); the repeats, in order. */
export function duplicateIds(list: readonly { id?: string }[]): string[] {
  const counts = new Map<string, number>();
  for (const { id } of list) if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([id]) => id);
}
