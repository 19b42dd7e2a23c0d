import middy from '@middy/core';
import * as z from 'zod';
import { sendRawEmail } from '../../layers/aws/ses';
import { secureParameters } from '../../layers/aws/ssm';
import { readCredential } from '../../layers/core/classroom/credentials';
import {
  handedOutByInstructor,
  rosterMessage,
  type SeatCredentialLine,
  withUndelivered,
} from '../../layers/core/classroom/messages/delivery';
import { ClassPlanSchema } from '../../layers/core/classroom/plan/class-plan';
import { credentialName } from '../../layers/core/classroom/plan/parameter-paths';
import { countSeats, RosterRecordSchema } from '../../layers/core/classroom/roster';
import { CostEstimateSchema } from '../../layers/core/cost/estimate';
import { logged, taskInput } from '../../layers/runtime/middleware';

const UNREADABLE = 'its password could not be read back from SSM: reset it before the class';
const pick = ({ password, token }: { password: string; token: string }) => ({ password, token });

const Input = z.object({
  class: ClassPlanSchema,
  batches: z.array(z.object({ batchId: z.string(), roster: z.array(RosterRecordSchema) })),
  emailed: z.array(
    z.object({ problems: z.array(z.object({ seatId: z.string(), reason: z.string() })) }),
  ),
  estimate: CostEstimateSchema,
});

/**
 * The instructor's roster: a summary email with the CSV attached (and the credentials of ready
 * seats no student was emailed for), and the execution's output.
 */
export const handler = middy()
  .use(logged('deliverRoster'))
  .use(taskInput(Input))
  .handler(async ({ class: plan, batches, emailed, estimate }: z.infer<typeof Input>) => {
    const problems = emailed.flatMap((e) => e.problems);
    const seats = batches.flatMap((b) =>
      withUndelivered(b.roster, problems).map((record) => ({ batchId: b.batchId, record })),
    );
    const delivered = seats.map((s) => s.record);
    const handOut = new Set(handedOutByInstructor(delivered));
    const names = seats
      .filter((s) => handOut.has(s.record))
      .map((s) => ({ ...s, name: credentialName(plan, s.batchId, s.record.seatId) }));
    const stored = names.length
      ? await secureParameters(
          plan.region,
          names.map((n) => n.name),
        )
      : new Map<string, string>();
    const credentials: SeatCredentialLine[] = [];
    const unreadable = new Set<string>();
    for (const { record, name } of names) {
      const credential = readCredential(stored.get(name));
      if (credential) credentials.push({ ...record, ...pick(credential) });
      else unreadable.add(record.seatId);
    }
    const roster = withUndelivered(
      delivered,
      [...unreadable].map((seatId) => ({ seatId, reason: UNREADABLE })),
      { append: true },
    );
    const raw = rosterMessage(plan, roster, estimate, credentials);
    await sendRawEmail(plan.region, { from: plan.sender, to: plan.instructor.email, raw });
    return { classId: plan.classId, counts: countSeats(roster), estimate, roster };
  });
