/**
 * 组织与人员 → 人员账号 in Chromium: an administrator creates an agent's account and reads its temporary password from
 * the dialog; the new agent signs in to the workspace with it, must choose a new password, then works; the
 * administrator deactivates the account and the agent's open workspace stops working.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF } from '../apps/server/src/db/seed.ts';
import type { NodeProcess } from '../apps/server/test/spawn-node.ts';
import { launchBrowser, startProduct } from './support.ts';

let node: NodeProcess;
let browser: Browser;

beforeAll(async () => {
  [node, browser] = await Promise.all([startProduct(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await node?.stop();
});

const ADMIN = DEMO_STAFF[3];
const NEW_PASSWORD = 'Zhao#Xin2026ok';

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  return context.newPage();
}

async function signIn(page: Page, url: string, username: string, password: string) {
  await page.goto(url);
  await page.getByTestId('staff-login-username').fill(username);
  await page.getByTestId('staff-login-password').fill(password);
  await page.getByTestId('staff-login-submit').click();
}

describe('组织与人员: 人员账号', () => {
  it('a new agent signs in with the temporary password, must change it, works, and is cut off on deactivation', async () => {
    // ── the administrator creates the account ─────────────────────
    const admin = await newPage();
    await signIn(admin, `${node.url}/admin/#organization/staff`, ADMIN.username, ADMIN.password);
    // React and antd warnings from here on (the signed-out page's 401 for /api/staff/me came before)
    const warnings: string[] = [];
    admin.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') warnings.push(m.text());
    });
    await admin.locator('[data-testid="staff-row"][data-username="agent1"]').waitFor();
    expect(await admin.getByRole('menuitem', { name: '人员账号' }).count()).toBe(1);
    expect(await admin.getByRole('menuitem', { name: '税务机关' }).count()).toBe(1);

    await admin.getByRole('button', { name: '新建账号' }).click();
    const create = admin.getByRole('dialog', { name: '新建账号' });
    await create.getByLabel('用户名').fill('zhao.xin');
    await create.getByLabel('姓名').fill('赵新');
    await create.getByLabel('所属税务机关').click();
    await admin.keyboard.type('济南市税务局');
    await admin.locator('.ant-select-tree-node-content-wrapper[title="国家税务总局济南市税务局"]').click();
    await create.getByRole('button', { name: '创建' }).click();

    const shown = admin.getByRole('dialog', { name: '账号已创建' });
    await shown.waitFor();
    expect(await shown.textContent()).toContain('临时密码只显示这一次');
    const temporary = ((await shown.getByTestId('temporary-password').textContent()) ?? '').trim();
    expect(temporary).toMatch(/^\S{16,}$/);
    expect(await shown.getByRole('button', { name: '复制' }).count()).toBe(1);
    await shown.getByRole('button', { name: '我已记下，关闭' }).click();

    const row = admin.locator('[data-testid="staff-row"][data-username="zhao.xin"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('赵新');
    expect(await row.textContent()).toContain('国家税务总局济南市税务局');
    expect(await row.getByTestId('staff-status').textContent()).toContain('待修改密码');

    // ── the new agent: temporary password → a new one of their own → the workspace ──
    const agent = await newPage();
    await signIn(agent, `${node.url}/workspace/`, 'zhao.xin', temporary);
    await agent.getByTestId('password-new').fill(NEW_PASSWORD);
    await agent.getByTestId('password-confirm').fill(NEW_PASSWORD);
    await agent.getByTestId('password-submit').click();
    await agent.getByTestId('presence-switch').waitFor();
    await agent.getByTestId('presence-online').click();
    await agent.locator('[data-testid="presence-switch"][data-presence="online"]').waitFor();

    await admin.getByTestId('staff-refresh').click();
    await expect
      .poll(() => row.getByTestId('staff-status').textContent(), { timeout: 10_000 })
      .not.toContain('待修改密码');

    // ── the administrator deactivates it: the open workspace stops working ──
    await row.getByRole('button', { name: '停用 赵新' }).click();
    await admin.getByTestId('staff-deactivate-confirm').click();
    await expect.poll(() => row.getByTestId('staff-status').textContent(), { timeout: 10_000 }).toContain('停用');

    // the server ends the workspace's session: it goes back to the login form and says why
    await agent
      .getByTestId('staff-login-notice')
      .filter({ hasText: '登录已失效：您的账号已被管理员停用。' })
      .waitFor({ timeout: 15_000 });
    expect(await agent.evaluate(() => fetch('/api/staff/me').then((r) => r.status))).toBe(401);
    // a reload asks for a login, and the account cannot sign in again
    await agent.reload();
    await agent.getByTestId('staff-login-username').fill('zhao.xin');
    await agent.getByTestId('staff-login-password').fill(NEW_PASSWORD);
    await agent.getByTestId('staff-login-submit').click();
    await agent.getByRole('alert').filter({ hasText: '用户名或密码不正确' }).waitFor();

    expect(warnings.filter((w) => !w.includes('400 (Bad Request)'))).toEqual([]);
    await agent.context().close();
    await admin.context().close();
  });
});

describe('组织与人员: 税务机关', () => {
  it('an admin adds, renames and deletes an office; deleting one still in use shows the server’s reason', async () => {
    const admin = await newPage();
    await signIn(admin, `${node.url}/admin/#organization/offices`, ADMIN.username, ADMIN.password);
    const warnings: string[] = [];
    admin.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') warnings.push(m.text());
    });
    const tree = admin.getByRole('tree', { name: '税务机关' });
    const officeNode = (id: string) => admin.locator(`[data-testid="office-node"][data-id="${id}"]`);
    await officeNode('13701000000').click();
    expect(await admin.getByTestId('office-detail-name').textContent()).toBe('国家税务总局济南市税务局');

    await admin.getByRole('button', { name: '添加下级机关' }).click();
    const add = admin.getByRole('dialog', { name: '添加税务机关' });
    await add.getByLabel('机关代码').fill('13701990000');
    await add.getByLabel('机关名称').fill('国家税务总局济南市测试区税务局');
    await add.getByRole('button', { name: '添加' }).click();
    await officeNode('13701990000').waitFor();
    expect(await admin.getByTestId('office-detail-name').textContent()).toBe('国家税务总局济南市测试区税务局');

    await admin.getByRole('button', { name: '重命名' }).click();
    const rename = admin.getByRole('dialog', { name: '重命名税务机关：国家税务总局济南市测试区税务局' });
    await rename.getByLabel('机关名称').fill('国家税务总局济南市新区税务局');
    await rename.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => officeNode('13701990000').textContent()).toBe('国家税务总局济南市新区税务局');

    // 济南市税务局 has staff, taxpayers and now a sub-office: the server refuses and says why
    await officeNode('13701000000').click();
    await admin.getByTestId('office-delete').click();
    await admin.getByTestId('office-delete-confirm').click();
    const error = admin.getByTestId('offices-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('下级机关');
    expect(await error.textContent()).toContain('工作人员');
    expect(await error.textContent()).toContain('不能删除');
    expect(await tree.textContent()).toContain('国家税务总局济南市税务局');

    await officeNode('13701990000').click();
    await admin.getByTestId('office-delete').click();
    await admin.getByTestId('office-delete-confirm').click();
    await officeNode('13701990000').waitFor({ state: 'detached' });
    // the refused delete is the only failed request
    expect(warnings.filter((w) => !w.includes('400 (Bad Request)'))).toEqual([]);
    await admin.context().close();
  });

  it('a supervisor reads the tree and the accounts without changing them', async () => {
    const supervisor = await newPage();
    await signIn(supervisor, `${node.url}/admin/#organization/offices`, DEMO_STAFF[2].username, DEMO_STAFF[2].password);
    await supervisor.getByTestId('offices-readonly').waitFor();
    await supervisor.locator('[data-testid="office-node"][data-id="13700000000"]').click();
    expect(await supervisor.getByRole('button', { name: '删除' }).count()).toBe(0);
    await supervisor.getByRole('menuitem', { name: '人员账号' }).click();
    await supervisor.getByTestId('staff-readonly').waitFor();
    await supervisor.locator('[data-testid="staff-row"][data-username="agent1"]').waitFor();
    expect(await supervisor.getByRole('button', { name: '新建账号' }).count()).toBe(0);
    expect(await supervisor.getByTestId('staff-reset').count()).toBe(0);
    await supervisor.context().close();
  });
});
