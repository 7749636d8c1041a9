/**
 * The deadline sweep, run every minute by a pg-boss job (one run per tick across all nodes, and surviving
 * restarts). Each action is also claimed by an atomic update, so even two sweeps at once act once.
 */
import type { InquiryService } from '../inquiry/inquiry.service.ts';
import type { WorkOrderService } from '../work-order/work-order.service.ts';

export function createCaseDeadlines(deps: { inquiries: InquiryService; workOrders: WorkOrderService }) {
  return {
    async sweep(now: Date = new Date()) {
      const inquiriesEscalated = await deps.inquiries.escalateOverdue(now);
      const orders = await deps.workOrders.remindAndEscalate(now);
      return { inquiriesEscalated, workOrdersReminded: orders.reminded, workOrdersEscalated: orders.escalated };
    },
  };
}

export type CaseDeadlines = ReturnType<typeof createCaseDeadlines>;
