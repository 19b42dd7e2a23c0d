// The class schedule: local times in a named time zone, as instants and as Scheduler expressions.
/**
 * Wall-clock times in a named time zone, turned into instants without a date library: the offset
 * of a zone at an instant comes from `Intl.DateTimeFormat`, which carries the IANA database.
 */

import * as z from 'zod';

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const DAY_MS = 24 * 3_600_000;
/** The longest a class may span, from its first start to its last end. */
export const MAX_CLASS_MS = 14 * DAY_MS;

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** `2026-03-08T02:30` → its fields, or null when it is not a real calendar date and time. */
export function parseLocalDateTime(text: string): LocalDateTime | null {
  const match = LOCAL_DATE_TIME.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute));
  const sameFields =
    probe.getUTCFullYear() === year &&
    probe.getUTCMonth() === month - 1 &&
    probe.getUTCDate() === day &&
    probe.getUTCHours() === hour &&
    probe.getUTCMinutes() === minute;
  return sameFields ? { year, month, day, hour, minute } : null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True for names the runtime's IANA database knows (`Europe/Berlin`, `UTC`), not for offsets. */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const wallAsUtc = Date.UTC(
    fields.year ?? 0,
    (fields.month ?? 1) - 1,
    fields.day ?? 1,
    fields.hour ?? 0,
    fields.minute ?? 0,
    fields.second ?? 0,
  );
  return wallAsUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

/**
 * The instant at which the wall clock of `timeZone` shows `localDateTime` (`YYYY-MM-DDTHH:mm`).
 *
 * Around a DST change it resolves like Temporal's `compatible` disambiguation: a time repeated in
 * the autumn means its first occurrence, and a time skipped in the spring means the same
 * distance after the gap (02:30 on a spring-forward night becomes 03:30).
 */
export function toUtc(localDateTime: string, timeZone: string): Date {
  const local = parseLocalDateTime(localDateTime);
  if (!local) throw new RangeError(`not a local date-time (YYYY-MM-DDTHH:mm): ${localDateTime}`);
  if (!isTimeZone(timeZone)) throw new RangeError(`unknown time zone: ${timeZone}`);
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const offsetBefore = offsetAt(wall - DAY_MS, timeZone);
  const offsetAfter = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [wall - offsetBefore, wall - offsetAfter]
    .filter((instant) => instant + offsetAt(instant, timeZone) === wall)
    .sort((a, b) => a - b);
  return new Date(candidates[0] ?? wall - offsetBefore);
}

/** The wall-clock time (`YYYY-MM-DDTHH:mm`) that `timeZone` shows at `instant`. */
export function toLocal(instant: Date, timeZone: string): string {
  const shifted = new Date(instant.getTime() + offsetAt(instant.getTime(), timeZone));
  return shifted.toISOString().slice(0, 16);
}

/** EventBridge Scheduler one-time expression for `date`, to be used with the UTC time zone. */
export function atExpression(date: Date): string {
  return `at(${date.toISOString().slice(0, 19)})`;
}

const LocalDateTimeSchema = z
  .string()
  .refine(
    (text) => parseLocalDateTime(text) !== null,
    'must be a local date-time YYYY-MM-DDTHH:mm',
  );

function endProblem(startsAt: number, endsAt: number, now?: Date): string | undefined {
  if (endsAt <= startsAt) return 'must be after start';
  if (endsAt - startsAt > MAX_CLASS_MS) return 'must be at most 14 days after start';
  if (now && endsAt <= now.getTime())
    return `must be in the future (it is now ${now.toISOString()})`;
  return undefined;
}

/** Start and end are wall-clock times where the class happens; `startsAt`/`endsAt` are UTC. */
export function scheduleSchema(now?: Date) {
  return z
    .strictObject({
      start: LocalDateTimeSchema,
      end: LocalDateTimeSchema,
      timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin'),
    })
    .transform((schedule, ctx) => {
      const startsAt = toUtc(schedule.start, schedule.timezone).getTime();
      const endsAt = toUtc(schedule.end, schedule.timezone).getTime();
      const problem = endProblem(startsAt, endsAt, now);
      if (problem) {
        ctx.addIssue({ code: 'custom', path: ['end'], message: problem });
        return z.NEVER;
      }
      return {
        ...schedule,
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(endsAt).toISOString(),
      };
    });
}
export const ScheduleSchema = scheduleSchema();
export type Schedule = z.infer<typeof ScheduleSchema>;

const DEFAULT_LEAD_MINUTES = 20;
const DEFAULT_RETAIN_DAYS = 7;

/** How the request gives its sessions: `sessions` + `timezone`, or one `schedule`. */
export const SessionTimesSchema = z.strictObject({
  start: LocalDateTimeSchema,
  end: LocalDateTimeSchema,
});

export const LeadMinutesSchema = z.number().int().min(0).max(240).default(DEFAULT_LEAD_MINUTES);
/** The idle time after which a seat stops itself: Jupyter checks once a minute. */
export const IdleMinutesSchema = z.number().int().min(1).max(1440);

export const RetainDaysSchema = z.number().int().min(0).max(90).default(DEFAULT_RETAIN_DAYS);

export const SessionSchema = z.object({
  start: z.string(),
  end: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
});
export type Session = z.infer<typeof SessionSchema>;

/**
 * One or more sessions in one time zone, each turned into instants; they must not overlap and
 * must come in order, and the whole class spans at most 14 days.
 */
export function sessionsOf(
  times: { start: string; end: string }[],
  timezone: string,
  now: Date | undefined,
  ctx: z.core.$RefinementCtx<unknown>,
  path: (string | number)[],
): Session[] | undefined {
  const sessions = times.map((t) => ({
    ...t,
    startsAt: toUtc(t.start, timezone).toISOString(),
    endsAt: toUtc(t.end, timezone).toISOString(),
  }));
  let ok = true;
  sessions.forEach((s, i) => {
    const startsAt = Date.parse(s.startsAt);
    const endsAt = Date.parse(s.endsAt);
    const previous = sessions[i - 1];
    const problem =
      endsAt <= startsAt
        ? 'must be after start'
        : previous && startsAt < Date.parse(previous.endsAt)
          ? 'must start after the previous session ends'
          : undefined;
    if (problem) {
      ok = false;
      ctx.addIssue({
        code: 'custom',
        path: [...path, i, problem.startsWith('must start') ? 'start' : 'end'],
        message: problem,
      });
    }
  });
  const first = sessions[0];
  const last = sessions.at(-1);
  if (ok && first && last) {
    const problem = endProblem(Date.parse(first.startsAt), Date.parse(last.endsAt), now);
    if (problem) {
      ok = false;
      ctx.addIssue({
        code: 'custom',
        path: [...path, sessions.length - 1, 'end'],
        message: problem,
      });
    }
  }
  return ok ? sessions : undefined;
}
