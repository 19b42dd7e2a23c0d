// The class status from the class record and its seats alone: states, seats, costs, no secret.
import { describe, expect, it } from 'vitest';
import {
  classStatus,
  classSummary,
  unplannedClassStatus,
} from '../../../layers/core/api/class-status';
import { ClassStatusSchema } from '../../../layers/core/api/schemas';
import type { ClassRecord } from '../../../layers/core/classroom/record/class-record';
import { runningStretches } from '../../../layers/core/cost/class-spend';
import { NOW, record, seat } from '../classroom/record/fixtures';

const HOUR = 3_600_000;
const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR).toISOString();

/** The record after moves through these states, an hour apart. */
function moved(states: ClassRecord['state'][]): ClassRecord {
  const base = record();
  let from = base.state;
  const history = [...base.history];
  states.forEach((to, i) => {
    history.push({ at: at(i + 1), from, to, step: 'test' });
    from = to;
  });
  return { ...base, state: from, history };
}

describe('classStatus', () => {
  it('tells the state, the sessions as instants and each seat with its student and link', () => {
    const status = classStatus(
      record(),
      [seat(1), seat(2, { student: null, state: 'pending', url: null })],
      NOW,
    );

    expect(ClassStatusSchema.parse(status)).toEqual(status);
    expect(status).toMatchObject({
      id: 'class-1',
      name: 'genomics-101',
      state: 'scheduled',
      next: null,
    });
    expect(status.sessions[0]).toEqual({
      start: '2027-03-08T08:00:00.000Z',
      end: '2027-03-08T11:00:00.000Z',
    });
    expect(status.seats).toEqual([
      { seat: 'seat-001', student: 'Student 1', state: 'ready', url: 'http://198.51.100.1:8888/' },
      { seat: 'seat-002', student: null, state: 'pending', url: null },
    ]);
    expect(status.estimateUSD).toBe(1);
    expect(status.costSoFarUSD).toBe(0);
  });

  it('costs the seats for the hours the class was seating or ready, and not while stopped', () => {
    const ran = moved(['seating', 'ready', 'stopped', 'seating', 'ready']);
    const seats = [seat(1), seat(2)];

    const twoHoursLater = classStatus(ran, seats, new Date(at(3)));
    const muchLater = classStatus(ran, seats, new Date(at(6)));
    const stoppedOnly = classStatus(moved(['seating', 'ready', 'stopped']), seats, new Date(at(9)));

    expect(runningStretches(ran)).toEqual([{ start: at(1), stop: at(3) }, { start: at(4) }]);
    expect(twoHoursLater.costSoFarUSD).toBeGreaterThan(0);
    expect(muchLater.costSoFarUSD).toBeGreaterThan(twoHoursLater.costSoFarUSD);
    // Compute of two t3.medium for 2 hours is $0.17; stopped, only the volumes and the two
    // Elastic IPs (TLS seats, $0.005/h each, 8 hours) go on.
    expect(stoppedOnly.costSoFarUSD).toBeGreaterThanOrEqual(0.17 + 0.08);
    expect(stoppedOnly.costSoFarUSD).toBeLessThan(0.32);
  });

  it('tells the budget of the request, and the next step once one is scheduled', () => {
    const booked = {
      ...record(),
      request: { budgetUSD: 40 },
      next: { step: 'seat', schedule: 'bakehouse-x-seat-0', at: at(2) },
    };

    expect(classStatus(booked, [], NOW)).toMatchObject({
      budgetUSD: 40,
      next: { step: 'seat', at: at(2) },
    });
  });

  it('summarises the class for the list', () => {
    expect(classSummary(record())).toEqual({
      id: 'class-1',
      name: 'genomics-101',
      state: 'scheduled',
      startsAt: '2027-03-08T08:00:00.000Z',
      endsAt: '2027-03-10T11:00:00.000Z',
      updatedAt: NOW.toISOString(),
    });
  });

  it('tells why a failed class failed, without ARNs; null for any other state', () => {
    const failed = moved(['failed']);
    failed.history[failed.history.length - 1] = {
      ...(failed.history.at(-1) as ClassRecord['history'][number]),
      step: 'seat',
      note: 'LaunchSeats failed: arn:aws:ec2:us-east-1:123456789012:instance/i-1 is gone',
    };

    expect(classStatus(failed, [], NOW).failure).toBe('LaunchSeats failed: (ARN) is gone');
    expect(classStatus(moved(['failed']), [], NOW).failure).toBe('failed at test');
    expect(classStatus(record(), [], NOW).failure).toBeNull();
  });
});

describe('unplannedClassStatus', () => {
  it('tells a class its execution never stored: failed with the cause, or about to be planned', () => {
    const failed = unplannedClassStatus('class-x', {
      status: 'FAILED',
      cause: 'image: no image ami-0123 in arn:aws:ec2:us-east-1:123456789012:image/ami-0123',
    });
    const running = unplannedClassStatus('class-y', { status: 'RUNNING' });
    const aborted = unplannedClassStatus('class-z', { status: 'ABORTED' });

    expect(ClassStatusSchema.parse(failed)).toEqual(failed);
    expect(failed).toMatchObject({ id: 'class-x', state: 'failed', seats: [], sessions: [] });
    expect(failed.failure).toBe('not planned: image: no image ami-0123 in (ARN)');
    expect(running).toMatchObject({ state: 'scheduled', failure: null });
    expect(aborted.failure).toBe(
      'not planned: the execution ended ABORTED before it stored the class',
    );
  });
});
