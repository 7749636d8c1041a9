/** HTTP for calls: the ICE servers a taxpayer's or an agent's browser needs before it creates a peer connection. */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../platform/app-error.ts';
import { type IceSettings, iceServersFor } from './ice-servers.ts';

export function callsRoutes(app: FastifyInstance, deps: { ice: IceSettings }) {
  // `participant`: a chat taxpayer (bearer) or any staff member (cookie) — both ends of a call
  app.get('/api/rtc/ice-servers', { config: { guard: 'participant' } }, async (req, reply) => {
    if (!req.actor) throw new AppError('UNAUTHENTICATED');
    // a credential must not outlive its response in any cache
    reply.header('Cache-Control', 'no-store');
    return iceServersFor(deps.ice, req.actor);
  });
}
