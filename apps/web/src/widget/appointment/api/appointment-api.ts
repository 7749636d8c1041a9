/** 预约 over HTTP for the taxpayer (routes in contracts/appointments.ts); every call takes the chat's bearer token. */
import {
  type TAppointment,
  type TAppointmentBook,
  type TAppointmentDays,
  type TAppointmentService,
  type TCaseFile,
  ZAppointment,
  ZAppointmentDays,
  ZAppointmentService,
  ZCaseFile,
} from '@zhengna/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { type UploadHandle, uploadFile } from '../../chat/attachments/attachment-api.ts';

const id = (value: string) => encodeURIComponent(value);

export async function fetchAppointmentServices(accessToken: string): Promise<TAppointmentService[]> {
  const schema = z.object({ services: z.array(ZAppointmentService) });
  return (await apiRequest('/api/chat/appointments/services', { accessToken, schema })).services;
}

/** The service's days and slots in its booking window (the server limits from/to to it). */
export function fetchSlots(
  accessToken: string,
  serviceId: string,
  range: { from?: string; to?: string } = {},
): Promise<TAppointmentDays> {
  return apiRequest(`/api/chat/appointments/services/${id(serviceId)}/slots`, {
    accessToken,
    query: range,
    schema: ZAppointmentDays,
  });
}

export function uploadAppointmentFile(
  accessToken: string,
  file: File,
  onProgress: (percent: number) => void,
): UploadHandle<TCaseFile> {
  return uploadFile('/api/chat/appointments/files', ZCaseFile, accessToken, file, onProgress);
}

/** Idempotent by `clientKey`. 409 SLOT_FULL when the last place went to someone else; 403 when restricted. */
export function bookAppointment(accessToken: string, body: TAppointmentBook): Promise<TAppointment> {
  return apiRequest('/api/chat/appointments', { accessToken, body, schema: ZAppointment });
}

export async function fetchMyAppointments(accessToken: string): Promise<TAppointment[]> {
  const schema = z.object({ appointments: z.array(ZAppointment) });
  return (await apiRequest('/api/chat/appointments', { accessToken, schema })).appointments;
}

export function cancelAppointment(accessToken: string, appointmentId: string): Promise<TAppointment> {
  return apiRequest(`/api/chat/appointments/${id(appointmentId)}/cancel`, {
    accessToken,
    method: 'POST',
    body: {},
    schema: ZAppointment,
  });
}

export function rescheduleAppointment(accessToken: string, appointmentId: string, startsAt: string) {
  return apiRequest(`/api/chat/appointments/${id(appointmentId)}/reschedule`, {
    accessToken,
    body: { startsAt },
    schema: ZAppointment,
  });
}

export function attendAppointment(accessToken: string, appointmentId: string): Promise<TAppointment> {
  return apiRequest(`/api/chat/appointments/${id(appointmentId)}/attend`, {
    accessToken,
    method: 'POST',
    body: {},
    schema: ZAppointment,
  });
}
