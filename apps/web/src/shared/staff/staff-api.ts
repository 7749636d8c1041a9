import { type TStaffMe, ZRealtimeTokenResponse, ZStaffMe } from '@zhengna/contracts';
import { apiRequest } from '../api/api-client.ts';

export function fetchStaffMe(): Promise<TStaffMe> {
  return apiRequest('/api/staff/me', { schema: ZStaffMe });
}

export function loginStaff(username: string, password: string): Promise<TStaffMe> {
  return apiRequest('/api/staff/login', { method: 'POST', body: { username, password }, schema: ZStaffMe });
}

export async function logoutStaff(): Promise<void> {
  await apiRequest('/api/staff/logout', { method: 'POST', body: {} });
}

/** Realtime token for staff sockets (cookie session). */
export async function fetchStaffRealtimeToken(): Promise<string> {
  const { token } = await apiRequest('/api/realtime/token', { schema: ZRealtimeTokenResponse });
  return token;
}
