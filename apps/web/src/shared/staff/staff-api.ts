import {
  type TStaffMe,
  type TStaffTotpChallenge,
  type TTotpSetupResponse,
  ZRealtimeTokenResponse,
  ZStaffLoginResponse,
  ZStaffMe,
  ZTotpSetupResponse,
} from '@zhengna/contracts';
import { apiRequest } from '../api/api-client.ts';

export function fetchStaffMe(): Promise<TStaffMe> {
  return apiRequest('/api/staff/me', { schema: ZStaffMe });
}

/** Signs in, or (second factor enabled) answers with the challenge for {@link loginStaffTotp}. */
export function loginStaff(username: string, password: string): Promise<TStaffMe | TStaffTotpChallenge> {
  return apiRequest('/api/staff/login', { method: 'POST', body: { username, password }, schema: ZStaffLoginResponse });
}

export function loginStaffTotp(challenge: string, code: string): Promise<TStaffMe> {
  return apiRequest('/api/staff/login/totp', { method: 'POST', body: { challenge, code }, schema: ZStaffMe });
}

export async function logoutStaff(): Promise<void> {
  await apiRequest('/api/staff/logout', { method: 'POST', body: {} });
}

/** Ends the signed-in member's other sessions; this one carries on. */
export async function changeStaffPassword(currentPassword: string, newPassword: string): Promise<void> {
  await apiRequest('/api/staff/password', { method: 'POST', body: { currentPassword, newPassword } });
}

export function setupTotp(): Promise<TTotpSetupResponse> {
  return apiRequest('/api/staff/totp/setup', { method: 'POST', body: {}, schema: ZTotpSetupResponse });
}

export async function confirmTotp(code: string): Promise<void> {
  await apiRequest('/api/staff/totp/confirm', { method: 'POST', body: { code } });
}

export async function disableTotp(code: string): Promise<void> {
  await apiRequest('/api/staff/totp', { method: 'DELETE', body: { code } });
}

/** Realtime token for staff sockets (cookie session). */
export async function fetchStaffRealtimeToken(): Promise<string> {
  const { token } = await apiRequest('/api/realtime/token', { schema: ZRealtimeTokenResponse });
  return token;
}
