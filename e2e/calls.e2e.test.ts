/**
 * 音视频 and 远程协助 between the taxpayer's chat widget and the agent's workspace, in Chromium with fake camera,
 * microphone and screen: a video call where each side decodes the other's frames and audio, a decline, an invitation
 * nobody answers, and remote assistance started from each side, where the agent decodes the shared screen and the
 * taxpayer sees the agent's mark. The ring time is 4 s here (CALL_RING_SECONDS).
 */
import type { Browser, Frame, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, DEMO_TAXPAYERS } from '../apps/server/src/db/seed.ts';
import { HttpClient } from '../apps/server/test/harness.ts';
import type { NodeProcess } from '../apps/server/test/spawn-node.ts';
import { inboundAudio, inboundVideoFrames } from './rtc-stats.ts';
import { agentServingTaxpayer, launchMediaBrowser, startProduct } from './support.ts';

let node: NodeProcess;
let browser: Browser;
const api: Record<string, HttpClient> = {};
const [agent1, , supervisor] = DEMO_STAFF;
const taxpayer = DEMO_TAXPAYERS[0];

let agentPage: Page;
let taxpayerPage: Page;
let chat: FrameLocator;

/** The chat widget's frame, for reading its peer connections. */
let widgetFrame: () => Frame;
const callPanel = () => agentPage.getByTestId('call-panel');
const callWindow = () => chat.getByTestId('call-window');
const callNotice = (text: string) =>
  chat.locator('[data-testid="system-notice"][data-payload-kind="call"]').filter({ hasText: text });

beforeAll(async () => {
  [node, browser] = await Promise.all([
    startProduct({ CALL_RING_SECONDS: '4', CALL_CONNECT_SECONDS: '20' }),
    launchMediaBrowser(),
  ]);
  for (const s of [agent1, supervisor]) {
    if (!s) continue;
    const c = new HttpClient(node.url);
    const r = await c.post('/api/staff/login', { username: s.username, password: s.password });
    if (r.status !== 200) throw new Error(r.text);
    api[s.username] = c;
  }
  ({ agentPage, taxpayerPage, chat, widgetFrame } = await agentServingTaxpayer(browser, node.url, agent1, taxpayer));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await node?.stop();
});

describe('audio and video calls', () => {
  it('a video call: each side decodes the other’s picture and sound, and the timeline keeps its duration', async () => {
    await agentPage.getByTestId('call-invite-video').click();
    await expect.poll(() => callPanel().getAttribute('data-call-state')).toBe('inviting');

    // who invites and for what, as a screen reader announces the dialog
    const invitation = chat.getByRole('alertdialog', { name: `${agent1?.name}邀请您进行视频通话` });
    await invitation.waitFor();
    await invitation.getByRole('button', { name: '接听' }).click();

    await expect.poll(() => callWindow().getAttribute('data-call-state'), { timeout: 20_000 }).toBe('active');
    await expect.poll(() => callPanel().getAttribute('data-call-state'), { timeout: 20_000 }).toBe('active');
    await chat.getByTestId('call-status').filter({ hasText: '通话中' }).waitFor();

    // media really flows both ways
    await expect.poll(() => inboundVideoFrames(agentPage), { timeout: 20_000 }).toBeGreaterThan(10);
    await expect.poll(() => inboundVideoFrames(widgetFrame()), { timeout: 20_000 }).toBeGreaterThan(10);
    await expect
      .poll(async () => (await inboundAudio(agentPage)).totalSamplesReceived, { timeout: 20_000 })
      .toBeGreaterThan(0);
    await expect
      .poll(async () => (await inboundAudio(widgetFrame())).totalSamplesReceived, { timeout: 20_000 })
      .toBeGreaterThan(0);

    // the taxpayer mutes: the button says so
    await callWindow().getByRole('button', { name: '静音' }).click();
    await callWindow().getByRole('button', { name: '取消静音' }).waitFor();

    await taxpayerPage.waitForTimeout(1_200); // a call of at least a second
    await callPanel().getByRole('button', { name: '挂断' }).click();
    await expect.poll(() => callWindow().getAttribute('data-call-state')).toBe('ended');
    await expect.poll(() => callPanel().getAttribute('data-call-state')).toBe('ended');
    await callNotice('时长').first().waitFor();

    const records = (await api[supervisor?.username ?? '']?.get('/api/workspace/calls'))?.json;
    const record = records.items[0];
    expect(record).toMatchObject({ kind: 'video', state: 'ended', endedBy: 'agent', initiator: 'agent' });
    expect(record.durationSeconds).toBeGreaterThanOrEqual(1);
    expect(record.taxpayerNo).toBe(taxpayer.taxpayerNo);

    await callWindow().getByRole('button', { name: '关闭' }).click();
    await callPanel().getByRole('button', { name: '关闭' }).click();
  });

  it('the taxpayer declines a voice call and the agent sees 已拒绝', async () => {
    await agentPage.getByTestId('call-invite-audio').click();
    const invitation = chat.getByTestId('call-invitation');
    await invitation.waitFor();
    await invitation.getByRole('button', { name: '拒绝' }).click();
    await expect.poll(() => callPanel().getAttribute('data-call-state')).toBe('declined');
    await callPanel().getByText('已拒绝').first().waitFor();
    await callPanel().getByRole('button', { name: '关闭' }).click();
  });

  it('an invitation nobody answers becomes 未接听 on both sides', async () => {
    await agentPage.getByTestId('call-invite-audio').click();
    await chat.getByTestId('call-invitation').waitFor();
    await expect.poll(() => callPanel().getAttribute('data-call-state'), { timeout: 15_000 }).toBe('missed');
    await chat.getByTestId('call-invitation').waitFor({ state: 'detached' });
    await callNotice('未接听').first().waitFor();
    await callPanel().getByRole('button', { name: '关闭' }).click();
    await callWindow()
      .getByRole('button', { name: '关闭' })
      .click({ timeout: 2_000 })
      .catch(() => {});
  });
});

