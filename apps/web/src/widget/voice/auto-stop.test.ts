import { describe, expect, it } from 'vitest';
import { type AutoStop, INITIAL_SILENCE, noteRecognised, type SilenceState, trackSilence } from './auto-stop.ts';

const FRAME = 0.1;
const LIMITS = { silenceStopSeconds: 2, noSpeechStopSeconds: 8 };

/** Feeds levels frame by frame; returns the state and the frame index (0-based) and kind of the first stop. */
function run(levels: number[], start: SilenceState = INITIAL_SILENCE) {
  let state = start;
  for (let i = 0; i < levels.length; i++) {
    const next = trackSilence(state, levels[i] as number, FRAME, LIMITS);
    state = next.state;
    if (next.stop) return { state, at: i, stop: next.stop as AutoStop };
  }
  return { state, at: -1, stop: null as AutoStop };
}

const repeat = (level: number, seconds: number) => Array.from({ length: Math.round(seconds / FRAME) }, () => level);

describe('trackSilence (auto-stop)', () => {
  it('stops after 2 s of silence following speech', () => {
    const speech = repeat(0.002, 0.5).concat(repeat(0.1, 1.5));
    const result = run([...speech, ...repeat(0.002, 5)]);
    expect(result.stop).toBe('silence');
    // the 20th quiet frame after the speech
    expect(result.at).toBe(speech.length + 19);
  });

  it('stops after 8 s when nothing was said at all', () => {
    const result = run(repeat(0.002, 10));
    expect(result.stop).toBe('no-speech');
    expect(result.at).toBe(79);
  });

  it('does not take a click or a cough for speech', () => {
    const result = run([...repeat(0.002, 3), 0.2, ...repeat(0.002, 6)]);
    expect(result.stop).toBe('no-speech');
    expect(result.state.heard).toBe(false);
  });

  it('keeps going while the voice dips between syllables (hysteresis)', () => {
    // 0.009 is below the level that starts speech but above the one that ends it
    const quiet = run(repeat(0.009, 3), run(repeat(0.002, 0.3)).state);
    expect(quiet.state.speaking).toBe(false);

    const talking = run([...repeat(0.002, 0.3), ...repeat(0.05, 0.3), ...repeat(0.009, 3)]);
    expect(talking.state.speaking).toBe(true);
    expect(talking.stop).toBeNull();
    expect(talking.state.silent).toBe(0);
  });

  it('follows the room: steady background noise is not speech', () => {
    // a noisy room (−34 dBFS) from the first frame: the voice has to stand out from it
    const result = run([...repeat(0.02, 2), ...repeat(0.2, 1), ...repeat(0.02, 3)]);
    expect(result.stop).toBe('silence');
  });

  it('text from the recogniser counts as speech (a microphone too quiet for the level check)', () => {
    let state = run(repeat(0.004, 5)).state;
    state = noteRecognised(state);
    expect(state.heard).toBe(true);
    const result = run(repeat(0.004, 3), state);
    expect(result.stop).toBe('silence');
    expect(result.at).toBe(19);
  });
});
