/** EventBridge Scheduler expressions: when a one-time `at(...)` fires, in its time zone. */

const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const RATE = /^rate\(\d+ (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/;

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds the zone's wall clock is ahead of UTC at `instant`. */
function offsetAt(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

export type ParsedExpression = { kind: 'at'; at: number } | { kind: 'recurring' };

/** The expression parsed, or undefined when Scheduler would reject it. */
export function parseExpression(expression: string, zone: string): ParsedExpression | undefined {
  const at = AT.exec(expression);
  if (at) {
    const [year, month, day, hour, minute, second] = at.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const wall = Date.UTC(year, month - 1, day, hour, minute, second);
    if (new Date(wall).getUTCDate() !== day || hour > 23 || minute > 59 || second > 59)
      return undefined;
    let utc = wall - offsetAt(wall, zone);
    const corrected = wall - offsetAt(utc, zone);
    if (corrected !== utc) utc = corrected;
    return { kind: 'at', at: utc };
  }
  return RATE.test(expression) || CRON.test(expression) ? { kind: 'recurring' } : undefined;
}
