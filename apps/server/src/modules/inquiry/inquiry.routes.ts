/** HTTP for 留言: the taxpayer's form and list, the workspace's to-dos. */
import { ZCaseIdParam, ZCaseListQuery, ZInquiryConvert, ZInquiryReply, ZInquirySubmit } from '@zhengna/contracts';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import type { InquiryService } from './inquiry.service.ts';

export function inquiryRoutes(app: FastifyInstance, deps: { inquiries: InquiryService }) {
  const { inquiries } = deps;
  app.get('/api/chat/inquiries/options', { config: { guard: 'taxpayer' } }, (req) =>
    inquiries.options(actorOf(req, 'taxpayer')),
  );
  app.post(
    '/api/chat/inquiries',
    { config: { guard: 'taxpayer', rateLimit: { max: 20, timeWindow: '1 minute' } } },
    (req) => inquiries.submit(actorOf(req, 'taxpayer'), parse(ZInquirySubmit, req.body)),
  );
  app.get('/api/chat/inquiries', { config: { guard: 'taxpayer' } }, (req) => inquiries.list(actorOf(req, 'taxpayer')));
  app.get('/api/chat/inquiries/:id', { config: { guard: 'taxpayer' } }, (req) =>
    inquiries.get(actorOf(req, 'taxpayer'), parse(ZCaseIdParam, req.params).id),
  );

  app.get('/api/workspace/inquiries', { config: { guard: 'agent' } }, (req) =>
    inquiries.staffList(actorOf(req, 'staff'), parse(ZCaseListQuery, req.query).scope),
  );
  app.post('/api/workspace/inquiries/:id/reply', { config: { guard: 'agent' } }, (req) =>
    inquiries.reply(actorOf(req, 'staff'), parse(ZCaseIdParam, req.params).id, parse(ZInquiryReply, req.body)),
  );
  app.post('/api/workspace/inquiries/:id/convert', { config: { guard: 'agent' } }, (req) =>
    inquiries.convert(actorOf(req, 'staff'), parse(ZCaseIdParam, req.params).id, parse(ZInquiryConvert, req.body)),
  );
}
