/** HTTP for the SMS outbox (administrators): every SMS the product sent or stored, phones masked. */
import type { FastifyInstance } from 'fastify';
import type { SmsService } from './sms.service.ts';

export function smsRoutes(app: FastifyInstance, deps: { sms: SmsService }) {
  app.get('/api/admin/sms/outbox', { config: { guard: 'admin' } }, () => deps.sms.outbox());
}
