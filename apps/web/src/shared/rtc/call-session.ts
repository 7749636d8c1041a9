/**
 * One WebRTC peer connection for a call, signalled over the realtime channel. The agent's side makes every offer
 * (so there is never glare); the taxpayer's side answers and puts its microphone, camera or screen on the
 * transceivers the offer opened. Candidates trickle both ways. When the connection drops — the network changed, or
 * the signalling socket reconnected — the agent restarts ICE with a fresh offer; the taxpayer asks it to.
 *
 * During remote assistance the agent also opens the annotation data channel: pointer and marks, as fractions of the
 * shared picture, validated on arrival.
 */
import {
  ANNOTATION_CHANNEL,
  type TAnnotation,
  type TCallAnswer,
  type TCallIceCandidate,
  type TCallKind,
  type TCallOffer,
  type TCallRef,
  type TIceServers,
  ZAnnotation,
  ZCallAnswer,
  ZCallIceCandidate,
  ZCallOffer,
  ZCallRef,
} from '@zhengna/contracts';
import type { RealtimeClient } from '../realtime/realtime-client.ts';

/** What the connection is doing, as the call window shows it. */
export type PeerState = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

export type CallSessionOptions = {
  call: { id: string; conversationId: string; kind: TCallKind };
  /** `agent` makes the offers. */
  side: 'agent' | 'taxpayer';
  client: RealtimeClient;
  ice: TIceServers;
  /** Microphone/camera for audio and video; the shared screen on the taxpayer's side of remote assistance. */
  localStream: MediaStream | null;
  onRemoteStream: (stream: MediaStream) => void;
  onPeerState: (state: PeerState) => void;
  /** Taxpayer, remote assistance: the agent's pointer and marks. */
  onAnnotation?: (annotation: TAnnotation) => void;
  /** How long a dropped connection may try to come back (ICE restarts) before the call counts as failed. */
  reconnectGraceMs?: number;
};

const DISCONNECTED_RESTART_MS = 2_000;

export class CallSession {
  readonly pc: RTCPeerConnection;
  readonly remoteStream = new MediaStream();
  private channel: RTCDataChannel | null = null;
  private readonly unsubscribe: Array<() => void> = [];
  private readonly pendingCandidates: RTCIceCandidateInit[] = [];
  private state: PeerState = 'connecting';
  private everConnected = false;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private giveUpTimer: ReturnType<typeof setTimeout> | undefined;
  private negotiating = false;
  private restartWanted = false;
  private closed = false;
  private readonly ref: TCallRef;

  constructor(private readonly opts: CallSessionOptions) {
    this.ref = { conversationId: opts.call.conversationId, callId: opts.call.id };
    this.pc = new RTCPeerConnection({
      iceServers: opts.ice.iceServers,
      iceTransportPolicy: opts.ice.iceTransportPolicy,
    });
    this.pc.onicecandidate = (ev) => {
      if (!ev.candidate) return;
      const candidate = ev.candidate.toJSON();
      this.signal('call:ice-candidate', {
        ...this.ref,
        candidate: { ...candidate, candidate: candidate.candidate ?? '' },
      });
    };
    this.pc.ontrack = (ev) => {
      if (!this.remoteStream.getTracks().includes(ev.track)) this.remoteStream.addTrack(ev.track);
      opts.onRemoteStream(this.remoteStream);
    };
    this.pc.onconnectionstatechange = () => this.onConnectionChange();
    this.pc.ondatachannel = (ev) => {
      if (ev.channel.label === ANNOTATION_CHANNEL && opts.side === 'taxpayer') this.bindChannel(ev.channel);
    };

    const { client } = opts;
    this.unsubscribe.push(
      client.on('call:offer', (raw) => {
        const offer = ZCallOffer.safeParse(raw);
        if (offer.success && this.isMine(offer.data)) void this.onOffer(offer.data);
      }),
      client.on('call:answer', (raw) => {
        const answer = ZCallAnswer.safeParse(raw);
        if (answer.success && this.isMine(answer.data)) void this.onAnswer(answer.data);
      }),
      client.on('call:ice-candidate', (raw) => {
        const c = ZCallIceCandidate.safeParse(raw);
        if (c.success && this.isMine(c.data)) void this.onCandidate(c.data);
      }),
      client.on('call:ice-restart', (raw) => {
        const r = ZCallRef.safeParse(raw);
        if (r.success && this.isMine(r.data) && opts.side === 'agent') this.restartIce();
      }),
      // the signalling socket came back: the media path may have changed with it
      client.onConnect(() => {
        if (this.everConnected) this.restartIce();
      }),
    );
  }

