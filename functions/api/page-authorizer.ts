import middy from '@middy/core';
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { getSecureParameter } from '../../layers/aws/ssm';
import { checkPageLink, PAGE_LINK_QUERY } from '../../layers/core/api/page/page-link';
import { pageKeyName } from '../../layers/core/classroom/plan/parameter-paths';
import { now } from '../../layers/runtime/clock';
import { config } from '../../layers/runtime/config';
import { logger } from '../../layers/runtime/logger';
import { logged } from '../../layers/runtime/middleware';

type Result = APIGatewaySimpleAuthorizerWithContextResult<{ classId: string }>;

/** The page key once read, kept only in memory; until one is stored, it is read again each time. */
let pageKey: string | undefined;
async function readPageKey(region: string, name: string): Promise<string | undefined> {
  try {
    pageKey ??= await getSecureParameter(region, name);
  } catch (error) {
    if ((error as Error).name !== 'ParameterNotFound') throw error;
  }
  return pageKey;
}

/**
 * The page routes' Lambda authorizer (HTTP API, simple responses, no caching): lets a request
 * through only with a signature of the path's class id and an expiry that has not passed. With no
 * page key stored, no link was ever signed, and nothing is let through.
 */
export const handler = middy<APIGatewayRequestAuthorizerEventV2, Result>()
  .use(logged('pageAuthorizer'))
  .handler(async (event: APIGatewayRequestAuthorizerEventV2): Promise<Result> => {
    const { AWS_REGION, PARAMETER_PREFIX } = config();
    const key = await readPageKey(AWS_REGION, pageKeyName(PARAMETER_PREFIX));
    const classId = event.pathParameters?.id ?? '';
    const query = event.queryStringParameters ?? {};
    const verdict = key
      ? checkPageLink(
          key,
          {
            classId,
            expires: query[PAGE_LINK_QUERY.expires],
            signature: query[PAGE_LINK_QUERY.signature],
          },
          now(),
        )
      : ({ ok: false, reason: 'signature' } as const);
    if (!verdict.ok)
      logger.info('page link refused', { route: event.routeKey, reason: verdict.reason });
    return { isAuthorized: verdict.ok, context: { classId: verdict.ok ? classId : '' } };
  });
