import type { TAppointment, TSlot } from '@zhengna/contracts';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/api-error.ts';
import {
  appointmentFieldErrors,
  bookingFailure,
  canAttend,
  defaultAppointmentValues,
  SLOT_FULL_MESSAGE,
  slotStateLabel,
  toBookBody,
} from './appointment-form.ts';

const file = { id: '5d1c2f0e-1b2c-4d5e-8f90-123456789abc', fileName: 'a.png', mime: 'image/png', size: 1 };
const choice = { serviceId: '6d1c2f0e-1b2c-4d5e-8f90-123456789abc', startsAt: '2026-12-01T01:00:00.000Z' };

describe('预约 form mapping', () => {
  it('trims the text, leaves out an empty phone and sends the files by id', () => {
    const body = toBookBody(
      { ...defaultAppointmentValues(), description: '  数电发票红冲  ' },
      choice,
      [file as never],
      'key-12345678',
    );
    expect(body).toEqual({
      clientKey: 'key-12345678',
      ...choice,
      description: '数电发票红冲',
      receiveBy: 'inbox',
      fileIds: [file.id],
    });
    expect(toBookBody({ ...defaultAppointmentValues(), phone: ' 13812345678 ' }, choice, [], 'k').phone).toBe(
      '13812345678',
    );
  });

  it('puts the server field errors beside their fields', () => {
    expect(appointmentFieldErrors({ 'fileIds.1': '附件无效', startsAt: '请选择预约时段', clientKey: 'x' })).toEqual({
      files: '附件无效',
      slot: '请选择预约时段',
      _: 'x',
    });
  });

  it('tells a lost race from a restriction', () => {
    expect(bookingFailure(new ApiError('SLOT_FULL' as never, '该时段已约满', 409))).toEqual({
      kind: 'slot_full',
      message: SLOT_FULL_MESSAGE,
    });
    const restricted = bookingFailure(
      new ApiError('FORBIDDEN' as never, '您近期多次失约，2026年12月8日前暂停预约', 403),
    );
    expect(restricted).toEqual({ kind: 'refused', message: '您近期多次失约，2026年12月8日前暂停预约' });
    expect(
      bookingFailure(new ApiError('INVALID_INPUT' as never, 'x', 400, { description: '问题描述至少 5 个字' })),
    ).toEqual({
      kind: 'fields',
      fields: { description: '问题描述至少 5 个字' },
    });
  });
});

describe('slots and 进入', () => {
  const slot = (over: Partial<TSlot>): TSlot => ({
    startsAt: choice.startsAt,
    endsAt: '2026-12-01T01:30:00.000Z',
    capacity: 3,
    booked: 1,
    full: false,
    bookable: true,
    ...over,
  });
  it('labels remaining places and full slots', () => {
    expect(slotStateLabel(slot({}))).toBe('剩余 2 个名额');
    expect(slotStateLabel(slot({ booked: 3, full: true, bookable: false }))).toBe('已约满');
    expect(slotStateLabel(slot({ bookable: false }))).toBe('不可预约');
  });

  it('offers 进入 only around the slot of a booked text or A/V appointment', () => {
    const a = { status: 'booked', channel: 'text', startsAt: choice.startsAt, endsAt: '2026-12-01T01:30:00.000Z' };
    const at = (iso: string) => new Date(iso);
    expect(canAttend(a as TAppointment, at('2026-12-01T00:50:00.000Z'))).toBe(true);
    expect(canAttend(a as TAppointment, at('2026-12-01T00:40:00.000Z'))).toBe(false);
    expect(canAttend(a as TAppointment, at('2026-12-01T01:31:00.000Z'))).toBe(false);
    expect(canAttend({ ...a, channel: 'phone' } as TAppointment, at('2026-12-01T01:00:00.000Z'))).toBe(false);
    expect(canAttend({ ...a, status: 'completed' } as TAppointment, at('2026-12-01T01:00:00.000Z'))).toBe(false);
  });
});