describe('remote assistance (远程协助)', () => {
  it('the taxpayer asks, the agent accepts, the taxpayer shares; the agent sees the screen and marks a place', async () => {
    await chat.getByRole('button', { name: '远程协助' }).click();
    await chat.getByTestId('call-request').getByRole('button', { name: '请求远程协助' }).click();
    await chat.getByTestId('call-request').getByText('正在等待坐席接受').waitFor();

    const card = agentPage.getByTestId('call-request-card');
    await card.waitFor();
    expect(await card.textContent()).toContain('纳税人请求远程协助');
    // nothing is shared before the taxpayer says so in that moment
    expect(await inboundVideoFrames(agentPage)).toBe(0);
    await card.getByRole('button', { name: '接受' }).click();

    const invitation = chat.getByTestId('call-invitation');
    await invitation.waitFor();
    await invitation.getByRole('button', { name: '开始共享' }).click();

    await chat.getByTestId('share-indicator').getByText('正在共享屏幕').waitFor();
    await expect.poll(() => callPanel().getAttribute('data-call-state'), { timeout: 20_000 }).toBe('active');
    await expect.poll(() => inboundVideoFrames(agentPage), { timeout: 20_000 }).toBeGreaterThan(5);
    const size = (await agentPage
      .getByTestId('shared-screen')
      .evaluate((v: { videoWidth: number; videoHeight: number }) => [v.videoWidth, v.videoHeight])) as number[];
    expect(size[0]).toBeGreaterThan(0);

    // a click on the shared picture marks that place on the taxpayer's side, over the data channel
    await agentPage.getByTestId('shared-screen').click();
    await chat.getByTestId('call-mark').first().waitFor();
    await expect
      .poll(() => chat.getByTestId('call-announcer').textContent())
      .toContain('坐席在共享画面上标记了一个位置');

    await chat.getByTestId('share-indicator').getByRole('button', { name: '停止共享' }).click();
    await expect.poll(() => callPanel().getAttribute('data-call-state')).toBe('ended');
    await chat.getByTestId('share-indicator').waitFor({ state: 'detached' });
    await callPanel().getByRole('button', { name: '关闭' }).click();
    await callWindow()
      .getByRole('button', { name: '关闭' })
      .click({ timeout: 2_000 })
      .catch(() => {});
  });

  it('the agent offers remote assistance; sharing starts only on the taxpayer’s 开始共享, and the agent can end it', async () => {
    await agentPage.getByTestId('call-invite-screen').click();
    const invitation = chat.getByTestId('call-invitation');
    await invitation.waitFor();
    expect(await invitation.textContent()).toContain('您可随时停止共享');
    await agentPage.waitForTimeout(500);
    expect(await inboundVideoFrames(agentPage)).toBe(0);
    await invitation.getByRole('button', { name: '开始共享' }).click();

    await chat.getByTestId('share-indicator').waitFor();
    await expect.poll(() => inboundVideoFrames(agentPage), { timeout: 20_000 }).toBeGreaterThan(5);
    await callPanel().getByRole('button', { name: '挂断' }).click();
    await chat.getByTestId('share-indicator').waitFor({ state: 'detached' });
    // every capture of the page has stopped: no live screen track is left behind
    const tracks = (await widgetFrame().evaluate(
      `(window.__znPeers || []).flatMap((pc) => pc.signalingState === 'closed' ? [] : pc.getSenders().map((s) => s.track && s.track.readyState))`,
    )) as string[];
    expect(tracks.filter((s) => s === 'live')).toEqual([]);
  });
});
