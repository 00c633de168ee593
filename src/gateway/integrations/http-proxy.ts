// HTTP_PROXY: pass the request through to an HTTP backend and its answer back, untouched.
// undici, not fetch: a proxy must not follow redirects or decompress.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/setup-http-integrations.html#api-gateway-set-up-http-proxy-integration-on-proxy-resource
import { validateHeaderValue } from 'node:http';
import { performance } from 'node:perf_hooks';
import { errors, request, type Dispatcher } from 'undici';
import type { Integration } from '../../model/types.js';
import type { Exchange, HttpAnswer, IntegrationHandler } from '../compiled-api.js';
import { BadGatewayError, IntegrationFailureError, IntegrationTimeoutError } from '../errors.js';
import { checkPathValue } from '../http/request-path.js';
import { decodePathValue } from '../router.js';
import { compileParameterSource, type ParameterSource } from '../mapping/parameters.js';
import { anyKeyMap } from '../any-key-map.js';
import { clientHeaderName } from './remapped-headers.js';
import { withStageVariables } from '../mapping/stage-variables.js';
import { traceHttpRequest, traceHttpResponse } from '../execution-narrative.js';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);

/** Of the backend's answer, these never reach the client; Connection and Content-Length are remapped. */
const DROPPED_FROM_RESPONSE = new Set(['keep-alive', 'trailer', 'transfer-encoding', 'upgrade']);

