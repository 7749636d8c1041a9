import { useEffect, useRef } from 'react';

interface StreamMediaProps {
  stream: MediaStream | null;
  /** `audio` for a voice call's far end; everything with a picture is `video`. */
  as: 'audio' | 'video';
  /** Our own microphone must never play back to us. */
  muted?: boolean;
  label: string;
  className?: string;
  /** The picture's own size, once known (to keep pointer positions true to the shared screen). */
  onPictureSize?: (width: number, height: number) => void;
}

/** A MediaStream on an <audio>/<video> element; the element stays mounted while the call window is minimised. */
export function StreamMedia({ stream, as, muted = false, label, className, onPictureSize }: StreamMediaProps) {
  const ref = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.muted = muted;
    if (el.srcObject !== stream) el.srcObject = stream;
    // autoplay can be refused before any click in this frame; the 接听 click normally came first
    if (stream) el.play?.()?.catch(() => {});
  }, [stream, muted]);

  // biome-ignore lint/a11y/useMediaCaption: a live call has no captions to offer
  if (as === 'audio') return <audio ref={ref} autoPlay aria-label={label} className={className} />;
  return (
    <video
      ref={ref}
      autoPlay
      playsInline
      muted={muted}
      aria-label={label}
      className={className}
      onLoadedMetadata={(e) => onPictureSize?.(e.currentTarget.videoWidth, e.currentTarget.videoHeight)}
      onResize={(e) => onPictureSize?.(e.currentTarget.videoWidth, e.currentTarget.videoHeight)}
    />
  );
}