  /** Agent: open the transceivers (and the annotation channel) and send the first offer. Taxpayer: wait for it. */
  async start(): Promise<void> {
    const { kind } = this.opts.call;
    const local = this.opts.localStream;
    if (this.opts.side === 'agent') {
      if (kind === 'screen') {
        this.pc.addTransceiver('video', { direction: 'recvonly' });
        this.bindChannel(this.pc.createDataChannel(ANNOTATION_CHANNEL, { ordered: true }));
      } else {
        const audio = local?.getAudioTracks()[0];
        this.pc.addTransceiver(audio ?? 'audio', {
          direction: audio ? 'sendrecv' : 'recvonly',
          streams: local ? [local] : [],
        });
        if (kind === 'video') {
          const video = local?.getVideoTracks()[0];
          this.pc.addTransceiver(video ?? 'video', {
            direction: video ? 'sendrecv' : 'recvonly',
            streams: local ? [local] : [],
          });
        }
      }
      await this.negotiate(false);
    }
  }

  /** Mutes by disabling the track: the peer keeps receiving silence, no renegotiation. */
  setMuted(muted: boolean): void {
    for (const t of this.opts.localStream?.getAudioTracks() ?? []) t.enabled = !muted;
  }

  setCameraOff(off: boolean): void {
    for (const t of this.opts.localStream?.getVideoTracks() ?? []) t.enabled = !off;
  }

  /** Agent, remote assistance: a pointer move or a mark; dropped when the channel is not open. */
  sendAnnotation(annotation: TAnnotation): boolean {
    if (this.channel?.readyState !== 'open') return false;
    this.channel.send(JSON.stringify(annotation));
    return true;
  }

  /** Agent: a fresh offer with new ICE credentials. Taxpayer: asks the agent for one. */
  restartIce(): void {
    if (this.closed) return;
    if (this.opts.side === 'taxpayer') {
      this.signal('call:ice-restart', this.ref);
      return;
    }
    if (this.negotiating || this.pc.signalingState !== 'stable') {
      this.restartWanted = true;
      return;
    }
    void this.negotiate(true);
  }

