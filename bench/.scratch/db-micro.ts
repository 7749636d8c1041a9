import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { startApp } from '../../apps/server/src/app.ts';
import { loadConfig } from '../../apps/server/src/config.ts';
import { createPortalUser, createTaxOffice, createTaxpayer } from '../../apps/server/src/db/factories.ts';
import { conversationRepo } from '../../apps/server/src/modules/conversation/conversation.repo.ts';

const N = Number(process.env.N ?? 1000), B = Number(process.env.B ?? 250);
const dataDir = process.env.MEM ? 'memory://' : mkdtempSync(path.join(os.tmpdir(), 'zn-micro-'));
const app = await startApp(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', SEED_DEMO: 'false', WEB_DIST: mkdtempSync(path.join(os.tmpdir(), 'w-')) }), { jobs: false });
const office = await createTaxOffice(app.db);
const convs: string[] = [];
for (let i = 0; i < N; i++) {
  const tp = await createTaxpayer(app.db, { taxOfficeId: office.id });
  const u = await createPortalUser(app.db, { taxpayerIds: [tp.id], passwordHash: 'x' });
  const c = await conversationRepo.createOpen(app.db, u.id, tp.id);
  convs.push(c!.id);
}
const w = app.conversations.writer;
for (let round = 0; round < 8; round++) {
  const batch = convs.slice((round * B) % N, ((round * B) % N) + B);
  const t0 = performance.now();
  await Promise.all(batch.map((id) => w.write({ conversationId: id, clientId: randomUUID(), senderType: 'taxpayer', senderId: 'u', senderName: 'n', body: 'hello world 您好', attachmentIds: [] } as never)));
  const t1 = performance.now();
  // the pieces, separately
  const cids = batch.map(() => randomUUID());
  const a = performance.now();
  await conversationRepo.findByClientIds(app.db, batch, cids);
  const b = performance.now();
  await app.db.transaction(async (tx) => { await conversationRepo.reserveSeqs(tx, new Map(batch.map((id) => [id, 0]))); });
  const c = performance.now();
  await app.db.transaction(async () => {});
  const d = performance.now();
  console.log(`batch of ${batch.length}: writer ${(t1 - t0).toFixed(1)} ms | findByClientIds ${(b - a).toFixed(1)} | reserveSeqs(0) tx ${(c - b).toFixed(1)} | empty tx ${(d - c).toFixed(1)}`);
}
for (const size of [1, 3, 10]) {
  const t0 = performance.now();
  for (let k = 0; k < 50; k++) {
    await Promise.all(convs.slice(k * size, k * size + size).map((id) => w.write({ conversationId: id, clientId: randomUUID(), senderType: 'taxpayer', senderId: 'u', senderName: 'n', body: 'hello', attachmentIds: [] } as never)));
  }
  console.log(`batches of ${size}: ${((performance.now() - t0) / 50).toFixed(2)} ms per batch`);
}
await app.close();
process.exit(0);