export function httpProxyIntegration(
  integration: Integration,
  dispatcher: Dispatcher,
): IntegrationHandler {
  const uri = integration.uri ?? '';
  const timeout = integration.timeoutInMillis;
  const mapped = compileRequestParameters(integration);

  return async (exchange: Exchange): Promise<HttpAnswer> => {
    const { request: req } = exchange;
    const target = backendUrl(uri, mapped, exchange, req.rawQuery);

    const headers = anyKeyMap<string | string[]>();
    for (const [name, values] of Object.entries(req.headers.multi)) {
      if (!HOP_BY_HOP.has(name.toLowerCase()))
        headers[name] = values.length === 1 ? values[0]! : values;
    }
    for (const [name, source] of mapped.header) {
      const value = source(exchange);
      if (value !== undefined) headers[name] = mappedHeaderValue(name, value);
    }
    const forwardedFor = req.headersLower.get('x-forwarded-for');
    headers['X-Forwarded-For'] = forwardedFor ? `${forwardedFor}, ${req.sourceIp}` : req.sourceIp;
    // What API Gateway adds to every backend request, as recorded against AWS
    // (localstack/localstack tests/aws/services/apigateway/test_apigateway_http.snapshot.json,
    // test_http_integration_with_lambda[HTTP_PROXY]: x-amzn-apigateway-api-id, x-amzn-trace-id).
    headers['x-amzn-apigateway-api-id'] = exchange.stage.apiId;
    headers['X-Amzn-Trace-Id'] = req.traceRoot;

    const method = (
      integration.httpMethod && integration.httpMethod !== 'ANY'
        ? integration.httpMethod
        : req.httpMethod
    ).toUpperCase();
    const sent = req.body.length > 0 && method !== 'GET' && method !== 'HEAD' ? req.body : null;
    const trace = req.executionLog;
    if (trace) traceHttpRequest(trace, String(target), headers, sent);
    const started = trace ? performance.now() : 0;
    try {
      const response = await request(target, {
        method: method,
        headers,
        body: sent,
        dispatcher,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      const body = Buffer.from(await response.body.arrayBuffer());
      if (trace)
        traceHttpResponse(
          trace,
          response.statusCode,
          performance.now() - started,
          Object.entries(response.headers),
          body,
        );
      const out: [string, string][] = [];
      for (const [name, value] of Object.entries(response.headers)) {
        if (value === undefined || DROPPED_FROM_RESPONSE.has(name)) continue;
        const clientName = clientHeaderName(name);
        if (Array.isArray(value)) for (const v of value) out.push([clientName, v]);
        else out.push([clientName, value]);
      }
      return { statusCode: response.statusCode, headers: out, body, traceRoot: req.traceRoot };
    } catch (error) {
      if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
        throw new IntegrationTimeoutError();
      }
      throw new IntegrationFailureError(`HTTP backend failed: ${(error as Error).message}`);
    }
  };
}

/** `integration.request.{path|querystring|header}.X` ← a mapping expression, compiled. */
export interface RequestParameters {
  path: [string, ParameterSource][];
  querystring: [string, ParameterSource][];
  header: [string, ParameterSource][];
}

export function compileRequestParameters(integration: Integration): RequestParameters {
  const mapped: RequestParameters = { path: [], querystring: [], header: [] };
  for (const [target, expression] of Object.entries(integration.requestParameters ?? {})) {
    const m = /^integration\.request\.(path|header|querystring)\.(.+)$/.exec(target);
    if (!m) continue;
    mapped[m[1] as keyof RequestParameters].push([m[2]!, compileParameterSource(expression)]);
  }
  return mapped;
}

/**
 * The backend URL: `${stageVariables.X}` anywhere, `{X}` from `integration.request.path.X` (AWS's
 * import maps `{proxy}` this way) or the method's own path parameter, the mapped query string
 * after `query` (the client's, for a proxy; none for a non-proxy integration).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/aws-api-gateway-stage-variables-reference.html
 */
export function backendUrl(
  uri: string,
  mapped: RequestParameters,
  exchange: Exchange,
  query: string,
): URL {
  // `${stageVariables.X}` may appear anywhere in an HTTP integration URI.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/aws-api-gateway-stage-variables-reference.html
  const withVariables = withStageVariables(uri, exchange.stage.variables);
  let url = withVariables.replace(/\{([^{}]+?)\+?\}/g, (_, name: string) => {
    const found = mapped.path.find(([n]) => n === name || `${n}+` === name);
    // Path parameters reach functions percent-encoded; a backend gets them decoded once.
    const raw = found ? undefined : exchange.pathParameters?.[name.replace(/\+$/, '')];
    const value = found ? found[1](exchange) : raw && decodePathValue(raw);
    if (value === undefined) return '';
    checkPathValue(value);
    return encodePath(value);
  });
  const extraQuery = mapped.querystring
    .map(([name, source]) => [name, source(exchange)] as const)
    .filter(([, v]) => v !== undefined)
    .map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v!)}`);
  const fullQuery = [query, ...extraQuery].filter(Boolean).join('&');
  if (fullQuery) url += (url.includes('?') ? '&' : '?') + fullQuery;
  // Parsed once: the checked URL object is the one undici sends.
  return checkBackendUrl(url, withVariables);
}

/**
 * A mapped value (an authorizer's principalId or context, a stage variable) may hold what no HTTP
 * header can: CR/LF, or characters beyond Latin-1. AWS documents nothing for this; sending it
 * would split or corrupt the upstream request, so the request is refused as a 502 before any
 * byte goes upstream.
 */
export function mappedHeaderValue(name: string, value: string): string {
  try {
    validateHeaderValue(name, value);
  } catch {
    throw new BadGatewayError(
      `integration.request.header.${name} maps a value with characters HTTP cannot carry`,
    );
  }
  return value;
}

function encodePath(value: string): string {
  return value.split('/').map(encodeURIComponent).join('/');
}

/**
 * The last guard before a request leaves: the URL parser must read the path exactly as it was
 * built (no dot segment resolved away), and a value substituted after the host must not have
 * changed the host (`http://backend{proxy}` with `.evil.example`). Otherwise the backend would
 * get a resource other than the one routed and authorized.
 */
function checkBackendUrl(url: string, template: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new IntegrationFailureError(`the backend URL is not a URL: ${url}`);
  }
  const authorityStart = url.indexOf('//') + 2;
  const pathStart = url.indexOf('/', authorityStart);
  const q = url.indexOf('?');
  const built =
    pathStart === -1 || (q !== -1 && q < pathStart)
      ? '/'
      : url.slice(pathStart, q === -1 ? undefined : q);
  if (parsed.pathname !== built)
    throw new IntegrationFailureError(
      `the backend path ${built} would be sent as ${parsed.pathname}`,
    );
  const authorityEnd = template.slice(authorityStart).search(/[/?{]/);
  const authority =
    authorityEnd === -1
      ? template.slice(authorityStart)
      : template.slice(authorityStart, authorityStart + authorityEnd);
  // A host that is itself a parameter has nothing to compare with.
  if (template[authorityStart + authority.length] === '{') return parsed;
  if (parsed.host !== new URL(`${parsed.protocol}//${authority}`).host)
    throw new IntegrationFailureError(
      `a path parameter changed the backend host to ${parsed.host}`,
    );
  return parsed;
}
