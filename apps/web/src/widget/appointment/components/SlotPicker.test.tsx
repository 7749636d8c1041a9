// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { TSlot } from '@zhengna/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SlotPicker } from './SlotPicker.tsx';

afterEach(cleanup);

const slot = (startsAt: string, endsAt: string, over: Partial<TSlot> = {}): TSlot => ({
  startsAt,
  endsAt,
  capacity: 2,
  booked: 0,
  full: false,
  bookable: true,
  ...over,
});

const days = [
  {
    date: '2026-12-01',
    closed: false,
    slots: [
      slot('2026-12-01T01:00:00.000Z', '2026-12-01T01:30:00.000Z'),
      slot('2026-12-01T01:30:00.000Z', '2026-12-01T02:00:00.000Z', { booked: 2, full: true, bookable: false }),
    ],
  },
  { date: '2026-12-02', closed: true, slots: [] },
];

describe('SlotPicker', () => {
  it('shows Beijing times, marks the chosen slot pressed and a full one disabled as 已约满', () => {
    const onChange = vi.fn();
    render(
      <SlotPicker
        days={days}
        date="2026-12-01"
        onDateChange={() => {}}
        value="2026-12-01T01:00:00.000Z"
        onChange={onChange}
        error="该时段已约满，请选择其他时段"
      />,
    );
    const chosen = screen.getByRole('button', { name: '09:00–09:30 剩余 2 个名额' });
    expect(chosen.getAttribute('aria-pressed')).toBe('true');
    const full = screen.getByRole('button', { name: '09:30–10:00 已约满' });
    expect((full as HTMLButtonElement).disabled).toBe(true);
    expect(full.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(chosen);
    expect(onChange).toHaveBeenCalledWith('2026-12-01T01:00:00.000Z');
    expect(screen.getByRole('alert').textContent).toBe('该时段已约满，请选择其他时段');
    expect(screen.getByRole('group', { name: '预约时段（北京时间）' })).toBeTruthy();
  });

  it('says when the chosen day is closed', () => {
    const onDateChange = vi.fn();
    render(<SlotPicker days={days} date="2026-12-02" onDateChange={onDateChange} value={null} onChange={() => {}} />);
    expect(screen.getByText('2026年12月2日（周三）不开放预约')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /12月1日 周二/ }));
    expect(onDateChange).toHaveBeenCalledWith('2026-12-01');
  });
});
