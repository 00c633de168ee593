// HTTP (non-proxy): the integration request is built from mappings only — the URI, the mapped
// path, query string and headers, and the body a request template renders (or the payload the
// passthrough behaviour lets through); the backend's status code selects the integration
// response (selectionPattern on the status, else the default), which shapes the answer.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/setup-http-integrations.html#set-up-http-custom-integrations
import { performance } from 'node:perf_hooks';
import { errors, request, type Dispatcher } from 'undici';
import { traceHttpRequest, traceHttpResponse } from '../execution-narrative.js';
import type { Integration } from '../../model/types.js';
import { anyKeyMap } from '../any-key-map.js';
import type { Exchange, HttpAnswer, IntegrationHandler } from '../compiled-api.js';
import { IntegrationFailureError, IntegrationTimeoutError } from '../errors.js';
import { matchesMediaType } from '../events/proxy-event.js';
import { compileIntegrationResponses } from '../mapping/integration-responses.js';
import { compileRequestBody, mediaType } from '../mapping/request-body.js';
import { backendUrl, compileRequestParameters, mappedHeaderValue } from './http-proxy.js';

export function httpIntegration(
  integration: Integration,
  dispatcher: Dispatcher,
  where: string,
): IntegrationHandler {
  const uri = integration.uri ?? '';
  const timeout = integration.timeoutInMillis;
  const mapped = compileRequestParameters(integration);
  const requestBody = compileRequestBody(integration);
  const responses = compileIntegrationResponses(integration, where);

  return async (exchange: Exchange): Promise<HttpAnswer> => {
    const { request: req } = exchange;
    const target = backendUrl(uri, mapped, exchange, '');
    const body = requestBody(exchange);
    const method = (
      integration.httpMethod && integration.httpMethod !== 'ANY'
        ? integration.httpMethod
        : req.httpMethod
    ).toUpperCase();
    const headers = anyKeyMap<string>();
    // The body's type: the template's (keyed by the method request's type), or the payload's own.
    headers['Content-Type'] = mediaType(req.headersLower.get('content-type'));
    for (const [name, source] of mapped.header) {
      const value = source(exchange);
      if (value !== undefined) headers[name] = mappedHeaderValue(name, value);
    }
    const sendBody = body.length > 0 && method !== 'GET' && method !== 'HEAD';
    if (!sendBody) delete headers['Content-Type'];
    let statusCode: number;
    let answerHeaders: Map<string, string[]>;
    let payload: Buffer;
    const trace = req.executionLog;
    if (trace) traceHttpRequest(trace, String(target), headers, sendBody ? body : null);
    const started = trace ? performance.now() : 0;
    try {
      const response = await request(target, {
        method,
        headers,
        body: sendBody ? body : null,
        dispatcher,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      payload = Buffer.from(await response.body.arrayBuffer());
      statusCode = response.statusCode;
      answerHeaders = new Map();
      for (const [name, value] of Object.entries(response.headers)) {
        if (value === undefined) continue;
        answerHeaders.set(name.toLowerCase(), Array.isArray(value) ? value : [value]);
      }
      if (trace)
        traceHttpResponse(trace, statusCode, performance.now() - started, answerHeaders, payload);
    } catch (error) {
      if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError)
        throw new IntegrationTimeoutError();
      throw new IntegrationFailureError(`HTTP backend failed: ${(error as Error).message}`);
    }
    const contentType = answerHeaders.get('content-type')?.at(-1);
    const answer = responses.answer(exchange, String(statusCode), {
      body: payload,
      headers: answerHeaders,
      binary:
        contentType !== undefined && matchesMediaType(contentType, exchange.stage.binaryMediaTypes),
    });
    // A backend answered: the client sees the request's trace, as for HTTP_PROXY.
    answer.traceRoot = req.traceRoot;
    return answer;
  };
}
