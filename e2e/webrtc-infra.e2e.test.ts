/**
 * The WebRTC test bench itself (issue #8, calls and 远程协助), before any product UI uses it: two browser contexts
 * of one headless Chromium connect peer-to-peer with the fake camera, microphone and screen, signalled through this
 * test process; once directly, once relay-only through a private coturn with the TURN credential the real server
 * issues at GET /api/rtc/ice-servers — and coturn's own log must show the relayed bytes.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEMO_STAFF, DEMO_TAXPAYER_PASSWORD, DEMO_TAXPAYERS } from '../apps/server/src/db/seed.ts';
import type { NodeProcess } from '../apps/server/test/spawn-node.ts';
import { type Coturn, startCoturn } from './coturn.ts';
import {
  inboundAudio,
  inboundVideoFrames,
  recordPeerConnections,
  rtcSnapshot,
  selectedCandidatePair,
  selectedCandidateType,
} from './rtc-stats.ts';
import { launchMediaBrowser, startProduct } from './support.ts';

let coturn: Coturn;
let node: NodeProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  coturn = await startCoturn();
  [node, browser] = await Promise.all([
    startProduct({
      TURN_URLS: coturn.url,
      TURN_SECRET: coturn.secret,
      TURN_TTL_SECONDS: '600',
      RTC_RELAY_ONLY: 'true',
    }),
    launchMediaBrowser(),
  ]);
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await node?.stop();
  await coturn?.stop();
});

/**
 * A minimal call client, evaluated in a page: the test process carries the SDP (vanilla ICE: each description is
 * sent once gathering is complete, so it holds every candidate).
 */
const CALL_CLIENT = `window.__znCall = {
  pc: undefined,
  async open(config, media) {
    const pc = new RTCPeerConnection(config);
    this.pc = pc;
    const timeout = (p, ms, what) => Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error(what + ' timed out')), ms))]);
    let stream;
    if (media === 'camera') stream = await timeout(navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } }), 5000, 'getUserMedia');
    if (media === 'screen') stream = await timeout(navigator.mediaDevices.getDisplayMedia({ video: true, audio: false }), 5000, 'getDisplayMedia');
    if (stream) for (const track of stream.getTracks()) pc.addTrack(track, stream);
    pc.ontrack = (e) => {
      const el = document.createElement(e.track.kind);
      el.autoplay = true;
      el.muted = e.track.kind === 'video';
      el.srcObject = e.streams[0] || new MediaStream([e.track]);
      document.body.append(el);
    };
    return stream ? stream.getTracks().map((t) => ({ kind: t.kind, label: t.label, settings: t.getSettings() })) : [];
  },
  async gathered() {
    const pc = this.pc;
    if (pc.iceGatheringState !== 'complete') {
      await new Promise((resolve) => {
        const done = () => pc.iceGatheringState === 'complete' && resolve();
        pc.addEventListener('icegatheringstatechange', done);
        setTimeout(resolve, 8000);
      });
    }
    return pc.localDescription.toJSON();
  },
  async offer() {
    await this.pc.setLocalDescription();
    return this.gathered();
  },
  async answer(offer) {
    await this.pc.setRemoteDescription(offer);
    await this.pc.setLocalDescription();
    return this.gathered();
  },
  async accept(answer) {
    await this.pc.setRemoteDescription(answer);
  },
  connected() {
    const pc = this.pc;
    if (pc.connectionState === 'connected') return Promise.resolve('connected');
    return new Promise((resolve, reject) => {
      pc.addEventListener('connectionstatechange', () => {
        if (pc.connectionState === 'connected') resolve('connected');
        if (pc.connectionState === 'failed') reject(new Error('peer connection failed'));
      });
      setTimeout(() => reject(new Error('not connected after 15 s: ' + pc.connectionState + '/' + pc.iceConnectionState)), 15000);
    });
  },
};`;

type Media = 'camera' | 'screen' | 'none';
type IceConfig = {
  iceServers: { urls: string[]; username?: string; credential?: string }[];
  iceTransportPolicy?: string;
};
type Track = { kind: string; label: string; settings: Record<string, unknown> };

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN' });
  contexts.push(context);
  await recordPeerConnections(context);
  return context.newPage();
}

/** Caller (with `media`) → callee (receive only); returns what the caller captured and how long ICE took. */
async function call(caller: Page, callee: Page, media: Media, config: { caller: IceConfig; callee: IceConfig }) {
  await caller.evaluate(CALL_CLIENT);
  await callee.evaluate(CALL_CLIENT);
  const started = Date.now();
  const tracks = (await caller.evaluate(
    `window.__znCall.open(${JSON.stringify(config.caller)}, ${JSON.stringify(media)})`,
  )) as Track[];
  const captured = Date.now() - started;
  await callee.evaluate(`window.__znCall.open(${JSON.stringify(config.callee)}, 'none')`);
  const offer = await caller.evaluate('window.__znCall.offer()');
  const answer = await callee.evaluate(`window.__znCall.answer(${JSON.stringify(offer)})`);
  await caller.evaluate(`window.__znCall.accept(${JSON.stringify(answer)})`);
  await Promise.all([caller.evaluate('window.__znCall.connected()'), callee.evaluate('window.__znCall.connected()')]);
  return { tracks, captured, connectMs: Date.now() - started - captured, offer: offer as { sdp: string } };
}

