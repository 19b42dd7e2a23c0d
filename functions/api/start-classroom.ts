import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { startExecution } from '../../layers/aws/sfn';
import { classEstimate } from '../../layers/core/classroom/plan/class-estimate';
import { parseClassroomRequest } from '../../layers/core/classroom/request/classroom-request';
import { checkBudget } from '../../layers/core/cost/budget';
import { config } from '../../layers/runtime/config';
import { httpApi } from '../../layers/runtime/middleware';

/**
 * POST /classrooms — 400 names every bad field, or a budget the estimate exceeds, before anything
 * launches; 202 starts seating.
 */
export const handler = middy()
  .use(
    httpApi((body) => {
      const request = parseClassroomRequest(body, new Date());
      checkBudget(classEstimate(request), request.budgetUSD);
    }),
  )
  .handler(async (event: APIGatewayProxyEventV2) => {
    const { CLASSROOM_STATE_MACHINE_ARN } = config();
    return startExecution(CLASSROOM_STATE_MACHINE_ARN, { request: event.body }, 'class');
  });
