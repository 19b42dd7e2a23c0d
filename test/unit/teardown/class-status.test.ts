import { describe, expect, it } from 'vitest';
import {
  executionClassStatus,
  statusOfExecution,
} from '../../../layers/core/teardown/class-status';

const NOW = new Date('2027-01-14T03:00:00Z');
const later = NOW.getTime() + 3_600_000;
const earlier = NOW.getTime() - 3_600_000;

describe('a class status read from its classroom execution', () => {
  it('is live while the execution runs', () => {
    expect(statusOfExecution('RUNNING', undefined, NOW)).toBe('live');
  });

  it('is live after a successful seating while the seats are within their expiry, ended after', () => {
    expect(statusOfExecution('SUCCEEDED', later, NOW)).toBe('live');
    expect(statusOfExecution('SUCCEEDED', earlier, NOW)).toBe('ended');
    expect(statusOfExecution('SUCCEEDED', undefined, NOW)).toBe('ended');
  });

  it('is failed for a failed or timed-out execution, aborted for an aborted one', () => {
    expect(statusOfExecution('FAILED', later, NOW)).toBe('failed');
    expect(statusOfExecution('TIMED_OUT', later, NOW)).toBe('failed');
    expect(statusOfExecution('ABORTED', later, NOW)).toBe('aborted');
  });

  it('is unknown when no execution has that name', () => {
    expect(statusOfExecution(undefined, later, NOW)).toBe('unknown');
  });

  it('asks for the execution named after the class, and passes a failed look-up on', async () => {
    // Prepare
    const asked: string[] = [];
    const status = executionClassStatus(
      async (classId) => {
        asked.push(classId);
        if (classId === 'class-b') throw new Error('ThrottlingException');
        return 'SUCCEEDED';
      },
      (classId) => (classId === 'class-a' ? later : undefined),
      NOW,
    );

    // Act
    const a = await status('class-a');
    const b = status('class-b');

    // Assess
    expect(a).toBe('live');
    await expect(b).rejects.toThrow('ThrottlingException');
    expect(asked).toEqual(['class-a', 'class-b']);
  });
});
