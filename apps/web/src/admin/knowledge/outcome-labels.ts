import type { TTestConsoleResult } from '@zhengna/contracts';

type Outcome = TTestConsoleResult['outcome'];

export const OUTCOME_LABELS: Record<Outcome, string> = {
  answer: '直接回答',
  clarify: '澄清追问',
  no_answer: '无答案',
  smalltalk: '寒暄',
};

export const OUTCOME_COLORS: Record<Outcome, string> = {
  answer: 'green',
  clarify: 'blue',
  no_answer: 'red',
  smalltalk: 'default',
};
