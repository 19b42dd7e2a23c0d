import { isDeepStrictEqual } from 'node:util';
import middy from '@middy/core';
import * as z from 'zod';
import {
  classBatches,
  createClass,
  getClass,
  putBatches,
  saveClass,
} from '../../layers/aws/dynamodb';
import { availableImage } from '../../layers/aws/ec2';
import { elasticIpRoom } from '../../layers/aws/quotas';
import { ConflictError } from '../../layers/base/errors';
import { checkAddressRoom } from '../../layers/core/classroom/plan/address-quota';
import { planBatches } from '../../layers/core/classroom/plan/batches';
import { classEstimate } from '../../layers/core/classroom/plan/class-estimate';
import { type ClassPlan, classPlan } from '../../layers/core/classroom/plan/class-plan';
import { placements } from '../../layers/core/classroom/plan/placement-order';
import { parseClassRecord } from '../../layers/core/classroom/record/class-record';
import { newClassRecord, seatsNeededBy } from '../../layers/core/classroom/record/steps';
import { moved } from '../../layers/core/classroom/record/transitions';
import {
  type ClassroomRequest,
  parseClassroomRequest,
} from '../../layers/core/classroom/request/classroom-request';
import { checkSeatZone } from '../../layers/core/classroom/request/dns';
import { newBatch } from '../../layers/core/classroom/seats/lifecycle';
import { FIRST_POLL_SECONDS } from '../../layers/core/classroom/seats/poll-bounds';
import { checkBudget } from '../../layers/core/cost/budget';
import { TAG } from '../../layers/core/tags';
import { now } from '../../layers/runtime/clock';
import { classStore, config, stackRegion } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.union([
  /** A new request: planned, stored as scheduled, seated now only if its lead time has come. */
  z.object({ request: z.unknown(), classId: z.string().min(1) }),
  /** A scheduled class whose seating time has come: planned again from its stored request. */
  z.object({ classId: z.string().min(1), step: z.literal('seat') }),
]);

async function planned(request: ClassroomRequest, classId: string) {
  const image = await availableImage(request.region, request.image.imageId);
  const { STACK_NAME, PARAMETER_PREFIX, SEAT_HOSTED_ZONE_ID } = config();
  checkSeatZone(request.dns, SEAT_HOSTED_ZONE_ID);
  const plan = classPlan(
    request,
    {
      classId,
      rootDeviceName: image.rootDeviceName,
      rootVolumeGiB: image.rootVolumeGiB ?? 0,
      parameterPrefix: PARAMETER_PREFIX,
      stackName: STACK_NAME,
    },
    placements(request),
  );
  return { plan, estimate: classEstimate(request, plan, { snapshotGiB: image.rootVolumeGiB }) };
}

/** A class about to be seated finds room for an Elastic IP per TLS seat, or nothing launches. */
async function checkElasticIps(plan: ClassPlan) {
  if (plan.elasticIps === 0) return;
  const room = await elasticIpRoom(plan.region, { [TAG.classroom]: plan.classId });
  checkAddressRoom({ seats: plan.elasticIps, region: plan.region }, room);
}

/**
 * Validates the request, checks the image, estimates the class's whole life against its budget
 * (a new request over budget is refused) and keeps the class in the class store. When its seats
 * are needed (the lead time before the first session has come), the account must have room for
 * their Elastic IPs (a class that does not fit fails here, before anything launches; a new
 * request is then not kept), the class moves to seating and its seats are split into batches; otherwise it stays scheduled.
 */
export const handler = middy()
  .use(logged('planClassroom'))
  .use(taskInput(Input))
  .handler(async (input: z.infer<typeof Input>) => {
    const store = classStore();
    const at = now();
    const stored =
      'request' in input ? undefined : parseClassRecord(await getClass(store, input.classId));
    const raw = stored ? stored.request : (input as { request: unknown }).request;
    // A request without a region is seated in the stack's; a stored class stays where it was planned.
    const region = stored ? stored.plan.region : stackRegion();
    const request = parseClassroomRequest(raw, at, { region });
    const { plan, estimate } = await planned(request, input.classId);
    if (!stored) checkBudget(estimate, request.budgetUSD);
    const seatNow = stored !== undefined || seatsNeededBy(plan, at);
    if (seatNow) await checkElasticIps(plan);
    let record =
      stored ??
      (await createClass(
        store,
        newClassRecord({ classId: input.classId, request: raw, plan, estimate, at }),
      ).catch(async (error) => {
        // A retry of this very request (its first response lost) finds its own record.
        if (!(error instanceof ConflictError)) throw error;
        const existing = parseClassRecord(await getClass(store, input.classId));
        if (!isDeepStrictEqual(existing.request, raw)) throw error;
        return existing;
      }));
    if (seatNow && record.state !== 'seating') {
      record = moved({ ...record, plan, costs: { estimate } }, 'seating', { at, step: 'seat' });
      await saveClass(store, record);
    }
    // The batches, with their students, live in the class store; the state keeps their ids. A
    // retry keeps those already stored (and what they launched).
    const batches = seatNow ? planBatches(request.seats).map(newBatch) : [];
    if (batches.length && !(await classBatches(store, plan.classId)).length)
      await putBatches(store, plan.classId, batches);
    return {
      class: plan,
      step: seatNow ? 'seat' : 'wait',
      batches: batches.map((b) => b.batchId),
      estimate,
      seating: { rounds: 0, waitSeconds: FIRST_POLL_SECONDS },
    };
  });
