// The execution log's lines, in AWS's words and order, for each stage of a request. Called only
// when a request has a trace (execution-trace.ts). The texts and their order follow API Gateway's
// recorded logs:
//  - TestInvokeMethod of a Lambda proxy (2025): Starting execution … HTTP Method … Method request
//    path/query string/headers/body … Endpoint request URI/headers/body after transformations …
//    Sending request to … Received response. Status: 200, Integration latency: N ms … Endpoint
//    response headers/body before transformations … Method response body after transformations …
//    Method response headers … Successfully completed execution … Method completed with status: 200
//    (the console's test output, as in
//    https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-create-api-as-simple-proxy-for-lambda.html)
//  - CloudWatch `API-Gateway-Execution-Logs_{id}/{stage}` at INFO without data trace: Verifying
//    Usage Plan for request: {id}. API Key:  API Stage: {api}/{stage} … API Key  authorized because
//    method 'POST /x' does not require API Key. Request will not contribute to throttle or quota
//    limits … Usage Plan check succeeded for API Key  and API Stage {api}/{stage} … Starting
//    execution … HTTP Method … Successfully completed execution … Method completed with status
//    (the request and endpoint lines are data trace);
//  - CloudWatch (2026): `Extended Request Id: W9zMPGrHtjMEeFw=` first.
import { proxyEventOf } from '../functions/lambda-proxy-event.js';
import type { EventPayload, InvokeResult } from '../functions/invoker.js';
import { lambdaFunctionArn } from '../model/arn.js';
import { awsMap, maskSecret } from '../observability/execution-log-format.js';
import type { Exchange, HttpAnswer } from './compiled-api.js';
import { GatewayResponseError } from './errors.js';
import { proxyEventValues } from './events/proxy-event.js';
import type { ExecutionTrace } from './execution-trace.js';

/** Headers whose values AWS redacts ("authorization headers, API key values"). */
const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'proxy-authorization', 'cookie']);

/**
 * Opens the narrative: the extended request id, and every secret the request carries (the
 * Authorization and x-api-key headers, the values a Lambda authorizer reads), so no later line
 * — a header map, an event body, a function's echo — writes them whole.
 */
export function traceStart(trace: ExecutionTrace, exchange: Exchange): void {
  traceSecrets(trace, exchange);
  trace.line(`Extended Request Id: ${exchange.request.extendedRequestId}`);
}

/** Registers the secrets the request carries, without a line (TestInvokeMethod's log). */
export function traceSecrets(trace: ExecutionTrace, exchange: Exchange): void {
  const { request } = exchange;
  for (const [name, value] of request.headersLower)
    if (isSecretHeader(name, exchange)) trace.secret(value);
  const auth = exchange.method.authorization;
  if (auth.kind === 'lambda')
    for (const expression of auth.authorizer.identitySource.expressions) {
      const query = /^method\.request\.querystring\.(.+)$/.exec(expression)?.[1];
      const value = query === undefined ? undefined : request.query.single[query];
      if (value !== undefined) trace.secret(value);
    }
}

function isSecretHeader(lowerName: string, exchange: Exchange): boolean {
  if (SECRET_HEADERS.has(lowerName)) return true;
  const auth = exchange.method.authorization;
  if (auth.kind !== 'lambda') return false;
  return auth.authorizer.identitySource.expressions.some(
    (e) => e.toLowerCase() === `method.request.header.${lowerName}`,
  );
}

/** The usage-plan check's three lines, after the API key step admitted the request. */
export function traceUsagePlan(trace: ExecutionTrace, exchange: Exchange): void {
  const { request, stage, method } = exchange;
  // AWS writes the key masked, or nothing (two spaces) when the method needs none.
  const key = exchange.apiKey ? maskSecret(exchange.apiKey.value) : '';
  const apiStage = `${stage.apiId}/${stage.stageName}`;
  trace.line(
    `Verifying Usage Plan for request: ${request.requestId}. API Key: ${key} API Stage: ${apiStage}`,
  );
  if (!method.apiKeyRequired)
    trace.line(
      `API Key ${key} authorized because method '${request.httpMethod} ${method.resourcePath}' does not require API Key. Request will not contribute to throttle or quota limits`,
    );
  trace.line(`Usage Plan check succeeded for API Key ${key} and API Stage ${apiStage}`);
}

