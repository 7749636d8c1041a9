/** 91370100MA3C000001 → 9137****0001 (first four, last four). */
export function maskTaxpayerNo(no: string): string {
  if (no.length <= 8) return no;
  return `${no.slice(0, 4)}****${no.slice(-4)}`;
}
