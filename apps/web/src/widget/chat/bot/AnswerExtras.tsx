import type { TDocumentRef } from '@zhengna/contracts';
import { Flex } from 'antd';
import { DocumentList } from './DocumentList.tsx';
import { FavoriteButton } from './FavoriteButton.tsx';
import { FeedbackButtons } from './FeedbackButtons.tsx';

interface AnswerExtrasProps {
  messageId: string;
  entryId: string;
  documents: readonly TDocumentRef[];
}

/**
 * What follows an answer's text: 相关文件, 有用/没用 and 收藏. Loaded on demand like the Markdown renderer (and preloaded
 * with it once the chat has painted): the chat's first load is at its size budget. Default export for React.lazy.
 */
export default function AnswerExtras({ messageId, entryId, documents }: AnswerExtrasProps) {
  return (
    <>
      {documents.length > 0 && <DocumentList documents={documents} />}
      <Flex align="center" gap={8} wrap style={{ marginTop: 8 }}>
        <FeedbackButtons messageId={messageId} />
        <FavoriteButton kind="entry" refId={entryId} testId="favorite-entry" />
      </Flex>
    </>
  );
}
