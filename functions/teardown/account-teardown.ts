// The teardown of this stack's resources in the account, composed once for the two ways it runs:
// the nightly schedule (functions/teardown/nightly-teardown.ts) and POST /teardown's dry run
// (functions/api/teardown.ts).
import { getClass } from '../../layers/aws/dynamodb';
import { executionStatus } from '../../layers/aws/sfn';
import { listFleet, teardownPorts } from '../../layers/aws/teardown-fleet';
import { ConfigError, NotFoundError } from '../../layers/base/errors';
import { classesParameterPath } from '../../layers/core/classroom/plan/parameter-paths';
import { parseClassRecord } from '../../layers/core/classroom/record/class-record';
import { TAG } from '../../layers/core/tags';
import { SCHEDULE_PREFIX } from '../../layers/core/teardown/plan';
import { teardownFrom, teardownSettings } from '../../layers/core/teardown/run';
import { classStore, config } from '../../layers/runtime/config';

/** Lists what the account holds and removes what of this stack is due at `now` (a dry run: only says so). */
export async function teardownAccount(options: { now: Date; dryRun: boolean }) {
  const c = config();
  const machine = c.CLASSROOM_STATE_MACHINE_ARN;
  if (!machine) throw new ConfigError('no classroom state machine configured for the teardown');
  const fleet = await listFleet(c.AWS_REGION, {
    tags: { [TAG.stack]: c.STACK_NAME },
    credentialsPath: classesParameterPath(c.PARAMETER_PREFIX),
    schedulePrefix: SCHEDULE_PREFIX,
  });
  return teardownFrom({
    fleet,
    now: options.now,
    settings: teardownSettings(c),
    dryRun: options.dryRun,
    ports: teardownPorts(c.AWS_REGION),
    recordedState: (classId) =>
      getClass(classStore(), classId).then(
        (item) => parseClassRecord(item).state,
        (error) => (error instanceof NotFoundError ? undefined : Promise.reject(error)),
      ),
    executionStatus: (classId) => executionStatus(machine, classId),
  });
}