/** "Starting execution", the method and path, and (data trace) the method request as received. */
export function traceMethodRequest(trace: ExecutionTrace, exchange: Exchange): void {
  const { request, pathParameters } = exchange;
  trace.line(`Starting execution for request: ${request.requestId}`);
  trace.line(`HTTP Method: ${request.httpMethod}, Resource Path: ${request.path}`);
  if (!trace.data) return;
  trace.line(`Method request path: ${awsMap(pathParameters ?? {})}`);
  trace.line(`Method request query string: ${awsMap(request.query.single)}`);
  const headers: [string, string][] = Object.entries(request.headers.single).map(([k, v]) => [
    k,
    isSecretHeader(k.toLowerCase(), exchange) ? maskSecret(v) : v,
  ]);
  trace.line(`Method request headers: ${awsMap(headers)}`);
  trace.line(`Method request body before transformations: ${request.body.toString()}`);
}

/** `https://lambda.{region}.amazonaws.com/2015-03-31/functions/{arn}/invocations`. */
export function lambdaInvokeUri(exchange: Exchange, functionName: string): string {
  const { settings } = exchange.stage;
  return `https://lambda.${settings.region}.amazonaws.com/2015-03-31/functions/${lambdaFunctionArn(settings, functionName)}/invocations`;
}

/**
 * The request API Gateway sends Lambda (data trace): the Invoke URI, the headers it would sign
 * (Sallyport calls the function in process, so there is no signature to show), the event.
 */
export function traceLambdaRequest(
  trace: ExecutionTrace,
  exchange: Exchange,
  functionName: string,
  sourceArn: string,
  /** The event sent; undefined for a proxy integration's own event. */
  payload: EventPayload | undefined,
): void {
  if (!trace.data) return;
  const { request, stage } = exchange;
  const uri = lambdaInvokeUri(exchange, functionName);
  trace.line(`Endpoint request URI: ${uri}`);
  trace.line(
    `Endpoint request headers: ${awsMap({
      'x-amzn-lambda-integration-tag': request.requestId,
      'X-Amz-Date': amzDate(request.requestTimeEpoch),
      'x-amzn-apigateway-api-id': stage.apiId,
      'X-Amz-Source-Arn': sourceArn,
      Accept: 'application/json',
      'User-Agent': `AmazonAPIGateway_${stage.apiId}`,
      'X-Amzn-Trace-Id': request.traceRoot,
    })}`,
  );
  const body =
    payload === undefined
      ? proxyEventBody(exchange)
      : (payload.eventJson ?? JSON.stringify(payload.event));
  trace.line(`Endpoint request body after transformations: ${body}`);
  trace.line(`Sending request to ${uri}`);
}

function proxyEventBody(exchange: Exchange): string {
  const { request, stage, method, pathParameters, authorizer, caller, apiKey } = exchange;
  return JSON.stringify(
    proxyEventOf(
      proxyEventValues(request, stage, method, pathParameters, authorizer, caller, 'event', apiKey),
    ),
  );
}

/** Lambda's answer (data trace): Invoke's status, its headers and the payload. */
export function traceLambdaResponse(
  trace: ExecutionTrace,
  exchange: Exchange,
  result: InvokeResult,
  latencyMs: number,
): void {
  if (!trace.data) return;
  trace.line(`Received response. Status: 200, Integration latency: ${Math.round(latencyMs)} ms`);
  const headers: Record<string, string> = {
    Date: new Date().toUTCString(),
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(result.payload)),
    Connection: 'keep-alive',
    'x-amzn-RequestId': result.requestId,
  };
  if (result.functionError) headers['X-Amz-Function-Error'] = result.functionError;
  headers['x-amzn-Remapped-Content-Length'] = '0';
  headers['X-Amz-Executed-Version'] = '$LATEST';
  headers['X-Amzn-Trace-Id'] = exchange.request.traceRoot;
  trace.line(`Endpoint response headers: ${awsMap(headers)}`);
  trace.line(`Endpoint response body before transformations: ${result.payload}`);
}

