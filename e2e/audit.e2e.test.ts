/**
 * 审计日志 in Chromium: an agent serving a taxpayer reveals the contact's masked phone number on the 纳税人信息 card;
 * the agent cannot open the admin console nor its APIs; the administrator finds both — the reveal and the refused
 * request — in 审计日志, searched by the agent's name. A supervisor does not see 审计日志 in the menu.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, DEMO_TAXPAYERS } from '../apps/server/src/db/seed.ts';
import { HttpClient } from '../apps/server/test/harness.ts';
import type { NodeProcess } from '../apps/server/test/spawn-node.ts';
import { agentServingTaxpayer, launchBrowser, startProduct } from './support.ts';

let node: NodeProcess;
let browser: Browser;
const [agent1, , supervisor, admin] = DEMO_STAFF;
const taxpayer = DEMO_TAXPAYERS[0];

beforeAll(async () => {
  [node, browser] = await Promise.all([startProduct(), launchBrowser()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await node?.stop();
});

async function adminConsole(staff: (typeof DEMO_STAFF)[number] | undefined, hash: string): Promise<Page> {
  if (!staff) throw new Error('no demo staff');
  const page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${node.url}/admin/#${hash}`);
  await page.getByTestId('staff-login-username').fill(staff.username);
  await page.getByTestId('staff-login-password').fill(staff.password);
  await page.getByTestId('staff-login-submit').click();
  return page;
}

describe('审计日志', () => {
  it('an agent’s phone reveal and refused admin request are on record for the administrator', async () => {
    if (!agent1 || !taxpayer) throw new Error('no demo data');
    const { agentPage } = await agentServingTaxpayer(browser, node.url, agent1, taxpayer);

    // the card shows the number masked; 显示号码 shows it whole
    const phone = agentPage.getByTestId('card-phone');
    await phone.waitFor();
    expect(await phone.textContent()).toMatch(/^\d{3}\*{4}\d{4}$/);
    await agentPage.getByRole('button', { name: '显示完整手机号码' }).click();
    await expect.poll(() => phone.textContent()).toMatch(/^1\d{10}$/);

    // the agent cannot open the console, nor call its APIs with a valid staff session
    const agentConsole = await adminConsole(agent1, 'audit');
    await agentConsole.getByText('您没有管理端权限').waitFor();
    const api = new HttpClient(node.url);
    expect((await api.post('/api/staff/login', { username: agent1.username, password: agent1.password })).status).toBe(
      200,
    );
    const refused = await api.get('/api/admin/audit');
    expect(refused.status).toBe(403);
    expect(refused.json.message).toMatch(/权限/);

    // the administrator finds both, searching by the agent's action names
    const page = await adminConsole(admin, 'audit');
    await page.getByTestId('audit-page').waitFor();
    await page.getByTestId('audit-action').fill('workspace.taxpayer.phone.reveal');
    await page.getByTestId('audit-search').click();
    const reveal = page.getByTestId('audit-row').filter({ hasText: agent1.name });
    await reveal.first().waitFor();
    expect(await reveal.first().textContent()).toContain('成功');

    await page.getByTestId('audit-action').fill('audit.search');
    await page.getByTestId('audit-search').click();
    const denied = page.getByTestId('audit-row').filter({ hasText: agent1.name }).filter({ hasText: '被拒绝' });
    await denied.first().waitFor();
    expect(await page.getByRole('table', { name: '审计日志' }).count()).toBe(1);
  }, 90_000);

  it('a supervisor has no 审计日志 in the console menu', async () => {
    const page = await adminConsole(supervisor, 'knowledge/test');
    await page.getByRole('menuitem', { name: '测试台' }).waitFor();
    expect(await page.getByRole('menuitem', { name: '审计日志' }).count()).toBe(0);
  });
});
