import { describe, expect, it } from 'vitest';
import {
  executionClassStatus,
  recordedClassStatus,
  statusOfExecution,
  statusOfRecord,
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

describe('a class status read from its class record', () => {
  it('is live while the class waits for, runs or is between sessions or in retention; then ended; deleted, failed as recorded', () => {
    const of = (state: string, expiry?: number) => statusOfRecord(state as never, expiry, NOW);
    expect(['scheduled', 'seating', 'ready', 'stopped'].map((s) => of(s))).toEqual([
      'live',
      'live',
      'live',
      'live',
    ]);
    expect([of('ended', later), of('ended', earlier), of('ended')]).toEqual([
      'live',
      'ended',
      'ended',
    ]);
    expect([of('deleted', later), of('failed', later)]).toEqual(['deleted', 'failed']);
  });

  it('asks the execution only for a class the store does not know', async () => {
    // Arrange
    const asked: string[] = [];
    const status = recordedClassStatus(
      async (classId) => (classId === 'class-stored' ? 'stopped' : undefined),
      async (classId) => {
        asked.push(classId);
        return 'failed';
      },
      () => undefined,
      NOW,
    );

    // Act
    const stored = await status('class-stored');
    const older = await status('class-older');

    // Assess
    expect([stored, older]).toEqual(['live', 'failed']);
    expect(asked).toEqual(['class-older']);
  });

  it('is aborted or failed for a class left seating by an aborted or failed execution', async () => {
    const status = (ran: 'aborted' | 'failed' | 'live') =>
      recordedClassStatus(
        async () => 'seating',
        async () => ran,
        () => undefined,
        NOW,
      )('class-a');

    expect([await status('aborted'), await status('failed'), await status('live')]).toEqual([
      'aborted',
      'failed',
      'live',
    ]);
  });
});
