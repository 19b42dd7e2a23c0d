import { beforeAll, describe, expect, it } from 'vitest';
import { PAGE_AUTHORIZER, ROUTES, routeKey } from '../../layers/core/api/routes';
import { packagedTemplate, type Template } from './packaged';

let resources: Template['Resources'];

beforeAll(async () => {
  resources = (await packagedTemplate()).Resources;
}, 240_000);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe('the HTTP API of the packaged template', () => {
  it('requires IAM authorization (SigV4) on every route but the class pages', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route');
    expect(routes.map(([, r]) => r.Properties.RouteKey).sort()).toEqual(
      ROUTES.map(routeKey).sort(),
    );
    const [[authorizerId] = []] = ofType('AWS::ApiGatewayV2::Authorizer');
    for (const [, route] of routes) {
      const table = ROUTES.find((r) => routeKey(r) === route.Properties.RouteKey);
      if (table?.auth === 'page') {
        expect(route.Properties.AuthorizationType).toBe('CUSTOM');
        expect(route.Properties.AuthorizerId).toEqual({ Ref: authorizerId });
      } else expect(route.Properties.AuthorizationType).toBe('AWS_IAM');
    }
  });

  it('checks page links with one request authorizer: simple responses, nothing cached', () => {
    const authorizers = ofType('AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const properties = authorizers[0]?.[1].Properties;
    expect(properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      AuthorizerResultTtlInSeconds: 0,
      IdentitySource: [...PAGE_AUTHORIZER.identitySource],
    });
    const invoked = JSON.stringify(properties.AuthorizerUri);
    expect(invoked).toContain('PageAuthorizerLambdaFunction');
    const permissions = ofType('AWS::Lambda::Permission').filter(([, p]) =>
      JSON.stringify(p.Properties.FunctionName).includes('PageAuthorizerLambdaFunction'),
    );
    expect(permissions).toHaveLength(1);
    expect(permissions[0]?.[1].Properties.Principal).toBe('apigateway.amazonaws.com');
  });

  it('throttles every route of its one stage', () => {
    const stages = ofType('AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const settings = stages[0]?.[1].Properties.DefaultRouteSettings;
    expect(settings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(settings.ThrottlingBurstLimit).toBeGreaterThanOrEqual(settings.ThrottlingRateLimit);
  });
});
