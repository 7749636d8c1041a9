/**
 * The calls of one browser tab, for the widget (taxpayer) and the workspace (agent) alike: the latest record of each
 * conversation's call as the server announces it (`call:update`), the actions of the call window, and the peer
 * connection of the call this tab takes part in. Several tabs of one person all see the ringing card; only the tab
 * that invited or accepted opens the devices and the connection.
 *
 * Framework-free, with a subscribe/getView pair for React's useSyncExternalStore (see use-call.ts).
 */
import {
  isFinalCallState,
  type TAnnotation,
  type TCall,
  type TCallFailureReason,
  type TCallKind,
  type TIceServers,
  ZCall,
} from '@zhengna/contracts';
import { EventError, type RealtimeClient } from '../realtime/realtime-client.ts';
import { CallSession, type PeerState } from './call-session.ts';
import { getCallMedia, getScreenMedia, MediaAccessError, stopStream } from './media.ts';

export type CallView = {
  /** The latest call of the conversation (live, or the last one until dismissed); null when there is none. */
  readonly call: TCall | null;
  /** True when this tab holds the devices and the connection of `call`. */
  readonly joined: boolean;
  readonly peer: PeerState | null;
  readonly localStream: MediaStream | null;
  readonly remoteStream: MediaStream | null;
  readonly muted: boolean;
  readonly cameraOff: boolean;
  /** An action is on its way to the server (buttons show loading). */
  readonly busy: boolean;
  /** A Chinese sentence about what went wrong (device refused, action refused); cleared by the next action. */
  readonly error: string | null;
  /** A Chinese sentence about what changed (voice only because no camera). */
  readonly notice: string | null;
  /** Taxpayer, remote assistance: the agent's latest pointer and marks (newest last). */
  readonly pointer: { x: number; y: number } | null;
  readonly marks: ReadonlyArray<Extract<TAnnotation, { type: 'mark' }>>;
};

export const EMPTY_CALL_VIEW: CallView = Object.freeze({
  call: null,
  joined: false,
  peer: null,
  localStream: null,
  remoteStream: null,
  muted: false,
  cameraOff: false,
  busy: false,
  error: null,
  notice: null,
  pointer: null,
  marks: [],
});

const MAX_MARKS = 5;

export type CallControllerOptions = {
  side: 'agent' | 'taxpayer';
  client: RealtimeClient;
  /** GET /api/rtc/ice-servers with this face's credentials; called for every call (the TURN credential is short-lived). */
  fetchIceServers: () => Promise<TIceServers>;
};

export class CallController {
  private readonly views = new Map<string, CallView>();
  private readonly listeners = new Set<() => void>();
  private readonly sessions = new Map<string, CallSession>();
  /** Calls this tab invited (agent) whose devices are ready, waiting for the taxpayer to accept. */
  private readonly prepared = new Map<string, { conversationId: string; stream: MediaStream | null }>();
  private readonly unsubscribe: Array<() => void>;
  private disposed = false;

