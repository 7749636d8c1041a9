/** Password hashing with argon2id (@node-rs/argon2: prebuilt, no compiler needed). */
import { hash, verify } from '@node-rs/argon2';

export const hashPassword = (password: string) => hash(password);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against a real hash when the account does not exist keeps timing from telling which accounts exist.
let dummy: Promise<string> | undefined;
export async function burnVerifyTime(password: string): Promise<void> {
  dummy ??= hash('zhengna-timing-equaliser');
  await verifyPassword(await dummy, password);
}
