import { describe, expect, it } from 'vitest';
import { classPlan } from '../../../../layers/core/classroom/plan/class-plan';
import {
  classParameterPath,
  credentialName,
} from '../../../../layers/core/classroom/plan/parameter-paths';
import { parseClassroomRequest } from '../../../../layers/core/classroom/request/classroom-request';

const request = parseClassroomRequest(
  {
    name: 'genomics-101',
    image: 'ami-0123456789abcdef0',
    seats: 2,
    schedule: { start: '2026-03-10T09:00', end: '2026-03-10T17:00', timezone: 'Europe/Berlin' },
    instructor: { email: 'grace@example.org' },
    sender: 'classes@example.org',
  },
  new Date('2026-03-01T12:00:00Z'),
);

const plan = classPlan(
  request,
  {
    classId: 'exec-7',
    rootDeviceName: '/dev/xvda',
    rootVolumeGiB: 8,
    parameterPrefix: '/bakehouse/prod',
    stackName: 'bakehouse-prod',
  },
  [{ instanceType: 't3.medium', market: 'on-demand' }],
);

describe('classParameterPath', () => {
  it('is the path the class plan carries', () => {
    expect(plan.parameterPath).toBe(classParameterPath('/bakehouse/prod', 'exec-7'));
    expect(plan.parameterPath).toBe('/bakehouse/prod/classes/exec-7');
  });
});

describe('credentialName', () => {
  it('puts each seat under the class path, grouped by batch', () => {
    expect(credentialName(plan, 'b01', 'seat-002')).toBe(
      `${classParameterPath('/bakehouse/prod', 'exec-7')}/b01/seat-002`,
    );
  });
});
