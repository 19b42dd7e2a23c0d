import { randomBytes } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { getClass } from '../../layers/aws/dynamodb';
import { ensureSecureParameter } from '../../layers/aws/ssm';
import { ConflictError } from '../../layers/base/errors';
import { parseOrThrow } from '../../layers/base/validate';
import { newPageKey, pageLinkExpiry, signPageLink } from '../../layers/core/api/page/page-link';
import { NoBodySchema, PageLinkQuerySchema } from '../../layers/core/api/schemas';
import { pageKeyName } from '../../layers/core/classroom/plan/parameter-paths';
import { parseClassRecord } from '../../layers/core/classroom/record/class-record';
import { retireAt } from '../../layers/core/classroom/record/timeline';
import { now } from '../../layers/runtime/clock';
import { classStore, config } from '../../layers/runtime/config';
import { httpApi, Reply } from '../../layers/runtime/middleware';

const noBody = (body: unknown) => parseOrThrow(NoBodySchema, body, 'request');

/**
 * POST /classrooms/{id}/page — a signed link to the class page on this API, good until the
 * class's seats are deleted or for `?days=` days: `{url, expiresAt}`. 404 for an unknown class,
 * 409 for a deleted one.
 */
export const handler = middy()
  .use(httpApi(noBody, undefined, { emptyBody: {} }))
  .handler(async (event: APIGatewayProxyEventV2) => {
    const { days } = parseOrThrow(PageLinkQuerySchema, event.queryStringParameters ?? {}, 'query');
    const classId = event.pathParameters?.id ?? '';
    const record = parseClassRecord(await getClass(classStore(), classId));
    if (record.state === 'deleted') throw new ConflictError(`class ${classId} is deleted`);
    const { AWS_REGION, PARAMETER_PREFIX } = config();
    const key = await ensureSecureParameter(
      AWS_REGION,
      pageKeyName(PARAMETER_PREFIX),
      () => newPageKey(randomBytes),
      'Signs the links to class pages',
    );
    const scheme = event.headers?.['x-forwarded-proto'] ?? 'https';
    const base = `${scheme}://${event.requestContext.domainName}`;
    const at = now();
    return new Reply(
      200,
      signPageLink(key, base, classId, pageLinkExpiry(at, retireAt(record.plan), days)),
    );
  });
