// Names and tags of what a class creates: seats, their addresses, its security group, its
// schedules.
import { createHash } from 'node:crypto';
import { TAG, type Tags } from '../../tags';
import { retireAt } from '../record/timeline';
import { classSuffix } from '../request/dns';
import type { ClassPlan } from './class-plan';

export function classTags(plan: ClassPlan, kind: 'seat' | 'security-group' | 'address'): Tags {
  return {
    [TAG.name]: `${plan.name} ${kind}`,
    [TAG.stack]: plan.stackName,
    [TAG.kind]: kind,
    [TAG.classroom]: plan.classId,
    /** Seats are kept, stopped, until retirement: nothing may sweep them before. */
    ...expiryTag(plan),
  };
}

/** The tags that find every resource of the class, and only this stack's. */
export const classFinder = (plan: Pick<ClassPlan, 'stackName' | 'classId'>): Tags => ({
  [TAG.stack]: plan.stackName,
  [TAG.classroom]: plan.classId,
});

/** When the class's resources may be swept, as their `expires-at` tag says: its retirement. */
export const expiryTag = (plan: ClassPlan): Tags => ({
  [TAG.expiresAt]: retireAt(plan).toISOString(),
});

/** The tags of a seat's Elastic IP: the class's, and the seat it belongs to across replacements. */
export const addressTags = (plan: ClassPlan, seatId: string): Tags => ({
  ...classTags(plan, 'address'),
  [TAG.name]: `${plan.name} ${seatId}`,
  [TAG.seat]: seatId,
});

export const securityGroupName = (plan: ClassPlan) => `bakehouse-${plan.classId}`.slice(0, 255);

/** Scheduler names are at most 64 characters: a digest of the class id keeps them short and unique. */
export const schedulePrefix = (plan: Pick<ClassPlan, 'classId'>) =>
  `bakehouse-${createHash('sha256').update(plan.classId).digest('hex').slice(0, 16)}-`;

/** The one schedule of a class step: `seat-0`, `stop-0`, `start-1`, `retire`. */
export const stepScheduleName = (plan: Pick<ClassPlan, 'classId'>, step: string) =>
  `${schedulePrefix(plan)}${step}`;

/** Where a class's seat names live: its hosted zone, and the suffix every one of them ends with. */
export const seatNames = ({ dns }: Pick<ClassPlan, 'dns'>) =>
  dns ? { hostedZoneId: dns.hostedZoneId, suffix: classSuffix(dns, dns.label) } : undefined;