  constructor(private readonly opts: CallControllerOptions) {
    this.unsubscribe = [
      opts.client.on('call:update', (raw) => {
        const call = ZCall.safeParse(raw);
        if (call.success) this.ingest(call.data);
      }),
    ];
    window.addEventListener('pagehide', this.onPageHide);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  getView(conversationId: string | null): CallView {
    return (conversationId && this.views.get(conversationId)) || EMPTY_CALL_VIEW;
  }

  /** The conversations with a call that is not over, e.g. for a ringing indicator in a list. */
  liveCalls(): TCall[] {
    return [...this.views.values()].flatMap((v) => (v.call && !isFinalCallState(v.call.state) ? [v.call] : []));
  }

  /** A call record from the server (`call:update`, or one the page buffered before this controller loaded). */
  ingest(call: TCall): void {
    const prev = this.views.get(call.conversationId);
    // a late update of an older call must not replace a newer one
    if (prev?.call && prev.call.id !== call.id && Date.parse(prev.call.createdAt) > Date.parse(call.createdAt)) return;
    if (prev?.call?.id === call.id && isFinalCallState(prev.call.state) && !isFinalCallState(call.state)) return;
    const fresh = prev?.call?.id !== call.id;
    this.patch(call.conversationId, {
      call,
      ...(fresh ? { error: null, notice: null, pointer: null, marks: [] } : {}),
    });
    if (isFinalCallState(call.state)) {
      this.leave(call.id, call.conversationId);
      return;
    }
    if (call.state === 'connecting' && this.opts.side === 'agent') void this.startAsOfferer(call);
  }

  // ---------------------------------------------------------------- actions

  /** Taxpayer: ask the agent for a call or for remote assistance. */
  async request(conversationId: string, kind: TCallKind, note = ''): Promise<void> {
    await this.act(conversationId, async () => {
      this.ingest(await this.opts.client.request('call:request', { conversationId, kind, note }));
    });
  }

  /**
   * Agent: ring the taxpayer — a new call, or the answer to their request (`callId` of the request). The agent's own
   * devices are opened first, so a refused microphone is known before the taxpayer is disturbed.
   */
  async invite(conversationId: string, kind: TCallKind, callId: string = crypto.randomUUID()): Promise<void> {
    await this.act(conversationId, async () => {
      let stream: MediaStream | null = null;
      let notice: string | null = null;
      if (kind !== 'screen') ({ stream, notice } = await getCallMedia(kind));
      this.prepared.set(callId, { conversationId, stream });
      this.patch(conversationId, { notice, localStream: stream });
      try {
        this.ingest(await this.opts.client.request('call:invite', { conversationId, callId, kind }));
      } catch (err) {
        this.prepared.delete(callId);
        stopStream(stream);
        this.patch(conversationId, { localStream: null });
        throw err;
      }
    });
  }

  /**
   * Taxpayer: take the invitation. For remote assistance this opens the browser's screen picker: call it directly
   * from the click, it is the consent given in that moment. The connection listens before the server is told, so
   * the agent's offer cannot arrive too early.
   */
  async accept(call: TCall): Promise<void> {
    // first statement: the picker needs the click's user activation
    const media: Promise<{ stream: MediaStream; notice: string | null }> =
      call.kind === 'screen' ? getScreenMedia().then((stream) => ({ stream, notice: null })) : getCallMedia(call.kind);
    await this.act(call.conversationId, async () => {
      let stream: MediaStream | null = null;
      try {
        const got = await media;
        stream = got.stream;
        this.patch(call.conversationId, { notice: got.notice });
      } catch (err) {
        // the call cannot go on from here: tell the agent why, the chat continues
        const reason: TCallFailureReason = err instanceof MediaAccessError ? err.reason : 'other';
        const ref = { conversationId: call.conversationId, callId: call.id };
        // no screen picked is a "no" to sharing; a device that does not work is a failed call
        await (reason === 'screen_denied'
          ? this.opts.client.request('call:decline', { ...ref, reason: 'rejected' })
          : this.opts.client.request('call:failed', { ...ref, reason })
        )
          .then((c) => this.ingest(c))
          .catch(() => {});
        throw err;
      }
      // the browser's own "停止共享" bar ends the assistance like our button does
      for (const track of stream.getVideoTracks())
        if (call.kind === 'screen') track.addEventListener('ended', () => void this.hangup(call), { once: true });
      try {
        const session = await this.openSession(call, stream);
        this.ingest(
          await this.opts.client.request('call:accept', { conversationId: call.conversationId, callId: call.id }),
        );
        void session.start();
      } catch (err) {
        this.leave(call.id, call.conversationId);
        stopStream(stream);
        throw err;
      }
    });
  }

  async decline(call: TCall): Promise<void> {
    await this.act(call.conversationId, async () => {
      this.ingest(
        await this.opts.client.request('call:decline', {
          conversationId: call.conversationId,
          callId: call.id,
          reason: 'rejected',
        }),
      );
    });
  }

  /** The one who asked withdraws: the agent's invitation, or the taxpayer's request. */
  async cancel(call: TCall): Promise<void> {
    await this.act(call.conversationId, async () => {
      this.ingest(
        await this.opts.client.request('call:cancel', { conversationId: call.conversationId, callId: call.id }),
      );
    });
  }

  /** 挂断 / 结束共享. The devices are released at once, whatever the server says. */
  async hangup(call: TCall): Promise<void> {
    this.leave(call.id, call.conversationId);
    await this.act(call.conversationId, async () => {
      this.ingest(
        await this.opts.client.request('call:hangup', { conversationId: call.conversationId, callId: call.id }),
      );
    });
  }

  setMuted(conversationId: string, muted: boolean): void {
    const v = this.getView(conversationId);
    if (v.call) this.sessions.get(v.call.id)?.setMuted(muted);
    this.patch(conversationId, { muted });
  }

  setCameraOff(conversationId: string, cameraOff: boolean): void {
    const v = this.getView(conversationId);
    if (v.call) this.sessions.get(v.call.id)?.setCameraOff(cameraOff);
    this.patch(conversationId, { cameraOff });
  }

  /** Agent, remote assistance: point at or mark a place on the shared screen. */
  annotate(conversationId: string, annotation: TAnnotation): boolean {
    const v = this.getView(conversationId);
    return v.call ? (this.sessions.get(v.call.id)?.sendAnnotation(annotation) ?? false) : false;
  }

  /** Removes a finished call from the view (the call window closes). */
  dismiss(conversationId: string): void {
    const v = this.views.get(conversationId);
    if (v?.call && isFinalCallState(v.call.state)) {
      this.views.delete(conversationId);
      this.notify();
    }
  }

  /** The peer connection of a call this tab is in (for statistics). */
  peerConnection(callId: string): RTCPeerConnection | null {
    return this.sessions.get(callId)?.pc ?? null;
  }

  dispose(): void {
    this.disposed = true;
    window.removeEventListener('pagehide', this.onPageHide);
    for (const u of this.unsubscribe) u();
    for (const [callId, s] of this.sessions) {
      s.close();
      this.sessions.delete(callId);
    }
    for (const p of this.prepared.values()) stopStream(p.stream);
    this.prepared.clear();
    this.listeners.clear();
  }

  // ---------------------------------------------------------------- internals

  private async act(conversationId: string, fn: () => Promise<void>): Promise<void> {
    this.patch(conversationId, { busy: true, error: null });
    try {
      await fn();
    } catch (err) {
      const message =
        err instanceof MediaAccessError || err instanceof EventError ? err.message : '操作失败，请稍后重试。';
      this.patch(conversationId, { error: message });
    } finally {
      this.patch(conversationId, { busy: false });
    }
  }

  private async startAsOfferer(call: TCall): Promise<void> {
    const prepared = this.prepared.get(call.id);
    if (!prepared || this.sessions.has(call.id)) return;
    this.prepared.delete(call.id);
    try {
      const session = await this.openSession(call, prepared.stream);
      await session.start();
    } catch {
      this.reportFailure(call, 'network');
    }
  }

  private async openSession(call: TCall, stream: MediaStream | null): Promise<CallSession> {
    const ice = await this.opts.fetchIceServers();
    const session = new CallSession({
      call,
      side: this.opts.side,
      client: this.opts.client,
      ice,
      localStream: stream,
      onRemoteStream: (remote) => this.patch(call.conversationId, { remoteStream: remote }),
      onPeerState: (peer) => {
        this.patch(call.conversationId, { peer });
        if (peer === 'connected' && this.getView(call.conversationId).call?.state === 'connecting')
          this.opts.client
            .request('call:connected', { conversationId: call.conversationId, callId: call.id })
            .then((c) => this.ingest(c))
            .catch(() => {});
        if (peer === 'failed') this.reportFailure(call, 'network');
      },
      onAnnotation: (a) => this.onAnnotation(call.conversationId, a),
    });
    this.sessions.set(call.id, session);
    const v = this.getView(call.conversationId);
    session.setMuted(v.muted);
    session.setCameraOff(v.cameraOff);
    this.patch(call.conversationId, { joined: true, peer: 'connecting', localStream: stream });
    return session;
  }

  private reportFailure(call: TCall, reason: TCallFailureReason): void {
    this.opts.client
      .request('call:failed', { conversationId: call.conversationId, callId: call.id, reason })
      .then((c) => this.ingest(c))
      .catch(() => {});
    this.leave(call.id, call.conversationId);
  }

  private onAnnotation(conversationId: string, a: TAnnotation): void {
    const v = this.getView(conversationId);
    if (a.type === 'pointer') this.patch(conversationId, { pointer: { x: a.x, y: a.y } });
    else if (a.type === 'mark') this.patch(conversationId, { marks: [...v.marks, a].slice(-MAX_MARKS) });
    else if (a.type === 'clear') this.patch(conversationId, { marks: [], pointer: null });
  }

  /** Closes this tab's part in a call: the connection, the devices. */
  private leave(callId: string, conversationId: string): void {
    const session = this.sessions.get(callId);
    const prepared = this.prepared.get(callId);
    this.prepared.delete(callId);
    stopStream(prepared?.stream);
    if (session) {
      this.sessions.delete(callId);
      session.close();
      stopStream(this.getView(conversationId).localStream);
    }
    if (session || prepared)
      this.patch(conversationId, {
        joined: false,
        peer: null,
        localStream: null,
        remoteStream: null,
        muted: false,
        cameraOff: false,
        pointer: null,
        marks: [],
      });
  }

  private readonly onPageHide = (): void => {
    // leaving the page ends our calls at once rather than after the other side's connection times out
    for (const [callId, s] of this.sessions) {
      const v = [...this.views.values()].find((view) => view.call?.id === callId);
      if (v?.call)
        this.opts.client.request('call:hangup', { conversationId: v.call.conversationId, callId }).catch(() => {});
      s.close();
    }
  };

  private patch(conversationId: string, change: Partial<CallView>): void {
    if (this.disposed) return;
    this.views.set(conversationId, { ...(this.views.get(conversationId) ?? EMPTY_CALL_VIEW), ...change });
    this.notify();
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
