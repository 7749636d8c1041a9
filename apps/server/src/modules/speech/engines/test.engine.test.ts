/** The test recogniser (not speech recognition): voiced stretches by energy, described in words. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { concat, silence, tone } from '../../../../test/speech-audio.ts';
import type { RecognizerEvent } from '../speech.types.ts';
import { createEngine } from './test.engine.ts';

/** The raw text has full-width digits and spaces (as recognisers write them); read it plainly. */
const nfkc = (e: RecognizerEvent) =>
  e.type === 'error' ? e : { ...e, text: e.text.normalize('NFKC').replace(/\s/g, '') };

async function run(pcm: Int16Array, settings: { captureDir?: string } = {}) {
  const engine = await createEngine(
    { modelDir: undefined, threads: 1, captureDir: settings.captureDir, delayMs: 0 },
    () => {},
  );
  const events: RecognizerEvent[] = [];
  const s = engine.open('s1', (e) => events.push(e));
  for (let at = 0; at < pcm.length; at += 1600) await s.accept(pcm.subarray(at, at + 1600));
  await s.finish();
  s.close();
  return events.map(nfkc);
}

describe('test recogniser', () => {
  it('a partial while voice goes on, a final after a pause, a final at the end for what is pending', async () => {
    const events = await run(concat(tone(1), silence(1), tone(0.5)));
    const finals = events.filter((e) => e.type === 'final').map((e) => (e as { text: string }).text);
    expect(finals).toEqual(['测试识别第1段共1.0秒', '测试识别第2段共0.5秒']);
    const partials = events.filter((e) => e.type === 'partial').map((e) => (e as { text: string }).text);
    expect(partials[0]).toBe('测试识别第1段已收到0.1秒');
    expect(partials).toContain('测试识别第1段已收到1.0秒');
    expect(partials.at(-1)).toBe('测试识别第2段已收到0.5秒');
    // the final of segment 1 comes before anything of segment 2
    expect(events.findIndex((e) => e.type === 'final')).toBeLessThan(
      events.findIndex((e) => e.type === 'partial' && e.text.includes('第2段')),
    );
  });

  it('silence alone says nothing', async () => {
    expect(await run(silence(2))).toEqual([]);
  });

  it('writes the PCM it received, unchanged, only when a capture folder is set', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'zn-capture-'));
    const pcm = concat(tone(0.3), silence(0.25));
    await run(pcm, { captureDir: dir });
    expect(readFileSync(path.join(dir, 's1.pcm')).equals(Buffer.from(pcm.buffer))).toBe(true);
    const none = mkdtempSync(path.join(os.tmpdir(), 'zn-capture-'));
    await run(pcm);
    expect(existsSync(path.join(none, 's1.pcm'))).toBe(false);
  });
});
