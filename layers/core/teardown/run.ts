// One teardown from a listed fleet: ask each class's status, plan, apply (or not, in a dry run)
// and report. The handler lists the fleet and passes the adapters in.
import { classParameterPath } from '../classroom/plan/parameter-paths';
import { applyTeardown, type TeardownPorts } from './apply';
import type { ClassStatus, ClassStatusOf } from './class-status';
import type { Fleet } from './fleet';
import { classesIn, planTeardown, type TeardownSettings } from './plan';
import { type TeardownReport, teardownReport } from './report';

/** Status look-ups in flight at once (DescribeExecution has its own request rate). */
const LOOKUPS_AT_ONCE = 5;

export async function runTeardown(input: {
  fleet: Fleet;
  now: Date;
  classStatus: ClassStatusOf;
  settings: TeardownSettings;
  dryRun: boolean;
  ports: TeardownPorts;
}): Promise<TeardownReport> {
  const { fleet, now, settings, dryRun } = input;
  const statuses = new Map<string, ClassStatus>();
  const unresolved: { kind: 'delete-parameters'; id: string; reason: string; error: string }[] = [];
  const classes = classesIn(fleet, settings);
  for (let i = 0; i < classes.length; i += LOOKUPS_AT_ONCE) {
    await Promise.all(
      classes.slice(i, i + LOOKUPS_AT_ONCE).map(async (classId) => {
        try {
          statuses.set(classId, await input.classStatus(classId));
        } catch (error) {
          unresolved.push({
            kind: 'delete-parameters',
            id: classParameterPath(settings.parameterPrefix, classId),
            reason: `status of class ${classId} unknown: its credentials and group are kept`,
            error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          });
        }
      }),
    );
  }
  const actions = planTeardown(fleet, now, statuses, settings);
  const outcomes = await applyTeardown(actions, input.ports, dryRun);
  return teardownReport(outcomes, { stackName: settings.stackName, now, dryRun, unresolved });
}
