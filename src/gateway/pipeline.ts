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
import { traceMethodRequest, traceStart, traceUsagePlan } from './execution-narrative.js';
import { openTrace } from './execution-trace.js';
import { createApiKeyStep, type ApiKeyDeps } from './steps/api-key.js';
import { createAuthorizeStep, type AuthorizeDeps } from './steps/authorize.js';
import { integrate } from './steps/integrate.js';
import { route } from './steps/route.js';
import { createThrottleStep, type ThrottleDeps } from './steps/throttle.js';
import { validate } from './steps/validate.js';
import { describeAuthorization, tracedStep } from '../observability/tracing.js';

export type Pipeline = (request: GatewayRequest, stage: CompiledStage) => Promise<HttpAnswer>;

export type PipelineDeps = AuthorizeDeps & ApiKeyDeps & ThrottleDeps;

export function createPipeline(deps: PipelineDeps): Pipeline {
  const throttle = createThrottleStep(deps);
  const authorize = createAuthorizeStep(deps);
  const apiKey = createApiKeyStep(deps);
  // One pipeline: with OpenTelemetry recording (request.tracing) the same steps run inside spans
  // for route, authorize and integrate; without, nothing but one property read is added.
  const pipeline: Pipeline = async (request, stage) => {
    const { tracing } = request;
    const exchange = tracing
      ? await tracedStep(tracing, 'route', () => route(request, stage))
      : route(request, stage);
    // The execution log (methodSettings loggingLevel): nothing at all for a method at OFF.
    const level = exchange.method.executionLog;
    const trace =
      level &&
      openTrace(
        level,
        { requestId: request.requestId, restApiId: stage.apiId, stage: stage.stageName },
        deps.now,
      );
    if (trace) {
      request.executionLog = trace;
      traceStart(trace, exchange);
    }
    const throttling = throttle(exchange);
    if (throttling) await throttling;
    // Methods open to anyone have no authorize span (there is nothing to decide).
    if (tracing && exchange.method.authorization.kind !== 'none') {
      await tracedStep(
        tracing,
        'authorize',
        () => authorize(exchange),
        (span) => describeAuthorization(span, request.authorization),
      );
    } else {
      const authorizing = authorize(exchange);
      if (authorizing) await authorizing;
    }
    const metering = apiKey(exchange);
    if (metering) await metering;
    if (trace) {
      traceUsagePlan(trace, exchange);
      traceMethodRequest(trace, exchange);
    }
    validate(exchange);
    return tracing
      ? tracedStep(tracing, 'integrate', () => integrate(exchange))
      : integrate(exchange);
  };

  return pipeline;
}
