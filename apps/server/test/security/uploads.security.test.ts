/**
 * Hostile uploads (CWE-434, CWE-22, CWE-113, CWE-451, CWE-409): the classes of
 * - Mattermost's and Rocket.Chat's "file type trusted from the name or the declared Content-Type" (HTML, SVG or an
 *   executable renamed .png/.pdf) and polyglot images (an image that is also HTML/script);
 * - Zammad's and Chatwoot's attachment path traversal and header injection through file names;
 * - Rocket.Chat's right-to-left-override file names ("发票\u202Egnp.exe" shown as "发票exe.png") and names whose
 *   extension does not match the content;
 * - decompression bombs in parsed archives (the knowledge import reads .xlsx, a zip).
 *
 * The server runs on a real data folder, so "nothing written outside the store" is checked on disk.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.ts';
import { attachments, caseFiles } from '../../src/db/schema.ts';
import {
  type HttpClient,
  loginStaff,
  makeStaff,
  openTaxpayerChat,
  startTestApp,
  type TaxpayerChat,
  tempDataDir,
} from '../harness.ts';
import { download, expectRefused, PNG, upload } from './attack-fixtures.ts';

let app: RunningApp;
let tp: TaxpayerChat;
let dataDir: string;
beforeAll(async () => {
  dataDir = tempDataDir();
  app = await startTestApp({ DATA_DIR: dataDir });
  tp = await openTaxpayerChat(app);
});
afterAll(async () => {
  tp?.socket.close();
  await app?.close();
});

const attachUrl = () => `/api/chat/conversations/${tp.conversationId}/attachments`;
/** Where the owner downloads what an upload route stored (a chat attachment or a 留言 file). */
const fileUrl = (json: { id: string; url?: string }) => json.url ?? `/api/chat/case-files/${json.id}`;

/** A multipart body written by hand: the file name goes in exactly as given (quotes, CR/LF, NUL and all). */
function rawUpload(client: HttpClient, url: string, bytes: Uint8Array, rawFileName: string, type = 'image/png') {
  const boundary = `----zn${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${rawFileName}"\r\nContent-Type: ${type}\r\n\r\n`,
    'utf8',
  );
  const body = Buffer.concat([head, Buffer.from(bytes), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return fetch(client.base + url, {
    method: 'POST',
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      ...(client.bearer ? { authorization: `Bearer ${client.bearer}` } : {}),
    },
    body,
  }).then(async (res) => ({ status: res.status, json: (await res.json()) as any }));
}

/** Every file under `dir`, relative. */
function walk(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full, base) : [path.relative(base, full)];
  });
}

const text = (s: string) => new TextEncoder().encode(s);
const HTML = '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>';

