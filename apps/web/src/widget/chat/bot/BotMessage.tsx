import type { TMessage, TMessagePayload } from '@zhengna/contracts';
import { Button, Flex, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { FEATURES } from '../../../shared/config/features.ts';
import { useBotActions } from './bot-actions.ts';
import { Markdown } from './LazyMarkdown.tsx';

type PayloadOf<K extends TMessagePayload['kind']> = Extract<TMessagePayload, { kind: K }>;

const loadAnswerExtras = () => import('./AnswerExtras.tsx');
const AnswerExtras = lazy(loadAnswerExtras);

/** Starts loading what follows an answer (called once the chat has painted, with the Markdown renderer). */
export function preloadAnswerExtras(): void {
  void loadAnswerExtras().catch(() => {});
}

const CLARIFY_FALLBACK = '您是不是想问：';

/**
 * One of the assistant's messages inside its bubble: the Markdown body plus what its payload offers (an answer's
 * documents and feedback, clarifying choices, the no-answer offers). `handoff_requested` is not a bubble and is
 * rendered by the message list as a notice.
 */
export function BotMessage({ message }: { message: TMessage }) {
  const payload = message.payload;
  switch (payload?.kind) {
    case 'answer':
      return <AnswerBlock messageId={message.id} body={message.body} payload={payload} />;
    case 'clarify':
      return <ClarifyBlock body={message.body} payload={payload} />;
    case 'topic_menu':
      return (
        <ChoiceBlock
          testId="bot-topic-menu"
          label={`${payload.topicName}常见问题`}
          body={message.body.trim() ? message.body : `「${payload.topicName}」常见问题：`}
          choices={payload.questions}
        />
      );
    case 'no_answer':
      return <NoAnswerBlock body={message.body} payload={payload} />;
    case 'handoff_offer':
      return <HandoffOfferBlock body={message.body} />;
    default:
      return <Markdown>{message.body}</Markdown>;
  }
}

function AnswerBlock({ messageId, body, payload }: { messageId: string; body: string; payload: PayloadOf<'answer'> }) {
  return (
    <div data-testid="bot-answer" data-entry-id={payload.entryId}>
      <Markdown>{body}</Markdown>
      <Suspense fallback={null}>
        <AnswerExtras messageId={messageId} entryId={payload.entryId} documents={payload.documents} />
      </Suspense>
    </div>
  );
}

function ClarifyBlock({ body, payload }: { body: string; payload: PayloadOf<'clarify'> }) {
  return (
    <ChoiceBlock
      testId="bot-clarify"
      label="候选问题"
      body={body.trim() ? body : CLARIFY_FALLBACK}
      choices={payload.candidates}
    />
  );
}

interface ChoiceBlockProps {
  testId: string;
  label: string;
  body: string;
  choices: readonly { entryId: string; question: string }[];
}

/** Questions offered as choices (clarify, a 问答套餐's menu): a click sends the question as the taxpayer's message. */
function ChoiceBlock({ testId, label, body, choices }: ChoiceBlockProps) {
  const { send, canSend } = useBotActions();
  return (
    <div data-testid={testId}>
      <Markdown>{body}</Markdown>
      <ul aria-label={label} style={{ listStyle: 'none', margin: '6px 0 0', padding: 0 }}>
        {choices.map((candidate) => (
          <li key={candidate.entryId} style={{ marginBottom: 6 }}>
            <Button
              block
              onClick={() => send(candidate.question)}
              disabled={!canSend}
              data-testid="clarify-option"
              data-entry-id={candidate.entryId}
              style={{ height: 'auto', whiteSpace: 'normal', textAlign: 'left', justifyContent: 'flex-start' }}
            >
              {candidate.question}
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function NoAnswerBlock({ body, payload }: { body: string; payload: PayloadOf<'no_answer'> }) {
  const { handoff, canSend, startInquiry, startAppointment } = useBotActions();
  const offers = new Set(payload.offers);
  const showHandoff = offers.has('handoff');
  // 留言 and 预约 only when their feature is built (and wired); nothing that leads nowhere.
  const inquiry = offers.has('inquiry') && FEATURES.inquiry ? startInquiry : undefined;
  const appointment = offers.has('appointment') && FEATURES.appointment ? startAppointment : undefined;
  return (
    <div data-testid="bot-no-answer">
      <Markdown>{body}</Markdown>
      {(showHandoff || inquiry || appointment) && (
        <Flex gap={8} wrap style={{ marginTop: 8 }}>
          {showHandoff && (
            <Button type="primary" size="small" onClick={handoff} disabled={!canSend} data-testid="handoff-offer">
              转人工
            </Button>
          )}
          {inquiry && (
            <Button size="small" onClick={inquiry} data-testid="inquiry-offer">
              留言
            </Button>
          )}
          {appointment && (
            <Button size="small" onClick={appointment} data-testid="appointment-offer">
              预约
            </Button>
          )}
        </Flex>
      )}
    </div>
  );
}

/** "需要为您转人工服务吗？": 转人工 asks for a human (the reason the bot found is kept); 不用了 just closes the offer. */
function HandoffOfferBlock({ body }: { body: string }) {
  const { handoff, canSend } = useBotActions();
  const [answered, setAnswered] = useState<'yes' | 'no' | null>(null);
  return (
    <div data-testid="bot-handoff-offer">
      <Markdown>{body}</Markdown>
      {answered ? (
        <Typography.Text type="secondary" data-testid="handoff-offer-answer">
          {answered === 'yes' ? '已为您转人工' : '好的，有需要随时点击“转人工”'}
        </Typography.Text>
      ) : (
        <Flex gap={8} wrap style={{ marginTop: 8 }}>
          <Button
            type="primary"
            size="small"
            disabled={!canSend}
            onClick={() => {
              setAnswered('yes');
              handoff();
            }}
            data-testid="handoff-offer-accept"
          >
            转人工
          </Button>
          <Button size="small" onClick={() => setAnswered('no')} data-testid="handoff-offer-decline">
            不用了
          </Button>
        </Flex>
      )}
    </div>
  );
}
