// @vitest-environment happy-dom

import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { TMessage, TMessagePayload } from '@zhengna/contracts';
import { ConfigProvider } from 'antd';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../shared/api/api-error.ts';
import { BUTTON_CONFIG } from '../../../shared/i18n/AppProvider.tsx';
import { BotMessage } from './BotMessage.tsx';
import { type BotActions, BotActionsContext } from './bot-actions.ts';

afterEach(cleanup);

const CONV = '6f1c2a34-1111-4aaa-8bbb-000000000001';
const MESSAGE_ID = '00000000-0000-4000-8000-000000000007';

function botMessage(body: string, payload: TMessagePayload | null): TMessage {
  return {
    id: MESSAGE_ID,
    conversationId: CONV,
    seq: 7,
    clientId: null,
    senderType: 'bot',
    senderId: null,
    senderName: '智能助理',
    body,
    attachments: [],
    private: false,
    payload,
    createdAt: '2026-05-20T01:00:00.000Z',
  };
}

function actions(overrides: Partial<BotActions> = {}): BotActions {
  return {
    canSend: true,
    send: vi.fn(),
    handoff: vi.fn(),
    rate: vi.fn(),
    sendFeedback: vi.fn(async () => undefined),
    addFavorite: vi.fn(async (kind, refId) => ({
      id: '00000000-0000-4000-8000-0000000000f1',
      kind,
      refId,
      title: '收藏',
      createdAt: '2026-05-20T01:00:00.000Z',
    })),
    fetchDocument: vi.fn(async (id: string) => ({
      id,
      title: '关于数电发票的公告',
      kind: '公告',
      issuer: '国家税务总局',
      number: '国家税务总局公告2024年第1号',
      year: 2024,
      summary: '明确数电发票有关事项。',
      topics: ['发票开具'],
    })),
    ...overrides,
  };
}

function renderBot(message: TMessage, botActions: BotActions = actions()) {
  // As in the widget: no space between two CJK characters, so "有用" stays the accessible name.
  render(
    <ConfigProvider button={BUTTON_CONFIG}>
      <BotActionsContext value={botActions}>
        <BotMessage message={message} />
      </BotActionsContext>
    </ConfigProvider>,
  );
  return botActions;
}

const ANSWER = botMessage('数电发票通过**电子发票服务平台**开具。', {
  kind: 'answer',
  entryId: 'KB-T01-001',
  question: '数电发票怎么开？',
  documents: [
    {
      id: 'D-A01',
      title: '关于数电发票的公告',
      kind: '公告',
      issuer: '国家税务总局',
      number: '国家税务总局公告2024年第1号',
      year: 2024,
      summary: '明确数电发票有关事项。',
    },
  ],
});

