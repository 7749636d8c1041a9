import type { TDocumentRef } from '@zhengna/contracts';

/** "国家税务总局 · 国家税务总局公告2024年第1号 · 2024年" — whatever of issuer, number and year is known. */
export function documentMeta(document: Pick<TDocumentRef, 'issuer' | 'number' | 'year'>): string {
  return [document.issuer, document.number, document.year ? `${document.year}年` : '']
    .map((part) => part.trim())
    .filter(Boolean)
    .join(' · ');
}
