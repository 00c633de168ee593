// The request pipeline, in AWS's order, written down once. Each step either passes the request
// on or ends it by throwing a GatewayResponseError, which responses.ts renders.
//
//   resolve api+stage → match resource+method → throttle → authorize → api key + usage plan
//     → validate → integration request → invoke → integration response → gateway response
//
// Throttling, API keys and request validation come with their own issues; their place is here.
import type { CompiledStage, Exchange, HttpAnswer } from './compiled-api.js';
import type { GatewayRequest } from './request.js';
import { createAuthorizeStep, type AuthorizeDeps } from './steps/authorize.js';
import { createAuthorizeIamStep, type AuthorizeIamDeps } from './steps/authorize-iam.js';
import { createAuthorizeJwtStep } from './steps/authorize-jwt.js';
import { route } from './steps/route.js';

export type Pipeline = (request: GatewayRequest, stage: CompiledStage) => Promise<HttpAnswer>;

export function createPipeline(deps: AuthorizeDeps & AuthorizeIamDeps): Pipeline {
  const authorize = createAuthorizeStep(deps);
  const authorizeIam = createAuthorizeIamStep(deps);
  const authorizeJwt = createAuthorizeJwtStep(deps);
  return async (request, stage) => {
    const { method, pathParameters } = route(stage, request.httpMethod, request.path);
    const exchange: Exchange = {
      request,
      stage,
      method,
      pathParameters,
      authorizer: undefined,
      caller: undefined,
    };
    if (method.iam) authorizeIam(exchange);
    else if (method.authorizer) await authorize(exchange, method.authorizer);
    else if (method.jwtAuthorizer) await authorizeJwt(exchange, method.jwtAuthorizer);
    return method.integrate(exchange);
  };
}
