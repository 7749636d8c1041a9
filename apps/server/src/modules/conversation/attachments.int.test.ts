/** Uploaded images are re-encoded: what is served is pixels we produced, without metadata or smuggled bytes. */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginTaxpayer, makeTaxpayer, startTestApp } from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function uploadAndFetch(bytes: Buffer, name: string) {
  const { taxpayer } = await makeTaxpayer(app);
  const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
  const conv = (await chat.get('/api/chat/conversation')).json.conversation;
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const up = await chat.request('POST', `/api/chat/conversations/${conv.id}/attachments`, form);
  expect(up.status).toBe(200);
  const res = await fetch(`${app.url}${up.json.url}`, { headers: { authorization: `Bearer ${chat.bearer}` } });
  return { meta: up.json, served: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') };
}

describe('image uploads', () => {
  it('strips EXIF metadata (such as location) from photos', async () => {
    const photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3366cc' } })
      .jpeg()
      .withExif({ IFD0: { Copyright: 'GPS-SECRET-济南' } })
      .toBuffer();
    expect(photo.includes(Buffer.from('GPS-SECRET'))).toBe(true);
    const { served, type, meta } = await uploadAndFetch(photo, 'IMG_0001.jpg');
    expect(type).toBe('image/jpeg');
    expect(served.includes(Buffer.from('GPS-SECRET'))).toBe(false);
    expect((await sharp(served).metadata()).exif).toBeUndefined();
    expect(meta.size).toBe(served.length);
  });

  it('drops bytes smuggled after the image data (a screenshot with a script tail)', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 4, background: '#ffffff' } })
      .png()
      .toBuffer();
    const polyglot = Buffer.concat([png, Buffer.from('<script>alert(document.cookie)</script>')]);
    const { served } = await uploadAndFetch(polyglot, '截图.png');
    expect(served.includes(Buffer.from('<script>'))).toBe(false);
    expect((await sharp(served).metadata()).width).toBe(8);
  });

  it('refuses a broken image with a message that says what to do', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const conv = (await chat.get('/api/chat/conversation')).json.conversation;
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const truncated = png.subarray(0, 40);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(truncated)]), 'broken.png');
    const res = await chat.request('POST', `/api/chat/conversations/${conv.id}/attachments`, form);
    expect(res.status).toBe(415);
    expect(res.json.message).toContain('图片已损坏');
  });
});
