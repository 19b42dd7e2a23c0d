import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../../layers/base/errors';
import { ClassStateSchema } from '../../../../layers/core/classroom/record/class-record';
import {
  canMove,
  HISTORY_LIMIT,
  moved,
  TRANSITIONS,
} from '../../../../layers/core/classroom/record/transitions';
import { NOW, record } from './fixtures';

describe('the states of a class', () => {
  it('lists every state, and moves only to states that exist', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ClassStateSchema.options].sort());
    for (const targets of Object.values(TRANSITIONS))
      for (const to of targets) expect(ClassStateSchema.options).toContain(to);
  });

  it('follows a class through its sessions to its end, and nothing comes after deleted', () => {
    const life = [
      'scheduled',
      'seating',
      'ready',
      'stopped',
      'seating',
      'ready',
      'ended',
      'deleted',
    ] as const;
    for (const [i, to] of life.entries())
      if (i > 0) expect(canMove(life[i - 1] ?? 'scheduled', to), to).toBe(true);
    expect(TRANSITIONS.deleted).toEqual([]);
    expect(canMove('scheduled', 'ready')).toBe(false);
    expect(canMove('ended', 'seating')).toBe(false);
  });

  it('lets every live state fail', () => {
    for (const state of ['scheduled', 'seating', 'ready', 'stopped', 'ended'] as const)
      expect(canMove(state, 'failed'), state).toBe(true);
  });
});

describe('moved', () => {
  it('changes the state and leaves a history entry, not the version (the store bumps it)', () => {
    const next = moved(record(), 'seating', { at: NOW, step: 'seat', note: 'lead time' });

    expect(next).toMatchObject({ state: 'seating', version: 0, updatedAt: NOW.toISOString() });
    expect(next.history.at(-1)).toEqual({
      at: NOW.toISOString(),
      from: 'scheduled',
      to: 'seating',
      step: 'seat',
      note: 'lead time',
    });
  });

  it('refuses a move the table does not allow with a ConflictError that names both states', () => {
    expect(() => moved(record(), 'ended', { at: NOW, step: 'stop' })).toThrowError(
      new ConflictError('class class-1 is scheduled: it cannot become ended'),
    );
  });

  it('keeps only the latest history entries', () => {
    let r = record();
    for (let i = 0; i < HISTORY_LIMIT; i++) {
      r = moved(moved(r, 'seating', { at: NOW, step: 'seat' }), 'failed', { at: NOW, step: 'x' });
      r = { ...r, state: 'scheduled' };
    }
    expect(r.history).toHaveLength(HISTORY_LIMIT);
    expect(r.history.some((h) => h.step === 'plan')).toBe(false);
    expect(r.history.at(-1)).toMatchObject({ from: 'seating', to: 'failed' });
  });
});
