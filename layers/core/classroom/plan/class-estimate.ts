// What a class will cost for its whole life, before anything launches.
import { type CostEstimate, estimateClassLife } from '../../cost/estimate';
import type { ClassroomRequest } from '../request/classroom-request';
import type { ClassPlan } from './class-plan';
import { placements } from './placement-order';

/**
 * The class's life at the first placement's type and market: the request's sessions, its lead
 * time and retention, one email per student plus the roster. Without a plan (at the API edge,
 * before the image is looked at) the request's own volume size is used. A class with TLS holds an
 * Elastic IP per seat (its stable link) from first launch to termination, which replaces the
 * seat's launch address once associated: those seats pay no other public IPv4.
 */
export function classEstimate(
  request: ClassroomRequest,
  plan?: Pick<ClassPlan, 'placements' | 'volumeGiB'>,
  image: { snapshotGiB?: number } = {},
): CostEstimate {
  const first = plan?.placements[0] ?? placements(request)[0];
  const students = request.seats.filter((seat) => seat.student !== null).length;
  const elasticIps = request.tls.mode === 'acme' ? request.seats.length : 0;
  return estimateClassLife({
    seats: request.seats.length,
    instanceType: first?.instanceType ?? 't3.medium',
    market: first?.market ?? 'on-demand',
    hourlyUSD: request.hourlyUSD,
    sessions: request.sessions.map((s) => ({ start: s.startsAt, end: s.endsAt })),
    leadMinutes: request.leadMinutes,
    retainDays: request.retainDays,
    rootVolumeGiB: plan?.volumeGiB ?? request.volumeGiB,
    imageSnapshotGiB: image.snapshotGiB ?? 0,
    emails: students + 1,
    elasticIps,
    publicIpv4: elasticIps === 0,
  });
}