/** An HTTP backend's request (data trace). */
export function traceHttpRequest(
  trace: ExecutionTrace,
  url: string,
  headers: Record<string, string | string[]>,
  body: string | Buffer | null,
): void {
  if (!trace.data) return;
  trace.line(`Endpoint request URI: ${url}`);
  trace.line(`Endpoint request headers: ${awsMap(flatHeaders(Object.entries(headers)))}`);
  trace.line(`Endpoint request body after transformations: ${body?.toString() ?? ''}`);
  trace.line(`Sending request to ${url}`);
}

/** An HTTP backend's answer (data trace). */
export function traceHttpResponse(
  trace: ExecutionTrace,
  status: number,
  latencyMs: number,
  headers: Iterable<[string, string | string[] | undefined]>,
  body: Buffer,
): void {
  if (!trace.data) return;
  trace.line(
    `Received response. Status: ${status}, Integration latency: ${Math.round(latencyMs)} ms`,
  );
  trace.line(`Endpoint response headers: ${awsMap(flatHeaders(headers))}`);
  trace.line(`Endpoint response body before transformations: ${body.toString()}`);
}

function flatHeaders(
  headers: Iterable<[string, string | string[] | undefined]>,
): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, value] of headers)
    if (value !== undefined) out.push([name, Array.isArray(value) ? value.join(',') : value]);
  return out;
}

/**
 * The end of the request: the method response (data trace), then success and the status; or,
 * when a gateway response ended it, why (an ERROR line) and the status. A refusal by an
 * authorizer wrote its own lines (`Unauthorized request: …`) and AWS writes no status after them.
 */
export function traceCompletion(
  trace: ExecutionTrace,
  status: number,
  answer: HttpAnswer | undefined,
  error: unknown,
): void {
  if (error instanceof GatewayResponseError) {
    if (AUTHORIZER_REFUSALS.has(error.responseType)) return;
    trace.error(failureLine(error, status));
    trace.error(`Method completed with status: ${status}`);
    return;
  }
  if (trace.data && answer) {
    trace.line(`Method response body after transformations: ${answer.body.toString()}`);
    const headers = [...answer.headers];
    if (!headers.some(([name]) => name.toLowerCase() === 'content-type'))
      headers.push(['Content-Type', 'application/json']);
    if (answer.traceRoot !== undefined) headers.push(['X-Amzn-Trace-Id', answer.traceRoot]);
    trace.line(`Method response headers: ${awsMap(headers)}`);
  }
  trace.line('Successfully completed execution');
  trace.line(`Method completed with status: ${status}`);
}

const AUTHORIZER_REFUSALS = new Set([
  'UNAUTHORIZED',
  'ACCESS_DENIED',
  'AUTHORIZER_CONFIGURATION_ERROR',
  'AUTHORIZER_FAILURE',
]);

/**
 * AWS's words for a failure: `Execution failed due to configuration error: Malformed Lambda proxy
 * response` and the like; Sallyport's reasons start with AWS's words and add the detail.
 */
function failureLine(error: GatewayResponseError, status: number): string {
  if (error.message.startsWith('Execution failed')) return error.message;
  if ('reason' in error)
    return `Execution failed due to configuration error: ${String(error.reason)}`;
  // As CloudWatch records a gateway response: `Gateway response type: AUTHORIZER_CONFIGURATION_ERROR
  // with status code: 500`.
  return `Gateway response type: ${error.responseType} with status code: ${status}`;
}

/** `20170831T010725Z`, SigV4's X-Amz-Date. */
function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
