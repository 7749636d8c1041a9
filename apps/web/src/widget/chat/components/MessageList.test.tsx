// @vitest-environment happy-dom

import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import type { TMessage } from '@zhengna/contracts';
import { ConfigProvider } from 'antd';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUTTON_CONFIG } from '../../../shared/i18n/AppProvider.tsx';
import { type BotActions, BotActionsContext } from '../bot/bot-actions.ts';
import { MessageList } from './MessageList.tsx';

afterEach(cleanup);

const CONV = '6f1c2a34-1111-4aaa-8bbb-000000000001';

function message(seq: number, overrides: Partial<TMessage>): TMessage {
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    conversationId: CONV,
    seq,
    clientId: null,
    senderType: 'taxpayer',
    senderId: null,
    senderName: '张三',
    body: '',
    attachments: [],
    private: false,
    payload: null,
    createdAt: '2026-05-20T01:00:00.000Z',
    ...overrides,
  };
}

const ACTIONS: BotActions = {
  canSend: true,
  send: vi.fn(),
  handoff: vi.fn(),
  rate: vi.fn(),
  sendFeedback: vi.fn(),
  addFavorite: vi.fn(),
  fetchDocument: vi.fn(),
};

describe('MessageList', () => {
  it('renders people as plain text, the assistant as Markdown with its payload, and handoff as a notice', async () => {
    const messages = [
      message(1, { body: '**不是加粗**', clientId: 'client-id-0001' }),
      message(2, {
        senderType: 'bot',
        senderName: '智能助理',
        body: '请登录**电子税务局**办理。',
        payload: { kind: 'answer', entryId: 'KB-1', question: '怎么办理？', documents: [] },
      }),
      message(3, { body: '转人工', clientId: 'client-id-0002' }),
      message(4, {
        senderType: 'bot',
        senderName: '智能助理',
        body: '正在为您转接人工客服，请稍候。',
        payload: { kind: 'handoff_requested', reason: 'keyword' },
      }),
      message(5, { senderType: 'agent', senderName: '李坐席', body: '您好，我是*人工*客服。' }),
    ];
    render(
      <ConfigProvider button={BUTTON_CONFIG}>
        <BotActionsContext value={ACTIONS}>
          <MessageList
            welcome="欢迎"
            messages={messages}
            pending={[]}
            hasOlder={false}
            loadingOlder={false}
            onLoadOlder={() => {}}
            onRetry={() => {}}
            fontSize={14}
          />
        </BotActionsContext>
      </ConfigProvider>,
    );

    const bubbles = screen.getAllByTestId('message-bubble');
    expect(bubbles.map((b) => b.getAttribute('data-sender-type'))).toEqual(['taxpayer', 'bot', 'taxpayer', 'agent']);
    const [own, bot, , agent] = bubbles;
    expect(own?.textContent).toContain('**不是加粗**');
    expect(own?.querySelector('strong')).toBeNull();
    expect(agent?.textContent).toContain('您好，我是*人工*客服。');
    expect(bot?.getAttribute('data-payload-kind')).toBe('answer');
    // The Markdown renderer is loaded on demand; the answer is plain text until it arrives.
    await waitFor(() =>
      expect(
        within(bot as HTMLElement)
          .getByTestId('bot-answer')
          .querySelector('strong')?.textContent,
      ).toBe('电子税务局'),
    );
    expect(within(bot as HTMLElement).getByTestId('message-sender').textContent).toContain('智能助理');

    const notice = screen.getByTestId('system-notice');
    expect(notice.getAttribute('data-payload-kind')).toBe('handoff_requested');
    expect(notice.textContent).toContain('正在为您转接人工客服，请稍候。');
  });

  it('shows a call in the timeline as a notice marked with its kind', () => {
    render(
      <ConfigProvider button={BUTTON_CONFIG}>
        <BotActionsContext value={ACTIONS}>
          <MessageList
            welcome="欢迎"
            messages={[
              message(1, {
                senderType: 'system',
                senderName: '系统',
                body: '视频通话已结束，时长 3 分 12 秒',
                payload: {
                  kind: 'call',
                  callId: '6f1c2a34-2222-4aaa-8bbb-000000000001',
                  callKind: 'video',
                  state: 'ended',
                  durationSeconds: 192,
                },
              }),
            ]}
            pending={[]}
            hasOlder={false}
            loadingOlder={false}
            onLoadOlder={() => {}}
            onRetry={() => {}}
            fontSize={14}
          />
        </BotActionsContext>
      </ConfigProvider>,
    );
    const notice = screen.getByTestId('system-notice');
    expect(notice.getAttribute('data-payload-kind')).toBe('call');
    expect(notice.getAttribute('data-call-kind')).toBe('video');
    expect(notice.textContent).toBe('视频通话已结束，时长 3 分 12 秒');
    expect(screen.queryByTestId('message-bubble')).toBeNull();
  });
});
