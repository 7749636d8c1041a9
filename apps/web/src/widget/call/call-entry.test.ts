import { describe, expect, it } from 'vitest';
import { callTools } from './call-entry.ts';

describe('callTools', () => {
  it('offers 远程协助 and 音视频 while an agent serves the conversation', () => {
    expect(callTools(true)).toEqual({ remoteAssist: 'open', callRequest: true });
  });

  it('keeps 远程协助 findable without an agent (it explains 转人工) and hides 音视频', () => {
    expect(callTools(false)).toEqual({ remoteAssist: 'explain', callRequest: false });
  });
});
