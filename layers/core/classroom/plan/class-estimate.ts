// What a class will cost before anything launches.
import { type CostEstimate, estimateCost } from '../../cost';
import type { ClassroomRequest } from '../request/classroom-request';
import type { ClassPlan } from './class-plan';

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
