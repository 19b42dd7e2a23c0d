import { describe, expect, it } from 'vitest';
import type { ClassStatus } from '../../../layers/core/teardown/class-status';
import type { Fleet } from '../../../layers/core/teardown/fleet';
import { classesIn, planTeardown, type TeardownSettings } from '../../../layers/core/teardown/plan';

const ROLE = 'arn:aws:iam::123456789012:role/bakehouse-dev-scheduler';
const NOW = new Date('2027-01-14T03:00:00Z');
const SETTINGS: TeardownSettings = {
  stackName: 'bakehouse-dev',
  region: 'us-east-1',
  parameterPrefix: '/bakehouse/dev',
  schedulerRoleArn: ROLE,
  keepImagesPerRecipe: 3,
  imageRetentionDays: 30,
};

/** A fleet holding only one step schedule of `classId` (a class booked, nothing launched yet). */
const withStep = (classId: string, roleArn = ROLE): Fleet => ({
  instances: [],
  images: [],
  snapshots: [],
  parameters: [],
  securityGroups: [],
  schedules: [{ name: 'bakehouse-0123456789abcdef-seat-0', roleArn, instanceIds: [], classId }],
});

const plan = (fleet: Fleet, status: ClassStatus) =>
  planTeardown(fleet, NOW, new Map([['class-a', status]]), SETTINGS);

describe("the teardown and a class's step schedules", () => {
  it("asks for the status of the class a step schedule names, only for the stack's own schedules", () => {
    expect(classesIn(withStep('class-a'), SETTINGS)).toEqual(['class-a']);
    expect(classesIn(withStep('class-a', `${ROLE}-other`), SETTINGS)).toEqual([]);
  });

  it('keeps the step of a live class, though it stops no instance', () => {
    expect(plan(withStep('class-a'), 'live')).toEqual([]);
  });

  it('keeps the step of a class whose status could not be told', () => {
    expect(planTeardown(withStep('class-a'), NOW, new Map(), SETTINGS)).toEqual([]);
  });

  it('deletes the step of a class that is over', () => {
    expect(plan(withStep('class-a'), 'deleted')).toEqual([
      {
        kind: 'delete-schedule',
        id: 'bakehouse-0123456789abcdef-seat-0',
        reason: 'a step of a class that is over: class class-a is deleted',
      },
    ]);
  });
});
