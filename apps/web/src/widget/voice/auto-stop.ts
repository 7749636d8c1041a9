/**
 * When dictation stops by itself: after SPEECH_LIMITS.silenceStopSeconds of quiet following speech, or after
 * SPEECH_LIMITS.noSpeechStopSeconds when nothing was said at all. Judged per frame from its RMS level against a noise
 * floor that follows the room (down at once; up within a second or so between words, barely while someone speaks),
 * with hysteresis: speech starts above `on` and lasts until the level falls below `off`, so a voice that dips between
 * syllables is not taken for silence.
 */
import { SPEECH_LIMITS } from '@zhengna/contracts';

export type SilenceState = {
  /** Seconds since the dictation started. */
  readonly elapsed: number;
  /** The quietest recent level (RMS, 0…1). */
  readonly floor: number;
  /** The current frame counts as speech. */
  readonly speaking: boolean;
  /** Seconds of speech without a break, so far. */
  readonly speechRun: number;
  /** Speech was heard at some point (a run of at least MIN_SPEECH_SECONDS, or text from the recogniser). */
  readonly heard: boolean;
  /** Seconds of quiet since the last speech. */
  readonly silent: number;
};

export type AutoStop = 'silence' | 'no-speech' | null;

/** Levels below this count as silence however quiet the room (about −44 dBFS). */
const OFF_MIN = 0.006;
/** …and above this as speech (about −38 dBFS; the test recogniser's voiced threshold is −36 dBFS). */
const ON_MIN = 0.012;
/** Speech must stand this far above the noise floor… */
const ON_OVER_FLOOR = 4;
/** …and lasts while it stays this far above it. */
const OFF_OVER_FLOOR = 2;
/** The floor rises this share of the way to a louder level per second (it falls at once)… */
const FLOOR_RISE_PER_SECOND = 1;
/** …and this while someone speaks, so a long sentence does not become the floor. */
const FLOOR_RISE_SPEAKING_PER_SECOND = 0.02;
const FLOOR_MIN = 0.0005;
/** The first frame sets the floor up to this (a quiet room); someone may already be speaking. */
const FLOOR_FIRST_MAX = 0.006;
/** A cough or a click is not speech. */
const MIN_SPEECH_SECONDS = 0.2;

export const INITIAL_SILENCE: SilenceState = {
  elapsed: 0,
  floor: FLOOR_MIN,
  speaking: false,
  speechRun: 0,
  heard: false,
  silent: 0,
};

/** The state after one frame of `seconds` at `level`, and whether to stop now. */
export function trackSilence(
  state: SilenceState,
  level: number,
  seconds: number,
  limits: { silenceStopSeconds: number; noSpeechStopSeconds: number } = SPEECH_LIMITS,
): { state: SilenceState; stop: AutoStop } {
  const on = Math.max(ON_MIN, state.floor * ON_OVER_FLOOR);
  const off = Math.max(OFF_MIN, state.floor * OFF_OVER_FLOOR);
  const speaking = state.speaking ? level >= off : level >= on;
  const rise = (speaking ? FLOOR_RISE_SPEAKING_PER_SECOND : FLOOR_RISE_PER_SECOND) * seconds;
  const floor =
    state.elapsed === 0
      ? Math.min(FLOOR_FIRST_MAX, Math.max(FLOOR_MIN, level))
      : level <= state.floor
        ? Math.max(FLOOR_MIN, level)
        : state.floor + (level - state.floor) * Math.min(1, rise);
  const speechRun = speaking ? state.speechRun + seconds : 0;
  const heard = state.heard || speechRun >= MIN_SPEECH_SECONDS - 1e-9;
  const next: SilenceState = {
    elapsed: state.elapsed + seconds,
    floor,
    speaking,
    speechRun,
    heard,
    silent: speaking ? 0 : state.silent + seconds,
  };
  const eps = 1e-9;
  const stop: AutoStop =
    heard && next.silent >= limits.silenceStopSeconds - eps
      ? 'silence'
      : !heard && next.elapsed >= limits.noSpeechStopSeconds - eps
        ? 'no-speech'
        : null;
  return { state: next, stop };
}

/**
 * The recogniser wrote new live text: someone is speaking, even into a microphone too quiet for the level check, so
 * neither stop may come yet.
 */
export function noteRecognised(state: SilenceState): SilenceState {
  return { ...state, heard: true, silent: 0 };
}
