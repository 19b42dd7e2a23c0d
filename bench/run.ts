/**
 * `npm run bench`: classrooms of 40, 200 and 1000 seats (or the sizes given) on the simulated
 * AWS, on the exact clock. Prints one JSON object per size on stdout, the same bytes for the
 * same seed; wall times go to stderr.
 *
 *   npm run bench -- 200 1000 --seed 7 --ses-rate 1 --tls none --long-names --record requests.jsonl
 */
import { parseArgs } from 'node:util';
import { Recorder } from '../local/record';
import { benchClassroom, DEFAULT_SETTINGS } from './scenarios';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    /** Seed of every draw: latencies, ids, jitter. */
    seed: { type: 'string', default: String(DEFAULT_SETTINGS.seed) },
    /** The account's SES rate per second: 14 (production, default) or 1 (sandbox). */
    'ses-rate': { type: 'string', default: String(DEFAULT_SETTINGS.sesRate) },
    /** The seats' TLS: acme (HTTPS with an Elastic IP each, default) or none (plain HTTP). */
    tls: { type: 'string', default: DEFAULT_SETTINGS.tls },
    /** Students with 100-character names and long addresses (the payload limits' case). */
    'long-names': { type: 'boolean', default: false },
    /** Write every AWS request the functions send to this file, one JSON line each. */
    record: { type: 'string' },
  },
});
const seatCounts = positionals.map(Number).filter(Boolean);
const sizes = seatCounts.length ? seatCounts : [40, 200, 1000];
const recorder = values.record ? new Recorder().toFile(values.record) : undefined;
if (values.tls !== 'acme' && values.tls !== 'none') throw new Error('--tls is acme or none');
const settings = {
  seed: Number(values.seed),
  sesRate: Number(values['ses-rate']),
  tls: values.tls,
  longNames: values['long-names'],
  recorder,
} as const;

for (const seats of sizes) {
  const { figures, wallSeconds } = await benchClassroom(seats, settings);
  console.log(JSON.stringify(figures, null, 2));
  console.error(`bench: ${seats} seats in ${wallSeconds} s of wall time`);
}
