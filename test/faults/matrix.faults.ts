/**
 * `npm run test:faults`: the whole fault matrix (see matrix.ts), its JSON summary printed and
 * written to .cache/faults/summary.json. FAULTS_SEEDS (e.g. `1,2,3`), FAULTS_SIZES (`5,23,60`),
 * FAULTS_PAIR_SEEDS (seeds per pair; 0: singles only), FAULTS_PAIR_SIZES (`5,12`), FAULTS_ONLY
 * (a regular expression over fault names) and FAULTS_SHARD (`i/n`: every n-th run from the i-th)
 * choose the runs. Every violation fails the test but those of the invariants FAULTS_REPORT_ONLY
 * names (e.g. `emailForDeadSeat`), which are only reported.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { matrix, runMatrix } from './matrix';

const list = (value: string | undefined, fallback: number[]) =>
  value ? value.split(',').map(Number) : fallback;

it('breaks no invariant under any fault, alone or in pairs', async () => {
  const seeds = list(process.env.FAULTS_SEEDS, [1, 2, 3]);
  const all = matrix({
    seeds,
    sizes: list(process.env.FAULTS_SIZES, [5, 12, 23, 60]),
    pairSizes: list(process.env.FAULTS_PAIR_SIZES, [5, 12]),
    pairSeeds: Number(process.env.FAULTS_PAIR_SEEDS ?? 1),
    only: process.env.FAULTS_ONLY ? new RegExp(process.env.FAULTS_ONLY) : undefined,
  });
  const [shard, shards] = (process.env.FAULTS_SHARD ?? '0/1').split('/').map(Number) as [
    number,
    number,
  ];
  const scenarios = all.filter((_, i) => i % shards === shard);
  const summary = await runMatrix(scenarios, (r, i) => {
    if (process.env.FAULTS_VERBOSE || r.violations.length)
      console.error(
        `${i + 1}/${scenarios.length} ${r.scenario} ${r.status} ${Math.round(r.wallMs)} ms ${r.violations.map((v) => v.invariant).join(' ')}${r.cause ? `\n  ${r.cause}` : ''}`,
      );
  });
  const text = JSON.stringify(summary, null, 2);
  mkdirSync('.cache/faults', { recursive: true });
  writeFileSync(`.cache/faults/summary-${shard}-of-${shards}.json`, text);
  console.log(text);
  const reportOnly = new Set((process.env.FAULTS_REPORT_ONLY ?? '').split(',').filter(Boolean));
  const failing = Object.entries(summary.byInvariant).filter(
    ([invariant, count]) => count > 0 && !reportOnly.has(invariant),
  );
  expect(failing, text).toEqual([]);
});
