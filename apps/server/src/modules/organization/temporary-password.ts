/**
 * Temporary passwords for new and reset staff accounts: random (node:crypto), at least 16 characters or the policy's
 * minimum, with all four character classes, and without look-alikes (0/O, 1/l/I) since they are read off a screen
 * and typed by hand.
 */
import { randomInt } from 'node:crypto';

const CLASSES = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '@#%+=?!'] as const;
const ALL = CLASSES.join('');
const MIN_LENGTH = 16;

export function generateTemporaryPassword(policyMinLength: number): string {
  const length = Math.max(MIN_LENGTH, policyMinLength);
  const chars = CLASSES.map((c) => pick(c));
  while (chars.length < length) chars.push(pick(ALL));
  // Fisher–Yates: the guaranteed one-of-each must not sit at fixed positions
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}

const pick = (alphabet: string): string => alphabet[randomInt(alphabet.length)] as string;
