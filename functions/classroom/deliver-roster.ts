import { randomBytes } from 'node:crypto';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { classBatches, putSeats } from '../../layers/aws/dynamodb';
import { onceInClass } from '../../layers/aws/idempotency';
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
import { type ClassPlan, ClassPlanSchema } from '../../layers/core/classroom/plan/class-plan';
import { credentialName, pageKeyName } from '../../layers/core/classroom/plan/parameter-paths';
import { seatRecordsOf } from '../../layers/core/classroom/record/seat-records';
import { retireAt } from '../../layers/core/classroom/record/timeline';
import { countSeats } from '../../layers/core/classroom/roster';
import { batchRoster } from '../../layers/core/classroom/seats/batch-roster';
import { BatchStateSchema } from '../../layers/core/classroom/seats/lifecycle';
import { CostEstimateSchema } from '../../layers/core/cost/estimate';
import { now } from '../../layers/runtime/clock';
import { classStore, config, stackRegion } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const UNREADABLE = 'its password could not be read back from SSM: reset it before the class';
const Input = z.object({ class: ClassPlanSchema, estimate: CostEstimateSchema });

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
  return signPageLink(key, API_URL, plan.classId, pageLinkExpiry(now(), retireAt(plan)));
}

/**
 * Once the last seat settles: the seats go to the class store (what stops, starts and the
 * retirement act on), and the instructor gets the summary with the roster as CSV (and the
 * credentials of ready seats no student was emailed for, and the link to the class page), once.
 * The roster stays in the store.
 */
export const handler = middy()
  .use(logged('deliverRoster'))
  .use(taskInput(Input))
  .handler(async ({ class: plan, estimate }: z.infer<typeof Input>, context: Context) => {
    const store = classStore();
    const batches = z.array(BatchStateSchema).parse(await classBatches(store, plan.classId));
    await putSeats(
      store,
      plan.classId,
      batches.flatMap((b) => seatRecordsOf(b, plan)),
    );
    const seats = batches.flatMap((b) => {
      const problems = b.seats.flatMap((s) =>
        s.emailProblem ? [{ seatId: s.seatId, reason: s.emailProblem }] : [],
      );
      return withUndelivered(batchRoster(b, plan), problems).map((record) => ({ b, record }));
    });
    const handOut = new Set(handedOutByInstructor(seats.map((s) => s.record)));
    const names = seats
      .filter((s) => handOut.has(s.record))
      .map((s) => ({ ...s, name: credentialName(plan, s.b.batchId, s.record.seatId) }));
    const stored = names.length
      ? await secureParameters(
          stackRegion(),
          names.map((n) => n.name),
        )
      : new Map<string, string>();
    const credentials: SeatCredentialLine[] = [];
    const unreadable: { seatId: string; reason: string }[] = [];
    for (const { record, name } of names) {
      const credential = readCredential(stored.get(name));
      if (credential)
        credentials.push({ ...record, password: credential.password, token: credential.token });
      else unreadable.push({ seatId: record.seatId, reason: UNREADABLE });
    }
    const roster = withUndelivered(
      seats.map((s) => s.record),
      unreadable,
      { append: true },
    );
    const raw = rosterMessage(plan, roster, estimate, credentials, await classPageLink(plan));
    await onceInClass(
      store,
      plan.classId,
      context,
    )(`${plan.classId} roster`, () =>
      sendRawEmail(stackRegion(), { from: plan.sender, to: plan.instructor.email, raw }),
    );
    return { classId: plan.classId, counts: countSeats(roster), estimate };
  });
