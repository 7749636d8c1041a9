/**
 * Parser and Markdown denial of service (CWE-1333, CWE-400) and script links in rendered Markdown (CWE-79): the
 * classes of Rocket.Chat's message-parser ReDoS (long runs of `*`, `_`, `[` freezing the server), Mattermost's
 * Markdown/emoji-parser DoS, Chatwoot's and Zammad's catastrophic regexes on message bodies, and Rocket.Chat's
 * `javascript:` Markdown links.
 *
 * What parses a message's text on the server: the bot (normalisation, segmenter, BM25 retrieval, hand-off and emotion
 * signals, small talk) and masking of personal numbers. In the browser: react-markdown + remark-gfm in SafeMarkdown
 * (the bot's answers and knowledge entries). Each is fed pathological text up to the maximum message length; the
 * call must return and another client must keep being served. No millisecond assertions: the test timeout is the
 * bound, and the measured times are printed.
 */

import { MESSAGE_MAX_CHARS, maskPersonalNumbers, type TMessage } from '@zhengna/contracts';
import {
  detectHandoffIntent,
  detectHandoffKeyword,
  detectSmalltalk,
  detectUnhelpful,
  type KbEntry,
  normalizeText,
  QaEngine,
  scoreEmotion,
} from '@zhengna/qa-engine';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SafeMarkdown } from '../../../web/src/shared/ui/SafeMarkdown.tsx';
import type { RunningApp } from '../../src/app.ts';
import { HttpClient, nextEvent, openTaxpayerChat, startTestApp } from '../harness.ts';

const MAX = MESSAGE_MAX_CHARS;
const fill = (unit: string, n = MAX) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
const half = Math.floor(MAX / 2);

/** Inputs known to make naive Markdown parsers, tokenizers and regexes go quadratic or worse. */
const PATHOLOGICAL: Record<string, string> = {
  stars: fill('*'),
  underscores: fill('_'),
  openBrackets: fill('['),
  nestedBrackets: `${'['.repeat(half)}${']'.repeat(MAX - half)}`,
  unclosedLinks: fill('[a]('),
  nestedLinks: `${'[a'.repeat(half / 2)}${'](b)'.repeat(half / 4)}`,
  emphasisNest: fill('*_a'),
  strongNest: `${'**a '.repeat(MAX / 8)}${' a**'.repeat(MAX / 8)}`,
  lessThan: fill('<'),
  openTags: fill('<a '),
  backticks: fill('`'),
  codeFenceMix: fill('``` ~~~ '),
  manyLinks: fill('[发票](https://a.example/x) '),
  manyAutolinks: fill('https://a.example/ '),
  manyImages: fill('![x](/api/files/x.png)'),
  tableish: fill('|-:'),
  entities: fill('&#x'),
  escapes: fill('\\'),
  headingRun: fill('#'),
  listNest: fill('- > '),
  quoteNest: fill('>'),
  orderedNest: fill('1. '),
  deepButLegal: `${'> '.repeat(32)}引用`,
  chineseRun: fill('增值税专用发票红冲'),
  handoffWords: fill('转人工！人工客服！'),
  angry: fill('太差了！！！投诉！'),
  punctuation: fill('？！。，'),
  digits: fill('1'),
  idLike: fill('370102199003074512 '),
  phoneLike: fill('13900001111'),
  whitespace: fill(' \t\u3000'),
  emoji: fill('😀'),
  fullWidth: fill('ＡＢＣ１２３'),
};

const ms = (t0: number) => Math.round(performance.now() - t0);
const timings: Record<string, Record<string, number>> = {};
const record = (where: string, name: string, took: number) => {
  timings[where] ??= {};
  (timings[where] as Record<string, number>)[name] = took;
};

afterAll(() => {
  for (const [where, t] of Object.entries(timings)) {
    const worst = Object.entries(t).sort((a, b) => b[1] - a[1])[0];
    console.log(`[parser-dos] ${where}: ${Object.keys(t).length} inputs, worst ${worst?.[0]} ${worst?.[1]} ms`);
  }
});

const ENTRIES: KbEntry[] = [
  ['k1', '增值税专用发票开错了怎么红冲', '在电子税务局开具红字发票信息确认单后开具红字发票。'],
  ['k2', '小规模纳税人按季申报最晚几号', '季度终了后 15 日内申报，遇节假日顺延。'],
  ['k3', '个人所得税汇算清缴怎么办理', '登录个人所得税 App，选择综合所得年度汇算。'],
].map(([id, question, answer]) => ({
  id: id as string,
  topicId: 'invoice',
  question: question as string,
  similar: [],
  answer: answer as string,
  documents: [],
  audience: { taxpayerTypes: [], industries: [], regions: [] },
  keywords: [],
}));

