/**
 * What a taxpayer is told about their 留言 or 工单: always in 我的消息 (live, and counted on the launcher badge), and by
 * SMS too when they chose 短信 as a way to receive the result. Idempotent by the source's key.
 */
import type { TReceiveBy, TSmsTemplateKey } from '@zhengna/contracts';
import type { Logger } from 'pino';
import type { InboxNotice, InboxService } from '../inbox/inbox.service.ts';
import type { SmsService } from '../sms/sms.service.ts';

export type CaseRecipient = { taxpayerId: string; portalUserId: string | null; phone: string; receiveBy: TReceiveBy };

export function createCaseNotifier(deps: { inbox: InboxService; sms: SmsService; logger: Logger }) {
  return async function notifyTaxpayer(
    to: CaseRecipient,
    notice: InboxNotice & { dedupeKey: string },
    sms?: { template: TSmsTemplateKey; vars: Record<string, string> },
  ): Promise<void> {
    await deps.inbox.notify(
      { taxpayerId: to.taxpayerId, ...(to.portalUserId ? { portalUserId: to.portalUserId } : {}) },
      notice,
    );
    if (!sms || to.receiveBy === 'inbox' || !to.phone) return;
    // the notice is delivered; a failing SMS must not undo the action that caused it
    await deps.sms
      .send({ phone: to.phone, template: sms.template, vars: sms.vars, dedupeKey: notice.dedupeKey })
      .catch((err) => deps.logger.error({ err, dedupeKey: notice.dedupeKey }, 'sms could not be stored'));
  };
}

export type CaseNotifier = ReturnType<typeof createCaseNotifier>;

/** SMS carry a short excerpt: the full text is in 我的消息. */
export const excerpt = (text: string, max = 60) => (text.length > max ? `${text.slice(0, max)}…` : text);
