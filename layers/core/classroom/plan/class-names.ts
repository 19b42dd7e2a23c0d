// Names and tags of what a class creates: seats, their addresses, its security group, its stop
// schedules.
import { createHash } from 'node:crypto';
import { TAG, type Tags } from '../../tags';
import type { ClassPlan } from './class-plan';

export function classTags(plan: ClassPlan, kind: 'seat' | 'security-group' | 'address'): Tags {
  return {
    [TAG.name]: `${plan.name} ${kind}`,
    [TAG.stack]: plan.stackName,
    [TAG.kind]: kind,
    [TAG.classroom]: plan.classId,
    [TAG.expiresAt]: plan.schedule.endsAt,
  };
}

/** The tags of a seat's Elastic IP: the class's, and the seat it belongs to across replacements. */
export const addressTags = (plan: ClassPlan, seatId: string): Tags => ({
  ...classTags(plan, 'address'),
  [TAG.name]: `${plan.name} ${seatId}`,
  [TAG.seat]: seatId,
});

export const securityGroupName = (plan: ClassPlan) => `bakehouse-${plan.classId}`.slice(0, 255);

/** Scheduler names are at most 64 characters: a digest of the class id keeps them short and unique. */
export const stopSchedulePrefix = (plan: Pick<ClassPlan, 'classId'>) =>
  `bakehouse-${createHash('sha256').update(plan.classId).digest('hex').slice(0, 16)}-`;

export const stopScheduleName = (plan: Pick<ClassPlan, 'classId'>, batchId: string) =>
  `${stopSchedulePrefix(plan)}${batchId}`;