describe('the server-side text pipeline, in process', () => {
  it('the bot engine, its signals and number masking return on every pathological input', () => {
    const engine = QaEngine.build({ entries: ENTRIES });
    for (const [name, text] of Object.entries(PATHOLOGICAL)) {
      expect(text.length).toBeLessThanOrEqual(MAX + 1);
      const t0 = performance.now();
      const normalized = normalizeText(text);
      const outcome = engine.answer(text, { profile: { taxpayerType: 'general' } });
      detectHandoffKeyword(text);
      detectHandoffIntent(text);
      detectUnhelpful(text);
      scoreEmotion(text);
      detectSmalltalk(normalized);
      maskPersonalNumbers(text);
      record('engine', name, ms(t0));
      expect(outcome.kind).toBeTypeOf('string');
    }
  }, 60_000);
});

describe('through the server, with the bot answering', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startTestApp({ BOT_ENABLED: 'true' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('every pathological message is stored and answered, while another taxpayer keeps being served', async () => {
    const attacker = await openTaxpayerChat(app);
    const bystander = await openTaxpayerChat(app);
    let probing = true;
    const probeTimes: number[] = [];
    const probe = (async () => {
      while (probing) {
        const t0 = performance.now();
        const [health, conv] = await Promise.all([
          new HttpClient(app.url).get('/healthz'),
          bystander.chat.get('/api/chat/conversation'),
        ]);
        expect(health.status).toBe(200);
        expect(conv.status).toBe(200);
        probeTimes.push(ms(t0));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      for (const [name, text] of Object.entries(PATHOLOGICAL)) {
        const body = text.slice(0, MAX);
        const t0 = performance.now();
        const answered = nextEvent(
          attacker.socket,
          'message:new',
          (m: TMessage) => m.senderType === 'bot' && m.conversationId === attacker.conversationId,
          20_000,
        );
        const sent = await attacker.send(body);
        if (!sent.ok) {
          // an all-blank message is refused as empty; nothing else may be
          expect(sent.error.code, name).toBe('MESSAGE_EMPTY');
          answered.catch(() => {});
          continue;
        }
        expect(sent.data.body).toBe(body);
        await answered;
        record('server (send + bot answer)', name, ms(t0));
      }
    } finally {
      probing = false;
      await probe;
    }
    expect(probeTimes.length).toBeGreaterThan(0);
    record('bystander probes', 'max', Math.max(...probeTimes));
    record('bystander probes', 'count', probeTimes.length);
    attacker.socket.close();
    bystander.socket.close();
  }, 120_000);
});

describe('the web renderer (SafeMarkdown)', () => {
  const render = (markdown: string) => renderToStaticMarkup(createElement(SafeMarkdown, { children: markdown }));

  it('renders every pathological input and returns', () => {
    for (const [name, text] of Object.entries(PATHOLOGICAL)) {
      const t0 = performance.now();
      const html = render(text);
      record('SafeMarkdown', name, ms(t0));
      expect(html.startsWith('<div class="zn-markdown">')).toBe(true);
    }
  }, 90_000);

  it('javascript:, data: and vbscript: links and images never become a live href or src', () => {
    const attacks = [
      '[办理退税](javascript:alert(document.cookie))',
      '[办理退税](JaVaScRiPt:alert(1))',
      '[办理退税](java\tscript:alert(1))',
      '[办理退税](%20javascript:alert(1))',
      '[办理退税](&#106;avascript:alert(1))',
      '[下载](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[打开](vbscript:msgbox(1))',
      '[参考][r]\n\n[r]: javascript:alert(1)',
      '<javascript:alert(1)>',
      '![公章](javascript:alert(1))',
      '![公章](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
      '![跟踪](https://evil.example/pixel.png)',
      '<a href="javascript:alert(1)">发票</a>',
      '<img src=x onerror=alert(1)>',
      '<script>alert(1)</script>',
    ];
    for (const md of attacks) {
      const html = render(md);
      expect(html, md).not.toMatch(/(href|src)\s*=\s*"\s*(javascript|data|vbscript|&#)/i);
      expect(html, md).not.toMatch(/<script|<img[^>]*onerror|<iframe/i);
      // no image from another origin (no request to a third party: tracking pixels, internal addresses)
      expect(html, md).not.toMatch(/<img[^>]*src="https?:/i);
    }
    // a normal https link survives, opening in a new tab without handing over the window
    expect(render('[12366](https://12366.chinatax.gov.cn/)')).toContain(
      'href="https://12366.chinatax.gov.cn/" target="_blank" rel="noopener noreferrer"',
    );
  });
});
