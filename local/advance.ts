// `local advance DURATION`: how far to move the local stack's simulated time.
import { ValidationError } from '../layers/base/errors';

const DAY = 86_400_000;
const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: DAY };

/** `90m`, `1d`, `2h30m`, `45s` → milliseconds; anything else (or nothing, or over 366 days) is refused. */
export function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+)([smhd])/g)];
  const whole = parts.map((p) => p[0]).join('');
  const ms = parts.reduce((sum, [, n, unit]) => sum + Number(n) * (UNITS[unit ?? ''] ?? 0), 0);
  if (!parts.length || whole !== text || ms <= 0 || ms > 366 * DAY)
    throw new ValidationError(
      [
        {
          path: 'duration',
          message: `${JSON.stringify(text)} is not a duration like 90m, 1d or 2h30m (at most 366d)`,
        },
      ],
      'duration',
    );
  return ms;
}
