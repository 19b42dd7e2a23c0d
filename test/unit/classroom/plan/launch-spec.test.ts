import { describe, expect, it } from 'vitest';
import { clientToken } from '../../../../layers/core/classroom/plan/launch-spec';

describe('clientToken', () => {
  it('stays readable when the parts are short', () => {
    // Act
    const token = clientToken('genomics-101-a1b2', 'b03', 2);

    // Assess
    expect(token).toBe('genomics-101-a1b2-b03-2');
  });

  it('gives the same token for the same parts and a new one for each attempt or salt', () => {
    // Act
    const first = clientToken('genomics-101-a1b2', 'b03', 0);
    const retried = clientToken('genomics-101-a1b2', 'b03', 0);
    const nextCandidate = clientToken('genomics-101-a1b2', 'b03', 1);
    const salted = clientToken('genomics-101-a1b2', 'b03', 0, 'relaunch');

    // Assess
    expect(retried).toBe(first);
    expect(new Set([first, nextCandidate, salted]).size).toBe(3);
  });

  it('hashes long parts into at most 64 printable ASCII characters, deterministically', () => {
    // Prepare
    const classId = `${'very-long-class-name-'.repeat(3)}2026-03-10T09-00`;

    // Act
    const token = clientToken(classId, 'b19', 7, 'salt');
    const again = clientToken(classId, 'b19', 7, 'salt');
    const other = clientToken(classId, 'b19', 8, 'salt');

    // Assess
    expect(token.length).toBeLessThanOrEqual(64);
    expect(token).toMatch(/^[\x21-\x7e]+$/);
    expect(token).toBe(again);
    expect(other).not.toBe(token);
  });

  it('hashes parts that are not ASCII', () => {
    // Act
    const token = clientToken('génomique', 'b00', 0);

    // Assess
    expect(token).toMatch(/^[\x21-\x7e]{1,64}$/);
    expect(token).not.toContain('génomique');
  });
});
