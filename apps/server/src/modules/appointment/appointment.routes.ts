/** HTTP for 预约: the taxpayer's booking and 我的预约, the workspace's day list and actions, the admin's services. */
import {
  ZAppointmentBook,
  ZAppointmentComplete,
  ZAppointmentReschedule,
  ZAppointmentServiceInput,
  ZAppointmentServiceUpdate,
  ZAppointmentSettings,
  ZAppointmentStaffQuery,
  ZAppointmentStart,
  ZCaseIdParam,
  ZSettingUpdate,
  ZSlotsQuery,
} from '@zhengna/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import { AppError } from '../../platform/app-error.ts';
import type { CaseFilesService } from '../cases/case-files.service.ts';
import { MAX_FILE_BYTES } from '../conversation/attachment-rules.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import type { AppointmentService } from './appointment.service.ts';
import { type AppointmentAdminService, ZServiceIdParam } from './appointment-admin.service.ts';
import type { AppointmentStaffService } from './appointment-staff.service.ts';

/**
 * Booking and rescheduling send an SMS to a number the taxpayer typed: limited per person (whatever address the
 * requests come from), so the service cannot be used to pump texts at someone's phone.
 */
const perPerson = (req: FastifyRequest) =>
  req.actor?.kind === 'taxpayer' ? `person:${req.actor.portalUserId}` : `ip:${req.ip}`;
const smsSendingLimit = { max: 10, timeWindow: '1 minute', keyGenerator: perPerson };

export function appointmentRoutes(
  app: FastifyInstance,
  deps: {
    appointments: AppointmentService;
    appointmentStaff: AppointmentStaffService;
    appointmentAdmin: AppointmentAdminService;
    caseFiles: CaseFilesService;
    settings: SettingsService;
  },
) {
  const { appointments, appointmentStaff, appointmentAdmin, caseFiles, settings } = deps;

  // ── taxpayer ──
  app.get('/api/chat/appointments/services', { config: { guard: 'taxpayer' } }, (req) =>
    appointments.services(actorOf(req, 'taxpayer')),
  );
  app.get('/api/chat/appointments/services/:id/slots', { config: { guard: 'taxpayer' } }, (req) =>
    appointments.slots(actorOf(req, 'taxpayer'), parse(ZServiceIdParam, req.params).id, parse(ZSlotsQuery, req.query)),
  );
  app.post(
    '/api/chat/appointments/files',
    { config: { guard: 'taxpayer', rateLimit: { max: 30, timeWindow: '1 minute' } } },
    async (req) => {
      const part = await req.file({ limits: { fileSize: MAX_FILE_BYTES, files: 1 } });
      if (!part) throw new AppError('VALIDATION_FAILED', '请选择要上传的文件。');
      const data = await part.toBuffer();
      if (part.file.truncated) throw new AppError('FILE_TOO_LARGE');
      return caseFiles.upload(actorOf(req, 'taxpayer'), { data, fileName: part.filename });
    },
  );
  app.post('/api/chat/appointments', { config: { guard: 'taxpayer', rateLimit: smsSendingLimit } }, (req) =>
    appointments.book(actorOf(req, 'taxpayer'), parse(ZAppointmentBook, req.body)),
  );
  app.get('/api/chat/appointments', { config: { guard: 'taxpayer' } }, (req) =>
    appointments.list(actorOf(req, 'taxpayer')),
  );
  app.post('/api/chat/appointments/:id/cancel', { config: { guard: 'taxpayer' } }, (req) =>
    appointments.cancel(actorOf(req, 'taxpayer'), parse(ZCaseIdParam, req.params).id),
  );
  app.post(
    '/api/chat/appointments/:id/reschedule',
    { config: { guard: 'taxpayer', rateLimit: smsSendingLimit } },
    (req) =>
      appointments.reschedule(
        actorOf(req, 'taxpayer'),
        parse(ZCaseIdParam, req.params).id,
        parse(ZAppointmentReschedule, req.body),
      ),
  );
  app.post('/api/chat/appointments/:id/attend', { config: { guard: 'taxpayer' } }, (req) =>
    appointments.attend(actorOf(req, 'taxpayer'), parse(ZCaseIdParam, req.params).id),
  );

  // ── staff ──
  app.get('/api/workspace/appointments', { config: { guard: 'agent' } }, (req) =>
    appointmentStaff.day(actorOf(req, 'staff'), parse(ZAppointmentStaffQuery, req.query)),
  );
  app.get('/api/workspace/appointments/no-shows', { config: { guard: 'agent' } }, (req) =>
    appointmentStaff.noShows(actorOf(req, 'staff')),
  );
  app.post('/api/workspace/appointments/:id/start', { config: { guard: 'agent' } }, (req) =>
    appointmentStaff.start(
      actorOf(req, 'staff'),
      parse(ZCaseIdParam, req.params).id,
      parse(ZAppointmentStart, req.body),
    ),
  );
  app.post('/api/workspace/appointments/:id/complete', { config: { guard: 'agent' } }, (req) =>
    appointmentStaff.complete(
      actorOf(req, 'staff'),
      parse(ZCaseIdParam, req.params).id,
      parse(ZAppointmentComplete, req.body),
    ),
  );

  // ── admin ──
  app.get('/api/admin/appointment-services', { config: { guard: 'supervisor' } }, (req) =>
    appointmentAdmin.list(actorOf(req, 'staff')),
  );
  app.post('/api/admin/appointment-services', { config: { guard: 'admin' } }, (req) =>
    appointmentAdmin.create(actorOf(req, 'staff'), parse(ZAppointmentServiceInput, req.body)),
  );
  app.put('/api/admin/appointment-services/:id', { config: { guard: 'admin' } }, (req) =>
    appointmentAdmin.update(
      actorOf(req, 'staff'),
      parse(ZServiceIdParam, req.params).id,
      parse(ZAppointmentServiceUpdate, req.body),
    ),
  );
  app.delete('/api/admin/appointment-services/:id', { config: { guard: 'admin' } }, (req) =>
    appointmentAdmin.deactivate(actorOf(req, 'staff'), parse(ZServiceIdParam, req.params).id),
  );
  app.get('/api/admin/settings/appointments', { config: { guard: 'supervisor' } }, () => settings.get('appointments'));
  app.put('/api/admin/settings/appointments', { config: { guard: 'admin' } }, (req) =>
    settings.update(actorOf(req, 'staff'), 'appointments', parse(ZSettingUpdate(ZAppointmentSettings), req.body)),
  );
}