  getPeerState(): PeerState {
    return this.state;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.restartTimer);
    clearTimeout(this.giveUpTimer);
    for (const u of this.unsubscribe) u();
    this.channel?.close();
    this.pc.close();
    this.setState('closed');
  }

  // ---------------------------------------------------------------- signalling

  private isMine(ref: TCallRef): boolean {
    return !this.closed && ref.callId === this.ref.callId && ref.conversationId === this.ref.conversationId;
  }

  private signal<E extends 'call:offer' | 'call:answer' | 'call:ice-candidate' | 'call:ice-restart'>(
    event: E,
    payload: E extends 'call:offer'
      ? TCallOffer
      : E extends 'call:answer'
        ? TCallAnswer
        : E extends 'call:ice-candidate'
          ? TCallIceCandidate
          : TCallRef,
  ): void {
    // a lost signal shows as a connection that does not come up; the restart logic and the server's timeouts cover it
    this.opts.client.request(event, payload as never).catch(() => {});
  }

  private async negotiate(iceRestart: boolean): Promise<void> {
    this.negotiating = true;
    try {
      const offer = await this.pc.createOffer({ iceRestart });
      if (this.closed) return;
      await this.pc.setLocalDescription(offer);
      this.signal('call:offer', { ...this.ref, sdp: offer.sdp ?? '', iceRestart });
    } catch {
      if (!this.closed) this.fail();
    } finally {
      this.negotiating = false;
    }
  }

  private async onOffer(offer: TCallOffer): Promise<void> {
    if (this.opts.side !== 'taxpayer') return;
    try {
      await this.pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
      if (!offer.iceRestart) this.attachLocalTracks();
      await this.flushCandidates();
      const answer = await this.pc.createAnswer();
      if (this.closed) return;
      await this.pc.setLocalDescription(answer);
      this.signal('call:answer', { ...this.ref, sdp: answer.sdp ?? '' });
    } catch {
      if (!this.closed) this.fail();
    }
  }

  /** Taxpayer: our tracks onto the transceivers the agent's offer opened, one per kind. */
  private attachLocalTracks(): void {
    const tracks = [...(this.opts.localStream?.getTracks() ?? [])];
    for (const t of this.pc.getTransceivers()) {
      const kind = t.receiver.track.kind;
      const i = tracks.findIndex((track) => track.kind === kind);
      if (i < 0) continue;
      const [track] = tracks.splice(i, 1);
      if (!track) continue;
      void t.sender.replaceTrack(track);
      if (this.opts.localStream) t.sender.setStreams?.(this.opts.localStream);
      t.direction = 'sendrecv';
    }
  }

  private async onAnswer(answer: TCallAnswer): Promise<void> {
    if (this.opts.side !== 'agent' || this.pc.signalingState !== 'have-local-offer') return;
    try {
      await this.pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
      await this.flushCandidates();
    } catch {
      if (!this.closed) this.fail();
      return;
    }
    if (this.restartWanted) {
      this.restartWanted = false;
      void this.negotiate(true);
    }
  }

  private async onCandidate(c: TCallIceCandidate): Promise<void> {
    const init: RTCIceCandidateInit = {
      candidate: c.candidate.candidate,
      sdpMid: c.candidate.sdpMid ?? null,
      sdpMLineIndex: c.candidate.sdpMLineIndex ?? null,
      usernameFragment: c.candidate.usernameFragment ?? undefined,
    };
    if (!this.pc.remoteDescription) {
      this.pendingCandidates.push(init);
      return;
    }
    // a candidate of an earlier ICE generation is refused by the browser; that is expected after a restart
    await this.pc.addIceCandidate(init).catch(() => {});
  }

  private async flushCandidates(): Promise<void> {
    const queued = this.pendingCandidates.splice(0);
    for (const init of queued) await this.pc.addIceCandidate(init).catch(() => {});
  }

  // ---------------------------------------------------------------- connection

  private onConnectionChange(): void {
    if (this.closed) return;
    const s = this.pc.connectionState;
    if (s === 'connected') {
      this.everConnected = true;
      clearTimeout(this.restartTimer);
      clearTimeout(this.giveUpTimer);
      this.giveUpTimer = undefined;
      this.setState('connected');
    } else if (s === 'disconnected' || s === 'failed') {
      if (!this.everConnected) {
        if (s === 'failed') this.fail();
        return;
      }
      this.setState('reconnecting');
      clearTimeout(this.restartTimer);
      // 'disconnected' often heals by itself; 'failed' never does
      this.restartTimer = setTimeout(() => this.restartIce(), s === 'failed' ? 0 : DISCONNECTED_RESTART_MS);
      this.giveUpTimer ??= setTimeout(() => this.fail(), this.opts.reconnectGraceMs ?? 20_000);
    }
  }

  private fail(): void {
    if (this.closed || this.state === 'failed') return;
    this.setState('failed');
  }

  private setState(state: PeerState): void {
    if (this.state === state) return;
    this.state = state;
    this.opts.onPeerState(state);
  }

  private bindChannel(channel: RTCDataChannel): void {
    this.channel = channel;
    channel.onmessage = (ev) => {
      if (typeof ev.data !== 'string' || ev.data.length > 64_000) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(ev.data);
      } catch {
        return;
      }
      const a = ZAnnotation.safeParse(parsed);
      if (a.success) this.opts.onAnnotation?.(a.data);
    };
  }
}
