// What the class page shows, from the class's records, and the buttons the route table gives it.
import type { ClassRecord, SeatRecord } from '../../classroom/record/class-record';
import { classStatus } from '../class-status';
import type { Route } from '../routes';
import { type PageAction, PageActionSchema, type PageStatus } from '../schemas';

/** The page's actions: each POST page route, named by its last path segment. */
export function pageActions(routes: readonly Route[]): PageAction[] {
  return routes
    .filter((route) => route.auth === 'page' && route.method === 'POST')
    .flatMap((route) => {
      const action = PageActionSchema.safeParse(route.path.split('/').at(-1));
      return action.success ? [action.data] : [];
    });
}

export function pageStatus(
  record: ClassRecord,
  seats: SeatRecord[],
  now: Date,
  actions: PageAction[],
): PageStatus {
  return {
    class: classStatus(record, seats, now),
    emailed: seats
      .filter((seat) => seat.url !== null && seat.emailedUrl === seat.url)
      .map((seat) => seat.seatId)
      .sort(),
    timezone: record.plan.schedule.timezone,
    schedule: record.plan.sessions.map(({ start, end }) => ({ start, end })),
    next: record.next ? { step: record.next.step, at: record.next.at } : null,
    actions,
  };
}
