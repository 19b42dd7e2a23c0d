import middy from '@middy/core';
import { z } from 'zod';
import { sendEmail } from '../../layers/aws/ses';
import { reportEmail } from '../../layers/core/teardown/report';
import { config } from '../../layers/runtime/config';
import { logger } from '../../layers/runtime/logger';
import { logged, taskInput } from '../../layers/runtime/middleware';
import { teardownAccount } from './account-teardown';

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
    const report = await teardownAccount({ now: at ? new Date(at) : new Date(), dryRun });
    logger.info('teardown report', { report });
    if (c.OPERATOR_EMAIL) {
      const from = c.REPORT_SENDER || c.OPERATOR_EMAIL;
      await sendEmail(c.AWS_REGION, { from, to: c.OPERATOR_EMAIL, ...reportEmail(report) });
    }
    return report;
  });
