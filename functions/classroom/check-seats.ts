import middy from '@middy/core';
import * as z from 'zod';
import { classSeats, putSeats } from '../../layers/aws/dynamodb';
import { describeInstances } from '../../layers/aws/ec2';
import { probeSeat } from '../../layers/aws/seat-probe';
import { secureParameters } from '../../layers/aws/ssm';
import { readCredential } from '../../layers/core/classroom/credentials';
import { ClassPlanSchema } from '../../layers/core/classroom/plan/class-plan';
import { credentialName } from '../../layers/core/classroom/plan/parameter-paths';
import { parseSeatRecords } from '../../layers/core/classroom/record/class-record';
import {
  afterChecks,
  RESTART_POLL_LIMIT,
  relinkedRoster,
  seatsToProbe,
  waitingSeats,
} from '../../layers/core/classroom/record/restart';
import { classStore, stackRegion } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ class: ClassPlanSchema, rounds: z.number().int().nonnegative() });

/**
 * One check of the seats started for a session: each running seat is asked over HTTP, with its
 * own credentials, whether it answers. Ready seats get their (maybe new) link; the seats whose
 * link changed come back grouped by batch, to be emailed again.
 */
export const handler = middy()
  .use(logged('checkSeats'))
  .use(taskInput(Input))
  .handler(async ({ class: plan, rounds }: z.infer<typeof Input>) => {
    const store = classStore();
    const seats = parseSeatRecords(await classSeats(store, plan.classId));
    const waiting = waitingSeats(seats);
    const instances = await describeInstances(
      plan.region,
      waiting.map((s) => s.instanceId),
    );
    const targets = seatsToProbe(seats, instances, plan);
    const names = targets.map(({ seat }) => credentialName(plan, seat.batchId, seat.seatId));
    const stored = names.length ? await secureParameters(stackRegion(), names) : new Map();
    const checks = new Map<string, { url: string; ready: boolean; reason?: string }>();
    for (const [i, { seat, url }] of targets.entries()) {
      const credential = readCredential(stored.get(names[i] as string));
      const result = credential
        ? await probeSeat({ url, password: credential.password, token: credential.token })
        : { ready: false as const, reason: 'no credential stored for this seat' };
      checks.set(seat.seatId, { url, ...result });
    }
    const next = afterChecks(seats, checks, rounds + 1 >= RESTART_POLL_LIMIT);
    const changed = next.seats.filter((seat, i) => seat !== seats[i]);
    if (changed.length) await putSeats(store, plan.classId, changed);
    return {
      class: plan,
      rounds: rounds + 1,
      settled: next.settled,
      relinked: relinkedRoster(next.relinked),
    };
  });
