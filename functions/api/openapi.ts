import middy from '@middy/core';
import { openApiDocument } from '../../layers/core/api/openapi';

const document = JSON.stringify(openApiDocument());

/** GET /openapi.json — the OpenAPI 3.1 document of this API, built from its route table. */
export const handler = middy().handler(async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: document,
}));
