import {
  type TPush,
  type TPushAudience,
  type TPushDraft,
  type TPushOptions,
  type TPushPreview,
  ZPush,
  ZPushOptions,
  ZPushPreview,
} from '@zhengna/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../shared/api/api-client.ts';

export async function fetchPushes(): Promise<TPush[]> {
  const { pushes } = await apiRequest('/api/admin/pushes', { schema: z.object({ pushes: z.array(ZPush) }) });
  return pushes;
}

export function fetchPushOptions(): Promise<TPushOptions> {
  return apiRequest('/api/admin/pushes/options', { schema: ZPushOptions });
}

export function previewPush(audience: TPushAudience): Promise<TPushPreview> {
  return apiRequest('/api/admin/pushes/preview', { body: { audience }, schema: ZPushPreview });
}

export function createPush(draft: TPushDraft): Promise<TPush> {
  return apiRequest('/api/admin/pushes', { body: draft, schema: ZPush });
}

export function sendPush(id: string): Promise<TPush> {
  return apiRequest(`/api/admin/pushes/${encodeURIComponent(id)}/send`, { method: 'POST', body: {}, schema: ZPush });
}

export function cancelPush(id: string): Promise<TPush> {
  return apiRequest(`/api/admin/pushes/${encodeURIComponent(id)}/cancel`, { method: 'POST', body: {}, schema: ZPush });
}
