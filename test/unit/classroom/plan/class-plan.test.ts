import { describe, expect, it } from 'vitest';
import { classPlan } from '../../../../layers/core/classroom/plan/class-plan';
import { parseClassroomRequest } from '../../../../layers/core/classroom/request/classroom-request';

const now = new Date('2026-03-01T12:00:00Z');
const context = {
  classId: 'c1',
  rootDeviceName: '/dev/xvda',
  rootVolumeGiB: 8,
  parameterPrefix: '/bakehouse/dev',
  stackName: 'bakehouse-dev',
};

function planFor(overrides: Record<string, unknown>) {
  const request = parseClassroomRequest(
    {
      name: 'genomics-101',
      image: 'ami-0123456789abcdef0',
      seats: 12,
      schedule: { start: '2026-03-10T09:00', end: '2026-03-10T17:00', timezone: 'Europe/Berlin' },
      instructor: { email: 'grace@example.org' },
      sender: 'classes@example.org',
      ...overrides,
    },
    now,
  );
  return classPlan(request, context, [{ instanceType: 't3.medium', market: 'on-demand' }]);
}

describe('classPlan', () => {
  it('holds one Elastic IP per seat with TLS, for the cost estimate', () => {
    // Act
    const plan = planFor({});

    // Assess
    expect(plan.tls).toEqual({
      mode: 'acme',
      directory: 'https://acme-v02.api.letsencrypt.org/directory',
    });
    expect(plan.elasticIps).toBe(12);
  });

  it('holds none without TLS', () => {
    // Act
    const plan = planFor({ tls: { mode: 'none' } });

    // Assess
    expect(plan.tls).toEqual({ mode: 'none' });
    expect(plan.elasticIps).toBe(0);
  });
});
