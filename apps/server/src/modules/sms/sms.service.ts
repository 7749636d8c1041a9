/**
 * Sending SMS: the template from the 留言/工单 settings filled with its variables, one row of sms_outbox per message
 * whatever the driver (a retried send with the same dedupe key is not sent twice), then the driver. Phone numbers
 * are masked in every log line and every response.
 */
import { maskPersonalNumbers, maskPhone, type TSmsOutboxItem, type TSmsTemplateKey } from '@zhengna/contracts';
import { desc, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { smsOutbox } from '../../db/schema.ts';
import type { Db } from '../../platform/db.ts';
import { renderTemplate, type SmsSender } from '../../platform/sms.ts';
import type { SettingsService } from '../settings/settings.service.ts';

type Row = typeof smsOutbox.$inferSelect;

const toItem = (r: Row): TSmsOutboxItem => ({
  id: r.id,
  maskedPhone: maskPhone(r.phone),
  template: r.template,
  // the text may quote what a taxpayer wrote, numbers included
  content: maskPersonalNumbers(r.content),
  driver: r.driver,
  status: r.status,
  error: r.error,
  createdAt: r.createdAt.toISOString(),
});

export function createSmsService(deps: { db: Db; sender: SmsSender; settings: SettingsService; logger: Logger }) {
  const { db, sender, settings, logger } = deps;
  return {
    driver: sender.name,

    async send(input: {
      phone: string;
      template: TSmsTemplateKey;
      vars: Record<string, string>;
      dedupeKey: string;
    }): Promise<void> {
      const template = (await settings.caseSettings()).smsTemplates[input.template];
      const content = renderTemplate(template.text, input.vars);
      const [row] = await db
        .insert(smsOutbox)
        .values({
          phone: input.phone,
          template: input.template,
          params: input.vars,
          content,
          driver: sender.name,
          status: 'stored',
          dedupeKey: input.dedupeKey,
        })
        .onConflictDoNothing()
        .returning();
      const log = { phone: maskPhone(input.phone), template: input.template, driver: sender.name };
      if (!row) {
        logger.debug(log, 'sms already sent');
        return;
      }
      if (sender.name === 'outbox') {
        logger.info(log, 'sms stored in the outbox');
        return;
      }
      try {
        await sender.send({
          phone: input.phone,
          templateCode: template.providerCode,
          params: input.vars,
          content,
          outId: row.id,
        });
        await db.update(smsOutbox).set({ status: 'sent', sentAt: new Date() }).where(eq(smsOutbox.id, row.id));
        logger.info(log, 'sms sent');
      } catch (err) {
        const error = maskPersonalNumbers(err instanceof Error ? err.message : String(err)).slice(0, 500);
        await db.update(smsOutbox).set({ status: 'failed', error }).where(eq(smsOutbox.id, row.id));
        logger.warn({ ...log, error }, 'sms failed');
      }
    },

    async outbox(limit = 200): Promise<{ messages: TSmsOutboxItem[] }> {
      const rows = await db.select().from(smsOutbox).orderBy(desc(smsOutbox.createdAt)).limit(limit);
      return { messages: rows.map(toItem) };
    },
  };
}

export type SmsService = ReturnType<typeof createSmsService>;
