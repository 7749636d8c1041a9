/**
 * pino, with personal numbers masked: known fields are redacted by path, and any mobile or resident ID number that
 * slips into a log line's text is masked before it is written.
 */
import { maskPersonalNumbers } from '@zhengna/contracts';
import pino, { type Logger } from 'pino';

export const REDACT_PATHS = [
  'password',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.token',
  '*.accessToken',
  'phone',
  '*.phone',
  'idNumber',
  '*.idNumber',
];

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalNumbers(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  if (value instanceof Error) {
    // a copy of the same class (pino still serializes it as an error) with message, stack, cause… masked
    const copy = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>;
    const own = value as unknown as Record<string, unknown>;
    for (const k of Object.getOwnPropertyNames(value)) copy[k] = maskDeep(own[k], depth + 1);
    return copy;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
  return out;
}

export function createLogger(opts: { level: string; nodeId: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: opts.level,
      base: { node: opts.nodeId },
      redact: { paths: REDACT_PATHS, censor: '[已隐藏]' },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => maskDeep(a)) as Parameters<typeof method>);
        },
      },
      // request URLs can carry numbers too (query strings)
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({
          id: req.id,
          method: req.method,
          url: maskPersonalNumbers(req.url),
        }),
      },
    },
    opts.destination,
  );
}
