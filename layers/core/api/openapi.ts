// The OpenAPI 3.1 document of the HTTP API, generated from the route table's zod schemas.

import type * as z from 'zod';
import { createDocument, type ZodOpenApiPathsObject } from 'zod-openapi';
import { PAGE_LINK_QUERY } from './page/page-link';
import { operationId, ROUTES, type Route } from './routes';
import { GatewayErrorSchema } from './schemas';

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });

const ok = (status: string) => status.startsWith('2');

function operation(route: Route) {
  const responses = Object.fromEntries(
    Object.entries(route.answers).map(([status, answer]) => [
      status,
      {
        description: answer.description,
        content:
          route.produces && ok(status)
            ? { [route.produces]: { schema: answer.schema } }
            : json(answer.schema),
      },
    ]),
  );
  return {
    operationId: operationId(route),
    summary: route.summary,
    security: route.auth === 'page' ? [{ pageLink: [], pageLinkExpiry: [] }] : [{ sigv4: [] }],
    ...(route.query || route.params
      ? {
          requestParams: {
            ...(route.query ? { query: route.query } : {}),
            ...(route.params ? { path: route.params } : {}),
          },
        }
      : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: Object.fromEntries(
              route.body.contentTypes.map((type) => [type, { schema: route.body?.schema }]),
            ),
          },
        }
      : {}),
    responses: {
      ...responses,
      404: { description: 'No such route.', content: json(GatewayErrorSchema) },
    },
  };
}

export function openApiDocument(version = '0.1.0') {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of ROUTES) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'bakehouse',
      version,
      description: 'Bakes machine images and seats Jupyter classrooms on EC2.',
    },
    paths,
    components: {
      securitySchemes: {
        sigv4: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          description: 'AWS Signature Version 4 (API Gateway IAM authorization).',
        },
        pageLink: {
          type: 'apiKey',
          name: PAGE_LINK_QUERY.signature,
          in: 'query',
          description: "A class page link's signature (POST /classrooms/{id}/page makes the link).",
        },
        pageLinkExpiry: {
          type: 'apiKey',
          name: PAGE_LINK_QUERY.expires,
          in: 'query',
          description:
            "A class page link's expiry, in seconds since 1970, that its signature covers.",
        },
      },
    },
  });
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
