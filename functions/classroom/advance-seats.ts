import { randomBytes } from 'node:crypto';
import middy from '@middy/core';
import * as z from 'zod';
import { seatAddresses } from '../../layers/aws/addresses';
import { cancelSpotRequests, describeInstances, terminateInstances } from '../../layers/aws/ec2';
import { probeSeat } from '../../layers/aws/seat-probe';
import {
  listInvocations,
  onlineAgents,
  putSecureParameter,
  secureParameters,
  sendScript,
} from '../../layers/aws/ssm';
import { type ClassPlan, ClassPlanSchema } from '../../layers/core/classroom/plan/class-plan';
import { type SeatDeps, seatActions } from '../../layers/core/classroom/seats/actions';
import { BatchStateSchema } from '../../layers/core/classroom/seats/lifecycle';
import { advanceBatch } from '../../layers/core/classroom/seats/poll';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ class: ClassPlanSchema, batch: BatchStateSchema });

/** The real adapters, in the class's region. */
const deps = ({ region }: ClassPlan): SeatDeps => ({
  describeInstances: (ids) => describeInstances(region, ids),
  onlineAgents: (ids) => onlineAgents(region, ids),
  putSecureParameter: (name, value, description) =>
    putSecureParameter(region, name, value, description),
  secureParameters: (names) => secureParameters(region, names),
  sendScript: (request) => sendScript(region, request),
  listInvocations: (commandId) => listInvocations(region, commandId),
  probeSeat: (target) => probeSeat(target),
  cancelSpotRequests: (ids) => cancelSpotRequests(region, ids),
  terminateInstances: (ids) => terminateInstances(region, ids),
  seatAddresses: (request) => seatAddresses(region, request),
  randomBytes: (n) => new Uint8Array(randomBytes(n)),
});

/** One poll of a batch: boot → configure → readiness, for all its seats at once. */
export const handler = middy()
  .use(logged('advanceSeats'))
  .use(taskInput(Input))
  .handler(async ({ class: plan, batch }: z.infer<typeof Input>) =>
    advanceBatch(batch, seatActions(plan, batch.batchId, deps(plan))),
  );
