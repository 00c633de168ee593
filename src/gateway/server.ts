// The data-plane listener: node:http, because only it keeps header case and order.
import { randomUUID } from 'node:crypto';
import { DEBUG_HEADER, isValidDebugToken, TRACE_HEADER } from '../auth/debug-token.js';
import { debugTraceHeader } from '../observability/debug-trace.js';
import {
  endRequestTracing,
  startRequestTracing,
  xrayRootOf,
  type RequestTracing,
} from '../observability/tracing.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { requestAnswered, type RequestAnswered } from '../observability/channels.js';
import type { Logger } from '../observability/logger.js';
import type { CompiledStage, HttpAnswer } from './compiled-api.js';
import type { DeployedStages } from './deployments.js';
import { GatewayResponseError } from './errors.js';
import { traceCompletion } from './execution-narrative.js';
import { readBody, toGatewayRequest } from './http/incoming.js';
import { canonicalPath } from './http/request-path.js';
import { newRequestIds } from './http/request-ids.js';
import type { Pipeline } from './pipeline.js';
import type { GatewayRequest } from './request.js';
import { renderGatewayError, renderInternalError } from './responses.js';
import { resolveStage } from './steps/resolve-stage.js';

export interface GatewayServerDeps {
  stages: DeployedStages;
  pipeline: Pipeline;
  logger: Logger;
  now: () => number;
  /** Keys of the admin's debug tokens (`X-Sallyport-Debug`); none: the header does nothing. */
  debugKeys?: readonly Buffer[];
}

export function createGatewayServer(deps: GatewayServerDeps): Server {
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    const requestId = randomUUID();
    handle(req, res, deps, requestId).catch((error: unknown) => {
      if (clientGone(req, res)) {
        logClientAbort(deps, req, error);
        return;
      }
      deps.logger.error({ requestId, err: error }, 'unexpected error answering a request');
      const rendered = renderInternalError(requestId);
      if (!res.headersSent) res.writeHead(rendered.statusCode, rendered.headers);
      res.end(rendered.body);
    });
  });
  return server;
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  deps: GatewayServerDeps,
  requestId: string,
): Promise<void> {
  const started = deps.now();
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const pathname = q === -1 ? url : url.slice(0, q);
  const rawQuery = q === -1 ? '' : url.slice(q + 1);
  let stage: CompiledStage | undefined;
  let request: GatewayRequest | undefined;
  let answer: HttpAnswer;
  const ids = newRequestIds(started);
  const at = { requestId, extendedRequestId: ids.extendedRequestId, started };
  const debug = wantsTrace(req, deps);
  const tracing = startRequestTracing(req.headers, started);
  try {
    const resolved = resolveStage(deps.stages, req.headers.host, pathname);
    stage = resolved.stage;
    const path = canonicalPath(resolved.path);
    const body = await readBody(req);
    request = toGatewayRequest(req, body, path, rawQuery, requestId, started, ids);
    if (tracing) {
      request.tracing = tracing;
      request.traceRoot = xrayRootOf(tracing);
    }
    answer = await deps.pipeline(request, stage);
  } catch (error) {
    if (!(error instanceof GatewayResponseError)) throw error;
    if (!req.complete) req.resume();
    const rendered = renderGatewayError(error, stage, requestId, request);
    if (clientGone(req, res)) return logClientAbort(deps, req, error);
    rendered.headers['x-amz-apigw-id'] = ids.extendedRequestId;
    rendered.headers['Content-Length'] = String(Buffer.byteLength(rendered.body));
    if (debug) rendered.headers[TRACE_HEADER] = traceOf(deps, rendered.statusCode, request, error);
    res.writeHead(rendered.statusCode, rendered.headers);
    res.end(rendered.body);
    const bytes = Buffer.byteLength(rendered.body);
    answered(deps, req, at, rendered.statusCode, bytes, stage, request, error);
    if (request?.executionLog)
      traceCompletion(request.executionLog, rendered.statusCode, undefined, error);
    if (tracing) endTrace(tracing, req, at, rendered.statusCode, stage, request, error);
    return;
  }
  if (clientGone(req, res)) return logClientAbort(deps, req);
  const trace = debug ? traceOf(deps, answer.statusCode, request) : undefined;
  const bytes = send(res, answer, requestId, ids.extendedRequestId, trace);
  answered(deps, req, at, answer.statusCode, bytes, stage, request);
  if (request.executionLog)
    traceCompletion(request.executionLog, answer.statusCode, answer, undefined);
  if (tracing) endTrace(tracing, req, at, answer.statusCode, stage, request);
}

