/**
 * 创建管理员: the first administrator of a production database (SEED_DEMO=false creates no staff, and accounts are
 * otherwise made only by an administrator in the console). Uses the node's own configuration (DATABASE_URL, or the
 * embedded database in DATA_DIR — stop the node first: PGlite allows one process). Applies the migrations, then adds
 * an active admin with a temporary password that must be changed at the first login, printed once.
 *
 *   npm run admin:create -- <用户名> <姓名> [<税务机关编号> <税务机关名称>]
 *
 * The office must exist, or be given with its name to be created as a top-level office (an empty database has none).
 */
import {
  DEFAULT_SECURITY_SETTINGS,
  ZSecuritySettings,
  ZStaffName,
  ZStaffUsername,
  ZTaxOfficeCode,
  ZTaxOfficeName,
} from '@zhengna/contracts';
import { eq, sql } from 'drizzle-orm';
import { loadConfig } from '../config.ts';
import { settings, staff, taxOffices } from '../db/schema.ts';
import { hashPassword } from '../modules/identity/password.ts';
import { generateTemporaryPassword } from '../modules/organization/temporary-password.ts';
import { type Database, openDatabase } from '../platform/db.ts';

export type CreateAdminInput = { username: string; name: string; officeId?: string; officeName?: string };

/** Adds the administrator; returns the temporary password. Throws with a Chinese message on bad input. */
export async function createAdmin(database: Database, input: CreateAdminInput): Promise<string> {
  const username = ZStaffUsername.safeParse(input.username);
  if (!username.success) throw new Error(username.error.issues[0]?.message ?? '用户名格式不正确');
  const name = ZStaffName.safeParse(input.name);
  if (!name.success) throw new Error(name.error.issues[0]?.message ?? '姓名格式不正确');
  return database.withStartupLock(async (db) => {
    const [taken] = await db
      .select({ id: staff.id })
      .from(staff)
      .where(sql`lower(${staff.username}) = lower(${username.data})`);
    if (taken) throw new Error(`用户名 ${username.data} 已存在`);
    let officeId = input.officeId;
    if (officeId) {
      const code = ZTaxOfficeCode.safeParse(officeId);
      if (!code.success) throw new Error(code.error.issues[0]?.message ?? '税务机关编号格式不正确');
      const [office] = await db.select().from(taxOffices).where(eq(taxOffices.id, officeId));
      if (!office) {
        if (!input.officeName) throw new Error(`税务机关 ${officeId} 不存在；要新建它，请同时给出税务机关名称`);
        const officeName = ZTaxOfficeName.safeParse(input.officeName);
        if (!officeName.success) throw new Error(officeName.error.issues[0]?.message ?? '税务机关名称格式不正确');
        await db.insert(taxOffices).values({ id: officeId, name: officeName.data });
      }
    } else {
      const [root] = await db.select().from(taxOffices).where(sql`${taxOffices.parentId} is null`).limit(1);
      if (!root) throw new Error('数据库中还没有税务机关，请给出税务机关编号和名称');
      officeId = root.id;
    }
    const [stored] = await db.select().from(settings).where(eq(settings.key, 'security'));
    const policy = ZSecuritySettings.safeParse(stored?.value);
    const password = generateTemporaryPassword(
      (policy.success ? policy.data : DEFAULT_SECURITY_SETTINGS).passwordMinLength,
    );
    await db.insert(staff).values({
      username: username.data,
      name: name.data,
      role: 'admin',
      taxOfficeId: officeId,
      passwordHash: await hashPassword(password),
      mustChangePassword: true,
    });
    return password;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [username = '', name = '', officeId, officeName] = process.argv.slice(2);
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    const password = await createAdmin(database, { username, name, officeId, officeName });
    process.stdout.write(
      `已创建管理员 ${username}（${name}）。临时密码（只显示这一次）：\n${password}\n首次登录管理端时须修改密码。\n`,
    );
  } catch (err) {
    process.stderr.write(`未能创建管理员：${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  } finally {
    await database.close();
  }
}
