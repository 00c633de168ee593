// AWS with a Lambda function URI: the Lambda custom (non-proxy) integration. The request
// template (or the passthrough payload) is the event; the function's return value is the
// integration response's payload, passed through whole unless a response template shapes it;
// a function error selects the integration response whose selectionPattern matches its
// errorMessage, and the default one otherwise (so an unmapped error is a 200, as on AWS).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-custom-integrations.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/handle-errors-in-lambda-integration.html
import { EventNotJsonError, type Invoker } from '../../functions/invoker.js';
import type { Integration } from '../../model/types.js';
import type { Exchange, HttpAnswer, IntegrationHandler } from '../compiled-api.js';
import { LambdaInvocationError, LambdaRequestNotJsonError } from '../errors.js';
import type { InvokePermissions } from '../invoke-permissions.js';
import { compileIntegrationResponses } from '../mapping/integration-responses.js';
import { compileRequestBody } from '../mapping/request-body.js';
import { functionTraceHeader } from '../../functions/trace-header.js';
import { checkInvokable, methodSourceArn } from './aws-proxy.js';
import { performance } from 'node:perf_hooks';
import { traceLambdaRequest, traceLambdaResponse } from '../execution-narrative.js';
import { endInvokeTracing, startInvokeTracing } from '../../observability/tracing.js';
import { invocationResult } from './timeout.js';

export interface LambdaTarget {
  invoker: Invoker;
  functionName: string;
  /** Undefined when the function's own Timeout always fires first. */
  timeoutInMillis: number | undefined;
  permissions: InvokePermissions;
}

/** Lambda refused the event (not JSON: AWS's 400), or could not run the function (500). */
const newInvocationError = (error: Error) =>
  error instanceof EventNotJsonError
    ? new LambdaRequestNotJsonError(error.reason)
    : new LambdaInvocationError(`Lambda invocation failed: ${error.message}`);

export function awsLambdaIntegration(
  integration: Integration,
  target: LambdaTarget,
  where: string,
): IntegrationHandler {
  const { invoker, functionName, timeoutInMillis, permissions } = target;
  const requestBody = compileRequestBody(integration);
  const responses = compileIntegrationResponses(integration, where);

  return async (exchange: Exchange): Promise<HttpAnswer> => {
    checkInvokable(invoker, permissions, functionName, exchange);
    const payload = lambdaPayload(requestBody(exchange));
    const trace = exchange.request.executionLog;
    if (trace)
      traceLambdaRequest(trace, exchange, functionName, methodSourceArn(exchange), payload);
    const started = trace ? performance.now() : 0;
    const { tracing } = exchange.request;
    const traced =
      tracing && startInvokeTracing(tracing, functionName, exchange.stage.settings.region);
    const invocation = invoker.invoke({
      functionName,
      ...payload,
      requestId: exchange.request.requestId,
      traceId: traced?.traceHeader ?? functionTraceHeader(exchange.request.traceRoot),
    });
    const resulting = invocationResult(invocation, timeoutInMillis, newInvocationError);
    const result = await (traced ? endInvokeTracing(traced, resulting) : resulting);
    if (trace) traceLambdaResponse(trace, exchange, result, performance.now() - started);
    const key = result.functionError ? (result.errorMessage ?? '') : undefined;
    const answer = responses.answer(exchange, key, { body: result.payload });
    // A function answered: the client sees the request's trace, as for AWS_PROXY.
    answer.traceRoot = exchange.request.traceRoot;
    return answer;
  };
}

/**
 * The event for a mapped request body, as JSON text: the function parses it where it runs (a
 * string crosses to a worker or a process without a copy of every value), and Lambda refuses
 * text that is not JSON before anything runs (EventNotJsonError → AWS's 400). An empty payload
 * is the event `{}`.
 */
export function lambdaPayload(body: string | Buffer): { eventJson: string } {
  const text = body.toString();
  return { eventJson: blank(text) ? '{}' : text };
}

/** Whether `text` is only JSON's whitespace (space, tab, CR, LF), without copying it. */
function blank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
}
