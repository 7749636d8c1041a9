import type { TAttachment } from '@zhengna/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { MAX_UPLOAD_BYTES, type UploadHandle } from './attachment-api.ts';

export interface UploadItem {
  readonly key: string;
  readonly name: string;
  readonly size: number;
  /** A local object URL for an image's thumbnail (revoked when the item goes). */
  readonly previewUrl?: string;
  readonly percent: number;
  readonly status: 'uploading' | 'done' | 'error';
  readonly attachment?: TAttachment;
  readonly error?: string;
}

export type StartUpload = (file: File, onProgress: (percent: number) => void) => UploadHandle;

/** At most this many attachments go with one message (the server's limit). */
export const MAX_ATTACHMENTS = 9;

/**
 * Files waiting to go with the next message: each uploads at once (with progress), then waits for 发送. Failed ones
 * keep the server's Chinese reason until removed.
 */
export function useAttachmentUploads(startUpload: StartUpload) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const handles = useRef(new Map<string, UploadHandle>());
  const itemsRef = useRef(items);
  itemsRef.current = items;

  const update = useCallback((key: string, patch: Partial<UploadItem>) => {
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...patch } : item)));
  }, []);

  const add = useCallback(
    (files: readonly File[]) => {
      const room = MAX_ATTACHMENTS - itemsRef.current.filter((i) => i.status !== 'error').length;
      const accepted = files.slice(0, Math.max(0, room));
      const rejected = files.slice(accepted.length);
      const fresh: UploadItem[] = [];
      for (const file of accepted) {
        const key = crypto.randomUUID();
        const name = file.name || `截图-${new Date().toLocaleTimeString('zh-CN', { hour12: false })}.png`;
        const previewUrl = file.type.startsWith('image/') ? URL.createObjectURL(file) : undefined;
        if (file.size > MAX_UPLOAD_BYTES) {
          fresh.push({
            key,
            name,
            size: file.size,
            previewUrl,
            percent: 0,
            status: 'error',
            error: '文件过大，单个文件不能超过 10 MB。',
          });
          continue;
        }
        fresh.push({ key, name, size: file.size, previewUrl, percent: 0, status: 'uploading' });
        const named = file.name ? file : new File([file], name, { type: file.type });
        const handle = startUpload(named, (percent) => update(key, { percent }));
        handles.current.set(key, handle);
        handle.promise.then(
          (attachment) => update(key, { status: 'done', percent: 100, attachment }),
          (error: unknown) => update(key, { status: 'error', error: errorMessage(error, '上传失败，请稍后再试。') }),
        );
        void handle.promise.finally(() => handles.current.delete(key)).catch(() => {});
      }
      for (const file of rejected) {
        fresh.push({
          key: crypto.randomUUID(),
          name: file.name || '截图',
          size: file.size,
          percent: 0,
          status: 'error',
          error: `一次最多发送 ${MAX_ATTACHMENTS} 个附件。`,
        });
      }
      setItems((list) => [...list, ...fresh]);
    },
    [startUpload, update],
  );

  const remove = useCallback((key: string) => {
    handles.current.get(key)?.abort();
    setItems((list) => {
      const gone = list.find((i) => i.key === key);
      if (gone?.previewUrl) URL.revokeObjectURL(gone.previewUrl);
      return list.filter((i) => i.key !== key);
    });
  }, []);

  /** The uploaded attachments, handed over for sending; the list is emptied. */
  const take = useCallback((): TAttachment[] => {
    const done = itemsRef.current.flatMap((i) => (i.status === 'done' && i.attachment ? [i.attachment] : []));
    for (const item of itemsRef.current) if (item.previewUrl) URL.revokeObjectURL(item.previewUrl);
    setItems([]);
    return done;
  }, []);

  useEffect(
    () => () => {
      for (const handle of handles.current.values()) handle.abort();
      for (const item of itemsRef.current) if (item.previewUrl) URL.revokeObjectURL(item.previewUrl);
    },
    [],
  );

  return {
    items,
    add,
    remove,
    take,
    uploading: items.some((i) => i.status === 'uploading'),
    ready: items.some((i) => i.status === 'done'),
  };
}

export type AttachmentUploads = ReturnType<typeof useAttachmentUploads>;
