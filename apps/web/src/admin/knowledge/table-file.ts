/**
 * The entries as a spreadsheet on the browser's side: which format a chosen file is, how it travels (CSV as text,
 * .xlsx as base64) and the empty import template. Pure: the import page and the tests share it.
 */
import { KNOWLEDGE_TABLE_COLUMNS, type ZKnowledgeTableImportRequest } from '@zhengna/contracts';
import type { z } from 'zod';

export type TableFormat = z.infer<typeof ZKnowledgeTableImportRequest>['format'];

/** csv or xlsx by the file's extension; null for anything else (an old .xls included). */
export function tableFormatOf(fileName: string): TableFormat | null {
  const ext = fileName.toLowerCase().split('.').pop();
  return ext === 'csv' || ext === 'xlsx' ? ext : null;
}

/** Base64 of bytes, in chunks (a spread of megabytes would overflow the call stack). */
export function base64OfBytes(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const CHUNK = 0x8000;
  let binary = '';
  for (let i = 0; i < view.length; i += CHUNK) {
    binary += String.fromCharCode(...view.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/**
 * A CSV's text: UTF-8 (with or without Excel's BOM), else GB18030 — what Excel on a Chinese Windows saves as
 * "CSV (逗号分隔)".
 */
export function decodeCsv(bytes: ArrayBuffer | Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** The import template: only the header row, with a BOM so that Excel opens it as UTF-8. */
export function templateCsv(): string {
  return `\uFEFF${KNOWLEDGE_TABLE_COLUMNS.map((c) => c.header).join(',')}\r\n`;
}

export const REQUIRED_TABLE_HEADERS = KNOWLEDGE_TABLE_COLUMNS.filter((c) => c.required).map((c) => c.header);
