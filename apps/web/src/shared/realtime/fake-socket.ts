/**
 * Test support: stands in for a Socket.IO client socket in unit tests of the realtime client and what is built on it.
 * It records every emit (with its ack, so the test plays the server) and fires server events on demand.
 */
import type { Ack } from '@zhengna/contracts';
import type { RealtimeSocket } from './realtime-client.ts';

type Listener = (...args: never[]) => void;
export interface Emitted {
  event: string;
  payload: Record<string, unknown>;
  ack: (result: Ack<unknown>) => void;
}

/** Stands in for a Socket.IO client socket: records emits, lets the test play the server. */
export class FakeSocket implements RealtimeSocket {
  connected = false;
  readonly emitted: Emitted[] = [];
  private readonly handlers = new Map<string, Set<Listener>>();

  on(event: string, listener: Listener): this {
    const set = this.handlers.get(event) ?? new Set();
    set.add(listener);
    this.handlers.set(event, set);
    return this;
  }
  off(event: string, listener?: Listener): this {
    if (listener) this.handlers.get(event)?.delete(listener);
    else this.handlers.delete(event);
    return this;
  }
  emit(event: string, payload: unknown, ack: (result: never) => void): this {
    this.emitted.push({ event, payload: payload as Record<string, unknown>, ack: ack as Emitted['ack'] });
    return this;
  }

  serverConnect(): void {
    this.connected = true;
    this.fire('connect');
  }
  serverDisconnect(): void {
    this.connected = false;
    this.fire('disconnect');
  }
  fire(event: string, ...args: unknown[]): void {
    for (const listener of this.handlers.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }
  sent(event = 'message:send'): Emitted[] {
    return this.emitted.filter((e) => e.event === event);
  }
  lastSent(event = 'message:send'): Emitted {
    const all = this.sent(event);
    const last = all[all.length - 1];
    if (!last) throw new Error(`no ${event} emitted`);
    return last;
  }
}
