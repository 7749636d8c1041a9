import type { TAppointmentDays, TSlot } from '@zhengna/contracts';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../../shared/api/api-error.ts';
import type { Load } from '../panels/hooks/use-load.ts';
import { fetchSlots } from './api/appointment-api.ts';
import { firstOpenDate } from './appointment-form.ts';

/**
 * The days and slots of one service, the date shown and the slot chosen. After a reload (a lost race) the date stays
 * and a chosen slot that can no longer be booked is dropped.
 */
export function useSlots(withAuth: <T>(call: (token: string) => Promise<T>) => Promise<T>, serviceId: string) {
  const [state, setState] = useState<Load<TAppointmentDays>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [date, setDate] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the reload trigger.
  useEffect(() => {
    if (!serviceId) return;
    let cancelled = false;
    setState((s) => (s.status === 'ready' && s.data.service.id === serviceId ? s : { status: 'loading' }));
    withAuth((token) => fetchSlots(token, serviceId)).then(
      (data) => {
        if (cancelled) return;
        setState({ status: 'ready', data });
        setDate((d) => (d && data.days.some((x) => x.date === d) ? d : firstOpenDate(data.days)));
      },
      (e: unknown) =>
        !cancelled && setState({ status: 'error', message: errorMessage(e, '可预约时段加载失败，请稍后再试。') }),
    );
    return () => {
      cancelled = true;
    };
  }, [serviceId, attempt]);

  const chosenSlot = useMemo<TSlot | null>(() => {
    if (state.status !== 'ready' || !chosen) return null;
    const slot = state.data.days.flatMap((d) => d.slots).find((s) => s.startsAt === chosen);
    return slot?.bookable ? slot : null;
  }, [state, chosen]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, date, setDate, chosenSlot, choose: setChosen, reload };
}
