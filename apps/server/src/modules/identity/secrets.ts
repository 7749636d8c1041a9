/**
 * Signing secrets shared by every node: generated once, kept in the settings table, read at start. Keys added later
 * (the TOTP sealing key, the login-challenge key) are filled into an existing row on first start.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { settings } from '../../db/schema.ts';
import type { Db } from '../../platform/db.ts';

export type Secrets = { sso: Uint8Array; realtime: Uint8Array; seal: Uint8Array; challenge: Uint8Array };
type Stored = Record<keyof Secrets, string>;

const key = () => randomBytes(32).toString('base64');

export async function loadSecrets(db: Db): Promise<Secrets> {
  const fresh: Stored = { sso: key(), realtime: key(), seal: key(), challenge: key() };
  await db.insert(settings).values({ key: 'secrets', value: fresh }).onConflictDoNothing();
  // a row from before a key existed gets it (jsonb `||` keeps keys already there: the row's side wins)
  await db
    .update(settings)
    .set({ value: sql`${JSON.stringify(fresh)}::jsonb || ${settings.value}` })
    .where(eq(settings.key, 'secrets'));
  const [row] = await db.select().from(settings).where(eq(settings.key, 'secrets'));
  const value = row?.value as Stored;
  const buf = (k: keyof Secrets) => Buffer.from(value[k], 'base64');
  return { sso: buf('sso'), realtime: buf('realtime'), seal: buf('seal'), challenge: buf('challenge') };
}

/** AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`, base64url. For small secrets kept at rest (TOTP seeds). */
export function seal(keyBytes: Uint8Array, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyBytes, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

export function unseal(keyBytes: Uint8Array, sealed: string): string {
  const [v, iv, tag, body] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || !body) throw new Error('unknown sealed format');
  const decipher = createDecipheriv('aes-256-gcm', keyBytes, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
