// A planned class and its record, shared by the tests of the record room.

import { classPlan } from '../../../../layers/core/classroom/plan/class-plan';
import type { SeatRecord } from '../../../../layers/core/classroom/record/class-record';
import { newClassRecord } from '../../../../layers/core/classroom/record/steps';
import { parseClassroomRequest } from '../../../../layers/core/classroom/request/classroom-request';
import type { CostEstimate } from '../../../../layers/core/cost/estimate';
import { ONE_DOLLAR_ESTIMATE } from '../../cost/fixtures';

export const NOW = new Date('2027-03-01T12:00:00Z');

export const SESSIONS = [
  { start: '2027-03-08T09:00', end: '2027-03-08T12:00' },
  { start: '2027-03-09T09:00', end: '2027-03-09T12:00' },
  { start: '2027-03-10T09:00', end: '2027-03-10T12:00' },
];

export function planned(overrides: Record<string, unknown> = {}) {
  const request = parseClassroomRequest(
    {
      name: 'genomics-101',
      image: 'ami-0123456789abcdef0',
      seats: 3,
      sessions: SESSIONS,
      timezone: 'Europe/Berlin',
      instructor: { email: 'grace@example.org' },
      sender: 'classes@example.org',
      ...overrides,
    },
    NOW,
  );
  return classPlan(
    request,
    {
      classId: 'class-1',
      rootDeviceName: '/dev/xvda',
      rootVolumeGiB: 8,
      parameterPrefix: '/bakehouse/test',
      stackName: 'bakehouse-test',
    },
    [{ instanceType: 't3.medium', market: 'on-demand' }],
  );
}

const estimate: CostEstimate = ONE_DOLLAR_ESTIMATE;

export const record = (overrides: Record<string, unknown> = {}) =>
  newClassRecord({ classId: 'class-1', request: {}, plan: planned(overrides), estimate, at: NOW });

export const seat = (n: number, change: Partial<SeatRecord> = {}): SeatRecord => ({
  seatId: `seat-00${n}`,
  batchId: 'b00',
  student: { name: `Student ${n}`, email: `s${n}@example.edu` },
  instanceId: `i-${n}`,
  state: 'ready',
  url: `http://198.51.100.${n}:8888/`,
  emailedUrl: `http://198.51.100.${n}:8888/`,
  ...change,
});
