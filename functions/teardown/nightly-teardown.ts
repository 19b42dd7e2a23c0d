import middy from '@middy/core';
import * as z from 'zod';
import { getClass } from '../../layers/aws/dynamodb';
import { sendEmail } from '../../layers/aws/ses';
import { executionStatus } from '../../layers/aws/sfn';
import { listFleet, teardownPorts } from '../../layers/aws/teardown-fleet';
import { ConfigError, NotFoundError } from '../../layers/base/errors';
import { classesParameterPath } from '../../layers/core/classroom/plan/parameter-paths';
import { parseClassRecord } from '../../layers/core/classroom/record/class-record';
import { regionsCopiedTo } from '../../layers/core/image-copies';
import { TAG } from '../../layers/core/tags';
import { SCHEDULE_PREFIX } from '../../layers/core/teardown/plan';
import { reportEmail } from '../../layers/core/teardown/report';
import { teardownFrom, teardownSettings } from '../../layers/core/teardown/run';
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
    const tags = { [TAG.stack]: c.STACK_NAME };
    const fleet = await listFleet(c.AWS_REGION, {
      tags,
      credentialsPath: classesParameterPath(c.PARAMETER_PREFIX),
      schedulePrefix: SCHEDULE_PREFIX,
      copyRegionsOf: (images) => regionsCopiedTo(images, tags),
    });
    const report = await teardownFrom({
      fleet,
      now: at ? new Date(at) : new Date(),
      settings: teardownSettings(c),
      dryRun,
      ports: teardownPorts(c.AWS_REGION),
      recordedState: (classId) =>
        getClass(classStore(), classId).then(
          (item) => parseClassRecord(item).state,
          (error) => (error instanceof NotFoundError ? undefined : Promise.reject(error)),
        ),
      executionStatus: (classId) => executionStatus(machine, classId),
    });
    logger.info('teardown report', { report });
    if (c.OPERATOR_EMAIL) {
      const from = c.REPORT_SENDER || c.OPERATOR_EMAIL;
      await sendEmail(c.AWS_REGION, { from, to: c.OPERATOR_EMAIL, ...reportEmail(report) });
    }
    return report;
  });
