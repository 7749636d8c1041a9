/**
 * Which skill group serves a conversation: the business it is about (from the topic of what the taxpayer last asked)
 * at the taxpayer's own tax office, else the nearest office above it, else province-wide, else general consulting.
 */
export type Business = 'invoice' | 'filing' | 'registration' | 'general';
export type GroupRow = { id: string; business: Business; taxOfficeId: string | null; fallbackGroupId: string | null };

/** Topics of the product's knowledge base by the business that handles them. */
const TOPIC_BUSINESS: Record<string, Business> = {
  T01: 'invoice',
  T02: 'invoice',
  T03: 'invoice',
  T04: 'invoice',
  T05: 'invoice',
  T06: 'invoice',
  T07: 'invoice',
  T17: 'invoice',
  T18: 'invoice',
  T09: 'filing',
  T10: 'filing',
  T11: 'filing',
  T12: 'filing',
  T14: 'filing',
  T15: 'filing',
  T08: 'registration',
  T13: 'registration',
  T16: 'registration',
};

export function businessOf(topicId: string | null | undefined, page?: string | null): Business {
  if (topicId && TOPIC_BUSINESS[topicId]) return TOPIC_BUSINESS[topicId];
  if (page === 'invoice' || page === 'account') return 'invoice';
  return 'general';
}

/** officeChain: the taxpayer's office first, then its parents. */
export function chooseGroup(groups: GroupRow[], officeChain: string[], business: Business): GroupRow | null {
  const tries: Business[] = business === 'general' ? ['general'] : [business, 'general'];
  for (const b of tries) {
    for (const office of officeChain) {
      const g = groups.find((x) => x.business === b && x.taxOfficeId === office);
      if (g) return g;
    }
    const provinceWide = groups.find((x) => x.business === b && x.taxOfficeId === null);
    if (provinceWide) return provinceWide;
  }
  return groups[0] ?? null;
}
