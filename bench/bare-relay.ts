/**
 * The ceiling: a plain Socket.IO server that forwards each taxpayer's 'message:send' to the one agent socket
 * responsible for that conversation and acks it. No database, no auth, no validation, no fan-out to other agents.
 * Routing comes from the handshake: a taxpayer says which conversation and agent it belongs to.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';

type Auth = { role: 'agent'; agent: number } | { role: 'taxpayer'; conversationId: string; agent: number };
type SendPayload = { conversationId: string; clientId: string; body: string; attachmentIds?: string[] };

export async function startBareRelay() {
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  const agents = new Map<number, Socket>();
  const seqs = new Map<string, number>();

  io.on('connection', (socket) => {
    const auth = socket.handshake.auth as Auth;
    if (auth.role === 'agent') {
      agents.set(auth.agent, socket);
      socket.on('disconnect', () => {
        if (agents.get(auth.agent) === socket) agents.delete(auth.agent);
      });
      return;
    }
    socket.on('message:send', (p: SendPayload, ack: (r: unknown) => void) => {
      if (typeof ack !== 'function') return;
      if (!p || p.conversationId !== auth.conversationId) {
        ack({ ok: false, error: { code: 'FORBIDDEN', message: 'not your conversation' } });
        return;
      }
      const seq = (seqs.get(p.conversationId) ?? 0) + 1;
      seqs.set(p.conversationId, seq);
      const message = {
        id: randomUUID(),
        conversationId: p.conversationId,
        seq,
        clientId: p.clientId,
        senderType: 'taxpayer',
        senderId: null,
        senderName: 'bench',
        body: p.body,
        attachments: [],
        createdAt: new Date().toISOString(),
      };
      agents.get(auth.agent)?.emit('message:new', message);
      ack({ ok: true, data: message });
    });
  });

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
