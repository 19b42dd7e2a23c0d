import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '../../layers/core/api/routes';
import { packagedTemplate, type Template } from './packaged';

let resources: Template['Resources'];

beforeAll(async () => {
  resources = (await packagedTemplate()).Resources;
}, 240_000);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe('the HTTP API of the packaged template', () => {
  it('requires IAM authorization (SigV4) on every route', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route');
    expect(routes.map(([, r]) => r.Properties.RouteKey).sort()).toEqual(
      ROUTES.map(routeKey).sort(),
    );
    for (const [, route] of routes) expect(route.Properties.AuthorizationType).toBe('AWS_IAM');
  });

  it('throttles every route of its one stage', () => {
    const stages = ofType('AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const settings = stages[0]?.[1].Properties.DefaultRouteSettings;
    expect(settings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(settings.ThrottlingBurstLimit).toBeGreaterThanOrEqual(settings.ThrottlingRateLimit);
  });
});