describe('BotMessage: clarify', () => {
  const clarify = botMessage('您是不是想问：', {
    kind: 'clarify',
    candidates: [
      { entryId: 'KB-1', question: '数电发票怎么红冲？' },
      { entryId: 'KB-2', question: '纸质发票怎么作废？' },
    ],
  });

  it('shows each candidate as a button and sends its question as a taxpayer message', () => {
    const botActions = renderBot(clarify);
    const block = screen.getByTestId('bot-clarify');
    expect(block.textContent).toContain('您是不是想问：');
    const options = within(block).getAllByTestId('clarify-option');
    expect(options.map((o) => o.textContent)).toEqual(['数电发票怎么红冲？', '纸质发票怎么作废？']);

    fireEvent.click(screen.getByRole('button', { name: '纸质发票怎么作废？' }));
    expect(botActions.send).toHaveBeenCalledWith('纸质发票怎么作废？');
    expect(botActions.send).toHaveBeenCalledTimes(1);
  });

  it('disables the choices when nothing can be sent (conversation closed)', () => {
    renderBot(clarify, actions({ canSend: false }));
    for (const option of screen.getAllByTestId('clarify-option'))
      expect((option as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('BotMessage: topic_menu (问答套餐)', () => {
  it("offers the topic's questions as choices that send the question", () => {
    const botActions = renderBot(
      botMessage('「发票开具」常见问题，请点击您想了解的问题：', {
        kind: 'topic_menu',
        topicId: 'T01',
        topicName: '发票开具',
        questions: [
          { entryId: 'KB-T01-001', question: '数电发票在电子税务局里怎么开具？' },
          { entryId: 'KB-T01-002', question: '发票开错了怎么红冲？' },
        ],
      }),
    );
    const block = screen.getByTestId('bot-topic-menu');
    expect(within(block).getByRole('list', { name: '发票开具常见问题' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '发票开错了怎么红冲？' }));
    expect(botActions.send).toHaveBeenCalledWith('发票开错了怎么红冲？');
  });
});

describe('BotMessage: answer', () => {
  it('renders the Markdown answer with its documents, feedback and favourite', async () => {
    renderBot(ANSWER);
    const block = screen.getByTestId('bot-answer');
    // Markdown is loaded on demand; until then the answer shows as plain text.
    await waitFor(() => expect(block.querySelector('strong')?.textContent).toBe('电子发票服务平台'));
    const link = await screen.findByTestId('document-link');
    expect(link.textContent).toBe('关于数电发票的公告');
    expect(block.textContent).toContain('国家税务总局 · 国家税务总局公告2024年第1号 · 2024年');
    expect(screen.getByRole('button', { name: '有用' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '没用' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '收藏' })).toBeTruthy();
  });

  it('records one feedback choice: both buttons are then disabled and the choice is shown', async () => {
    const botActions = renderBot(ANSWER);
    // the feedback buttons load on demand, like the Markdown renderer
    const helpful = (await screen.findByRole('button', { name: '有用' })) as HTMLButtonElement;
    const unhelpful = screen.getByRole('button', { name: '没用' }) as HTMLButtonElement;

    fireEvent.click(unhelpful);
    await waitFor(() => expect(screen.getByTestId('feedback-choice').textContent).toBe('已反馈：没用'));
    expect(botActions.sendFeedback).toHaveBeenCalledWith(MESSAGE_ID, false);
    expect(helpful.disabled).toBe(true);
    expect(unhelpful.disabled).toBe(true);
    expect(unhelpful.getAttribute('aria-pressed')).toBe('true');
    expect(helpful.getAttribute('aria-pressed')).toBe('false');

    fireEvent.click(helpful);
    expect(botActions.sendFeedback).toHaveBeenCalledTimes(1);
  });

  it('shows a failed feedback in Chinese and lets the taxpayer try again', async () => {
    const sendFeedback = vi
      .fn<BotActions['sendFeedback']>()
      .mockRejectedValueOnce(new ApiError('RATE_LIMITED', '操作过于频繁，请稍后再试。', 429))
      .mockResolvedValueOnce(undefined);
    renderBot(ANSWER, actions({ sendFeedback }));
    const helpful = (await screen.findByTestId('feedback-helpful')) as HTMLButtonElement;

    fireEvent.click(helpful);
    await screen.findByText('操作过于频繁，请稍后再试。');
    expect(helpful.disabled).toBe(false);

    fireEvent.click(helpful);
    await waitFor(() => expect(helpful.disabled).toBe(true));
    expect(screen.getByTestId('feedback-choice').textContent).toBe('已反馈：有用');
  });

  it('stars the entry and shows 已收藏', async () => {
    const botActions = renderBot(ANSWER);
    fireEvent.click(await screen.findByRole('button', { name: '收藏' }));
    const saved = (await screen.findByRole('button', { name: '已收藏' })) as HTMLButtonElement;
    expect(saved.disabled).toBe(true);
    expect(saved.getAttribute('data-testid')).toBe('favorite-entry');
    expect(botActions.addFavorite).toHaveBeenCalledWith('entry', 'KB-T01-001');
  });

  it('opens a document detail fetched from the server, with its own 收藏', async () => {
    const botActions = renderBot(ANSWER);
    const link = await screen.findByTestId('document-link');
    await act(async () => {
      fireEvent.click(link);
    });
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByText('发票开具');
    expect(botActions.fetchDocument).toHaveBeenCalledWith('D-A01');
    expect(dialog.textContent).toContain('明确数电发票有关事项。');

    fireEvent.click(within(dialog).getByTestId('favorite-document'));
    await within(dialog).findByRole('button', { name: '已收藏' });
    expect(botActions.addFavorite).toHaveBeenCalledWith('document', 'D-A01');
  });
});

describe('BotMessage: no answer and small talk', () => {
  it('offers 转人工 (asking the server for a human), 留言 and 预约', () => {
    const startInquiry = vi.fn();
    const startAppointment = vi.fn();
    const botActions = renderBot(
      botMessage('抱歉，暂时没有找到相关答案。', { kind: 'no_answer', offers: ['handoff', 'inquiry', 'appointment'] }),
      actions({ startInquiry, startAppointment }),
    );
    const block = screen.getByTestId('bot-no-answer');
    expect(block.textContent).toContain('抱歉，暂时没有找到相关答案。');

    fireEvent.click(screen.getByRole('button', { name: '留言' }));
    expect(startInquiry).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('button', { name: '预约' }));
    expect(startAppointment).toHaveBeenCalledTimes(1);

    fireEvent.click(screen.getByTestId('handoff-offer'));
    expect(botActions.handoff).toHaveBeenCalled();
    expect(botActions.send).not.toHaveBeenCalled();
  });

  it('shows small talk and payload-less bot messages as plain Markdown', () => {
    renderBot(botMessage('您好！请问有什么可以帮您？', { kind: 'smalltalk' }));
    expect(screen.getByText('您好！请问有什么可以帮您？')).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });
});

describe('BotMessage: handoff offer', () => {
  const offer = botMessage('需要为您转人工服务吗？', { kind: 'handoff_offer', reason: 'emotion' });

  it('asks for a human when 转人工 is chosen, and then shows the choice instead of the buttons', async () => {
    const a = renderBot(offer);
    fireEvent.click(screen.getByRole('button', { name: '转人工' }));
    expect(a.handoff).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('button', { name: '转人工' })).toBeNull();
    expect(screen.getByTestId('handoff-offer-answer').textContent).toContain('已为您转人工');
  });

  it('does nothing more than close the offer on 不用了', () => {
    const a = renderBot(offer);
    fireEvent.click(screen.getByRole('button', { name: '不用了' }));
    expect(a.handoff).not.toHaveBeenCalled();
    expect(screen.getByTestId('handoff-offer-answer').textContent).toContain('随时点击');
  });
});
