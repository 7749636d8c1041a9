/**
 * A video call between the widget and the workspace when only a TURN relay may carry it (RTC_RELAY_ONLY, as a
 * bureau that hides addresses would run it), through a private coturn with the server's short-lived credentials —
 * and the call surviving a signalling reconnect of the taxpayer's browser by an ICE restart.
 */
import type { Browser, BrowserContext, Frame, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, DEMO_TAXPAYERS } from '../apps/server/src/db/seed.ts';
import type { NodeProcess } from '../apps/server/test/spawn-node.ts';
import { type Coturn, startCoturn } from './coturn.ts';
import { inboundVideoFrames, selectedCandidateType } from './rtc-stats.ts';
import { agentServingTaxpayer, launchMediaBrowser, startProduct } from './support.ts';

let coturn: Coturn;
let node: NodeProcess;
let browser: Browser;
const [agent1] = DEMO_STAFF;
const taxpayer = DEMO_TAXPAYERS[1];
let agentPage: Page;
let taxpayerContext: BrowserContext;
let chat: FrameLocator;

let widgetFrame: () => Frame;
/** The ICE username fragment of the agent's offer as the taxpayer's side holds it: a restart changes it. */
const remoteUfrag = async () =>
  (await widgetFrame().evaluate(
    `(() => { const pc = (window.__znPeers || []).find((p) => p.signalingState !== 'closed');
      const m = pc && pc.remoteDescription && /a=ice-ufrag:(\\S+)/.exec(pc.remoteDescription.sdp); return m ? m[1] : null; })()`,
  )) as string | null;

beforeAll(async () => {
  coturn = await startCoturn();
  [node, browser] = await Promise.all([
    startProduct({ TURN_URLS: coturn.url, TURN_SECRET: coturn.secret, RTC_RELAY_ONLY: 'true' }),
    launchMediaBrowser(),
  ]);
  ({ agentPage, taxpayerContext, chat, widgetFrame } = await agentServingTaxpayer(browser, node.url, agent1, taxpayer));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await node?.stop();
  await coturn?.stop();
});

describe('a call through the TURN relay only', () => {
  it('connects through coturn, and an ICE restart after a signalling reconnect keeps the picture coming', async () => {
    await agentPage.getByTestId('call-invite-video').click();
    await chat.getByRole('alertdialog').getByRole('button', { name: '接听' }).click();
    const panel = agentPage.getByTestId('call-panel');
    await expect.poll(() => panel.getAttribute('data-call-state'), { timeout: 30_000 }).toBe('active');

    await expect.poll(() => inboundVideoFrames(agentPage), { timeout: 20_000 }).toBeGreaterThan(10);
    await expect.poll(() => inboundVideoFrames(widgetFrame()), { timeout: 20_000 }).toBeGreaterThan(10);
    // both ends reach each other only through relay addresses
    expect(await selectedCandidateType(agentPage)).toBe('relay');
    expect(await selectedCandidateType(widgetFrame())).toBe('relay');
    expect(coturn.allocations()).toBeGreaterThanOrEqual(2);

    // the taxpayer's signalling connection drops and comes back: their side asks for an ICE restart
    const ufragBefore = await remoteUfrag();
    expect(ufragBefore).toBeTruthy();
    await taxpayerContext.setOffline(true);
    await chat.getByText('网络连接已断开，正在重新连接…').waitFor({ timeout: 30_000 });
    await taxpayerContext.setOffline(false);
    await expect.poll(remoteUfrag, { timeout: 30_000 }).not.toBe(ufragBefore);
    const framesAfterRestart = await inboundVideoFrames(agentPage);
    await expect
      .poll(() => inboundVideoFrames(agentPage), { timeout: 20_000 })
      .toBeGreaterThan(framesAfterRestart + 10);
    expect(await panel.getAttribute('data-call-state')).toBe('active');
    expect(await selectedCandidateType(agentPage)).toBe('relay');

    await chat.getByTestId('call-window').getByRole('button', { name: '挂断' }).click();
    await expect.poll(() => panel.getAttribute('data-call-state')).toBe('ended');
    // coturn's own account: the media went through its relay, in both directions
    await expect
      .poll(() => coturn.relayedSessions().filter((s) => s.closed && s.peer.sb > 0 && s.peer.rb > 0).length, {
        timeout: 30_000,
      })
      .toBeGreaterThanOrEqual(1);
  });
});
