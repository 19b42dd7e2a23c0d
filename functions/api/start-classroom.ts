import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { startExecution } from '../../layers/aws/sfn';
import { parseOrThrow } from '../../layers/base/validate';
import { classPreview } from '../../layers/core/api/class-preview';
import { ClassroomQuerySchema } from '../../layers/core/api/schemas';
import { classEstimate } from '../../layers/core/classroom/plan/class-estimate';
import { parseClassroomRequest } from '../../layers/core/classroom/request/classroom-request';
import { checkSeatZone } from '../../layers/core/classroom/request/dns';
import { checkBudget } from '../../layers/core/cost/budget';
import { now } from '../../layers/runtime/clock';
import { config, stackRegion } from '../../layers/runtime/config';
import { httpApi, Reply } from '../../layers/runtime/middleware';

/**
 * POST /classrooms — 400 names every bad field, or a budget the estimate exceeds, before anything
 * launches; 202 starts seating; with `?dryRun=true`, 200 answers the estimate and plan instead.
 */
export const handler = middy()
  .use(httpApi((body) => parseClassroomRequest(body, now(), { region: stackRegion() })))
  .handler(async (event: APIGatewayProxyEventV2) => {
    const { dryRun } = parseOrThrow(
      ClassroomQuerySchema,
      event.queryStringParameters ?? {},
      'query',
    );
    const request = parseClassroomRequest(event.body, now(), { region: stackRegion() });
    checkSeatZone(request.dns, config().SEAT_HOSTED_ZONE_ID);
    const estimate = classEstimate(request);
    checkBudget(estimate, request.budgetUSD);
    if (dryRun) return new Reply(200, { estimate, plan: classPreview(request) });
    const { CLASSROOM_STATE_MACHINE_ARN } = config();
    const { name } = await startExecution(
      CLASSROOM_STATE_MACHINE_ARN,
      { request: event.body },
      'class',
    );
    return { id: name };
  });
