/** What operators and the load balancer see: liveness, readiness and Prometheus metrics. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connected,
  connectSocket,
  emitAck,
  HttpClient,
  loginTaxpayer,
  makeTaxpayer,
  newClientId,
  startTestApp,
} from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('ops endpoints', () => {
  it('answers /healthz', async () => {
    const res = await new HttpClient(app.url).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true });
  });

  it('reports ready with the database checked', async () => {
    const res = await new HttpClient(app.url).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, checks: { database: 'ok', realtime: 'ok' } });
  });

  it('exposes Prometheus metrics, counting stored messages, with process metrics', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const conv = (await chat.get('/api/chat/conversation')).json.conversation as { id: string };
    const socket = connectSocket(chat);
    await connected(socket);
    for (const body of ['一', '二']) {
      expect(
        (await emitAck(socket, 'message:send', { conversationId: conv.id, clientId: newClientId(), body })).ok,
      ).toBe(true);
    }
    socket.close();

    const res = await new HttpClient(app.url).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.text).toContain('# TYPE zhengna_messages_stored_total counter');
    expect(res.text).toMatch(/^zhengna_messages_stored_total\{[^}]*sender="taxpayer"[^}]*\} 2$/m);
    expect(res.text).toContain('zhengna_http_requests_total');
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toContain('nodejs_heap_size_used_bytes');
  });
});
