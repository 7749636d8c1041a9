const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const UNITS = ['', '拾', '佰', '仟'];
const SECTIONS = ['', '万', '亿', '万亿'];

/**
 * 价税合计（大写）as printed on an invoice.
 * @example amountInWords(1005.3) // '壹仟零伍元叁角'
 */
export function amountInWords(amount: number): string {
  if (!Number.isFinite(amount) || amount < 0) return '';
  const cents = Math.round(amount * 100);
  const integer = Math.floor(cents / 100);
  const jiao = Math.floor(cents / 10) % 10;
  const fen = cents % 10;
  if (cents === 0) return '零元整';

  let result = integer > 0 ? `${integerWords(integer)}元` : '';
  if (jiao === 0 && fen === 0) return `${result}整`;
  if (jiao > 0) result += `${DIGITS[jiao]}角`;
  else if (integer > 0) result += '零';
  if (fen > 0) result += `${DIGITS[fen]}分`;
  return result;
}

function integerWords(value: number): string {
  const sections: number[] = [];
  for (let n = value; n > 0; n = Math.floor(n / 10_000)) sections.push(n % 10_000);
  let result = '';
  let pendingZero = false;
  for (let i = sections.length - 1; i >= 0; i--) {
    const section = sections[i] ?? 0;
    if (section === 0) {
      pendingZero = result.length > 0;
      continue;
    }
    if (result && (pendingZero || section < 1000)) result += '零';
    result += sectionWords(section) + (SECTIONS[i] ?? '');
    pendingZero = false;
  }
  return result;
}

function sectionWords(section: number): string {
  let words = '';
  let zero = false;
  for (let i = 3; i >= 0; i--) {
    const digit = Math.floor(section / 10 ** i) % 10;
    if (digit === 0) {
      if (words) zero = true;
      continue;
    }
    if (zero) words += '零';
    zero = false;
    words += (DIGITS[digit] ?? '') + (UNITS[i] ?? '');
  }
  return words;
}
