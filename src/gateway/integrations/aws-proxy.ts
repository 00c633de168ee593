// AWS_PROXY: the Lambda proxy integration. The function gets the 1.0 event and must answer with
// { statusCode, headers, multiValueHeaders, body, isBase64Encoded }; anything else is a 502.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { Invoker } from '../../functions/invoker.js';
import type { Exchange, HttpAnswer, IntegrationHandler } from '../compiled-api.js';
import { executeApiArn } from '../../model/arn.js';
import { BadGatewayError, LambdaFunctionNotFoundError, LambdaPermissionError } from '../errors.js';
import { matchesMediaType, proxyEventValues } from '../events/proxy-event.js';
import type { InvokePermissions } from '../invoke-permissions.js';
import { clientHeaderName } from './remapped-headers.js';
import { invocationResult } from './timeout.js';
import { functionTraceHeader } from '../../functions/trace-header.js';
import { performance } from 'node:perf_hooks';
import { traceLambdaRequest, traceLambdaResponse } from '../execution-narrative.js';
import { endInvokeTracing, startInvokeTracing } from '../../observability/tracing.js';

const RESPONSE_KEYS = new Set([
  'statusCode',
  'headers',
  'multiValueHeaders',
  'body',
  'isBase64Encoded',
]);

/** Standard base64 (RFC 4648 §4), padded, as Java's basic decoder accepts it. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const newBadGateway = (error: Error) =>
  new BadGatewayError(`Lambda invocation failed: ${error.message}`);

export function awsProxyIntegration(
  invoker: Invoker,
  functionName: string,
  /** Undefined when the function's own Timeout always fires first: no race to arm per call. */
  timeoutInMillis: number | undefined,
  permissions: InvokePermissions,
): IntegrationHandler {
  return async (exchange: Exchange): Promise<HttpAnswer> => {
    const { request, stage, method, pathParameters, authorizer, caller, apiKey } = exchange;
    checkInvokable(invoker, permissions, functionName, exchange);
    // The event's values only: the invoker makes the event where it needs one (a worker thread
    // rebuilds it from them), so the thread hand-off builds no object here.
    const proxyEvent = proxyEventValues(
      request,
      stage,
      method,
      pathParameters,
      authorizer,
      caller,
      'event',
      apiKey,
    );
    const trace = request.executionLog;
    if (trace)
      traceLambdaRequest(trace, exchange, functionName, methodSourceArn(exchange), undefined);
    const started = trace ? performance.now() : 0;
    const { tracing } = request;
    const traced = tracing && startInvokeTracing(tracing, functionName, stage.settings.region);
    const invocation = invoker.invoke({
      functionName,
      proxyEvent,
      requestId: request.requestId,
      traceId: traced?.traceHeader ?? functionTraceHeader(request.traceRoot),
    });
    const resulting = invocationResult(invocation, timeoutInMillis, newBadGateway);
    const result = await (traced ? endInvokeTracing(traced, resulting) : resulting);
    if (trace) traceLambdaResponse(trace, exchange, result, performance.now() - started);
    if (result.functionError) {
      throw new BadGatewayError(
        `Lambda function error: ${result.errorType ?? 'Error'}: ${result.errorMessage ?? ''}`,
      );
    }
    const answer = toHttpAnswer(result.payload, exchange);
    answer.traceRoot = request.traceRoot;
    return answer;
  };
}

/** The function's resource policy must let API Gateway invoke it from this method. */
/**
 * Whether the integration's function may be invoked now: it exists (AWS deploys an integration
 * whose function does not, and answers 500), and its resource policy lets API Gateway in.
 */
export function checkInvokable(
  invoker: Invoker,
  permissions: InvokePermissions,
  functionName: string,
  exchange: Exchange,
): void {
  if (!invoker.has(functionName)) throw new LambdaFunctionNotFoundError(functionName);
  if (permissions.enforced(functionName) && !permissions.allows(functionName, sourceArns(exchange)))
    throw new LambdaPermissionError(functionName);
}

/**
 * The source ARNs API Gateway presents: the method as defined (resource path, as the console's
 * "Grant & Create" writes it) and as called (the request's path).
 */
/** The method as defined: what API Gateway signs as `X-Amz-Source-Arn`. */
export function methodSourceArn({ request, stage, method }: Exchange): string {
  return executeApiArn(
    stage.settings,
    stage.apiId,
    stage.stageName,
    request.httpMethod,
    method.resourcePath,
  );
}

