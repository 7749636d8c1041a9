/**
 * WebRTC observations for browser tests, with no test hook in product code: `recordPeerConnections(context)` wraps
 * the page's RTCPeerConnection before any script of the page (or of its iframes, e.g. the chat widget) runs, so
 * every connection the app makes is kept in `window.__znPeers`; the helpers below read `getStats()` of those.
 *
 * Targets are a Page or a Frame (for the chat widget: `page.frame({ url: /widget/ })`, not a FrameLocator).
 * In-page code is plain JavaScript text (the e2e project has no DOM typings, and transpiler helpers must not leak
 * into evaluated functions).
 */
import type { BrowserContext, Frame, Page } from 'playwright-core';

export type RtcTarget = Page | Frame;

export type RtcCandidate = {
  candidateType: 'host' | 'srflx' | 'prflx' | 'relay' | string;
  protocol: string;
  address?: string;
  port?: number;
  /** for relay candidates: how the browser reached the TURN server (udp, tcp, tls) */
  relayProtocol?: string;
  url?: string;
};

export type PeerSnapshot = {
  /** position in window.__znPeers (creation order) */
  index: number;
  connectionState: string;
  iceConnectionState: string;
  signalingState: string;
  iceTransportPolicy?: string;
  inboundVideo: {
    mid?: string;
    framesDecoded: number;
    framesReceived: number;
    frameWidth?: number;
    frameHeight?: number;
    bytesReceived: number;
  }[];
  inboundAudio: {
    mid?: string;
    totalSamplesReceived: number;
    audioLevel: number;
    totalAudioEnergy: number;
    bytesReceived: number;
  }[];
  outboundVideo: { mid?: string; framesEncoded: number; framesSent: number; bytesSent: number }[];
  /** the transport's selected candidate pair, once ICE has one */
  selectedPair?: { local: RtcCandidate; remote: RtcCandidate; bytesSent: number; bytesReceived: number };
};

/**
 * Init script: `window.__znPeers` holds every RTCPeerConnection made in this window. A subclass, so `instanceof`,
 * static methods (`generateCertificate`) and `.name` stay as the app expects.
 */
export const RECORD_PEERS_SCRIPT = `(() => {
  const Native = window.RTCPeerConnection;
  if (!Native || window.__znPeers) return;
  const peers = [];
  Object.defineProperty(window, '__znPeers', { value: peers, enumerable: false });
  const Recorded = class RTCPeerConnection extends Native {
    constructor(...args) {
      super(...args);
      peers.push(this);
    }
  };
  window.RTCPeerConnection = Recorded;
  if ('webkitRTCPeerConnection' in window) window.webkitRTCPeerConnection = Recorded;
})();`;

/** Record peer connections in every page and frame of the context from now on (call before the app loads). */
export async function recordPeerConnections(target: BrowserContext | Page): Promise<void> {
  await target.addInitScript(RECORD_PEERS_SCRIPT);
}

const SNAPSHOT_SCRIPT = `(async () => {
  const peers = window.__znPeers || [];
  const num = (v) => (typeof v === 'number' ? v : 0);
  const candidate = (c) => c && {
    candidateType: c.candidateType, protocol: c.protocol, address: c.address ?? c.ip, port: c.port,
    relayProtocol: c.relayProtocol, url: c.url,
  };
  const out = [];
  for (let index = 0; index < peers.length; index++) {
    const pc = peers[index];
    const snap = {
      index,
      connectionState: pc.connectionState,
      iceConnectionState: pc.iceConnectionState,
      signalingState: pc.signalingState,
      iceTransportPolicy: pc.getConfiguration ? pc.getConfiguration().iceTransportPolicy : undefined,
      inboundVideo: [], inboundAudio: [], outboundVideo: [],
    };
    out.push(snap);
    if (pc.signalingState === 'closed') continue;
    const stats = new Map();
    (await pc.getStats()).forEach((s) => stats.set(s.id, s));
    let pairId;
    for (const s of stats.values()) {
      if (s.type === 'inbound-rtp' && s.kind === 'video') snap.inboundVideo.push({
        mid: s.mid, framesDecoded: num(s.framesDecoded), framesReceived: num(s.framesReceived),
        frameWidth: s.frameWidth, frameHeight: s.frameHeight, bytesReceived: num(s.bytesReceived),
      });
      if (s.type === 'inbound-rtp' && s.kind === 'audio') snap.inboundAudio.push({
        mid: s.mid, totalSamplesReceived: num(s.totalSamplesReceived), audioLevel: num(s.audioLevel),
        totalAudioEnergy: num(s.totalAudioEnergy), bytesReceived: num(s.bytesReceived),
      });
      if (s.type === 'outbound-rtp' && s.kind === 'video') snap.outboundVideo.push({
        mid: s.mid, framesEncoded: num(s.framesEncoded), framesSent: num(s.framesSent), bytesSent: num(s.bytesSent),
      });
      if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
    }
    if (!pairId) {
      for (const s of stats.values()) if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pairId = s.id;
    }
    const pair = pairId && stats.get(pairId);
    if (pair) snap.selectedPair = {
      local: candidate(stats.get(pair.localCandidateId)),
      remote: candidate(stats.get(pair.remoteCandidateId)),
      bytesSent: num(pair.bytesSent), bytesReceived: num(pair.bytesReceived),
    };
  }
  return out;
})()`;

/** Every recorded peer connection of the page or frame, with its media and ICE statistics. */
export async function rtcSnapshot(target: RtcTarget): Promise<PeerSnapshot[]> {
  return (await target.evaluate(SNAPSHOT_SCRIPT)) as PeerSnapshot[];
}

/** Video frames decoded, summed over all inbound video of all live peer connections. */
export async function inboundVideoFrames(target: RtcTarget): Promise<number> {
  const peers = await rtcSnapshot(target);
  return peers.flatMap((p) => p.inboundVideo).reduce((n, v) => n + v.framesDecoded, 0);
}

/**
 * Received audio: samples summed, the loudest current level and the energy summed over all inbound audio.
 * Chromium counts received samples only while the remote track feeds a media element (`srcObject` set; it need not be
 * in the document, and headless Chromium's --mute-audio does not matter); video frames decode without one.
 */
export async function inboundAudio(
  target: RtcTarget,
): Promise<{ totalSamplesReceived: number; audioLevel: number; totalAudioEnergy: number }> {
  const audio = (await rtcSnapshot(target)).flatMap((p) => p.inboundAudio);
  return {
    totalSamplesReceived: audio.reduce((n, a) => n + a.totalSamplesReceived, 0),
    audioLevel: Math.max(0, ...audio.map((a) => a.audioLevel)),
    totalAudioEnergy: audio.reduce((n, a) => n + a.totalAudioEnergy, 0),
  };
}

/** The selected candidate pair of the first connected peer connection (or of `index`), if any. */
export async function selectedCandidatePair(target: RtcTarget, index?: number): Promise<PeerSnapshot['selectedPair']> {
  const peers = await rtcSnapshot(target);
  const peer = index === undefined ? peers.find((p) => p.selectedPair) : peers[index];
  return peer?.selectedPair;
}

/** `host`, `srflx`, `prflx` or `relay`: how this side's end of the selected pair reaches the other. */
export async function selectedCandidateType(target: RtcTarget, index?: number): Promise<string | undefined> {
  return (await selectedCandidatePair(target, index))?.local.candidateType;
}

/** Connection states of the recorded peer connections, in creation order. */
export async function connectionStates(target: RtcTarget): Promise<string[]> {
  return (await rtcSnapshot(target)).map((p) => p.connectionState);
}
