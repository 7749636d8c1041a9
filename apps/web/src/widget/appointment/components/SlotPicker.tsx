import type { TAppointmentDays } from '@zhengna/contracts';
import { Button, Empty, Flex, Typography } from 'antd';
import { useId } from 'react';
import { longDateLabel, shortDateLabel, slotTimeLabel } from '../../../shared/ui/cst-time.ts';
import { slotStateLabel } from '../appointment-form.ts';

type Day = TAppointmentDays['days'][number];

const FIELDSET = { border: 0, margin: 0, padding: 0, minWidth: 0 } as const;
const LEGEND = { fontSize: 'inherit', fontWeight: 600, marginBottom: 6, border: 0 } as const;

interface SlotPickerProps {
  days: readonly Day[];
  date: string | null;
  onDateChange: (date: string) => void;
  /** The chosen slot's start (ISO), or null. */
  value: string | null;
  onChange: (startsAt: string) => void;
  error?: string | null;
}

/**
 * A strip of the window's dates, then the chosen day's slots as buttons (北京时间): the chosen one pressed, full ones
 * disabled and labelled 已约满, the others with their remaining places. Plain buttons, so Tab and Enter/Space work.
 */
export function SlotPicker({ days, date, onDateChange, value, onChange, error }: SlotPickerProps) {
  const errorId = useId();
  const day = days.find((d) => d.date === date) ?? null;
  return (
    <Flex vertical gap={6}>
      <fieldset style={FIELDSET}>
        <legend style={LEGEND}>预约日期</legend>
        <div style={{ display: 'flex', gap: 6, overflowX: 'auto', paddingBottom: 4 }} data-testid="appointment-dates">
          {days.map((d) => {
            const open = !d.closed && d.slots.some((s) => s.bookable);
            return (
              <Button
                key={d.date}
                size="small"
                type={d.date === date ? 'primary' : 'default'}
                aria-pressed={d.date === date}
                onClick={() => onDateChange(d.date)}
                data-testid="appointment-date"
                data-date={d.date}
                style={{ flex: 'none', height: 'auto', paddingBlock: 2 }}
              >
                <span>
                  {shortDateLabel(d.date)}
                  <br />
                  <small>{d.closed ? '不开放' : open ? '可预约' : '已约满'}</small>
                </span>
              </Button>
            );
          })}
        </div>
      </fieldset>
      <fieldset style={FIELDSET} aria-describedby={error ? errorId : undefined}>
        <legend style={LEGEND}>预约时段（北京时间）</legend>
        {!day || day.closed || day.slots.length === 0 ? (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={day ? `${longDateLabel(day.date)}不开放预约` : '请先选择日期'}
          />
        ) : (
          <div
            style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(104px, 1fr))', gap: 6 }}
            data-testid="appointment-slots"
          >
            {day.slots.map((slot) => {
              const chosen = slot.startsAt === value;
              const time = slotTimeLabel(slot.startsAt, slot.endsAt);
              const state = slotStateLabel(slot);
              return (
                <Button
                  key={slot.startsAt}
                  type={chosen ? 'primary' : 'default'}
                  aria-pressed={chosen}
                  disabled={!slot.bookable}
                  aria-label={`${time} ${state}`}
                  onClick={() => onChange(slot.startsAt)}
                  data-testid="appointment-slot"
                  data-starts-at={slot.startsAt}
                  data-full={slot.full ? 'true' : 'false'}
                  style={{ height: 'auto', paddingBlock: 4, whiteSpace: 'normal' }}
                >
                  <span>
                    {time}
                    <br />
                    <small>{state}</small>
                  </span>
                </Button>
              );
            })}
          </div>
        )}
      </fieldset>
      {error && (
        <Typography.Text type="danger" role="alert" id={errorId} data-testid="appointment-slot-error">
          {error}
        </Typography.Text>
      )}
    </Flex>
  );
}
