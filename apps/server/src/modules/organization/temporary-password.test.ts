import { passwordProblems } from '@zhengna/contracts';
import { describe, expect, it } from 'vitest';
import { generateTemporaryPassword } from './temporary-password.ts';

describe('temporary passwords', () => {
  it('meet the password policy, with every character class and no look-alikes', () => {
    for (let i = 0; i < 200; i++) {
      const p = generateTemporaryPassword(10);
      expect(p).toHaveLength(16);
      expect(passwordProblems(p, 10)).toEqual([]);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[0-9]/);
      expect(p).toMatch(/[^A-Za-z0-9]/);
      expect(p).not.toMatch(/[0O1lI]/);
    }
  });

  it('follow a longer policy minimum, and differ every time', () => {
    expect(generateTemporaryPassword(24)).toHaveLength(24);
    const seen = new Set(Array.from({ length: 50 }, () => generateTemporaryPassword(10)));
    expect(seen.size).toBe(50);
  });
});
