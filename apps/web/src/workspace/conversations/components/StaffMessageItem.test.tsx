// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { StaffMessageItem } from './StaffMessageItem.tsx';

afterEach(cleanup);

const AT = '2026-05-20T01:00:00.000Z';

describe('StaffMessageItem', () => {
  it('labels the assistant and renders its Markdown safely', () => {
    render(
      <StaffMessageItem
        senderType="bot"
        senderName="智能助理"
        body={'请登录**电子税务局**。[链接](javascript:alert(1))'}
        payload={{ kind: 'answer', entryId: 'KB-T01-001', question: '数电发票怎么开？', documents: [] }}
        createdAt={AT}
        own={false}
      />,
    );
    const bubble = screen.getByTestId('message-bubble');
    expect(bubble.getAttribute('data-sender-type')).toBe('bot');
    expect(bubble.textContent).toContain('智能助理');
    expect(bubble.querySelector('strong')?.textContent).toBe('电子税务局');
    expect(bubble.querySelector('a')).toBeNull();
    expect(screen.getByTestId('bot-payload-summary').textContent).toContain('KB-T01-001');
  });

  it('shows a handoff request as a notice with its reason', () => {
    render(
      <StaffMessageItem
        senderType="bot"
        senderName="智能助理"
        body="正在为您转接人工客服。"
        payload={{ kind: 'handoff_requested', reason: 'emotion' }}
        createdAt={AT}
        own={false}
      />,
    );
    expect(screen.queryByTestId('message-bubble')).toBeNull();
    expect(screen.getByTestId('handoff-notice').textContent).toContain('请求转人工：情绪波动');
  });

  it('keeps people’s messages as plain text', () => {
    render(<StaffMessageItem senderType="taxpayer" senderName="张三" body="**原样**" createdAt={AT} own={false} />);
    expect(screen.getByTestId('message-bubble').textContent).toContain('**原样**');
  });

  it('shows a call’s mark as a compact notice', () => {
    render(
      <StaffMessageItem
        senderType="system"
        senderName="系统"
        body="视频通话已结束，时长 3 分 12 秒"
        payload={{ kind: 'call', callId: 'c1', callKind: 'video', state: 'ended', durationSeconds: 192 }}
        createdAt={AT}
        own={false}
      />,
    );
    const notice = screen.getByTestId('call-notice');
    expect(notice.getAttribute('data-call-state')).toBe('ended');
    expect(notice.textContent).toContain('视频通话已结束，时长 3 分 12 秒');
    expect(screen.queryByTestId('message-bubble')).toBeNull();
  });
});
