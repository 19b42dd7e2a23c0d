import middy from '@middy/core';
import { listExecutions } from '../../layers/aws/sfn';
import { ConfigError } from '../../layers/base/errors';
import { bakeSummary } from '../../layers/core/api/bake-status';
import { config } from '../../layers/runtime/config';
import { httpApi, Reply } from '../../layers/runtime/middleware';

/** How many bakes GET /bakes lists, newest first. */
const LISTED = 100;

/** GET /bakes — the newest bakes (their executions), each with its state and times. */
export const handler = middy()
  .use(httpApi(null))
  .handler(async () => {
    const machine = config().BAKE_STATE_MACHINE_ARN;
    if (!machine) throw new ConfigError('no bake state machine configured');
    const executions = await listExecutions(machine, LISTED);
    return new Reply(200, { bakes: executions.map(bakeSummary) });
  });
