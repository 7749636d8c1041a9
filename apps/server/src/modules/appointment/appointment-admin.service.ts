/**
 * 预约服务 administration: a service per tax office and business with its channel, weekly schedule, slots, window,
 * cut-off and cancellation rule. Changed only over the version a change was based on; 删除 deactivates (bookings keep
 * their service).
 */
import type { TAppointmentService, ZAppointmentServiceInput } from '@zhengna/contracts';
import { z } from 'zod';
import { AppError } from '../../platform/app-error.ts';
import type { Db } from '../../platform/db.ts';
import { casesRepo } from '../cases/cases.repo.ts';
import type { StaffActor } from '../identity/identity.types.ts';
import { appointmentRepo, type ServiceRow } from './appointment.repo.ts';

export const toService = (s: ServiceRow, officeName: string): TAppointmentService => ({
  id: s.id,
  name: s.name,
  taxOfficeId: s.taxOfficeId,
  taxOfficeName: officeName,
  business: s.business,
  channel: s.channel,
  schedule: s.schedule as TAppointmentService['schedule'],
  slotMinutes: s.slotMinutes,
  capacity: s.capacity,
  minDaysAhead: s.minDaysAhead,
  maxDaysAhead: s.maxDaysAhead,
  cutoffMinutes: s.cutoffMinutes,
  cancelMinutes: s.cancelMinutes,
  closedDates: s.closedDates,
  active: s.active,
  version: s.version,
});

type Input = z.output<typeof ZAppointmentServiceInput>;
const NOT_FOUND = () => new AppError('NOT_FOUND', '预约服务不存在。');
const CONFLICT = () => new AppError('VERSION_CONFLICT', '该预约服务已被他人修改，请刷新后再修改。');

export function createAppointmentAdminService(deps: { db: Db }) {
  const { db } = deps;

  async function checkOffice(input: Input) {
    const office = await casesRepo.office(db, input.taxOfficeId);
    if (!office) throw new AppError('VALIDATION_FAILED', '请选择有效的税务机关。', { taxOfficeId: '税务机关不存在' });
    const spans = Object.values(input.schedule).flat();
    if (spans.length === 0) {
      throw new AppError('VALIDATION_FAILED', '请至少设置一个服务时段。', { schedule: '请至少设置一个服务时段' });
    }
    return office.name;
  }

  async function one(id: string) {
    const row = await appointmentRepo.service(db, id);
    if (!row) throw NOT_FOUND();
    return toService(row.s, row.officeName);
  }

  return {
    async list(_actor: StaffActor): Promise<{ services: TAppointmentService[] }> {
      return { services: (await appointmentRepo.services(db, false)).map((r) => toService(r.s, r.officeName)) };
    },

    async create(_actor: StaffActor, input: Input): Promise<TAppointmentService> {
      const officeName = await checkOffice(input);
      const row = await appointmentRepo.insertService(db, { ...input, closedDates: [...new Set(input.closedDates)] });
      return toService(row, officeName);
    },

    async update(
      _actor: StaffActor,
      id: string,
      change: { value: Input; version: number },
      now = new Date(),
    ): Promise<TAppointmentService> {
      const officeName = await checkOffice(change.value);
      const row = await appointmentRepo.updateService(db, id, change.version, {
        ...change.value,
        closedDates: [...new Set(change.value.closedDates)],
      });
      if (!row) {
        await one(id);
        throw CONFLICT();
      }
      await appointmentRepo.setFutureCapacity(db, id, row.capacity, now);
      return toService(row, officeName);
    },

    async deactivate(_actor: StaffActor, id: string): Promise<TAppointmentService> {
      const current = await one(id);
      const row = await appointmentRepo.updateService(db, id, current.version, { active: false });
      if (!row) throw CONFLICT();
      return toService(row, current.taxOfficeName);
    },
  };
}

export type AppointmentAdminService = ReturnType<typeof createAppointmentAdminService>;
export const ZServiceIdParam = z.object({ id: z.uuid('预约服务不存在') });