function sourceArns({ request, stage, method }: Exchange): string[] {
  const arn = (path: string) =>
    executeApiArn(stage.settings, stage.apiId, stage.stageName, request.httpMethod, path);
  return [arn(method.resourcePath), arn(request.path)];
}

/** Validates the function's output exactly as AWS does and turns it into an HTTP answer. */
export function toHttpAnswer(payload: string, exchange: Exchange): HttpAnswer {
  let output: unknown;
  try {
    output = JSON.parse(payload);
  } catch {
    throw new BadGatewayError('Malformed Lambda proxy response: not JSON');
  }
  if (output === null || typeof output !== 'object' || Array.isArray(output)) {
    throw new BadGatewayError('Malformed Lambda proxy response: not an object');
  }
  const o = output as Record<string, unknown>;
  for (const key in o) {
    if (!RESPONSE_KEYS.has(key))
      throw new BadGatewayError(`Malformed Lambda proxy response: unexpected field ${key}`);
  }
  const statusCode = o.statusCode === undefined ? 200 : Number(o.statusCode);
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    throw new BadGatewayError('Malformed Lambda proxy response: bad statusCode');
  }
  if (o.body !== undefined && o.body !== null && typeof o.body !== 'string') {
    throw new BadGatewayError('Malformed Lambda proxy response: body must be a string');
  }
  if (o.isBase64Encoded !== undefined && typeof o.isBase64Encoded !== 'boolean') {
    throw new BadGatewayError('Malformed Lambda proxy response: isBase64Encoded must be a boolean');
  }
  const headers = mergeHeaders(o.headers, o.multiValueHeaders);
  let body: Buffer | string = o.body ?? '';
  // Base64 bodies become binary only when the client accepts a binary media type.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/lambda-proxy-binary-media.html
  if (o.isBase64Encoded === true && body !== '') {
    const accept = exchange.request.headersLower.get('accept');
    const first = accept?.split(',')[0];
    if (first && matchesMediaType(first, exchange.stage.binaryMediaTypes)) {
      // Node's decoder skips what is not base64 and would send the client garbage bytes. AWS
      // documents nothing for this; a function that says base64 and is not has answered in a
      // shape API Gateway cannot use, which is what "Malformed Lambda proxy response" (502) means.
      if (!BASE64.test(body) || body.length % 4 !== 0)
        throw new BadGatewayError('Malformed Lambda proxy response: body is not valid base64');
      body = Buffer.from(body, 'base64');
    }
  }
  return { statusCode, headers, body };
}

/**
 * "If you specify values for both headers and multiValueHeaders, API Gateway merges them into a
 * single list. If the same key-value pair is specified in both, only the values from
 * multiValueHeaders will appear in the merged list."
 */
function mergeHeaders(single: unknown, multi: unknown): [string, string][] {
  const out: [string, string][] = [];
  if (single !== undefined && single !== null && !isPlainObject(single)) {
    throw new BadGatewayError('Malformed Lambda proxy response: headers must be an object');
  }
  if (multi !== undefined && multi !== null && !isPlainObject(multi)) {
    throw new BadGatewayError(
      'Malformed Lambda proxy response: multiValueHeaders must be an object',
    );
  }
  const m = (multi ?? {}) as Record<string, unknown>;
  for (const name in m) {
    const values = m[name];
    if (!Array.isArray(values))
      throw new BadGatewayError(
        'Malformed Lambda proxy response: multiValueHeaders values must be arrays',
      );
    for (const v of values) out.push(sendable(name, scalar(v)));
  }
  const s = (single ?? {}) as Record<string, unknown>;
  for (const name in s) {
    const value = scalar(s[name]);
    if (Object.hasOwn(m, name) && (m[name] as unknown[]).some((v) => scalar(v) === value)) continue;
    out.push(sendable(name, value));
  }
  return out;
}

/**
 * A header HTTP can carry: a token for a name, no CR, LF or NUL and nothing beyond Latin-1 in the
 * value. Written as is, a CR/LF would end the status line's headers early (response splitting)
 * and node:http refuses it only after the status is chosen. AWS documents nothing for such a
 * header; we refuse the whole response as malformed (502), the safe reading of its rules.
 */
function sendable(name: string, value: string): [string, string] {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value);
  } catch {
    throw new BadGatewayError(
      `Malformed Lambda proxy response: header ${JSON.stringify(name)} has characters HTTP cannot carry`,
    );
  }
  return [clientHeaderName(name), value];
}

function scalar(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return '';
  throw new BadGatewayError('Malformed Lambda proxy response: header values must be scalars');
}

const isPlainObject = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
