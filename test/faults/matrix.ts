/**
 * The fault suite's matrix: each fault alone over several seeds and class sizes, and every pair
 * of faults of one machine, and the summary it prints.
 */
import { ALL_FAULTS, combine, type Fault } from './catalogue';
import { INVARIANTS, type Invariant } from './invariants';
import { describeScenario, runScenario, type Scenario, type ScenarioResult } from './scenario';

export interface MatrixOptions {
  seeds: number[];
  /** Class sizes, taken in turn by the runs of each fault. */
  sizes: number[];
  /** Class sizes, taken in turn by the runs of each pair. */
  pairSizes: number[];
  /** Seeds each pair runs with, taken in turn from `seeds` (pair k starts at the k-th); 0: no pairs. */
  pairSeeds: number;
  /** Only faults whose name matches. */
  only?: RegExp;
}

export function matrix({ seeds, sizes, pairSizes, pairSeeds, only }: MatrixOptions): Scenario[] {
  const chosen = ALL_FAULTS.filter((f) => !only || only.test(f.name));
  const scenarios: Scenario[] = [];
  let turn = 0;
  const size = () => sizes[turn++ % sizes.length] as number;
  for (const fault of chosen)
    for (const seed of seeds) scenarios.push({ fault, seed, seats: size() });
  const pairs: Fault[] = [];
  for (const [i, a] of chosen.entries())
    for (const b of chosen.slice(i + 1))
      if (a.machine === b.machine && !(a.abortAt && b.abortAt)) pairs.push(combine(a, b));
  turn = 0;
  for (const [k, fault] of pairs.entries())
    for (let j = 0; j < Math.min(pairSeeds, seeds.length); j++)
      scenarios.push({
        fault,
        seed: seeds[(k + j) % seeds.length] as number,
        seats: pairSizes[turn++ % pairSizes.length] as number,
      });
  return scenarios;
}

export interface Summary {
  runs: number;
  faults: number;
  violations: number;
  byInvariant: Record<Invariant, number>;
  byFamily: { launch: number; email: number };
  runsWithViolations: { launch: number; email: number };
  statuses: Record<string, number>;
  wallSeconds: number;
  /** The first few runs that broke an invariant, to replay (`FAULTS_ONLY`, seed, seats). */
  firstViolations: { scenario: string; status: string; cause?: string; violations: string[] }[];
}

export async function runMatrix(
  scenarios: Scenario[],
  onResult?: (result: ScenarioResult, index: number) => void,
): Promise<Summary> {
  const started = performance.now();
  const byInvariant = Object.fromEntries(Object.keys(INVARIANTS).map((k) => [k, 0])) as Record<
    Invariant,
    number
  >;
  const byFamily = { launch: 0, email: 0 };
  const runsWithViolations = { launch: 0, email: 0 };
  const statuses: Record<string, number> = {};
  const firstViolations: Summary['firstViolations'] = [];
  for (const [index, scenario] of scenarios.entries()) {
    const result = await runScenario(scenario).catch(
      (error: Error): ScenarioResult => ({
        scenario: describeScenario(scenario),
        status: 'FAILED',
        cause: `${error.name}: ${error.message}`.slice(0, 300),
        violations: [{ invariant: 'causeWithoutStep', detail: `the run threw ${error.name}` }],
        wallMs: 0,
      }),
    );
    onResult?.(result, index);
    statuses[result.status] = (statuses[result.status] ?? 0) + 1;
    const families = new Set<'launch' | 'email'>();
    for (const v of result.violations) {
      byInvariant[v.invariant] += 1;
      byFamily[INVARIANTS[v.invariant]] += 1;
      families.add(INVARIANTS[v.invariant]);
    }
    for (const family of families) runsWithViolations[family] += 1;
    if (result.violations.length && firstViolations.length < 12)
      firstViolations.push({
        scenario: result.scenario,
        status: result.status,
        cause: result.cause,
        violations: result.violations.slice(0, 5).map((v) => `${v.invariant}: ${v.detail}`),
      });
  }
  return {
    runs: scenarios.length,
    faults: new Set(scenarios.flatMap((s) => s.fault.name.split(' + '))).size,
    violations: byFamily.launch + byFamily.email,
    byInvariant,
    byFamily,
    runsWithViolations,
    statuses,
    wallSeconds: Math.round((performance.now() - started) / 100) / 10,
    firstViolations,
  };
}
