/**
 * Signing secrets shared by every node: generated once, kept in the settings table, read at start.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { settings } from '../../db/schema.ts';
import type { Db } from '../../platform/db.ts';

export type Secrets = { sso: Uint8Array; realtime: Uint8Array };

export async function loadSecrets(db: Db): Promise<Secrets> {
  const fresh = { sso: randomBytes(32).toString('base64'), realtime: randomBytes(32).toString('base64') };
  await db.insert(settings).values({ key: 'secrets', value: fresh }).onConflictDoNothing();
  const [row] = await db.select().from(settings).where(eq(settings.key, 'secrets'));
  const value = row?.value as { sso: string; realtime: string };
  return { sso: Buffer.from(value.sso, 'base64'), realtime: Buffer.from(value.realtime, 'base64') };
}
