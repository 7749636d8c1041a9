import { type TCaseSettings, type TSmsOutboxItem, ZCaseSettings, ZSmsOutboxItem, ZVersioned } from '@zhengna/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../shared/api/api-client.ts';
import type { Versioned } from '../../settings/api/settings-api.ts';

const ZVersionedCases = ZVersioned(ZCaseSettings);

export function fetchCaseSettings(): Promise<Versioned<TCaseSettings>> {
  return apiRequest('/api/admin/settings/cases', { schema: ZVersionedCases });
}

/** Fails with VERSION_CONFLICT (409) when someone saved since `version`. */
export function saveCaseSettings(change: Versioned<TCaseSettings>): Promise<Versioned<TCaseSettings>> {
  return apiRequest('/api/admin/settings/cases', { method: 'PUT', body: change, schema: ZVersionedCases });
}

/** The SMS the service sent or stored (outbox driver), newest first, numbers masked by the server. */
export async function fetchSmsOutbox(): Promise<TSmsOutboxItem[]> {
  return (await apiRequest('/api/admin/sms/outbox', { schema: z.object({ messages: z.array(ZSmsOutboxItem) }) }))
    .messages;
}
