import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { classSeats, getClass } from '../../layers/aws/dynamodb';
import { parseOrThrow } from '../../layers/base/validate';
import { classPageHtml } from '../../layers/core/api/page/class-page-html';
import { pageActions, pageStatus } from '../../layers/core/api/page/page-status';
import { ROUTES } from '../../layers/core/api/routes';
import { NoBodySchema } from '../../layers/core/api/schemas';
import {
  parseClassRecord,
  parseSeatRecords,
} from '../../layers/core/classroom/record/class-record';
import { now } from '../../layers/runtime/clock';
import { classStore } from '../../layers/runtime/config';
import { httpApi, Reply } from '../../layers/runtime/middleware';

const noBody = (body: unknown) => parseOrThrow(NoBodySchema, body, 'request');

const actions = pageActions(ROUTES);

/**
 * GET /page/{id} — the class page (HTML); GET /page/{id}/status — what it shows, as JSON. Both
 * behind the page authorizer, which has checked the link's signature for this class id.
 */
export const handler = middy()
  .use(httpApi(noBody, undefined, { emptyBody: {} }))
  .handler(async (event: APIGatewayProxyEventV2) => {
    const classId = event.pathParameters?.id ?? '';
    const record = parseClassRecord(await getClass(classStore(), classId));
    const seats = parseSeatRecords(await classSeats(classStore(), classId));
    const status = pageStatus(record, seats, now(), actions);
    if (event.routeKey.endsWith('/status')) return new Reply(200, status);
    return new Reply(200, classPageHtml(status), 'text/html; charset=utf-8');
  });
