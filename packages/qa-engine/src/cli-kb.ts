/**
 * @module
 * Reads the shared JSONL layout (kb.jsonl) into engine entries. Used by the CLI and the benchmarks only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KbEntry, TaxpayerType } from './types.ts';

type RawEntry = {
  id: string;
  topic: string;
  question: string;
  similar?: string[];
  answer?: string;
  documents?: string[];
  audience?: { taxpayerTypes?: TaxpayerType[]; industries?: string[]; regions?: string[] };
  keywords?: string[];
};

export function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

/** Reads `<dir>/kb.jsonl` in the shared import/export layout. */
export function loadKb(dir: string): KbEntry[] {
  return readJsonl<RawEntry>(join(dir, 'kb.jsonl')).map((r) => ({
    id: r.id,
    topicId: r.topic,
    question: r.question,
    similar: r.similar ?? [],
    answer: r.answer ?? '',
    documents: r.documents ?? [],
    audience: {
      taxpayerTypes: r.audience?.taxpayerTypes ?? [],
      industries: r.audience?.industries ?? [],
      regions: r.audience?.regions ?? [],
    },
    keywords: r.keywords ?? [],
  }));
}
