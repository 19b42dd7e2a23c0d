// The teardown of this stack's resources in the account, and its two ways in: the nightly schedule
// (`nightlyTeardown`, which also runs when POST /teardown schedules it) and POST /teardown itself
// (`requestTeardown`: a dry run answered at once, or the teardown scheduled a minute ahead).
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { getClass, listClasses } from '../../layers/aws/dynamodb';
import { scheduleInvocation } from '../../layers/aws/scheduler';
import { sendEmail } from '../../layers/aws/ses';
import { executionStatus } from '../../layers/aws/sfn';
import { listFleet, teardownPorts } from '../../layers/aws/teardown-fleet';
import { patiently } from '../../layers/aws/throttling';
import { ConfigError, NotFoundError } from '../../layers/base/errors';
import { parseOrThrow } from '../../layers/base/validate';
import { TeardownQuerySchema } from '../../layers/core/api/schemas';
import { withoutArns } from '../../layers/core/api/without-arns';
import { classesParameterPath } from '../../layers/core/classroom/plan/parameter-paths';
import { parseClassRecord } from '../../layers/core/classroom/record/class-record';
import { atExpression } from '../../layers/core/classroom/request/schedule';
import { TAG } from '../../layers/core/tags';
import { SCHEDULE_PREFIX } from '../../layers/core/teardown/plan';
import { reportEmail } from '../../layers/core/teardown/report';
import { teardownFrom, teardownSettings } from '../../layers/core/teardown/run';
import { domainsToList, namedClassesOf } from '../../layers/core/teardown/seat-records';
import { now } from '../../layers/runtime/clock';
import { classStore, config } from '../../layers/runtime/config';
import { logger } from '../../layers/runtime/logger';
import { httpApi, logged, Reply, taskInput } from '../../layers/runtime/middleware';

/** Lists what the account holds and removes what of this stack is due at `at` (a dry run: only says so). */
async function teardownAt(at: Date, dryRun: boolean) {
  const c = config();
  const machine = c.CLASSROOM_STATE_MACHINE_ARN;
  if (!machine) throw new ConfigError('no classroom state machine configured for the teardown');
  const tags = { [TAG.stack]: c.STACK_NAME };
  const fleet = await listFleet(c.AWS_REGION, {
    tags,
    credentialsPath: classesParameterPath(c.PARAMETER_PREFIX),
    schedulePrefix: SCHEDULE_PREFIX,
    namedClasses: namedClassesOf(await listClasses(classStore())),
    domainsOf: domainsToList,
  });
  return teardownFrom({
    fleet,
    now: at,
    settings: teardownSettings(c),
    dryRun,
    ports: teardownPorts(c.AWS_REGION),
    recordedState: (classId) =>
      getClass(classStore(), classId).then(
        (item) => parseClassRecord(item).state,
        (error) => (error instanceof NotFoundError ? undefined : Promise.reject(error)),
      ),
    executionStatus: (classId) => patiently(() => executionStatus(machine, classId)),
  });
}

const Input = z.object({
  dryRun: z.boolean().default(false),
  /** The time to judge expiry by (the schedule passes its scheduled time); default: now. */
  now: z.iso.datetime({ offset: true }).optional(),
});

/**
 * The nightly teardown: lists what the account holds, removes what of this stack is past its
 * retention or orphaned (in a dry run, only says what it would remove) and emails the report. A
 * report SES will not send (an unverified address, a refused permission) is logged as an error
 * and named in the answer: the removals are done, and a retry would only run them again.
 */
export const nightlyTeardown = middy()
  .use(logged('teardown'))
  .use(taskInput(Input))
  .handler(async ({ dryRun, now: at }: z.infer<typeof Input>) => {
    const c = config();
    const report = await teardownAt(at ? new Date(at) : new Date(), dryRun);
    logger.info('teardown report', { report });
    if (c.OPERATOR_EMAIL) {
      const from = c.REPORT_SENDER || c.OPERATOR_EMAIL;
      try {
        await sendEmail(c.AWS_REGION, { from, to: c.OPERATOR_EMAIL, ...reportEmail(report) });
      } catch (error) {
        const reportNotSent =
          error instanceof Error ? `${error.name}: ${error.message}` : `${error}`;
        logger.error('teardown report not sent', { reportNotSent });
        return { ...report, reportNotSent };
      }
    }
    return report;
  });

/** The teardown a request starts runs this long after it, as a one-time schedule. */
const LEAD_MS = 60_000;

/**
 * POST /teardown — with `?dryRun=true`, 200 answers the report of a dry run made now (nothing
 * changes); otherwise 202: the nightly teardown's function is scheduled to run a minute from now,
 * as its cron runs it (its report goes to the operator).
 */
export const requestTeardown = middy()
  .use(httpApi(null))
  .handler(async (event: APIGatewayProxyEventV2) => {
    const query = event.queryStringParameters ?? {};
    const { dryRun } = parseOrThrow(TeardownQuerySchema, query, 'query');
    const c = config();
    if (!c.CLASSROOM_STATE_MACHINE_ARN || !c.TEARDOWN_FUNCTION_ARN || !c.TEARDOWN_SCHEDULE_ROLE_ARN)
      throw new ConfigError('no classroom machine, teardown function or schedule role configured');
    if (dryRun) {
      const report = await teardownAt(now(), true);
      return new Reply(200, JSON.parse(withoutArns(JSON.stringify(report))));
    }
    const at = new Date(Math.ceil((now().getTime() + LEAD_MS) / 1000) * 1000);
    const name = `${c.STACK_NAME}-teardown-${at.toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
    await scheduleInvocation(c.AWS_REGION, {
      name,
      atExpression: atExpression(at),
      functionArn: c.TEARDOWN_FUNCTION_ARN,
      input: { dryRun: false, now: at.toISOString() },
      roleArn: c.TEARDOWN_SCHEDULE_ROLE_ARN,
      description: 'The teardown, asked for through POST /teardown.',
    });
    return new Reply(202, { name, at: at.toISOString() });
  });
