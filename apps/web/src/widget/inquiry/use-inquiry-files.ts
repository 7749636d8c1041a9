import type { TCaseFile } from '@zhengna/contracts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { errorMessage } from '../../shared/api/api-error.ts';
import { MAX_UPLOAD_BYTES, type UploadHandle } from '../chat/attachments/attachment-api.ts';
import { MAX_INQUIRY_FILES } from './inquiry-form.ts';

export interface InquiryFileItem {
  readonly key: string;
  readonly name: string;
  readonly size: number;
  readonly percent: number;
  readonly status: 'uploading' | 'done' | 'error';
  readonly file?: TCaseFile;
  readonly error?: string;
}

export type StartCaseUpload = (file: File, onProgress: (percent: number) => void) => UploadHandle<TCaseFile>;

const itemOf = (file: TCaseFile): InquiryFileItem => ({
  key: file.id,
  name: file.fileName,
  size: file.size,
  percent: 100,
  status: 'done',
  file,
});

/**
 * The 附件材料 of a 留言: each file uploads at once (the chat's size and type rules; the server checks the bytes),
 * at most MAX_INQUIRY_FILES. Files restored from a draft start as uploaded.
 */
export function useInquiryFiles(startUpload: StartCaseUpload, restored: readonly TCaseFile[]) {
  const [items, setItems] = useState<InquiryFileItem[]>(() => restored.map(itemOf));
  const handles = useRef(new Map<string, UploadHandle<TCaseFile>>());
  const itemsRef = useRef(items);
  itemsRef.current = items;

  const update = useCallback((key: string, patch: Partial<InquiryFileItem>) => {
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...patch } : item)));
  }, []);

  const add = useCallback(
    (files: readonly File[]) => {
      const room = MAX_INQUIRY_FILES - itemsRef.current.filter((i) => i.status !== 'error').length;
      const fresh: InquiryFileItem[] = [];
      files.forEach((file, index) => {
        const key = crypto.randomUUID();
        const name = file.name || '截图.png';
        if (index >= room) {
          fresh.push({
            key,
            name,
            size: file.size,
            percent: 0,
            status: 'error',
            error: `最多上传 ${MAX_INQUIRY_FILES} 个附件。`,
          });
          return;
        }
        if (file.size > MAX_UPLOAD_BYTES) {
          fresh.push({
            key,
            name,
            size: file.size,
            percent: 0,
            status: 'error',
            error: '文件过大，单个文件不能超过 10 MB。',
          });
          return;
        }
        fresh.push({ key, name, size: file.size, percent: 0, status: 'uploading' });
        const handle = startUpload(file, (percent) => update(key, { percent }));
        handles.current.set(key, handle);
        handle.promise.then(
          (stored) => update(key, { status: 'done', percent: 100, file: stored }),
          (error: unknown) => update(key, { status: 'error', error: errorMessage(error, '上传失败，请稍后再试。') }),
        );
        void handle.promise.finally(() => handles.current.delete(key)).catch(() => {});
      });
      setItems((list) => [...list, ...fresh]);
    },
    [startUpload, update],
  );

  const remove = useCallback((key: string) => {
    handles.current.get(key)?.abort();
    setItems((list) => list.filter((i) => i.key !== key));
  }, []);

  useEffect(
    () => () => {
      for (const handle of handles.current.values()) handle.abort();
    },
    [],
  );

  const done = useMemo(() => items.flatMap((i) => (i.status === 'done' && i.file ? [i.file] : [])), [items]);
  return { items, add, remove, done, uploading: items.some((i) => i.status === 'uploading') };
}

export type InquiryFiles = ReturnType<typeof useInquiryFiles>;
