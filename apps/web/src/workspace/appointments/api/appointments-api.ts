/** The day's appointments for staff over HTTP (session cookie); routes in contracts/appointments.ts. */
import { type TAppointmentStaff, type TNoShowCount, ZAppointmentStaff, ZNoShowCount } from '@zhengna/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../shared/api/api-client.ts';

export type AppointmentScope = 'mine' | 'office';
export type StartMode = 'chat' | 'av' | 'phone';

const id = (value: string) => encodeURIComponent(value);

export async function fetchDayAppointments(date: string, scope: AppointmentScope): Promise<TAppointmentStaff[]> {
  const schema = z.object({ appointments: z.array(ZAppointmentStaff) });
  return (await apiRequest('/api/workspace/appointments', { query: { date, scope }, schema })).appointments;
}

/** chat / av: a conversation with the taxpayer (its id comes back as conversationId); phone: a call-back record. */
export function startAppointment(appointmentId: string, mode: StartMode, note = ''): Promise<TAppointmentStaff> {
  return apiRequest(`/api/workspace/appointments/${id(appointmentId)}/start`, {
    body: { mode, note },
    schema: ZAppointmentStaff,
  });
}

export function completeAppointment(appointmentId: string, note: string): Promise<TAppointmentStaff> {
  return apiRequest(`/api/workspace/appointments/${id(appointmentId)}/complete`, {
    body: { note },
    schema: ZAppointmentStaff,
  });
}

/** Supervisors: taxpayers with 失约 in the configured window, and any booking restriction. */
export async function fetchNoShows(): Promise<TNoShowCount[]> {
  const schema = z.object({ taxpayers: z.array(ZNoShowCount) });
  return (await apiRequest('/api/workspace/appointments/no-shows', { schema })).taxpayers;
}
