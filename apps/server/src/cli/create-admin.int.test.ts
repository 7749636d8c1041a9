/** 创建管理员 on an empty production database: the one way in when SEED_DEMO=false. */
import { afterAll, describe, expect, it } from 'vitest';
import { HttpClient, startTestApp, tempDataDir } from '../../test/harness.ts';
import type { RunningApp } from '../app.ts';
import { openDatabase } from '../platform/db.ts';
import { createAdmin } from './create-admin.ts';

let app: RunningApp | undefined;
afterAll(async () => {
  await app?.close();
});

describe('npm run admin:create', () => {
  it('adds the first administrator, who must choose a new password at the first login', async () => {
    const dataDir = tempDataDir();
    const database = await openDatabase({ dataDir });
    await expect(createAdmin(database, { username: 'chief', name: '王主任' })).rejects.toThrow(
      '数据库中还没有税务机关，请给出税务机关编号和名称',
    );
    const password = await createAdmin(database, {
      username: 'chief',
      name: '王主任',
      officeId: '13700000000',
      officeName: '国家税务总局山东省税务局',
    });
    expect(password.length).toBeGreaterThanOrEqual(16);
    await expect(createAdmin(database, { username: 'CHIEF', name: '重复' })).rejects.toThrow('用户名 CHIEF 已存在');
    await expect(createAdmin(database, { username: 'a b', name: '空格' })).rejects.toThrow();
    await database.close();

    app = await startTestApp({ DATA_DIR: dataDir });
    const client = new HttpClient(app.url);
    const login = await client.post('/api/staff/login', { username: 'chief', password });
    expect(login.status).toBe(200);
    expect(login.json).toMatchObject({ role: 'admin', mustChangePassword: true });
    // nothing but the password change works until then
    expect((await client.get('/api/admin/staff')).status).toBe(403);
  });
});
