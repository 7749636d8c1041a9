/** HTTP for 工单: the taxpayer's progress view, the workspace's list, detail and actions. */
import { ZCaseIdParam, ZCaseListQuery, ZWorkOrderAction } from '@zhengna/contracts';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import type { WorkOrderService } from './work-order.service.ts';

export function workOrderRoutes(app: FastifyInstance, deps: { workOrders: WorkOrderService }) {
  const { workOrders } = deps;
  app.get('/api/chat/work-orders/:id', { config: { guard: 'taxpayer' } }, (req) =>
    workOrders.getPublic(actorOf(req, 'taxpayer'), parse(ZCaseIdParam, req.params).id),
  );
  app.get('/api/workspace/work-orders', { config: { guard: 'agent' } }, (req) =>
    workOrders.staffList(actorOf(req, 'staff'), parse(ZCaseListQuery, req.query).scope),
  );
  app.get('/api/workspace/work-orders/options', { config: { guard: 'agent' } }, () => workOrders.options());
  app.get('/api/workspace/work-orders/:id', { config: { guard: 'agent' } }, (req) =>
    workOrders.detail(actorOf(req, 'staff'), parse(ZCaseIdParam, req.params).id),
  );
  app.post('/api/workspace/work-orders/:id/actions', { config: { guard: 'agent' } }, (req) =>
    workOrders.act(actorOf(req, 'staff'), parse(ZCaseIdParam, req.params).id, parse(ZWorkOrderAction, req.body)),
  );
}
