import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../shared/api/api-error.ts';
import { adminErrorMessage } from '../knowledge/handle-error.ts';
import type { Versioned } from './api/settings-api.ts';
import { isVersionConflict, settingFieldErrors } from './settings-form.ts';

export type SaveOutcome<T> = { ok: true; saved: Versioned<T> } | { ok: false };

/**
 * Loads a versioned setting and saves changes naming the version they were based on. A conflict (someone saved in
 * between) and a rejected value (400 with field errors) are kept apart from other failures so the page can offer
 * 重新加载 or show the messages beside the fields.
 */
export function useVersionedSetting<T>(
  fetcher: () => Promise<Versioned<T>>,
  saver: (change: Versioned<T>) => Promise<Versioned<T>>,
  onSessionExpired: () => void,
) {
  const [data, setData] = useState<Versioned<T> | null>(null);
  const [loading, setLoading] = useState(true);
  const [saving, setSaving] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const expired = useRef(onSessionExpired);
  expired.current = onSessionExpired;

  const load = useCallback(async () => {
    setLoading(true);
    setLoadError(null);
    setSaveError(null);
    setConflict(null);
    setFieldErrors({});
    try {
      setData(await fetcher());
    } catch (e) {
      setLoadError(adminErrorMessage(e, '设置加载失败，请稍后再试。', () => expired.current()));
    } finally {
      setLoading(false);
    }
  }, [fetcher]);

  useEffect(() => {
    void load();
  }, [load]);

  const save = useCallback(
    async (value: T): Promise<SaveOutcome<T>> => {
      if (!data) return { ok: false };
      setSaving(true);
      setSaveError(null);
      setConflict(null);
      setFieldErrors({});
      try {
        const saved = await saver({ value, version: data.version });
        setData(saved);
        return { ok: true, saved };
      } catch (e) {
        const message = adminErrorMessage(e, '保存失败，请稍后再试。', () => expired.current());
        if (isVersionConflict(e)) setConflict(message);
        else {
          if (e instanceof ApiError && e.fields) setFieldErrors(settingFieldErrors(e.fields));
          setSaveError(message);
        }
        return { ok: false };
      } finally {
        setSaving(false);
      }
    },
    [data, saver],
  );

  return { data, loading, saving, loadError, saveError, conflict, fieldErrors, load, save };
}
