import { describe, expect, it } from 'vitest';
import {
  afterChecks,
  afterStart,
  relinkedRoster,
  seatsToProbe,
  seatsToStart,
} from '../../../../layers/core/classroom/record/restart';
import { afterStop } from '../../../../layers/core/classroom/record/seat-records';
import { instance } from '../seats/fixtures';
import { seat } from './fixtures';

describe('stopping seats', () => {
  it('records the seats EC2 refused to stop with its reason, and the rest as stopped', () => {
    const seats = [seat(1), seat(2), seat(3, { instanceId: null, state: 'unplaced', url: null })];

    const after = afterStop(seats, new Map([['i-2', 'IncorrectInstanceState: pending']]));

    expect(after.map((s) => [s.seatId, s.state, s.reason])).toEqual([
      ['seat-001', 'stopped', undefined],
      ['seat-002', 'failed', 'could not be stopped: IncorrectInstanceState: pending'],
    ]);
  });
});

describe('starting seats for a later session', () => {
  it('starts stopped seats and those whose instance failed before, never seats without one', () => {
    const seats = [
      seat(1, { state: 'stopped' }),
      seat(2, { state: 'failed', reason: 'could not be stopped: x' }),
      seat(3, { state: 'unplaced', instanceId: null }),
      seat(4, { state: 'terminated' }),
    ];

    expect(seatsToStart(seats).map((s) => s.seatId)).toEqual(['seat-001', 'seat-002']);
    const after = afterStart(seats, new Map([['i-2', 'UnsupportedOperation: spot']]));
    expect(after.map((s) => s.state)).toEqual(['pending', 'failed', 'unplaced', 'terminated']);
    expect(after[1]?.reason).toBe('could not be started: UnsupportedOperation: spot');
  });

  it('probes only waiting seats whose instance runs with an address, at that address', () => {
    const seats = [seat(1, { state: 'pending' }), seat(2, { state: 'pending' }), seat(3)];

    const targets = seatsToProbe(
      seats,
      [instance('i-1', 'running', '203.0.113.9'), instance('i-2', 'pending')],
      { port: 8888, tls: { mode: 'none' } },
    );
    const secured = seatsToProbe(seats, [instance('i-1', 'running', '203.0.113.9')], {
      port: 8888,
      tls: { mode: 'acme', directory: 'https://acme-v02.api.letsencrypt.org/directory' },
    });

    expect(targets.map((t) => [t.seat.seatId, t.url])).toEqual([
      ['seat-001', 'http://203.0.113.9:8888/'],
    ]);
    expect(secured.map((t) => t.url)).toEqual(['https://203.0.113.9/']);
  });
});

describe('checking restarted seats', () => {
  const pending = [seat(1, { state: 'pending' }), seat(2, { state: 'pending' })];

  it('waits while a seat is silent, and emails no one before every seat is settled', () => {
    const checks = new Map([['seat-001', { url: 'http://203.0.113.9:8888/', ready: true }]]);

    const round = afterChecks(pending, checks, false);

    expect(round.settled).toBe(false);
    expect(round.relinked).toEqual([]);
    expect(round.seats.map((s) => s.state)).toEqual(['ready', 'pending']);
  });

  it('re-emails only the students whose link changed, and counts the new link as sent', () => {
    const checks = new Map([
      ['seat-001', { url: 'http://203.0.113.9:8888/', ready: true }],
      ['seat-002', { url: 'http://198.51.100.2:8888/', ready: true }],
    ]);

    const round = afterChecks(pending, checks, false);

    expect(round.settled).toBe(true);
    expect(round.relinked.map((s) => s.seatId)).toEqual(['seat-001']);
    expect(round.seats[0]).toMatchObject({
      url: 'http://203.0.113.9:8888/',
      emailedUrl: 'http://203.0.113.9:8888/',
    });
    expect(relinkedRoster(round.relinked)).toEqual([
      {
        batchId: 'b00',
        roster: [
          {
            seatId: 'seat-001',
            studentName: 'Student 1',
            email: 's1@example.edu',
            url: 'http://203.0.113.9:8888/',
            state: 'ready',
          },
        ],
      },
    ]);
  });

  it('fails the seats still silent at the last check, with the reason of their last probe', () => {
    const checks = new Map([
      ['seat-001', { url: 'http://203.0.113.9:8888/', ready: false, reason: 'token refused' }],
    ]);

    const round = afterChecks(pending, checks, true);

    expect(round.settled).toBe(true);
    expect(round.seats.map((s) => [s.state, s.reason])).toEqual([
      ['failed', 'after the start: token refused'],
      ['failed', 'after the start: did not come back after its start'],
    ]);
  });
});
