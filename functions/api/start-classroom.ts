import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { startExecution } from '../../layers/aws/sfn';
import { parseClassroomRequest } from '../../layers/core/classroom/request/classroom-request';
import { config } from '../../layers/runtime/config';
import { httpApi } from '../../layers/runtime/middleware';

/** POST /classrooms — 400 names every bad field before anything launches; 202 starts seating. */
export const handler = middy()
  .use(httpApi((body) => parseClassroomRequest(body, new Date())))
  .handler(async (event: APIGatewayProxyEventV2) => {
    const { CLASSROOM_STATE_MACHINE_ARN } = config();
    return startExecution(CLASSROOM_STATE_MACHINE_ARN, { request: event.body }, 'class');
  });
