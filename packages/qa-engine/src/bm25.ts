/**
 * @module
 * A small BM25 inverted index over term lists, built once and read many times. Postings carry the precomputed
 * term-frequency part of BM25, so a query costs one multiply-add per posting.
 */

/** Terms rarer than this idf are scored; ln 2 ≈ present in half of all units. */
const MIN_IDF = 0.69;

export type Posting = { idf: number; ids: Int32Array; weights: Float32Array };

export type Bm25Options = {
  k1: number;
  b: number;
  /** Map a document to the unit whose count defines document frequency (e.g. sub-question → entry). */
  unitOf?: (doc: number) => number;
  /** Number of units (defaults to the number of documents). */
  units?: number;
};

export class Bm25Index {
  readonly postings = new Map<string, Posting>();
  readonly units: number;
  readonly docs: number;

  constructor(docs: readonly (readonly string[])[], options: Bm25Options) {
    const { k1, b } = options;
    this.docs = docs.length;
    this.units = options.units ?? docs.length;
    let total = 0;
    for (const d of docs) total += d.length;
    const avg = total / Math.max(1, docs.length) || 1;
    const ids = new Map<string, number[]>();
    const weights = new Map<string, number[]>();
    const unitSets = new Map<string, Set<number>>();
    const tf = new Map<string, number>();
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i]!;
      tf.clear();
      for (const t of d) tf.set(t, (tf.get(t) ?? 0) + 1);
      const norm = k1 * (1 - b + (b * d.length) / avg);
      for (const [t, f] of tf) {
        let list = ids.get(t);
        if (!list) {
          list = [];
          ids.set(t, list);
          weights.set(t, []);
          unitSets.set(t, new Set());
        }
        list.push(i);
        weights.get(t)!.push((f * (k1 + 1)) / (f + norm));
        unitSets.get(t)!.add(options.unitOf ? options.unitOf(i) : i);
      }
    }
    for (const [t, list] of ids) {
      const df = unitSets.get(t)!.size;
      this.postings.set(t, {
        idf: Math.log(1 + (this.units - df + 0.5) / (df + 0.5)),
        ids: Int32Array.from(list),
        weights: Float32Array.from(weights.get(t)!),
      });
    }
  }

  /** idf a term would have if it occurred in no document: the ceiling for unknown words. */
  get maxIdf(): number {
    return Math.log(1 + (this.units + 0.5) / 0.5);
  }

  idf(term: string): number | undefined {
    return this.postings.get(term)?.idf;
  }

  /**
   * Adds weight × idf × tf-part of every term into acc (indexed by document) and appends each document's first touch
   * to touched from position count on. touched is a caller-owned scratch buffer with room for every document, so a
   * query allocates nothing here however many documents it touches.
   * @returns the new number of touched documents.
   */
  accumulate(terms: ReadonlyMap<string, number>, acc: Float64Array, touched: Int32Array, count = 0): number {
    let n = count;
    for (const [term, w] of terms) {
      const p = this.postings.get(term);
      // A term in more than about half of the documents barely separates them but costs the most to scan.
      if (!p || p.idf < MIN_IDF) continue;
      const f = w * p.idf;
      // A zero weight adds nothing (and would list its documents again as first touches).
      if (f === 0) continue;
      const { ids, weights } = p;
      for (let i = 0; i < ids.length; i++) {
        const d = ids[i]!;
        const v = acc[d]!;
        if (v === 0) touched[n++] = d;
        acc[d] = v + f * weights[i]!;
      }
    }
    return n;
  }
}
