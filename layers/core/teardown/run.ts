// One teardown from a listed fleet: ask each class's status, plan, apply (or not, in a dry run)
// and report. The handler lists the fleet and passes the adapters in.
import { classParameterPath } from '../classroom/plan/parameter-paths';
import type { ClassState } from '../classroom/record/class-record';
import { applyTeardown, type TeardownPorts } from './apply';
import {
  type ClassStatus,
  type ClassStatusOf,
  type ExecutionStatus,
  executionClassStatus,
  recordedClassStatus,
} from './class-status';
import type { Fleet } from './fleet';
import { classesIn, latestExpiry, planTeardown, type TeardownSettings } from './plan';
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

/**
 * The teardown with each class's status read from its record and, for a class the store does not
 * know, from the classroom execution named after it (the nightly function and POST /teardown).
 */
export function teardownFrom(input: {
  fleet: Fleet;
  now: Date;
  settings: TeardownSettings;
  dryRun: boolean;
  ports: TeardownPorts;
  recordedState: (classId: string) => Promise<ClassState | undefined>;
  executionStatus: (classId: string) => Promise<ExecutionStatus | undefined>;
}): Promise<TeardownReport> {
  const expiry = latestExpiry(input.fleet, input.settings);
  const execution = executionClassStatus(input.executionStatus, expiry, input.now);
  const classStatus = recordedClassStatus(input.recordedState, execution, expiry, input.now);
  return runTeardown({ ...input, classStatus });
}

/** The teardown's settings from the functions' configuration. */
export const teardownSettings = (c: {
  STACK_NAME: string;
  AWS_REGION: string;
  PARAMETER_PREFIX: string;
  SCHEDULER_ROLE_ARN: string;
  TEARDOWN_KEEP_IMAGES: number;
  TEARDOWN_IMAGE_RETENTION_DAYS: number;
}): TeardownSettings => ({
  stackName: c.STACK_NAME,
  region: c.AWS_REGION,
  parameterPrefix: c.PARAMETER_PREFIX,
  schedulerRoleArn: c.SCHEDULER_ROLE_ARN,
  keepImagesPerRecipe: c.TEARDOWN_KEEP_IMAGES,
  imageRetentionDays: c.TEARDOWN_IMAGE_RETENTION_DAYS,
});
