/**
 * Attachments: upload with progress (XMLHttpRequest — fetch has no upload progress) and download with the bearer
 * token (files are served only to the conversation's participants, so an <img src> cannot load them directly).
 */
import { type TAttachment, ZAttachment, ZErrorBody } from '@zhengna/contracts';
import type { z } from 'zod';
import { ApiError } from '../../../shared/api/api-error.ts';

/** The server's cap; checked here too so a big file is refused before it is sent. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** What the server accepts (it decides by the file's bytes; this only filters the file picker). */
export const ACCEPTED_FILES = 'image/jpeg,image/png,image/gif,image/webp,.pdf,.doc,.docx,.xlsx';

export interface UploadHandle<T = TAttachment> {
  promise: Promise<T>;
  abort: () => void;
}

export function uploadAttachment(
  accessToken: string,
  conversationId: string,
  file: File,
  onProgress: (percent: number) => void,
): UploadHandle {
  const url = `/api/chat/conversations/${encodeURIComponent(conversationId)}/attachments`;
  return uploadFile(url, ZAttachment, accessToken, file, onProgress);
}

/** One file as multipart `file` to `url`, answered with `schema` (chat attachments, 留言 files). */
export function uploadFile<T>(
  url: string,
  schema: z.ZodType<T>,
  accessToken: string,
  file: File,
  onProgress: (percent: number) => void,
): UploadHandle<T> {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<T>((resolve, reject) => {
    xhr.open('POST', url);
    xhr.setRequestHeader('Authorization', `Bearer ${accessToken}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onload = () => {
      const json = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) {
        const parsed = schema.safeParse(json);
        if (parsed.success) resolve(parsed.data);
        else reject(new ApiError('BAD_RESPONSE', '服务器返回的数据无法识别，请稍后再试。', xhr.status));
        return;
      }
      const error = ZErrorBody.safeParse(json);
      if (error.success) reject(new ApiError(error.data.code, error.data.message, xhr.status, error.data.fields));
      else if (xhr.status === 413) reject(new ApiError('FILE_TOO_LARGE', '文件过大，单个文件不能超过 10 MB。', 413));
      else reject(new ApiError('INTERNAL', '上传失败，请稍后再试。', xhr.status));
    };
    xhr.onerror = () => reject(new ApiError('NETWORK', '网络连接失败，请检查网络后重试。', 0));
    xhr.onabort = () => reject(new ApiError('NETWORK', '已取消上传。', 0));
    const form = new FormData();
    form.append('file', file, file.name || 'screenshot.png');
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

/** A stored file as a Blob, fetched with the bearer token. */
export async function fetchAttachmentBlob(accessToken: string, url: string): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Authorization: `Bearer ${accessToken}` }, credentials: 'same-origin' });
  } catch {
    throw new ApiError('NETWORK', '网络连接失败，请检查网络后重试。', 0);
  }
  if (!response.ok) {
    const parsed = ZErrorBody.safeParse(parseJson(await response.text().catch(() => '')));
    if (parsed.success) throw new ApiError(parsed.data.code, parsed.data.message, response.status);
    throw new ApiError('INTERNAL', '文件加载失败，请稍后再试。', response.status);
  }
  return response.blob();
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/** "1.2 MB", "35 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
