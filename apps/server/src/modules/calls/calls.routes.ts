/**
 * HTTP for calls: the ICE servers a taxpayer's or an agent's browser needs before it creates a peer connection, and
 * the supervisors' call records. The calls themselves travel over the socket (calls.service.ts).
 */
import { ZCallRecordsQuery } from '@zhengna/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import { AppError } from '../../platform/app-error.ts';
import type { CallsService } from './calls.service.ts';
import { type IceSettings, iceServersFor } from './ice-servers.ts';

/** Per person (not per address: a tax office's staff share one NAT address). */
const actorKey = (req: FastifyRequest) => {
  const a = req.actor;
  if (a?.kind === 'staff') return `staff:${a.staffId}`;
  if (a?.kind === 'taxpayer') return `person:${a.portalUserId}`;
  return `ip:${req.ip}`;
};

export function callsRoutes(app: FastifyInstance, deps: { ice: IceSettings; calls: CallsService }) {
  // `participant`: a chat taxpayer (bearer) or any staff member (cookie) — both ends of a call. A client fetches
  // once per call (the credential is short-lived), so 20 a minute is generous and caps credential minting.
  app.get(
    '/api/rtc/ice-servers',
    {
      config: {
        guard: 'participant',
        // the route's own hook runs after the guard's, so the actor is known here
        rateLimit: { max: 20, timeWindow: '1 minute', keyGenerator: actorKey },
      },
    },
    async (req, reply) => {
      if (!req.actor) throw new AppError('UNAUTHENTICATED');
      // a credential must not outlive its response in any cache
      reply.header('Cache-Control', 'no-store');
      return iceServersFor(deps.ice, req.actor);
    },
  );

  app.get('/api/workspace/calls', { config: { guard: 'supervisor' } }, (req) =>
    deps.calls.records(actorOf(req, 'staff'), parse(ZCallRecordsQuery, req.query)),
  );
}
