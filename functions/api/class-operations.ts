/**
 * The composition every class operation shares (stop, start, extend, delete): read the class,
 * let the core decide, write the record at the version read (two operations cannot both win),
 * then cancel or move its schedules and start the step that carries the operation out — under a
 * name of its own, so a retry starts nothing twice. Answers the class status: 202 when a step
 * was started, 200 when there was nothing to do (a repeat) or it is done already.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod';
import { retagClassResources } from '../../layers/aws/class-tags';
import { classSeats, getClass, saveClass } from '../../layers/aws/dynamodb';
import { deleteSchedule, moveSchedule } from '../../layers/aws/scheduler';
import { startExecutionOnce } from '../../layers/aws/sfn';
import { ConfigError } from '../../layers/base/errors';
import { parseOrThrow } from '../../layers/base/validate';
import { classStatus } from '../../layers/core/api/class-status';
import { ClassIdParamsSchema, ExtendBodySchema, NoBodySchema } from '../../layers/core/api/schemas';
import { decideDelete } from '../../layers/core/classroom/operations/delete';
import { decideExtend } from '../../layers/core/classroom/operations/extend';
import type { Decision } from '../../layers/core/classroom/operations/operation';
import { decideStart, decideStop } from '../../layers/core/classroom/operations/stop-start';
import {
  type ClassRecord,
  parseClassRecord,
  parseSeatRecords,
} from '../../layers/core/classroom/record/class-record';
import { atExpression } from '../../layers/core/classroom/request/schedule';
import { now } from '../../layers/runtime/clock';
import { classStore, config, stackRegion } from '../../layers/runtime/config';
import { httpApi, Reply } from '../../layers/runtime/middleware';

/** JSON bodies; an empty body reads as `{}` (stop, start and delete need none). */
const OPTIONAL_JSON = {
  'application/json': (text: string) => (text.trim() ? JSON.parse(text) : {}),
};

export function classOperation<S extends z.ZodType>(
  body: S,
  decide: (record: ClassRecord, at: Date, body: z.infer<S>) => Decision,
) {
  return middy()
    .use(httpApi((parsed) => parseOrThrow(body, parsed, 'body'), OPTIONAL_JSON))
    .handler(async (event: APIGatewayProxyEventV2) => {
      const { id } = parseOrThrow(ClassIdParamsSchema, event.pathParameters ?? {}, 'path');
      const store = classStore();
      const read = parseClassRecord(await getClass(store, id));
      const decision = decide(read, now(), parseOrThrow(body, event.body, 'body'));
      const record = decision.record === read ? read : await saveClass(store, decision.record);
      await carryOut(record, decision);
      const seats = parseSeatRecords(await classSeats(store, id));
      return new Reply(decision.execution ? 202 : 200, classStatus(record, seats, now()));
    });
}

async function carryOut(record: ClassRecord, decision: Decision): Promise<void> {
  const { CLASSROOM_STATE_MACHINE_ARN, SCHEDULER_ROLE_ARN } = config();
  // The class's schedules are the stack's, in its own region; its resources are in the class's.
  for (const name of decision.cancel) await deleteSchedule(stackRegion(), name);
  if (decision.move && !CLASSROOM_STATE_MACHINE_ARN)
    throw new ConfigError('no classroom state machine configured');
  if (decision.move)
    await moveSchedule(stackRegion(), {
      name: decision.move.name,
      atExpression: atExpression(decision.move.at),
      stateMachineArn: CLASSROOM_STATE_MACHINE_ARN as string,
      input: decision.move.input,
      roleArn: SCHEDULER_ROLE_ARN,
      description: decision.move.description,
    });
  if (decision.retag)
    await retagClassResources(record.plan.region, decision.retag.classTags, decision.retag.tags);
  if (decision.execution)
    await startExecutionOnce(
      CLASSROOM_STATE_MACHINE_ARN,
      decision.execution.name,
      decision.execution.input,
    );
}

/**
 * POST /classrooms/{id}/stop — stop the seats now (the stop step, started at once); the session
 * stays stopped until its end, when its own stop comes. 404 unknown class, 409 a class with no
 * seat to stop, 200 one already stopped.
 */
export const stopClass = classOperation(NoBodySchema, (record, at) => decideStop(record, at));

/**
 * POST /classrooms/{id}/start — start the seats now: a stopped session again, the next session
 * early, or a scheduled class's seating (the schedule it replaces cancelled). 404 unknown class,
 * 409 a class that cannot start, 200 one already running.
 */
export const startClass = classOperation(NoBodySchema, (record, at) => decideStart(record, at));

/**
 * POST /classrooms/{id}/extend `{ "end": ISO }` — the current session (the class, when it is the
 * last) ends then; its stop schedule moves there. 200 with the class status; 400 naming `end`,
 * 404 unknown class, 409 a class with no session to extend, or an end earlier than today's.
 */
export const extendClass = classOperation(ExtendBodySchema, (record, at, body) =>
  decideExtend(record, at, new Date(body.end)),
);

/**
 * DELETE /classrooms/{id} — the class is deleted now, and its retirement step terminates its
 * seats, cancels their spot requests and deletes credentials, schedules, Elastic IPs and its
 * security group. 404 unknown class, 409 a class being seated, 200 one already deleted.
 */
export const deleteClass = classOperation(NoBodySchema, (record, at) => decideDelete(record, at));
