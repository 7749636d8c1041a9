import { type TPortalLoginRequest, type TPortalMe, ZPortalMe } from '@zhengna/contracts';
import { apiRequest } from '../../shared/api/api-client.ts';

export function fetchPortalMe(): Promise<TPortalMe> {
  return apiRequest('/api/portal/me', { schema: ZPortalMe });
}

export function loginPortal(request: TPortalLoginRequest): Promise<TPortalMe> {
  return apiRequest('/api/portal/login', { method: 'POST', body: request, schema: ZPortalMe });
}

export async function logoutPortal(): Promise<void> {
  await apiRequest('/api/portal/logout', { method: 'POST', body: {} });
}

/** A person acting for several enterprises switches the one they act for. */
export function switchEnterprise(taxpayerId: string): Promise<TPortalMe> {
  return apiRequest('/api/portal/switch', { method: 'POST', body: { taxpayerId }, schema: ZPortalMe });
}
