// What a dry run of POST /classrooms shows of the plan: seats, where they launch, the fan-out.

import type * as z from 'zod';
import { certificatePlan } from '../classroom/plan/certificates';
import { fanOutShape } from '../classroom/plan/fan-out';
import { placements } from '../classroom/plan/placement-order';
import type { ClassroomRequest } from '../classroom/request/classroom-request';
import type { ClassPreviewSchema } from './schemas';

export function classPreview(request: ClassroomRequest): z.infer<typeof ClassPreviewSchema> {
  const shape = fanOutShape(request.seats.length);
  return {
    seats: request.seats.length,
    students: request.seats.filter((seat) => seat.student !== null).length,
    startsAt: request.schedule.startsAt,
    endsAt: request.schedule.endsAt,
    placements: placements(request),
    batches: shape.batches,
    largestBatch: shape.largestBatch,
    waves: shape.waves,
    certificates: request.tls.mode === 'acme' ? certificatePlan(request) : null,
  };
}
