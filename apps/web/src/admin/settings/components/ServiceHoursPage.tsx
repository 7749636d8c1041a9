import { WEEKDAY_LABELS, WEEKDAYS } from '@zhengna/contracts';
import { App, Button, Card, Flex, Select, Spin, Table, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { fetchServiceHours, saveServiceHours } from '../api/settings-api.ts';
import {
  MAX_SPANS_PER_DAY,
  newSpan,
  type SpanDraft,
  serviceHoursOf,
  suggestSpan,
  timeOptions,
  type WeekDraft,
  type Weekday,
  weekDraftOf,
  weekErrors,
} from '../service-hours.ts';
import { useVersionedSetting } from '../use-versioned-setting.ts';
import { DateTags } from './DateTags.tsx';
import { SettingAlerts } from './SettingAlerts.tsx';

/** 服务设置 → 人工服务时间: weekly hours, holidays and 调休上班 days, all in Beijing time. */
export function ServiceHoursPage({ canEdit, onSessionExpired }: { canEdit: boolean; onSessionExpired: () => void }) {
  const { message } = App.useApp();
  const setting = useVersionedSetting(fetchServiceHours, saveServiceHours, onSessionExpired);
  const { data, fieldErrors } = setting;
  const [week, setWeek] = useState<WeekDraft | null>(null);
  const [holidays, setHolidays] = useState<string[]>([]);
  const [workdays, setWorkdays] = useState<string[]>([]);
  const [showErrors, setShowErrors] = useState(false);

  useEffect(() => {
    if (!data) return;
    setWeek(weekDraftOf(data.value));
    setHolidays(data.value.holidays);
    setWorkdays(data.value.workdays);
    setShowErrors(false);
  }, [data]);

  const errors = useMemo(() => (week ? weekErrors(week) : {}), [week]);
  const options = useMemo(
    () =>
      timeOptions(week ? WEEKDAYS.flatMap((d) => week[d].flatMap((s) => [s.start, s.end])) : []).map((t) => ({
        value: t,
        label: t,
      })),
    [week],
  );

  const setDay = (day: Weekday, spans: SpanDraft[]) => setWeek((w) => (w ? { ...w, [day]: spans } : w));
  const editSpan = (day: Weekday, key: number, patch: Partial<SpanDraft>) =>
    week &&
    setDay(
      day,
      week[day].map((s) => (s.key === key ? { ...s, ...patch } : s)),
    );

  const onSave = async () => {
    if (!week) return;
    setShowErrors(true);
    if (Object.keys(errors).length > 0) return;
    const outcome = await setting.save(serviceHoursOf(week, holidays, workdays));
    if (outcome.ok) message.success('人工服务时间已保存');
  };

  const disabled = !canEdit || setting.saving;
  const dayError = (day: Weekday) => (showErrors ? errors[day] : undefined) ?? fieldErrors[`week.${day}`];

  return (
    <Flex vertical gap={12} style={{ maxWidth: 860 }}>
      <Typography.Text type="secondary" data-testid="hours-timezone-note">
        以下时间均为北京时间（UTC+8）。服务时间外，纳税人转人工时会看到服务时间说明，可留言。节假日全天不提供人工服务；调休上班日按周一的时段提供服务。
      </Typography.Text>
      <SettingAlerts {...setting} canEdit={canEdit} onReload={() => void setting.load()} />
      <Spin spinning={setting.loading}>
        {week && data && (
          <Flex vertical gap={16} data-testid="hours-form" data-version={data.version}>
            <Table<{ day: Weekday }>
              rowKey="day"
              size="small"
              pagination={false}
              dataSource={WEEKDAYS.map((day) => ({ day }))}
              data-testid="hours-week"
              columns={[
                {
                  title: '星期',
                  dataIndex: 'day',
                  width: 80,
                  render: (day: Weekday) => WEEKDAY_LABELS[day],
                },
                {
                  title: '人工服务时段',
                  dataIndex: 'day',
                  key: 'spans',
                  render: (day: Weekday) => (
                    <Flex vertical gap={6} data-testid={`hours-day-${day}`}>
                      {week[day].length === 0 && <Typography.Text type="secondary">全天不提供人工服务</Typography.Text>}
                      {week[day].map((span, i) => (
                        <Flex key={span.key} align="center" gap={6} data-testid="hours-span">
                          <Select
                            aria-label={`${WEEKDAY_LABELS[day]}第 ${i + 1} 段开始时间`}
                            value={span.start}
                            options={options.filter((o) => o.value !== '24:00')}
                            onChange={(start) => editSpan(day, span.key, { start })}
                            disabled={disabled}
                            style={{ width: 100 }}
                            showSearch
                          />
                          <span aria-hidden="true">至</span>
                          <Select
                            aria-label={`${WEEKDAY_LABELS[day]}第 ${i + 1} 段结束时间`}
                            value={span.end}
                            options={options.filter((o) => o.value !== '00:00')}
                            onChange={(end) => editSpan(day, span.key, { end })}
                            disabled={disabled}
                            style={{ width: 100 }}
                            showSearch
                          />
                          {canEdit && (
                            <Button
                              size="small"
                              type="link"
                              danger
                              disabled={disabled}
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
                      {dayError(day) && (
                        <Typography.Text type="danger" role="alert" data-testid={`hours-error-${day}`}>
                          {dayError(day)}
                        </Typography.Text>
                      )}
                    </Flex>
                  ),
                },
                ...(canEdit
                  ? [
                      {
                        title: '操作',
                        dataIndex: 'day',
                        key: 'add',
                        width: 110,
                        render: (day: Weekday) => {
                          const suggestion = suggestSpan(week[day]);
                          return (
                            <Button
                              size="small"
                              disabled={disabled || !suggestion || week[day].length >= MAX_SPANS_PER_DAY}
                              title={suggestion ? undefined : '该日已全天提供人工服务'}
                              onClick={() =>
                                suggestion && setDay(day, [...week[day], newSpan(suggestion.start, suggestion.end)])
                              }
                              aria-label={`为${WEEKDAY_LABELS[day]}添加时段`}
                              data-testid={`hours-add-${day}`}
                            >
                              添加时段
                            </Button>
                          );
                        },
                      },
                    ]
                  : []),
              ]}
            />
            <Card size="small" title="节假日（全天不提供人工服务）">
              <DateTags
                label="节假日"
                testId="hours-holidays"
                value={holidays}
                onChange={setHolidays}
                disabled={disabled}
                error={fieldErrors.holidays}
              />
            </Card>
            <Card size="small" title="调休上班日（按周一的时段提供服务）">
              <DateTags
                label="调休上班日"
                testId="hours-workdays"
                value={workdays}
                onChange={setWorkdays}
                disabled={disabled}
                error={fieldErrors.workdays}
              />
            </Card>
            {canEdit && (
              <div>
                <Button type="primary" onClick={() => void onSave()} loading={setting.saving} data-testid="hours-save">
                  保存
                </Button>
              </div>
            )}
          </Flex>
        )}
      </Spin>
    </Flex>
  );
}
