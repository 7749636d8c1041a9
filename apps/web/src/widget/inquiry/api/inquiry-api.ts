/** 留言 and 工单 progress over HTTP for the taxpayer; every call takes the chat's bearer token. */
import {
  type TCaseFile,
  type TInquiry,
  type TInquiryOptions,
  type TInquirySubmit,
  type TWorkOrderPublic,
  ZCaseFile,
  ZInquiry,
  ZInquiryOptions,
  ZWorkOrderPublic,
} from '@zhengna/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { type UploadHandle, uploadFile } from '../../chat/attachments/attachment-api.ts';

export function fetchInquiryOptions(accessToken: string): Promise<TInquiryOptions> {
  return apiRequest('/api/chat/inquiries/options', { accessToken, schema: ZInquiryOptions });
}

/** Uploads one file for a 留言 (bound to it on submit); the same size and type rules as the chat's uploads. */
export function uploadInquiryFile(
  accessToken: string,
  file: File,
  onProgress: (percent: number) => void,
): UploadHandle<TCaseFile> {
  return uploadFile('/api/chat/inquiries/files', ZCaseFile, accessToken, file, onProgress);
}

/** Idempotent by `clientKey`: sending the same form again answers the 留言 made the first time. */
export function submitInquiry(accessToken: string, body: TInquirySubmit): Promise<TInquiry> {
  return apiRequest('/api/chat/inquiries', { accessToken, body, schema: ZInquiry });
}

export async function fetchMyInquiries(accessToken: string): Promise<TInquiry[]> {
  return (await apiRequest('/api/chat/inquiries', { accessToken, schema: z.object({ inquiries: z.array(ZInquiry) }) }))
    .inquiries;
}

export function fetchWorkOrderProgress(accessToken: string, id: string): Promise<TWorkOrderPublic> {
  return apiRequest(`/api/chat/work-orders/${encodeURIComponent(id)}`, { accessToken, schema: ZWorkOrderPublic });
}

/** A file of one's own 留言 as a Blob (files are not public, so a plain link cannot load them). */
export function caseFileUrl(id: string): string {
  return `/api/chat/case-files/${encodeURIComponent(id)}`;
}
