/** TOTP (RFC 6238) as authenticator apps use it: SHA-1, 6 digits, 30-second steps, one step of drift either way. */
import { Secret, TOTP } from 'otpauth';

export const TOTP_ISSUER = '征纳互动';
const PERIOD = 30;

function totpOf(base32: string, label = '') {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(base32),
  });
}

/** A fresh 160-bit secret (Base32) and the otpauth:// URI an authenticator app reads. */
export function newTotpSecret(label: string): { secret: string; uri: string } {
  const secret = new Secret({ size: 20 }).base32;
  return { secret, uri: totpOf(secret, label).toString() };
}

/** The time step the code belongs to (now, or one step either side), or null when it matches none. */
export function totpStepOf(base32: string, code: string, now = Date.now()): number | null {
  const delta = totpOf(base32).validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta;
}
