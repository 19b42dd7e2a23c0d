import { randomBytes } from 'node:crypto';
import middy from '@middy/core';
import { z } from 'zod';
import { sendRawEmail } from '../../layers/aws/ses';
import { ensureSecureParameter, secureParameters } from '../../layers/aws/ssm';
import {
  newPageKey,
  type PageLink,
  pageLinkExpiry,
  signPageLink,
} from '../../layers/core/api/page/page-link';
import { readCredential } from '../../layers/core/classroom/credentials';
import {
  handedOutByInstructor,
  rosterMessage,
  type SeatCredentialLine,
  withUndelivered,
} from '../../layers/core/classroom/messages/delivery';
import type { ClassPlan } from '../../layers/core/classroom/plan/class-plan';
import { ClassPlanSchema } from '../../layers/core/classroom/plan/class-plan';
import { credentialName, pageKeyName } from '../../layers/core/classroom/plan/parameter-paths';
import { retireAt } from '../../layers/core/classroom/record/timeline';
import { countSeats, RosterRecordSchema } from '../../layers/core/classroom/roster';
import { CostEstimateSchema } from '../../layers/core/cost/estimate';
import { now } from '../../layers/runtime/clock';
import { config } from '../../layers/runtime/config';
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

/** The class page's signed link, when the deployment knows its API's address. */
async function classPageLink(plan: ClassPlan): Promise<PageLink | undefined> {
  const { API_URL, AWS_REGION, PARAMETER_PREFIX } = config();
  if (!API_URL) return undefined;
  const key = await ensureSecureParameter(
    AWS_REGION,
    pageKeyName(PARAMETER_PREFIX),
    () => newPageKey(randomBytes),
    'Signs the links to class pages',
  );
  const at = now();
  return signPageLink(key, API_URL, plan.classId, pageLinkExpiry(at, retireAt(plan)));
}

/**
 * The instructor's roster: a summary email with the CSV attached (and the credentials of ready
 * seats no student was emailed for) and the link to the class page, and the execution's output.
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
    const raw = rosterMessage(plan, roster, estimate, credentials, await classPageLink(plan));
    await sendRawEmail(plan.region, { from: plan.sender, to: plan.instructor.email, raw });
    return { classId: plan.classId, counts: countSeats(roster), estimate, roster };
  });
