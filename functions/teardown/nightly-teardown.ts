import middy from '@middy/core';
import * as z from 'zod';
import { getClass } from '../../layers/aws/dynamodb';
import { sendEmail } from '../../layers/aws/ses';
import { executionStatus } from '../../layers/aws/sfn';
import { listFleet, teardownPorts } from '../../layers/aws/teardown-fleet';
import { ConfigError, NotFoundError } from '../../layers/base/errors';
import { classesParameterPath } from '../../layers/core/classroom/plan/parameter-paths';
import { parseClassRecord } from '../../layers/core/classroom/record/class-record';
import { TAG } from '../../layers/core/tags';
import { executionClassStatus, recordedClassStatus } from '../../layers/core/teardown/class-status';
import { latestExpiry, SCHEDULE_PREFIX } from '../../layers/core/teardown/plan';
import { reportEmail } from '../../layers/core/teardown/report';
import { runTeardown } from '../../layers/core/teardown/run';
import { classStore, config } from '../../layers/runtime/config';
import { logger } from '../../layers/runtime/logger';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({
  dryRun: z.boolean().default(false),
  /** The time to judge expiry by (the schedule passes its scheduled time); default: now. */
  now: z.iso.datetime({ offset: true }).optional(),
});

/**
 * The nightly teardown: lists what the account holds, removes what of this stack is past its
 * retention or orphaned (in a dry run, only says what it would remove) and emails the report.
 */
export const handler = middy()
  .use(logged('teardown'))
  .use(taskInput(Input))
  .handler(async ({ dryRun, now: at }: z.infer<typeof Input>) => {
    const c = config();
    const machine = c.CLASSROOM_STATE_MACHINE_ARN;
    if (!machine) throw new ConfigError('no classroom state machine configured for the teardown');
    const now = at ? new Date(at) : new Date();
    const settings = {
      stackName: c.STACK_NAME,
      parameterPrefix: c.PARAMETER_PREFIX,
      schedulerRoleArn: c.SCHEDULER_ROLE_ARN,
      keepImagesPerRecipe: c.TEARDOWN_KEEP_IMAGES,
      imageRetentionDays: c.TEARDOWN_IMAGE_RETENTION_DAYS,
    };
    const fleet = await listFleet(c.AWS_REGION, {
      tags: { [TAG.stack]: c.STACK_NAME },
      credentialsPath: classesParameterPath(c.PARAMETER_PREFIX),
      schedulePrefix: SCHEDULE_PREFIX,
    });
    // The class status comes from the class record; a class the store does not know, from the
    // classroom execution named after it.
    const store = classStore();
    const expiry = latestExpiry(fleet, settings);
    const classStatus = recordedClassStatus(
      async (classId) => {
        try {
          return parseClassRecord(await getClass(store, classId)).state;
        } catch (error) {
          if (error instanceof NotFoundError) return undefined;
          throw error;
        }
      },
      executionClassStatus((classId) => executionStatus(machine, classId), expiry, now),
      expiry,
      now,
    );
    const ports = teardownPorts(c.AWS_REGION);
    const report = await runTeardown({ fleet, now, settings, dryRun, classStatus, ports });
    logger.info('teardown report', { report });
    if (c.OPERATOR_EMAIL) {
      const from = c.REPORT_SENDER || c.OPERATOR_EMAIL;
      await sendEmail(c.AWS_REGION, { from, to: c.OPERATOR_EMAIL, ...reportEmail(report) });
    }
    return report;
  });
