import middy from '@middy/core';
import * as z from 'zod';
import { classSeats, getClass, putSeats, saveClass } from '../../layers/aws/dynamodb';
import { stopEach } from '../../layers/aws/ec2-power';
import {
  parseClassRecord,
  parseSeatRecords,
} from '../../layers/core/classroom/record/class-record';
import { afterStop, seatsWithInstances } from '../../layers/core/classroom/record/seat-records';
import { keepsRunning, stopsEarly } from '../../layers/core/classroom/record/steps';
import { isLastSession } from '../../layers/core/classroom/record/timeline';
import { moved } from '../../layers/core/classroom/record/transitions';
import { budgetNote } from '../../layers/core/cost/budget-watch';
import { now } from '../../layers/runtime/clock';
import { classStore } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  classId: z.string().min(1),
  /** `budget`: the budget stop (recorded on the class first) stops the seats whatever comes next. */
  reason: z.literal('budget').optional(),
  /** The session a scheduled stop ends (its schedule's input); absent after a failed start. */
  session: z.number().int().nonnegative().optional(),
});

/**
 * The end of a session: every seat's instance is stopped — one refusal never leaves the others
 * running — and each one EC2 refused is recorded on its seat with the reason. The class is then
 * stopped until its next session, or ended after its last. Before a break shorter than the
 * lead time nothing is stopped: the class goes on into the next session. A stop before the
 * session's end of a ready class (stop now) leaves it stopped within its session, never ended:
 * the stop at the session's end still comes. A budget stop stops the seats even before such a
 * break, and its history entry (step `budget`) says at what spend against which budget. A
 * scheduled stop that finds its session still seating stops nothing: the seating schedules the
 * stop again once its seats are ready, and one that was aborted is the teardown's.
 */
export const handler = middy()
  .use(logged('stopSeats'))
  .use(taskInput(Input))
  .handler(async ({ classId, reason, session }: z.infer<typeof Input>) => {
    const store = classStore();
    const record = parseClassRecord(await getClass(store, classId));
    const at = now();
    if (record.state === 'seating' && session === record.session)
      return { state: record.state, stopped: 0, refused: [] };
    // Only a ready class is stopped early (stop now, the budget); a start that failed is not.
    const early = record.state === 'ready' && stopsEarly(record.plan, record.session, at);
    const budget = reason === 'budget' ? record.budgetStop : undefined;
    if (
      !budget &&
      record.state === 'ready' &&
      !early &&
      keepsRunning(record.plan, record.session, at)
    ) {
      const session = record.session + 1;
      const note = `kept running into session ${session + 1}: it starts within the lead time`;
      const history = [
        ...record.history,
        { at: at.toISOString(), from: 'ready' as const, to: 'ready' as const, step: 'stop', note },
      ];
      await saveClass(store, {
        ...record,
        session,
        history,
        updatedAt: at.toISOString(),
        next: null,
      });
      return { state: 'ready', stopped: 0, refused: [] };
    }
    const seats = parseSeatRecords(await classSeats(store, classId));
    const { region } = record.plan;
    const outcome = await stopEach(
      region,
      seatsWithInstances(seats).map((s) => s.instanceId),
    );
    await putSeats(store, classId, afterStop(seats, outcome.refused));
    const to = isLastSession(record.plan, record.session) && !early ? 'ended' : 'stopped';
    const refused = [...outcome.refused].map(([instanceId, reason]) => ({ instanceId, reason }));
    const notes = [
      budget ? budgetNote(budget) : '',
      refused.length
        ? `${refused.length} seat(s) could not be stopped: ${refused.map((r) => r.instanceId).join(', ')}`
        : '',
    ].filter(Boolean);
    const note = notes.length ? notes.join('; ') : undefined;
    // A retry whose first attempt already moved the class finds it there.
    if (record.state !== to)
      await saveClass(store, {
        ...moved(record, to, { at, step: budget ? 'budget' : 'stop', note }),
        next: null,
      });
    return { state: to, stopped: outcome.done.length, refused };
  });