describe('content decides the type, not the name or the Content-Type (Mattermost / Rocket.Chat)', () => {
  it('an executable, an HTML page, an SVG and a zip renamed .png/.pdf/.docx are refused, nothing stored', async () => {
    const before = (await app.db.select().from(attachments)).length;
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), Buffer.alloc(64)]);
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(57)]);
    const svg = text('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>');
    const zip = Buffer.concat([Buffer.from('PK\x05\x06'), Buffer.alloc(18)]);
    for (const [bytes, name, type] of [
      [exe, '发票.png', 'image/png'],
      [exe, '申报表.pdf', 'application/pdf'],
      [elf, '截图.jpg', 'image/jpeg'],
      [text(HTML), '截图.png', 'image/png'],
      [svg, '公章.png', 'image/png'],
      [zip, '报表.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ] as const) {
      const res = await upload(tp.chat, attachUrl(), bytes, name, type);
      expectRefused(res, 415, 'FILE_TYPE_NOT_ALLOWED');
    }
    expect((await app.db.select().from(attachments)).length).toBe(before);
  });

  it('polyglots: a GIF header over HTML is refused; HTML appended to a real PNG or JPEG is gone after re-encoding', async () => {
    const gifHtml = Buffer.concat([Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00'), Buffer.from(HTML)]);
    expectRefused(await upload(tp.chat, attachUrl(), gifHtml, 'a.gif', 'image/gif'), 415, 'FILE_TYPE_NOT_ALLOWED');
    const jpeg = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#c00' } })
      .jpeg()
      .toBuffer();
    for (const [image, name] of [
      [PNG, '发票.png'],
      [jpeg, '发票.jpg'],
    ] as const) {
      const res = await upload(tp.chat, attachUrl(), Buffer.concat([image, Buffer.from(HTML)]), name);
      expect(res.status).toBe(200);
      const got = await download(tp.chat, fileUrl(res.json));
      expect(got.status).toBe(200);
      expect(got.bytes.includes(Buffer.from('<script'))).toBe(false);
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(got.headers.get('content-security-policy')).toContain('sandbox');
    }
  });

  it('a PDF carrying JavaScript is stored but only ever downloaded: attachment, nosniff, sandboxed', async () => {
    const pdf = Buffer.from(
      '%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    );
    for (const url of [attachUrl(), '/api/chat/inquiries/files']) {
      const res = await upload(tp.chat, url, pdf, '说明.html', 'text/html');
      expect(res.status).toBe(200);
      // the name carries the content's extension: saved to disk it opens as a PDF, never as a page
      expect(res.json.fileName).toBe('说明.html.pdf');
      const got = await download(tp.chat, fileUrl(res.json));
      expect(got.headers.get('content-type')).toBe('application/pdf');
      expect(got.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(got.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    }
  });
});

describe('file names (Zammad / Chatwoot: traversal and header injection; Rocket.Chat: RTL override)', () => {
  const NAMES = [
    '../../etc/passwd',
    '..\\..\\windows\\system32\\drivers\\etc\\hosts.png',
    '/etc/cron.d/zn.png',
    'C:\\Windows\\Temp\\zn.png',
    '..',
    'a\u0000.png.exe',
    '发票\u202Egnp.exe',
    '\u2067报表\u2069.png',
    'in"voice\r\nSet-Cookie: zn_staff=attacker\r\nX: .png',
    '发票截图.exe',
    `${'长'.repeat(119)}😀😀.png`,
    `${'x'.repeat(119)}😀.png`,
    '\ud800broken.png',
  ];

  it('stored names are cleaned, keep the real extension, and download with a safe RFC 5987 Content-Disposition', async () => {
    const before = new Set(walk(dataDir));
    for (const name of NAMES) {
      for (const url of [attachUrl(), '/api/chat/inquiries/files']) {
        const res = await rawUpload(tp.chat, url, PNG, name);
        expect(res.status, name).toBe(200);
        const stored: string = res.json.fileName;
        expect(stored, name).not.toMatch(/[\\/\u0000-\u001f\u007f"<>|?*:]/);
        expect(stored, name).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
        expect(stored.startsWith('.'), name).toBe(false);
        expect(stored.endsWith('.png'), name).toBe(true);
        expect(Array.from(stored).length, name).toBeLessThanOrEqual(124);
        expect(() => encodeURIComponent(stored), name).not.toThrow();
        const got = await download(tp.chat, fileUrl(res.json));
        expect(got.status, name).toBe(200);
        const disposition = got.headers.get('content-disposition') ?? '';
        expect(disposition, name).toMatch(/^inline; filename="file"; filename\*=UTF-8''[A-Za-z0-9%\-_.!~*'()]+$/);
        expect(decodeURIComponent(disposition.split("''")[1] ?? ''), name).toBe(stored);
        // no header came out of the name
        expect(got.headers.get('set-cookie'), name).toBeNull();
        expect(got.headers.get('x'), name).toBeNull();
      }
    }
    // the rows (as the owner reads them back) hold the same cleaned names
    const rows = [...(await app.db.select().from(attachments)), ...(await app.db.select().from(caseFiles))];
    for (const r of rows) expect(r.fileName).not.toMatch(/[\\/\u0000-\u001f\u202e]/);
    // the store holds only random keys; nothing was written anywhere else in the data folder
    const added = walk(dataDir).filter((f) => !before.has(f));
    expect(added.length).toBeGreaterThan(0);
    for (const f of added) expect(f).toMatch(/^files[\\/][a-f0-9]{2}[\\/][a-f0-9]{40}$|^(?!files)/);
    const outsideFiles = added.filter((f) => !f.startsWith('files'));
    expect(outsideFiles.filter((f) => /passwd|hosts|cron|zn\.png|Windows/i.test(f))).toEqual([]);
    for (const f of added.filter((x) => x.startsWith('files'))) {
      expect(f).toMatch(/^files[\\/][a-f0-9]{2}[\\/][a-f0-9]{40}$/);
    }
  });
});

describe('size and archives', () => {
  it('an upload one byte over 10 MB is refused with a Chinese message on every upload route, nothing stored', async () => {
    const s = await makeStaff(app);
    const { client } = await loginStaff(app, s.username);
    const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024 + 1 - PNG.length)]);
    const beforeCase = (await app.db.select().from(caseFiles)).length;
    for (const [who, url] of [
      [tp.chat, '/api/chat/appointments/files'],
      [tp.chat, '/api/chat/inquiries/files'],
      [client, `/api/workspace/conversations/${tp.conversationId}/attachments`],
    ] as const) {
      const res = await upload(who, url, big, '大文件.png');
      expectRefused(res, 413, 'FILE_TOO_LARGE');
    }
    expect((await app.db.select().from(caseFiles)).length).toBe(beforeCase);
  });

  it('knowledge import: an .xlsx whose zip directory understates what it unpacks to is refused before parsing', async () => {
    const admin = await makeStaff(app, 'admin');
    const { client } = await loginStaff(app, admin.username);
    // one entry that inflates to 8 MiB while its headers claim 100 bytes (kept small: the machine is shared)
    const bomb = lyingZip('xl/worksheets/sheet1.xml', Buffer.alloc(8 * 1024 * 1024, 0x20), 100);
    const started = Date.now();
    const res = await client.post('/api/admin/knowledge/import-table', {
      format: 'xlsx',
      data: bomb.toString('base64'),
      asDraft: true,
    });
    const ms = Date.now() - started;
    expect(ms).toBeGreaterThanOrEqual(0);
    const errors = JSON.stringify(res.json);
    expect(res.status === 200 || res.status === 400).toBe(true);
    expect(errors).toContain('解压后');
    // and the knowledge base did not change
    const entries = await client.get('/api/admin/knowledge/entries');
    expect(entries.status).toBe(200);
  });
});

/** A zip with one deflated entry whose local and central headers state `declared` as the unpacked size. */
function lyingZip(name: string, content: Buffer, declared: number): Buffer {
  const data = deflateRawSync(content, { level: 9 });
  const nameBuf = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(0, 14); // crc (wrong on purpose; a parser that checks it does so only after inflating)
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(nameBuf.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(0, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(nameBuf.length, 28);
  central.writeUInt32LE(0, 42);
  const cdOffset = local.length + nameBuf.length + data.length;
  const cdSize = central.length + nameBuf.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, nameBuf, data, central, nameBuf, end]);
}
