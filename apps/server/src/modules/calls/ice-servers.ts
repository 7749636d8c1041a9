/**
 * ICE servers for a call: STUN as configured, and TURN with a short-lived credential per coturn's `use-auth-secret`
 * scheme (the "TURN REST API"): username = `<expiry unix seconds>:<subject>`, credential =
 * base64(HMAC-SHA1(static-auth-secret, username)). coturn recomputes the credential from the username and refuses it
 * after the expiry, so the server keeps no state and the shared secret never leaves it.
 */
import { createHash, createHmac } from 'node:crypto';
import type { TIceServers } from '@zhengna/contracts';
import type { Actor } from '../identity/identity.types.ts';

export type IceSettings = {
  turnUrls: string[];
  stunUrls: string[];
  secret: string;
  ttlSeconds: number;
  /** RTC_RELAY_ONLY: clients use only the TURN relay, so the peers never see each other's addresses. */
  relayOnly?: boolean;
};

export type TurnCredential = { username: string; credential: string; expiresAt: number };

/** A credential for `subject` valid for `ttlSeconds` from `now` (ms). */
export function turnCredential(secret: string, subject: string, ttlSeconds: number, now = Date.now()): TurnCredential {
  const expiresAt = Math.floor(now / 1000) + ttlSeconds;
  const username = `${expiresAt}:${subject}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt };
}

/**
 * The name coturn logs and counts quotas by: the actor's id hashed, so TURN logs hold no phone, name or database id.
 * Stable per person, so `user-quota` limits one person's relays across their sessions.
 */
export function turnSubject(actor: Actor): string {
  const id = actor.kind === 'staff' ? `staff:${actor.staffId}` : `person:${actor.portalUserId}`;
  return createHash('sha256').update(`zhengna-turn:${id}`).digest('hex').slice(0, 32);
}

export function iceServersFor(settings: IceSettings, actor: Actor, now = Date.now()): TIceServers {
  const iceServers: TIceServers['iceServers'] = [];
  if (settings.stunUrls.length) iceServers.push({ urls: settings.stunUrls });
  // no TURN configured → no credential at all (a credential for nothing would only leak the scheme)
  if (settings.turnUrls.length && settings.secret) {
    const { username, credential } = turnCredential(settings.secret, turnSubject(actor), settings.ttlSeconds, now);
    iceServers.push({ urls: settings.turnUrls, username, credential });
  }
  return { iceServers, ttl: settings.ttlSeconds, iceTransportPolicy: settings.relayOnly ? 'relay' : 'all' };
}
