/**
 * What every step of a classroom needs to know about the class, decided once by PlanClassroom
 * and carried in the state: no students (they travel with their batch) and no secrets.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type CostEstimate, estimateCost } from '../../cost';
import type { LaunchSpec } from '../../launch';
import { TAG, type Tags } from '../../tags';
import type { ClassroomRequest } from '../request/classroom-request';
import { EmailAddressSchema, PersonNameSchema } from '../request/classroom-request';
import { clientToken, type Placement, PlacementSchema } from './batches';

export const ClassPlanSchema = z.object({
  classId: z.string().min(1).max(80),
  name: z.string(),
  region: z.string(),
  imageId: z.string(),
  rootDeviceName: z.string(),
  port: z.number().int(),
  volumeGiB: z.number().int(),
  placements: z.array(PlacementSchema).min(1),
  allowedCidrs: z.array(z.string()).min(1),
  subnets: z.array(z.string()),
  schedule: z.object({
    start: z.string(),
    end: z.string(),
    timezone: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
  }),
  instructor: z.object({ name: PersonNameSchema.optional(), email: EmailAddressSchema }),
  sender: EmailAddressSchema,
  /** Parameter Store path under which this class's seat credentials live (SecureString). */
  parameterPath: z.string().startsWith('/'),
  stackName: z.string(),
});
export type ClassPlan = z.infer<typeof ClassPlanSchema>;

export function classPlan(
  request: ClassroomRequest,
  context: {
    classId: string;
    /** The image's root device and the size of its snapshot, which a seat's disk must not undercut. */
    rootDeviceName: string;
    rootVolumeGiB: number;
    parameterPrefix: string;
    stackName: string;
  },
  candidates: Placement[],
): ClassPlan {
  return {
    classId: context.classId,
    name: request.name,
    region: request.region,
    imageId: request.image.imageId,
    rootDeviceName: context.rootDeviceName,
    port: request.jupyterPort,
    volumeGiB: Math.max(request.volumeGiB, context.rootVolumeGiB),
    placements: candidates,
    allowedCidrs: request.allowedCidrs,
    subnets: request.subnets,
    schedule: request.schedule,
    instructor: request.instructor,
    sender: request.sender,
    parameterPath: `${context.parameterPrefix}/classes/${context.classId}`,
    stackName: context.stackName,
  };
}

export function classTags(plan: ClassPlan, kind: 'seat' | 'security-group'): Tags {
  return {
    [TAG.name]: `${plan.name} ${kind}`,
    [TAG.stack]: plan.stackName,
    [TAG.kind]: kind,
    [TAG.classroom]: plan.classId,
    [TAG.expiresAt]: plan.schedule.endsAt,
  };
}

export const securityGroupName = (plan: ClassPlan) => `bakehouse-${plan.classId}`.slice(0, 255);

/** Where one seat's credential is kept: one SecureString per seat, grouped by batch. */
export const credentialName = (plan: ClassPlan, batchId: string, seatId: string) =>
  `${plan.parameterPath}/${batchId}/${seatId}`;

/** Scheduler names are at most 64 characters: a digest of the class id keeps them short and unique. */
export const stopSchedulePrefix = (plan: Pick<ClassPlan, 'classId'>) =>
  `bakehouse-${createHash('sha256').update(plan.classId).digest('hex').slice(0, 16)}-`;

export const stopScheduleName = (plan: Pick<ClassPlan, 'classId'>, batchId: string) =>
  `${stopSchedulePrefix(plan)}${batchId}`;

/** One RunInstances for up to `count` seats of a batch at one placement; partial fills allowed. */
export function seatLaunchSpec(
  plan: ClassPlan,
  launch: {
    batchId: string;
    attempt: number;
    placement: Placement;
    /** Its position in the batch's order of placements: part of the ClientToken. */
    placementIndex: number;
    count: number;
    securityGroupId: string;
    instanceProfileName: string;
  },
): LaunchSpec {
  const { placement } = launch;
  return {
    imageId: plan.imageId,
    instanceType: placement.instanceType,
    subnetId: placement.subnetId,
    market: placement.market,
    count: launch.count,
    minCount: 1,
    clientToken: clientToken(
      plan.classId,
      launch.batchId,
      launch.attempt,
      `p${launch.placementIndex}-n${launch.count}`,
    ),
    securityGroupIds: [launch.securityGroupId],
    instanceProfileName: launch.instanceProfileName,
    rootDeviceName: plan.rootDeviceName,
    rootVolumeGiB: plan.volumeGiB,
    shutdownBehavior: 'stop',
    tags: { ...classTags(plan, 'seat'), [TAG.batch]: launch.batchId },
  };
}

/** What the class will cost, before anything launches: at the first placement's price, for its hours. */
export function classEstimate(request: ClassroomRequest, plan: ClassPlan): CostEstimate {
  const hours =
    (Date.parse(request.schedule.endsAt) - Date.parse(request.schedule.startsAt)) / 3_600_000;
  return estimateCost({
    seats: request.seats.length,
    instanceType: plan.placements[0]?.instanceType ?? 't3.medium',
    hours,
    volumeGiB: plan.volumeGiB,
    spot: request.spot,
  });
}
