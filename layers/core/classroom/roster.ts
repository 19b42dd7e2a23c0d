// The roster: one line per seat, as a schema and as CSV safe to open in a spreadsheet.
import * as z from 'zod';
import { EmailAddressSchema, PersonNameSchema } from './request/contacts';

export const SeatStateSchema = z.enum(['ready', 'failed', 'unplaced']);
export type SeatState = z.infer<typeof SeatStateSchema>;

/**
 * One roster line. The roster travels by email and sits in spreadsheets, so it never carries a
 * password or token: the schema is strict and has no field for them.
 */
export const RosterRecordSchema = z
  .strictObject({
    seatId: z.string().regex(/^seat-\d{3,}$/),
    studentName: PersonNameSchema.nullable(),
    email: EmailAddressSchema.nullable(),
    url: z.url({ protocol: /^https?$/ }).nullable(),
    state: SeatStateSchema,
    reason: z.string().min(1).max(500).optional(),
  })
  .refine((record) => record.state === 'ready' || record.reason !== undefined, {
    path: ['reason'],
    message: 'must say why a seat is failed or unplaced',
  });
export type RosterRecord = z.infer<typeof RosterRecordSchema>;

const HEADER = ['seat', 'student', 'email', 'url', 'state', 'reason'];

/** Characters that make Excel, LibreOffice or Sheets read a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell as RFC 4180 wants it, defused so a name such as `=HYPERLINK(…)` stays text. */
export function csvField(value: string): string {
  const inert = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(inert) ? `"${inert.replaceAll('"', '""')}"` : inert;
}

/**
 * The roster as RFC 4180 CSV (CRLF after every line, header first). It starts with a UTF-8 byte
 * order mark unless `bom: false`, because Excel otherwise reads UTF-8 as a legacy code page and
 * turns `Zoë` into `ZoÃ«`.
 */
export function rosterCsv(records: readonly RosterRecord[], { bom = true } = {}): string {
  const rows = records.map((record) => [
    record.seatId,
    record.studentName ?? '',
    record.email ?? '',
    record.url ?? '',
    record.state,
    record.reason ?? '',
  ]);
  const lines = [HEADER, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`);
  return `${bom ? '\uFEFF' : ''}${lines.join('')}`;
}

export interface SeatCounts {
  total: number;
  ready: number;
  failed: number;
  unplaced: number;
}

export function countSeats(records: readonly RosterRecord[]): SeatCounts {
  const counts: SeatCounts = { total: records.length, ready: 0, failed: 0, unplaced: 0 };
  for (const record of records) counts[record.state] += 1;
  return counts;
}
