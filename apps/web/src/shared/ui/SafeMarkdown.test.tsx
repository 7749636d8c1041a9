// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SafeMarkdown } from './SafeMarkdown.tsx';
import { isSameOrigin, safeUrl } from './safe-url.ts';

afterEach(cleanup);

function renderMarkdown(markdown: string): HTMLElement {
  return render(<SafeMarkdown>{markdown}</SafeMarkdown>).container;
}

describe('SafeMarkdown', () => {
  it('renders Markdown (lists, emphasis, tables)', () => {
    const root = renderMarkdown(
      '基本步骤：\n1. 登录**电子税务局**；\n2. 开票。\n\n| 项目 | 税率 |\n| --- | --- |\n| 货物 | 13% |',
    );
    expect(root.querySelectorAll('ol > li')).toHaveLength(2);
    expect(root.querySelector('strong')?.textContent).toBe('电子税务局');
    expect(root.querySelector('table td')?.textContent).toBe('货物');
  });

  it('never turns raw HTML into elements', () => {
    const root = renderMarkdown(
      '提示<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n<a href="javascript:alert(1)">点我</a>\n\n<iframe src="https://evil.example"></iframe>',
    );
    expect(root.querySelector('script')).toBeNull();
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('iframe')).toBeNull();
    expect(root.querySelector('a')).toBeNull();
    expect(root.querySelector('[onerror]')).toBeNull();
    // Shown as text, so nothing the knowledge base says is silently lost.
    expect(root.textContent).toContain('<script>alert(1)</script>');
  });

  it('removes javascript:, data: and vbscript: links but keeps their text', () => {
    const root = renderMarkdown(
      '[点我](javascript:alert(1)) [再点](JaVaScRiPt:alert(2)) [数据](data:text/html;base64,PHNjcmlwdD4=) [旧](vbscript:msgbox)',
    );
    expect(root.querySelectorAll('a')).toHaveLength(0);
    expect(root.textContent).toContain('点我');
    expect(root.textContent).toContain('再点');
    expect(root.innerHTML).not.toMatch(/javascript:|data:text|vbscript:/i);
  });

  it('keeps http(s) and relative links, opening them in a new tab without an opener', () => {
    const root = renderMarkdown(
      '[总局](https://www.chinatax.gov.cn/) [旧站](http://example.gov.cn/a?b=1) [指南](/guide/invoice) <https://etax.example.gov.cn>',
    );
    const links = [...root.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://www.chinatax.gov.cn/',
      'http://example.gov.cn/a?b=1',
      '/guide/invoice',
      'https://etax.example.gov.cn',
    ]);
    for (const a of links) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    }
  });

  it('loads images only from our own origin and offers others as a link', () => {
    const own = `${window.location.origin}/files/step1.png`;
    const root = renderMarkdown(
      `![第一步](/files/step1.png) ![第二步](${own}) ![外站](https://tracker.example.com/pixel.png) ![坏的](javascript:alert(1))`,
    );
    const images = [...root.querySelectorAll('img')];
    expect(images.map((img) => img.getAttribute('src'))).toEqual(['/files/step1.png', own]);
    const link = root.querySelector('a');
    expect(link?.getAttribute('href')).toBe('https://tracker.example.com/pixel.png');
    expect(link?.textContent).toContain('外站');
    expect(root.textContent).toContain('坏的');
    expect(root.innerHTML).not.toContain('javascript:');
  });
});

describe('safeUrl', () => {
  it.each([
    ['https://a.gov.cn/x', true],
    ['HTTP://a.gov.cn', true],
    ['/relative/path', true],
    ['relative?x=a:b', true],
    ['#anchor', true],
    ['javascript:alert(1)', false],
    [' java\tscript:alert(1)', false],
    ['data:text/html,x', false],
    ['mailto:a@b.cn', false],
    ['file:///etc/passwd', false],
  ])('%s → allowed %s', (url, allowed) => {
    expect(safeUrl(url) !== '').toBe(allowed);
  });

  it('tells our own origin from others', () => {
    expect(isSameOrigin('/a.png', 'https://chat.example.gov.cn')).toBe(true);
    expect(isSameOrigin('//evil.example/a.png', 'https://chat.example.gov.cn')).toBe(false);
    expect(isSameOrigin('https://chat.example.gov.cn.evil.example/a.png', 'https://chat.example.gov.cn')).toBe(false);
  });
});
