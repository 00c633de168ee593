// The request pipeline, in AWS's order, written down once. Each step either passes the request
// on or ends it by throwing a GatewayResponseError, which responses.ts renders.
//
//   resolve api+stage → match resource+method → throttle → authorize → api key + usage plan
//     → validate → integration request → invoke → integration response → gateway response
//
// server.ts resolves the stage (it needs it to render errors); the steps below do the rest.
// Each concern is one step, in its place.
import type { CompiledStage, HttpAnswer } from './compiled-api.js';
import type { GatewayRequest } from './request.js';
import { createApiKeyStep, type ApiKeyDeps } from './steps/api-key.js';
import { createAuthorizeStep, type AuthorizeDeps } from './steps/authorize.js';
import { integrate } from './steps/integrate.js';
import { route } from './steps/route.js';
import { createThrottleStep, type ThrottleDeps } from './steps/throttle.js';
import { validate } from './steps/validate.js';
import {
  describeAuthorization,
  tracedStep,
  type RequestTracing,
} from '../observability/tracing.js';

export type Pipeline = (request: GatewayRequest, stage: CompiledStage) => Promise<HttpAnswer>;

export type PipelineDeps = AuthorizeDeps & ApiKeyDeps & ThrottleDeps;

export function createPipeline(deps: PipelineDeps): Pipeline {
  const throttle = createThrottleStep(deps);
  const authorize = createAuthorizeStep(deps);
  const apiKey = createApiKeyStep(deps);
  const pipeline: Pipeline = async (request, stage) => {
    if (request.tracing) return traced(request, stage, request.tracing);
    const exchange = route(request, stage);
    throttle(exchange);
    const authorizing = authorize(exchange);
    if (authorizing) await authorizing;
    const metering = apiKey(exchange);
    if (metering) await metering;
    validate(exchange);
    return integrate(exchange);
  };

  /** The same steps, with spans for route, authorize and integrate (observability/tracing.ts). */
  async function traced(
    request: GatewayRequest,
    stage: CompiledStage,
    tracing: RequestTracing,
  ): Promise<HttpAnswer> {
    const exchange = await tracedStep(tracing, 'route', () => route(request, stage));
    throttle(exchange);
    // Methods open to anyone have no authorize span (there is nothing to decide).
    if (exchange.method.authorization.kind !== 'none')
      await tracedStep(
        tracing,
        'authorize',
        () => authorize(exchange),
        (span) => describeAuthorization(span, request.authorization),
      );
    const metering = apiKey(exchange);
    if (metering) await metering;
    validate(exchange);
    return tracedStep(tracing, 'integrate', () => integrate(exchange));
  }

  return pipeline;
}
