/**
 * `npm run bench:bill`: the estimate of a 40-seat class of three 3-hour sessions kept 7 days,
 * against the bill of what the simulated AWS ran for it (bench/bill.ts), as JSON on stdout; the
 * same seed gives the same bytes. `--seats N`, `--seed S` change the class, `--tls acme` gives
 * every seat its HTTPS Elastic IP (default `none`); `--out FILE` also writes the JSON there.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { billClass } from './bill';

const { values } = parseArgs({
  options: {
    seats: { type: 'string', default: '40' },
    seed: { type: 'string', default: '7' },
    tls: { type: 'string', default: 'none' },
    out: { type: 'string' },
  },
});
const started = Date.now();
if (values.tls !== 'none' && values.tls !== 'acme') {
  console.error(`bench:bill: --tls is acme or none, not ${values.tls}`);
  process.exit(2);
}
const billed = await billClass({
  seats: Number(values.seats),
  seed: Number(values.seed),
  tls: values.tls,
});
const json = JSON.stringify(billed, null, 2);
console.log(json);
if (values.out) writeFileSync(values.out, `${json}\n`);
console.error(
  `bench:bill: ${billed.seats} seats in ${(Date.now() - started) / 1000} s of wall time`,
);
