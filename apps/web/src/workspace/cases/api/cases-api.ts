/** 留言 to-dos and 工单 for staff over HTTP (session cookie). */
import {
  type TInquiryStaff,
  type TWorkOrder,
  type TWorkOrderAction,
  type TWorkOrderDetail,
  type TWorkOrderOptions,
  ZInquiryStaff,
  ZWorkOrder,
  ZWorkOrderDetail,
  ZWorkOrderOptions,
} from '@zhengna/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../shared/api/api-client.ts';
import type { OfficeRef } from '../../../shared/ui/office-tree.ts';

export type CaseScope = 'mine' | 'office' | 'overdue';

const id = (value: string) => encodeURIComponent(value);

export async function fetchInquiries(scope: CaseScope): Promise<TInquiryStaff[]> {
  const schema = z.object({ inquiries: z.array(ZInquiryStaff) });
  return (await apiRequest('/api/workspace/inquiries', { query: { scope }, schema })).inquiries;
}

export function replyInquiry(inquiryId: string, reply: string): Promise<TInquiryStaff> {
  return apiRequest(`/api/workspace/inquiries/${id(inquiryId)}/reply`, { body: { reply }, schema: ZInquiryStaff });
}

export function convertInquiry(
  inquiryId: string,
  input: { type: string; title: string; note: string },
): Promise<TWorkOrder> {
  return apiRequest(`/api/workspace/inquiries/${id(inquiryId)}/convert`, { body: input, schema: ZWorkOrder });
}

export async function fetchWorkOrders(scope: CaseScope): Promise<TWorkOrder[]> {
  const schema = z.object({ workOrders: z.array(ZWorkOrder) });
  return (await apiRequest('/api/workspace/work-orders', { query: { scope }, schema })).workOrders;
}

export function fetchWorkOrder(orderId: string): Promise<TWorkOrderDetail> {
  return apiRequest(`/api/workspace/work-orders/${id(orderId)}`, { schema: ZWorkOrderDetail });
}

/** Fails with 409 when someone changed the order since `action.version`. */
export function actOnWorkOrder(orderId: string, action: TWorkOrderAction): Promise<TWorkOrderDetail> {
  return apiRequest(`/api/workspace/work-orders/${id(orderId)}/actions`, { body: action, schema: ZWorkOrderDetail });
}

/** The offices a 工单 can be reassigned to (the org tree). */
export async function fetchOffices(): Promise<OfficeRef[]> {
  return (await fetchWorkOrderOptions()).offices;
}

/** Staff see a case's files through their own route (not public). */
export const caseFileUrl = (fileId: string) => `/api/workspace/case-files/${id(fileId)}`;

/** 工单类型 (with their time limits) and the org tree, readable by every agent. */
export function fetchWorkOrderOptions(): Promise<TWorkOrderOptions> {
  return apiRequest('/api/workspace/work-orders/options', { schema: ZWorkOrderOptions });
}

export async function fetchWorkOrderTypes(): Promise<{ id: string; name: string; limitDays: number }[]> {
  return (await fetchWorkOrderOptions()).types;
}