const DIRECT: IceConfig = { iceServers: [] };

/**
 * A page of the product's origin (http://127.0.0.1 is a secure context, so media devices are available) that needs
 * no built web app: logins below go through the HTTP API as the portal and the widget call it.
 */
const blank = () => `${node.url}/readyz`;

describe('WebRTC test bench', () => {
  it('connects two contexts directly: the callee decodes the fake camera and hears the fake microphone', async () => {
    const [caller, callee] = [await newPage(), await newPage()];
    await Promise.all([caller.goto(blank()), callee.goto(blank())]);
    const { tracks, connectMs } = await call(caller, callee, 'camera', { caller: DIRECT, callee: DIRECT });
    expect(tracks.map((t) => t.kind).sort()).toEqual(['audio', 'video']);

    await expect.poll(() => inboundVideoFrames(callee), { timeout: 15_000 }).toBeGreaterThan(10);
    await expect
      .poll(async () => (await inboundAudio(callee)).totalSamplesReceived, { timeout: 15_000 })
      .toBeGreaterThan(0);
    await expect
      .poll(async () => (await inboundAudio(callee)).totalAudioEnergy, { timeout: 15_000 })
      .toBeGreaterThan(0);
    const pair = await selectedCandidatePair(callee);
    expect(pair?.local.candidateType).toBe('host');
    const [peer] = await rtcSnapshot(callee);
    console.info(
      `direct: connected in ${connectMs} ms over ${pair?.local.address}; ${peer?.inboundVideo[0]?.framesDecoded} frames, ` +
        `${peer?.inboundAudio[0]?.totalSamplesReceived} audio samples`,
    );
  });

  it('connects relay-only through coturn with the server-issued TURN credential, and coturn relays the media', async () => {
    onTestFailed(() => console.info(`coturn log:\n${coturn.log()}`));
    const [taxpayer, agent] = [await newPage(), await newPage()];
    await Promise.all([taxpayer.goto(blank()), agent.goto(blank())]);
    // the taxpayer's end: portal login → single sign-on token → the chat's bearer token, as the portal and widget do
    const taxpayerIce = (await taxpayer.evaluate(`(async () => {
      const login = await fetch('/api/portal/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ taxpayerNo: ${JSON.stringify(DEMO_TAXPAYERS[0].taxpayerNo)}, password: ${JSON.stringify(DEMO_TAXPAYER_PASSWORD)} }) });
      if (!login.ok) throw new Error('portal login ' + login.status);
      const sso = await (await fetch('/api/portal/chat-token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
      const session = await (await fetch('/api/chat/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: sso.token }) })).json();
      const res = await fetch('/api/rtc/ice-servers', { headers: { authorization: 'Bearer ' + session.accessToken } });
      if (!res.ok) throw new Error('ice-servers ' + res.status);
      return res.json();
    })()`)) as IceConfig & { ttl: number };
    // the agent's end: a staff session cookie
    const staff = DEMO_STAFF[0];
    const agentIce = (await agent.evaluate(`(async () => {
      const login = await fetch('/api/staff/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: ${JSON.stringify(staff.username)}, password: ${JSON.stringify(staff.password)} }) });
      if (!login.ok) throw new Error('staff login ' + login.status);
      const res = await fetch('/api/rtc/ice-servers');
      if (!res.ok) throw new Error('ice-servers ' + res.status);
      return res.json();
    })()`)) as IceConfig & { ttl: number };
    for (const ice of [taxpayerIce, agentIce]) {
      expect(ice.iceServers).toEqual([
        { urls: [coturn.url], username: expect.stringMatching(/^\d+:[0-9a-f]{32}$/), credential: expect.any(String) },
      ]);
    }
    // relay-only: from the server's answer once RTC_RELAY_ONLY is implemented, forced here until then
    const relayOnly = (ice: IceConfig): IceConfig => ({ ...ice, iceTransportPolicy: 'relay' });
    if (taxpayerIce.iceTransportPolicy !== undefined) expect(taxpayerIce.iceTransportPolicy).toBe('relay');

    const { offer, connectMs } = await call(taxpayer, agent, 'camera', {
      caller: relayOnly(taxpayerIce),
      callee: relayOnly(agentIce),
    });
    // relay-only: the offer names no host address at all
    expect(offer.sdp).toMatch(/ typ relay /);
    expect(offer.sdp).not.toMatch(/ typ (host|srflx) /);

    await expect.poll(() => inboundVideoFrames(agent), { timeout: 15_000 }).toBeGreaterThan(10);
    await expect
      .poll(async () => (await inboundAudio(agent)).totalSamplesReceived, { timeout: 15_000 })
      .toBeGreaterThan(0);
    for (const page of [taxpayer, agent]) {
      const pair = await selectedCandidatePair(page);
      expect(pair?.local.candidateType).toBe('relay');
      expect(pair?.local.address).toBe('127.0.0.1');
      expect(pair?.remote.candidateType).toBe('relay');
    }
    expect(await selectedCandidateType(agent)).toBe('relay');

    // coturn's side: both ends allocated; the taxpayer's allocation relayed the media bytes
    expect(coturn.allocations()).toBeGreaterThanOrEqual(2);
    const videoBytes = (await rtcSnapshot(agent))[0]?.inboundVideo[0]?.bytesReceived ?? 0;
    // usage lines come when an allocation is refreshed or closes: close the call to flush them
    await taxpayer.evaluate('window.__znPeers.forEach((pc) => pc.close())');
    await agent.evaluate('window.__znPeers.forEach((pc) => pc.close())');
    const allClosed = () => {
      const sessions = coturn.relayedSessions();
      return sessions.length > 0 && sessions.length === coturn.allocations() && sessions.every((s) => s.closed);
    };
    await expect.poll(allClosed, { timeout: 10_000 }).toBe(true);
    const sessions = coturn.relayedSessions();
    // both people had an allocation that relayed both ways, under their own (hashed) TURN usernames
    const relayingUsers = new Set(sessions.filter((s) => s.peer.sb > 0 && s.peer.rb > 0).map((s) => s.username));
    expect([...relayingUsers].sort()).toEqual([taxpayerIce, agentIce].map((ice) => ice.iceServers[0]?.username).sort());
    // relay → peer bytes: at least the video the agent decoded
    const relayedToPeers = sessions.reduce((n, s) => n + s.peer.sb, 0);
    expect(relayedToPeers).toBeGreaterThan(videoBytes);
    console.info(
      `relay: connected in ${connectMs} ms; coturn: ${coturn.allocations()} allocations, ${relayedToPeers} bytes ` +
        `relayed to peers (decoded video ${videoBytes} bytes)`,
    );
  });

  it('shares the fake screen: getDisplayMedia answers within 5 s and the other side decodes it', async () => {
    const [taxpayer, agent] = [await newPage(), await newPage()];
    await Promise.all([taxpayer.goto(blank()), agent.goto(blank())]);
    const { tracks, captured, connectMs } = await call(taxpayer, agent, 'screen', { caller: DIRECT, callee: DIRECT });
    expect(tracks).toHaveLength(1);
    expect(tracks[0]?.kind).toBe('video');
    expect(tracks[0]?.settings.displaySurface).toBe('monitor');
    expect(captured).toBeLessThan(5000);
    await expect.poll(() => inboundVideoFrames(agent), { timeout: 15_000 }).toBeGreaterThan(10);
    const [peer] = await rtcSnapshot(agent);
    expect(peer?.inboundVideo[0]?.frameWidth).toBeGreaterThan(0);
    const video = peer?.inboundVideo[0];
    console.info(
      `screen: captured in ${captured} ms, connected in ${connectMs} ms; ` +
        `${video?.framesDecoded} frames of ${video?.frameWidth}×${video?.frameHeight}`,
    );
  });

  it('records the peer connections of a page and of its iframes, with RTCPeerConnection unchanged for the app', async () => {
    const page = await newPage();
    await page.goto(blank());
    await page.evaluate(`new Promise((resolve) => {
      const frame = document.createElement('iframe');
      frame.src = location.href;
      frame.onload = resolve;
      document.body.append(frame);
    })`);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    if (!frame) throw new Error('no iframe');
    const shape = await frame.evaluate(`(() => {
      const pc = new RTCPeerConnection({ iceServers: [] });
      return {
        recorded: window.__znPeers.length === 1 && window.__znPeers[0] === pc,
        instance: pc instanceof RTCPeerConnection,
        name: RTCPeerConnection.name,
        generateCertificate: typeof RTCPeerConnection.generateCertificate,
        enumerable: Object.keys(window).includes('__znPeers'),
      };
    })()`);
    expect(shape).toEqual({
      recorded: true,
      instance: true,
      name: 'RTCPeerConnection',
      generateCertificate: 'function',
      enumerable: false,
    });
    expect(await rtcSnapshot(frame)).toEqual([expect.objectContaining({ index: 0, connectionState: 'new' })]);
    expect(await rtcSnapshot(page)).toEqual([]);
  });
});
