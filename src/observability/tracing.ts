// Traces through the OpenTelemetry API: a server span per request, named as X-Ray names API
// Gateway's segments (`{api name}/{stage}`), with children for route, authorize, integrate and
// each function invoke. No SDK is bundled: with none registered the API's tracer is a no-op, the
// request span is not recording, and nothing else is made (no attributes, no children).
// The request's X-Ray trace id (`X-Amzn-Trace-Id`, `_X_AMZN_TRACE_ID`, `Lambda-Runtime-Trace-Id`)
// is then the OTel trace id, so the functions' own traces join the gateway's.
// https://opentelemetry.io/docs/languages/js/instrumentation/
// https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
import {
  context as otelContext,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { IncomingHttpHeaders } from 'node:http';
import type { AuthorizationNote } from '../gateway/authorization-note.js';

const tracer = trace.getTracer('sallyport');

/** The spans of one traced request. */
export interface RequestTracing {
  root: Span;
  rootContext: Context;
  /** The step running now: what an invoke span hangs under. */
  step: Context;
}

/**
 * Starts the request's span, parented on the incoming trace context (`traceparent`, or whatever
 * the registered propagator reads). undefined when no SDK records it: the caller does nothing more.
 */
export function startRequestTracing(
  headers: IncomingHttpHeaders,
  startTime: number,
): RequestTracing | undefined {
  const parent = propagation.extract(otelContext.active(), headers);
  const root = tracer.startSpan('API Gateway', { kind: SpanKind.SERVER, startTime }, parent);
  if (!root.isRecording()) return undefined;
  const rootContext = trace.setSpan(parent, root);
  return { root, rootContext, step: rootContext };
}

/** The X-Ray trace root of the OTel trace: `Root=1-{8 hex}-{24 hex}` (the same 128 bits). */
export function xrayRootOf(tracing: RequestTracing): string {
  const id = tracing.root.spanContext().traceId;
  return `Root=1-${id.slice(0, 8)}-${id.slice(8)}`;
}

export interface RequestFacts {
  method: string;
  path: string;
  requestId: string;
  extendedRequestId: string;
  sourceIp: string | undefined;
  userAgent: string | undefined;
  apiId: string | undefined;
  apiName: string | undefined;
  stage: string | undefined;
  resourcePath: string | undefined;
  status: number;
  region: string | undefined;
  errorType: string | undefined;
}

export function endRequestTracing(tracing: RequestTracing, facts: RequestFacts): void {
  const { root } = tracing;
  if (facts.apiName !== undefined && facts.stage !== undefined)
    root.updateName(`${facts.apiName}/${facts.stage}`);
  const attributes: Attributes = {
    'http.request.method': facts.method,
    'url.path': facts.path,
    'http.response.status_code': facts.status,
    'aws.request_id': facts.requestId,
    'aws.apigateway.extended_request_id': facts.extendedRequestId,
  };
  if (facts.sourceIp) attributes['client.address'] = facts.sourceIp;
  if (facts.userAgent) attributes['user_agent.original'] = facts.userAgent;
  if (facts.apiId) attributes['aws.apigateway.api_id'] = facts.apiId;
  if (facts.apiName) attributes['aws.apigateway.api_name'] = facts.apiName;
  if (facts.stage) attributes['aws.apigateway.stage'] = facts.stage;
  if (facts.resourcePath) attributes['http.route'] = facts.resourcePath;
  if (facts.region) attributes['cloud.region'] = facts.region;
  if (facts.errorType) attributes['aws.apigateway.error_type'] = facts.errorType;
  root.setAttributes(attributes);
  if (facts.status >= 500) root.setStatus({ code: SpanStatusCode.ERROR });
  root.end();
}

/** Runs one step (`route`, `authorize`, `integrate`) in its own span under the request's. */
export async function tracedStep<T>(
  tracing: RequestTracing,
  name: string,
  run: () => T | Promise<T>,
  describe?: (span: Span) => void,
): Promise<T> {
  const span = tracer.startSpan(name, { kind: SpanKind.INTERNAL }, tracing.rootContext);
  tracing.step = trace.setSpan(tracing.rootContext, span);
  try {
    return await run();
  } catch (error) {
    // A gateway response (401, 403, 429, …) ends the request as designed; anything else is a bug.
    const type = (error as { responseType?: unknown } | null)?.responseType;
    if (typeof type === 'string') span.setAttribute('aws.apigateway.error_type', type);
    else span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    describe?.(span);
    tracing.step = tracing.rootContext;
    span.end();
  }
}

/** What the authorize span says of the decision (never the identity values). */
export function describeAuthorization(span: Span, note: AuthorizationNote | undefined): void {
  if (!note) return;
  const attributes: Attributes = {
    'aws.apigateway.authorizer.name': note.authorizer,
    'aws.apigateway.authorizer.type': note.type,
  };
  if (note.cache) attributes['aws.apigateway.authorizer.cache_hit'] = note.cache === 'hit';
  if (note.principalId !== undefined)
    attributes['aws.apigateway.authorizer.principal_id'] = note.principalId;
  if (note.methodArn) attributes['aws.apigateway.method_arn'] = note.methodArn;
  if (note.latencyMs !== undefined)
    attributes['aws.apigateway.authorizer.latency_ms'] = note.latencyMs;
  span.setAttributes(attributes);
}

/** A function invocation's span, and the X-Ray header the function gets for it. */
export interface InvokeTracing {
  /** `Root=…;Parent={this span};Sampled=1|0`, for `_X_AMZN_TRACE_ID` / `Lambda-Runtime-Trace-Id`. */
  traceHeader: string;
  end(functionError: string | undefined): void;
}

export function startInvokeTracing(
  tracing: RequestTracing,
  functionName: string,
  region: string,
): InvokeTracing {
  const span = tracer.startSpan(
    `Lambda Invoke ${functionName}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'faas.invoked_name': functionName,
        'faas.invoked_provider': 'aws',
        'faas.invoked_region': region,
        'rpc.system': 'aws-api',
        'rpc.service': 'Lambda',
        'rpc.method': 'Invoke',
      },
    },
    tracing.step,
  );
  const { spanId, traceFlags } = span.spanContext();
  const sampled = traceFlags & Number(TraceFlags.SAMPLED) ? 1 : 0;
  return {
    traceHeader: `${xrayRootOf(tracing)};Parent=${spanId};Sampled=${sampled}`,
    end(functionError) {
      if (functionError !== undefined) {
        span.setAttribute('aws.lambda.function_error', functionError);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    },
  };
}

/** Ends the invoke span when the invocation settles (a function error marks it). */
export async function endInvokeTracing<T extends { functionError?: string | undefined }>(
  traced: InvokeTracing,
  result: Promise<T>,
): Promise<T> {
  try {
    const settled = await result;
    traced.end(settled.functionError);
    return settled;
  } catch (error) {
    traced.end('Unhandled');
    throw error;
  }
}
