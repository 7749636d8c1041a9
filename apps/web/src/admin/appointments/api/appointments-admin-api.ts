/** 预约服务 and 预约设置 for the admin console (session cookie); routes in contracts/appointments.ts. */
import {
  type TAppointmentService,
  type TAppointmentServiceInput,
  type TAppointmentSettings,
  ZAppointmentService,
  ZAppointmentSettings,
  ZVersioned,
} from '@zhengna/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../shared/api/api-client.ts';
import type { Versioned } from '../../settings/api/settings-api.ts';

const id = (value: string) => encodeURIComponent(value);
const ZVersionedSettings = ZVersioned(ZAppointmentSettings);

/** Every service, the inactive ones too. */
export async function fetchAppointmentServices(): Promise<TAppointmentService[]> {
  const schema = z.object({ services: z.array(ZAppointmentService) });
  return (await apiRequest('/api/admin/appointment-services', { schema })).services;
}

export function createAppointmentService(value: TAppointmentServiceInput): Promise<TAppointmentService> {
  return apiRequest('/api/admin/appointment-services', { body: value, schema: ZAppointmentService });
}

/** Fails with 409 when someone saved the service since `version`. */
export function updateAppointmentService(
  serviceId: string,
  value: TAppointmentServiceInput,
  version: number,
): Promise<TAppointmentService> {
  return apiRequest(`/api/admin/appointment-services/${id(serviceId)}`, {
    method: 'PUT',
    body: { value, version },
    schema: ZAppointmentService,
  });
}

/** 停用: the service takes no new bookings; existing ones stay. */
export function deactivateAppointmentService(serviceId: string): Promise<TAppointmentService> {
  return apiRequest(`/api/admin/appointment-services/${id(serviceId)}`, {
    method: 'DELETE',
    schema: ZAppointmentService,
  });
}

export function fetchAppointmentSettings(): Promise<Versioned<TAppointmentSettings>> {
  return apiRequest('/api/admin/settings/appointments', { schema: ZVersionedSettings });
}

export function saveAppointmentSettings(
  change: Versioned<TAppointmentSettings>,
): Promise<Versioned<TAppointmentSettings>> {
  return apiRequest('/api/admin/settings/appointments', { method: 'PUT', body: change, schema: ZVersionedSettings });
}
