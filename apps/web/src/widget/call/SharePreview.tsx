import { useState } from 'react';
import type { CallView } from '../../shared/rtc/call-controller.ts';
import { StreamMedia } from './StreamMedia.tsx';

/** The picture's height in the narrow widget; a tall window keeps its shape and gets narrower instead. */
const PREVIEW_MAX_HEIGHT_PX = 200;

/**
 * What the taxpayer is sharing, small, with the agent's pointer and marks where the agent put them. The box takes the
 * picture's own aspect ratio so a fraction of its width/height is the same spot the agent pointed at.
 */
export function SharePreview({ view }: { view: CallView }) {
  const [ratio, setRatio] = useState(16 / 9);
  const at = (p: { x: number; y: number }) => ({ left: `${p.x * 100}%`, top: `${p.y * 100}%` });
  return (
    <div
      className="zn-share-preview"
      style={{ aspectRatio: String(ratio), maxWidth: `${Math.round(PREVIEW_MAX_HEIGHT_PX * ratio)}px` }}
    >
      <StreamMedia
        as="video"
        stream={view.localStream}
        muted
        label="您共享的画面（预览）"
        onPictureSize={(w, h) => {
          if (w > 0 && h > 0) setRatio(w / h);
        }}
      />
      {/* the marks are announced through the call's live region; visually they sit on the picture */}
      {view.marks.map((mark, i) => (
        <span
          // biome-ignore lint/suspicious/noArrayIndexKey: marks have no id and only append (the oldest drops off); a mark is stateless
          key={i}
          className="zn-call-mark"
          data-testid="call-mark"
          aria-hidden="true"
          style={at(mark)}
        >
          {mark.label && <span className="zn-call-mark-label">{mark.label}</span>}
        </span>
      ))}
      {view.pointer && (
        <span className="zn-call-pointer" data-testid="call-pointer" aria-hidden="true" style={at(view.pointer)} />
      )}
    </div>
  );
}
