/** 热点推荐 and 问答套餐 from the knowledge base and real counts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginTaxpayer, newClientId, startTestApp, TEST_PASSWORD } from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';
import { createPortalUser, createTaxOffice, createTaxpayer } from '../../db/factories.ts';
import { knowledgeRepo } from './knowledge.repo.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp({ SEED_KB: 'true' });
});
afterAll(async () => {
  await app?.close();
});

async function taxpayerOf(type: 'general' | 'small_scale' | 'individual') {
  const office = await createTaxOffice(app.db);
  const t = await createTaxpayer(app.db, { taxOfficeId: office.id, type });
  await createPortalUser(app.db, { taxpayerIds: [t.id], password: TEST_PASSWORD });
  return (await loginTaxpayer(app, t.taxpayerNo)).chat;
}

describe('hot recommendations (热点推荐)', () => {
  it('differs between taxpayers of different types and follows the portal page', async () => {
    const general = await taxpayerOf('general');
    const person = await taxpayerOf('individual');
    const g = (await general.get('/api/chat/recommendations?page=invoice')).json;
    const p = (await person.get('/api/chat/recommendations?page=home')).json;
    expect(g.questions.length).toBeGreaterThanOrEqual(4);
    expect(g.documents.length).toBeGreaterThan(0);
    expect(g.questions.map((q: { entryId: string }) => q.entryId)).not.toEqual(
      p.questions.map((q: { entryId: string }) => q.entryId),
    );
    // on the invoicing page the invoicing topics lead
    expect(g.questions[0].entryId).toMatch(/^KB-T0[1-7]|^KB-T18/);
    const bad = await general.get('/api/chat/recommendations?page=elsewhere');
    expect(bad.status).toBe(400);
  });
});

describe('Q&A packages (问答套餐)', () => {
  it('ranks topics by how often their questions are asked, and offers a topic’s questions in the chat', async () => {
    for (let i = 0; i < 3; i++) await knowledgeRepo.countHit(app.db, 'KB-T09-001');
    const chat = await taxpayerOf('small_scale');
    const list = (await chat.get('/api/chat/qa-packages')).json.packages;
    expect(list[0]).toMatchObject({ topicId: 'T09', asked: 3 });
    const conversationId = (await chat.get('/api/chat/conversation')).json.conversation.id;
    const started = await chat.post('/api/chat/qa-packages/T09/start', { conversationId, clientId: newClientId() });
    expect(started.status).toBe(200);
    expect(started.json.payload.kind).toBe('topic_menu');
    expect(started.json.payload.questions[0].entryId).toBe('KB-T09-001');
    const other = await taxpayerOf('general');
    const foreign = await other.post('/api/chat/qa-packages/T09/start', { conversationId, clientId: newClientId() });
    expect(foreign.status).toBe(404);
  });
});
