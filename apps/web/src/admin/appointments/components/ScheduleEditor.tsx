import { WEEKDAY_LABELS, WEEKDAYS } from '@zhengna/contracts';
import { Button, Flex, Select, Table, Typography } from 'antd';
import { useMemo } from 'react';
import {
  MAX_SPANS_PER_DAY,
  newSpan,
  type SpanDraft,
  suggestSpan,
  timeOptions,
  type WeekDraft,
  type Weekday,
} from '../../settings/service-hours.ts';

interface ScheduleEditorProps {
  value: WeekDraft;
  onChange: (next: WeekDraft) => void;
  /** Messages by "schedule.<day>" (and "schedule._" for the whole week). */
  errors: Record<string, string>;
  disabled: boolean;
  /** Supervisors: the table without its add and delete buttons. */
  readOnly: boolean;
}

/** The weekly table of bookable spans (北京时间), as in 人工服务时间: up to four spans a day, added and removed per day. */
export function ScheduleEditor({ value: week, onChange, errors, disabled, readOnly }: ScheduleEditorProps) {
  const options = useMemo(
    () =>
      timeOptions(WEEKDAYS.flatMap((d) => week[d].flatMap((s) => [s.start, s.end]))).map((t) => ({
        value: t,
        label: t,
      })),
    [week],
  );
  const setDay = (day: Weekday, spans: SpanDraft[]) => onChange({ ...week, [day]: spans });
  const editSpan = (day: Weekday, key: number, patch: Partial<SpanDraft>) =>
    setDay(
      day,
      week[day].map((s) => (s.key === key ? { ...s, ...patch } : s)),
    );

  return (
    <Flex vertical gap={6}>
      <Table<{ day: Weekday }>
        rowKey="day"
        size="small"
        pagination={false}
        dataSource={WEEKDAYS.map((day) => ({ day }))}
        data-testid="service-schedule"
        columns={[
          { title: '星期', dataIndex: 'day', width: 70, render: (day: Weekday) => WEEKDAY_LABELS[day] },
          {
            title: '可预约时段',
            dataIndex: 'day',
            key: 'spans',
            render: (day: Weekday) => (
              <Flex vertical gap={6} data-testid={`schedule-day-${day}`}>
                {week[day].length === 0 && <Typography.Text type="secondary">不开放预约</Typography.Text>}
                {week[day].map((span, i) => (
                  <Flex key={span.key} align="center" gap={6}>
                    <Select
                      aria-label={`${WEEKDAY_LABELS[day]}第 ${i + 1} 段开始时间`}
                      value={span.start}
                      options={options.filter((o) => o.value !== '24:00')}
                      onChange={(start) => editSpan(day, span.key, { start })}
                      disabled={disabled}
                      style={{ width: 96 }}
                      showSearch
                    />
                    <span aria-hidden="true">至</span>
                    <Select
                      aria-label={`${WEEKDAY_LABELS[day]}第 ${i + 1} 段结束时间`}
                      value={span.end}
                      options={options.filter((o) => o.value !== '00:00')}
                      onChange={(end) => editSpan(day, span.key, { end })}
                      disabled={disabled}
                      style={{ width: 96 }}
                      showSearch
                    />
                    {!readOnly && (
                      <Button
                        disabled={disabled}
                        size="small"
                        type="link"
                        danger
                        onClick={() =>
                          setDay(
                            day,
                            week[day].filter((s) => s.key !== span.key),
                          )
                        }
                        aria-label={`删除${WEEKDAY_LABELS[day]}第 ${i + 1} 段`}
                      >
                        删除
                      </Button>
                    )}
                  </Flex>
                ))}
                {errors[`schedule.${day}`] && (
                  <Typography.Text type="danger" role="alert">
                    {errors[`schedule.${day}`]}
                  </Typography.Text>
                )}
              </Flex>
            ),
          },
          ...(readOnly
            ? []
            : [
                {
                  title: '操作',
                  dataIndex: 'day',
                  key: 'add',
                  width: 100,
                  render: (day: Weekday) => {
                    const suggestion = suggestSpan(week[day]);
                    return (
                      <Button
                        size="small"
                        disabled={disabled || !suggestion || week[day].length >= MAX_SPANS_PER_DAY}
                        onClick={() =>
                          suggestion && setDay(day, [...week[day], newSpan(suggestion.start, suggestion.end)])
                        }
                        aria-label={`为${WEEKDAY_LABELS[day]}添加时段`}
                      >
                        添加时段
                      </Button>
                    );
                  },
                },
              ]),
        ]}
      />
      {errors['schedule._'] && (
        <Typography.Text type="danger" role="alert">
          {errors['schedule._']}
        </Typography.Text>
      )}
    </Flex>
  );
}
