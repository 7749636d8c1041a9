/**
 * 语音 (voice input) in Chromium: the microphone is a Mandarin WAV made by espeak-ng and sox
 * (--use-file-for-fake-audio-capture), the server runs the test recogniser (SPEECH_DRIVER=test — it transcribes nothing,
 * it reports what it heard as text) and writes the PCM it received to SPEECH_TEST_CAPTURE_DIR. The taxpayer presses
 * 语音, sees the recording bar with its level meter, the live text flows into the input box, the recorder stops by
 * itself after the silence at the end of the file, the settled text stays editable and is sent as a message. The PCM
 * that reached the server is the source audio (same duration within 5 %, correlation ≥ 0.95). Without a microphone
 * the taxpayer is told so, and the server's stream is given back.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TAXPAYERS } from '../apps/server/src/db/seed.ts';
import type { NodeProcess } from '../apps/server/test/spawn-node.ts';
import { canSynthesize, compareCapture, mandarinWav, pcmSamples, readWavSamples } from './speech-audio.ts';
import { chatAs, launchBrowser, launchMediaBrowser, startProduct } from './support.ts';

const SPOKEN = '请问增值税专用发票怎么开具';

let node: NodeProcess;
let mediaBrowser: Browser;
let plainBrowser: Browser;
let wav: string;
let captureDir: string;

const input = (chat: FrameLocator) => chat.getByTestId('widget-input');

beforeAll(async () => {
  // CI installs espeak-ng and sox (.ci/run); their absence is a failure, not a skip
  if (!canSynthesize()) throw new Error('espeak-ng and sox are needed for the voice-input tests');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zn-voice-'));
  captureDir = mkdtempSync(path.join(os.tmpdir(), 'zn-voice-capture-'));
  wav = mandarinWav(dir, 'question', SPOKEN);
  [node, mediaBrowser, plainBrowser] = await Promise.all([
    startProduct({ SPEECH_DRIVER: 'test', SPEECH_TEST_CAPTURE_DIR: captureDir }),
    launchMediaBrowser([`--use-file-for-fake-audio-capture=${wav}%noloop`]),
    launchBrowser(),
  ]);
}, 180_000);

afterAll(async () => {
  await mediaBrowser?.close();
  await plainBrowser?.close();
  await node?.stop();
});

describe('语音 — voice input', () => {
  it('speech becomes text in the input box while speaking, settles, stops on silence and is sent as typed', async () => {
    const taxpayer = DEMO_TAXPAYERS[0];
    if (!taxpayer) throw new Error('no demo taxpayer');
    const { page, chat } = await chatAs(mediaBrowser, node.url, taxpayer.taxpayerNo);
    await input(chat).fill('您好，');

    const voice = chat.getByRole('button', { name: '语音' });
    await voice.click();
    const recorder = chat.getByTestId('voice-recorder');
    await recorder.waitFor();
    // the recording state is visible and named: the level meter moves with the voice, a stop button is there
    const meter = chat.getByRole('meter', { name: '音量' });
    await meter.waitFor();
    await chat.getByRole('button', { name: '停止语音输入' }).waitFor();
    await expect
      .poll(async () => Number(await meter.getAttribute('aria-valuenow')), { timeout: 10_000 })
      .toBeGreaterThan(0);

    // live text while speaking: the test recogniser's partial ("测试识别第1段…") after what was typed before
    await expect.poll(() => input(chat).inputValue(), { timeout: 10_000 }).toMatch(/^您好，测试识别第1段/);
    const whileSpeaking = await recorder.isVisible();
    expect(whileSpeaking).toBe(true);

    // the file ends in 3 s of silence: the recorder stops by itself and the settled text closes with 。
    await recorder.waitFor({ state: 'detached', timeout: 20_000 });
    await expect.poll(() => input(chat).inputValue(), { timeout: 10_000 }).toMatch(/^您好，测试识别第1段.*。$/);
    const settled = await input(chat).inputValue();

    // editable before sending, then sent like typed text
    await input(chat).press('End');
    await input(chat).pressSequentially('谢谢');
    await input(chat).press('Enter');
    await chat
      .locator('[data-testid="message-bubble"][data-sender-type="taxpayer"]')
      .filter({ hasText: `${settled}谢谢` })
      .waitFor();

    // the PCM the server received is the source: same speech, same duration
    const files = readdirSync(captureDir).filter((f) => f.endsWith('.pcm'));
    expect(files).toHaveLength(1);
    const captured = pcmSamples(readFileSync(path.join(captureDir, files[0] ?? '')));
    const source = readWavSamples(wav);
    const c = compareCapture(source, captured);
    console.log(`voice capture: ${JSON.stringify(c)}`);
    expect(c.coversSpeech).toBe(true);
    // piece by piece: a millisecond glitch of the fake microphone under load must not read as different audio
    expect(c.pieceCorrelation).toBeGreaterThanOrEqual(0.95);
    expect(c.piecesAligned).toBeGreaterThanOrEqual(0.8);
    expect(Math.abs(c.capturedVoicedSeconds - c.sourceVoicedSeconds) / c.sourceVoicedSeconds).toBeLessThanOrEqual(0.05);
    await page.context().close();
  }, 60_000);

  it('without a microphone the taxpayer is told so, and can dictate again once the stream is given back', async () => {
    const taxpayer = DEMO_TAXPAYERS[1];
    if (!taxpayer) throw new Error('no demo taxpayer');
    const { page, chat } = await chatAs(plainBrowser, node.url, taxpayer.taxpayerNo);
    for (let attempt = 0; attempt < 2; attempt++) {
      // a second press works the same: the first stream was cancelled on the server (one per taxpayer)
      await chat.getByRole('button', { name: '语音' }).click();
      const error = chat.getByTestId('voice-error');
      await error.waitFor();
      expect(await error.textContent()).toMatch(/麦克风/);
      expect(await error.getAttribute('role')).toBe('alert');
      await chat.getByRole('button', { name: '关闭提示' }).click();
      await error.waitFor({ state: 'detached' });
    }
    expect(await input(chat).inputValue()).toBe('');
    await page.context().close();
  }, 60_000);

  it('the stop button ends the dictation at once and keeps what was recognised', async () => {
    const taxpayer = DEMO_TAXPAYERS[2];
    if (!taxpayer) throw new Error('no demo taxpayer');
    const { page, chat }: { page: Page; chat: FrameLocator } = await chatAs(
      mediaBrowser,
      node.url,
      taxpayer.taxpayerNo,
    );
    await chat.getByRole('button', { name: '语音' }).click();
    await expect.poll(() => input(chat).inputValue(), { timeout: 10_000 }).toMatch(/^测试识别第1段/);
    await chat.getByRole('button', { name: '停止语音输入' }).click();
    await chat.getByTestId('voice-recorder').waitFor({ state: 'detached', timeout: 10_000 });
    await expect.poll(() => input(chat).inputValue(), { timeout: 10_000 }).toMatch(/^测试识别第1段.*。$/);
    await page.context().close();
  }, 60_000);
});