function endTrace(
  tracing: RequestTracing,
  req: IncomingMessage,
  ids: { requestId: string; extendedRequestId: string },
  status: number,
  stage: CompiledStage | undefined,
  request: GatewayRequest | undefined,
  error?: GatewayResponseError,
): void {
  endRequestTracing(tracing, {
    method: req.method ?? 'GET',
    path: request?.path ?? (req.url ?? '/').split('?', 1)[0]!,
    requestId: ids.requestId,
    extendedRequestId: ids.extendedRequestId,
    sourceIp: request?.sourceIp ?? req.socket.remoteAddress,
    userAgent: req.headers['user-agent'],
    apiId: stage?.apiId,
    apiName: stage?.apiName,
    stage: stage?.stageName,
    resourcePath: request?.matched?.resourcePath,
    status,
    region: stage?.settings.region,
    errorType: error?.responseType,
  });
}

/** Writes the answer; returns the body's length in bytes. */
function send(
  res: ServerResponse,
  answer: HttpAnswer,
  requestId: string,
  extendedRequestId: string,
  trace: string | undefined,
): number {
  // Flat [name, value, …] keeps the integration's header case and repeated headers.
  const flat: string[] = [];
  let hasContentType = false;
  for (const [name, value] of answer.headers) {
    if (!hasContentType && name.length === 12 && name.toLowerCase() === 'content-type')
      hasContentType = true;
    flat.push(name, value);
  }
  if (!hasContentType) flat.push('Content-Type', 'application/json');
  flat.push('x-amzn-RequestId', requestId, 'x-amz-apigw-id', extendedRequestId);
  if (answer.traceRoot !== undefined) flat.push('X-Amzn-Trace-Id', answer.traceRoot);
  if (trace !== undefined) flat.push(TRACE_HEADER, trace);
  const bytes = Buffer.byteLength(answer.body);
  flat.push('Content-Length', String(bytes));
  res.writeHead(answer.statusCode, flat);
  res.end(answer.body);
  return bytes;
}

/**
 * The client closed its connection before the answer: nothing can be written to it, and it is
 * no fault of ours (a reader that reads no further), so it is not an error.
 */
function clientGone(req: IncomingMessage, res: ServerResponse): boolean {
  return res.destroyed || req.socket.destroyed;
}

function logClientAbort(deps: GatewayServerDeps, req: IncomingMessage, error?: unknown): void {
  if (!deps.logger.isLevelEnabled('debug')) return;
  deps.logger.debug(
    { method: req.method, url: req.url, reason: (error as Error | undefined)?.message },
    'client aborted the request',
  );
}

/**
 * The request is answered: tell whoever observes requests (channels.ts) — the request log and
 * the metrics — with what the steps left on the request.
 */
function answered(
  deps: GatewayServerDeps,
  req: IncomingMessage,
  ids: { requestId: string; extendedRequestId: string; started: number },
  status: number,
  responseLength: number,
  stage: CompiledStage | undefined,
  request: GatewayRequest | undefined,
  error?: GatewayResponseError,
) {
  if (!requestAnswered.hasSubscribers) return;
  const { requestId, extendedRequestId, started } = ids;
  requestAnswered.publish({
    requestId,
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    extendedRequestId,
    requestTimeEpoch: started,
    sourceIp: request?.sourceIp ?? req.socket.remoteAddress ?? '',
    userAgent: req.headers['user-agent'],
    protocol: `HTTP/${req.httpVersion}`,
    domainName: req.headers.host,
    responseLength,
    apiId: stage?.apiId,
    apiName: stage?.apiName,
    stage: stage?.stageName,
    resourcePath: request?.matched?.resourcePath,
    httpMethod: request?.matched?.httpMethod,
    status,
    latencyMs: deps.now() - started,
    integrationLatencyMs: request?.integrationLatencyMs,
    authorization: request?.authorization,
    error: error && errorFacts(error),
  } satisfies RequestAnswered);
}

function errorFacts(error: GatewayResponseError): NonNullable<RequestAnswered['error']> {
  return {
    type: error.responseType,
    message: error.messageString,
    logMessage: error.message,
    reason: 'reason' in error ? String(error.reason) : undefined,
  };
}

/**
 * A request asks for its trace with the admin's debug token (auth/debug-token.ts). Without the
 * header this is one property read; with a wrong value the answer is exactly as without it.
 */
function wantsTrace(req: IncomingMessage, deps: GatewayServerDeps): boolean {
  const value = req.headers[DEBUG_HEADER];
  if (value === undefined || !deps.debugKeys?.length || typeof value !== 'string') return false;
  return isValidDebugToken(value, deps.debugKeys, deps.now());
}

function traceOf(
  deps: GatewayServerDeps,
  status: number,
  request: GatewayRequest | undefined,
  error?: GatewayResponseError,
): string {
  return debugTraceHeader(
    {
      status,
      error: error && errorFacts(error),
      authorization: request?.authorization,
      resourcePath: request?.matched?.resourcePath,
      httpMethod: request?.matched?.httpMethod,
    },
    deps.now(),
  );
}
