// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../shared/api/api-error.ts';
import RatingCard from './RatingCard.tsx';

afterEach(cleanup);

function stars() {
  return screen.getAllByRole('radio');
}

describe('RatingCard', () => {
  it('asks for a score before submitting', async () => {
    const onSubmit = vi.fn(async () => {});
    render(<RatingCard onSubmit={onSubmit} />);
    fireEvent.click(screen.getByTestId('rating-submit'));
    expect((await screen.findByTestId('rating-error')).textContent).toBe('请选择 1 到 5 分');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('submits the score with the trimmed comment and thanks the taxpayer', async () => {
    const onSubmit = vi.fn(async () => {});
    render(<RatingCard onSubmit={onSubmit} />);
    expect(stars()).toHaveLength(5);
    const fifth = stars()[4];
    if (!fifth) throw new Error('no 5th star');
    fireEvent.click(fifth.querySelector('div') ?? fifth);
    expect(screen.getByTestId('rating-label').textContent).toBe('非常满意');
    fireEvent.change(screen.getByTestId('rating-comment'), { target: { value: '  解答很清楚  ' } });
    fireEvent.click(screen.getByTestId('rating-submit'));
    await screen.findByTestId('rating-thanks');
    expect(onSubmit).toHaveBeenCalledWith(5, '解答很清楚');
    expect(screen.getByTestId('rating-thanks').textContent).toContain('感谢您的评价');
  });

  it('is operable with the keyboard', () => {
    render(<RatingCard onSubmit={async () => {}} />);
    const rate = screen.getByRole('radiogroup');
    rate.focus();
    fireEvent.keyDown(rate, { key: 'ArrowRight', keyCode: 39 });
    fireEvent.keyDown(rate, { key: 'ArrowRight', keyCode: 39 });
    fireEvent.keyDown(rate, { key: 'ArrowRight', keyCode: 39 });
    expect(screen.getByTestId('rating-label').textContent).toBe('一般');
  });

  it('shows the server’s refusal of a second rating', async () => {
    const onSubmit = vi.fn(async () => {
      throw new ApiError('VALIDATION_FAILED', '本次会话已评价，感谢您的反馈', 409);
    });
    render(<RatingCard onSubmit={onSubmit} />);
    const first = stars()[0];
    if (!first) throw new Error('no star');
    fireEvent.click(first.querySelector('div') ?? first);
    fireEvent.click(screen.getByTestId('rating-submit'));
    await waitFor(() => expect(screen.getByTestId('rating-error').textContent).toBe('本次会话已评价，感谢您的反馈'));
    expect(screen.queryByTestId('rating-thanks')).toBeNull();
  });
});
