import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { scheduleInvocation } from '../../layers/aws/scheduler';
import { ConfigError } from '../../layers/base/errors';
import { parseOrThrow } from '../../layers/base/validate';
import { TeardownQuerySchema } from '../../layers/core/api/schemas';
import { withoutArns } from '../../layers/core/api/without-arns';
import { atExpression } from '../../layers/core/classroom/request/schedule';
import { now } from '../../layers/runtime/clock';
import { config } from '../../layers/runtime/config';
import { httpApi, Reply } from '../../layers/runtime/middleware';
import { teardownAccount } from '../teardown/account-teardown';

/** The teardown a request starts runs this long after it, as a one-time schedule. */
const LEAD_MS = 60_000;

/**
 * POST /teardown — with `?dryRun=true`, 200 answers the report of a dry run made now (nothing
 * changes); otherwise 202: the nightly teardown's function is scheduled to run a minute from now,
 * as its cron runs it (its report goes to the operator).
 */
export const handler = middy()
  .use(httpApi(null))
  .handler(async (event: APIGatewayProxyEventV2) => {
    const query = event.queryStringParameters ?? {};
    const { dryRun } = parseOrThrow(TeardownQuerySchema, query, 'query');
    const c = config();
    if (!c.TEARDOWN_FUNCTION_ARN || !c.TEARDOWN_SCHEDULE_ROLE_ARN)
      throw new ConfigError('no teardown function or schedule role configured');
    if (dryRun) {
      const report = await teardownAccount({ now: now(), dryRun: true });
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
