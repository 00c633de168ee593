// The Lambda proxy integration event (payload version 1.0) and the REQUEST authorizer event, which
// shares its request fields: their values, read from a request here; their shape is defined once,
// in functions/lambda-proxy-event.ts.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
import type {
  APIGatewayEventRequestContext,
  APIGatewayProxyEvent,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';
import {
  proxyEventOf,
  requestAuthorizerEventOf,
  requestContextOf,
  type ProxyEventValues,
} from '../../functions/lambda-proxy-event.js';
import { anyKeyMap } from '../any-key-map.js';
import type { CompiledMethod, CompiledStage } from '../compiled-api.js';
import { edgeHeaders } from '../http/edge-headers.js';
import type {
  AuthorizerOutcome,
  GatewayRequest,
  IamCaller,
  MultiValueMap,
  UsedApiKey,
} from '../request.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

let clfSecond = -1;
let clfText = '';

/** `$context.requestTime`: CLF format, e.g. `25/Nov/2026:00:29:10 +0000`. */
export function clfTime(epochMs: number): string {
  // Requests of the same second share the text: the last one is kept.
  const second = Math.floor(epochMs / 1000);
  if (second === clfSecond) return clfText;
  const d = new Date(epochMs);
  clfText = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  clfSecond = second;
  return clfText;
}

/**
 * Which values a caller needs: the whole proxy event; a REQUEST authorizer's (no body); or the
 * request context alone, as a mapping template's `$context` reads it (no body, no maps: on an
 * EDGE stage the CloudFront hop's headers are then never made).
 */
export type EventPart = 'event' | 'request' | 'context';

/**
 * The event's values for this request, in the one definition's order
 * (functions/lambda-proxy-event.ts); those `part` leaves out are null.
 */
export function proxyEventValues(
  request: GatewayRequest,
  stage: CompiledStage,
  method: CompiledMethod,
  pathParameters: Record<string, string> | null,
  authorizer: AuthorizerOutcome | undefined,
  /** AWS_IAM: the signer, filled into `identity` as AWS fills it for IAM callers. */
  caller: IamCaller | undefined,
  part: EventPart,
  /** The API key of a method with apiKeyRequired (identity.apiKey, identity.apiKeyId). */
  apiKey?: UsedApiKey,
): ProxyEventValues {
  const dot = request.domainName.indexOf('.');
  const maps = part !== 'context';
  const headers = maps ? eventHeaders(request, stage) : undefined;
  const withBody = part === 'event' && request.body.length > 0;
  const binary = withBody && isBinary(request, stage.binaryMediaTypes);
  return [
    method.resourcePath,
    request.path,
    request.httpMethod,
    headers ? orNull(headers.single) : null,
    headers ? orNull(headers.multi) : null,
    maps ? orNull(request.query.single) : null,
    maps ? orNull(request.query.multi) : null,
    pathParameters,
    maps ? orNull(stage.variables) : null,
    method.resourceId,
    request.extendedRequestId,
    clfTime(request.requestTimeEpoch),
    `/${stage.stageName}${request.path}`,
    stage.settings.accountId,
    request.protocol,
    stage.stageName,
    dot === -1 ? request.domainName : request.domainName.slice(0, dot),
    request.requestTimeEpoch,
    request.requestId,
    caller ? caller.accountId : null,
    caller ? caller.caller : null,
    request.sourceIp,
    caller ? caller.accessKey : null,
    caller ? caller.userArn : null,
    request.headersLower.get('user-agent') ?? null,
    caller ? caller.user : null,
    request.domainName,
    stage.deploymentId,
    stage.apiId,
    authorizerField(authorizer),
    withBody ? request.body.toString(binary ? 'base64' : 'utf8') : null,
    binary,
    apiKey ? apiKey.value : null,
    apiKey ? apiKey.id : null,
  ];
}

/**
 * The headers the function sees: the client's, or, behind an EDGE stage's CloudFront hop, the
 * hop's (made once per request: the authorizer's event and the function's share them). TestInvoke
 * requests have no listener and, as on AWS, no CloudFront hop.
 */
function eventHeaders(request: GatewayRequest, stage: CompiledStage): MultiValueMap {
  if (!stage.edge || request.listenerPort === undefined) return request.headers;
  return (request.edgeHeaders ??= edgeHeaders(request, stage.edge, request.listenerPort));
}

/** `requestContext.authorizer`, or undefined when no authorizer ran. */
function authorizerField(
  authorizer: AuthorizerOutcome | undefined,
): Record<string, unknown> | undefined {
  if (!authorizer) return undefined;
  // A COGNITO_USER_POOLS authorizer gives the function its token's claims and nothing else.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
  if (authorizer.claims) return { claims: authorizer.claims };
  // AWS passes the authorizer's context values to the function as strings.
  const out = anyKeyMap<unknown>();
  for (const key in authorizer.context) out[key] = String(authorizer.context[key]);
  out.principalId = authorizer.principalId;
  out.integrationLatency = authorizer.integrationLatency;
  return out;
}

const orNull = <T extends object>(o: T): T | null => {
  for (const _ in o) return o;
  return null;
};

/** `$context` of a mapping template: the proxy event's request context. */
export function requestContext(
  request: GatewayRequest,
  stage: CompiledStage,
  method: CompiledMethod,
  authorizer: AuthorizerOutcome | undefined,
  caller?: IamCaller,
  apiKey?: UsedApiKey,
): APIGatewayEventRequestContext {
  return requestContextOf(
    proxyEventValues(request, stage, method, null, authorizer, caller, 'context', apiKey),
  );
}

export function proxyEvent(
  request: GatewayRequest,
  stage: CompiledStage,
  method: CompiledMethod,
  pathParameters: Record<string, string> | null,
  authorizer: AuthorizerOutcome | undefined,
  caller?: IamCaller,
): APIGatewayProxyEvent {
  return proxyEventOf(
    proxyEventValues(request, stage, method, pathParameters, authorizer, caller, 'event'),
  );
}

export function requestAuthorizerEvent(
  request: GatewayRequest,
  stage: CompiledStage,
  method: CompiledMethod,
  pathParameters: Record<string, string> | null,
  methodArn: string,
): APIGatewayRequestAuthorizerEvent {
  return requestAuthorizerEventOf(
    methodArn,
    proxyEventValues(request, stage, method, pathParameters, undefined, undefined, 'request'),
  );
}

export function tokenAuthorizerEvent(
  token: string,
  methodArn: string,
): APIGatewayTokenAuthorizerEvent {
  return { type: 'TOKEN', authorizationToken: token, methodArn };
}

/**
 * A body is passed base64-encoded when its Content-Type matches one of the API's
 * binaryMediaTypes (wildcards like `image/*` and `*\/*` allowed).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html
 */
export function isBinary(request: GatewayRequest, binaryMediaTypes: readonly string[]): boolean {
  if (binaryMediaTypes.length === 0) return false;
  const contentType = request.headersLower.get('content-type');
  if (!contentType) return false;
  return matchesMediaType(contentType, binaryMediaTypes);
}

export function matchesMediaType(contentType: string, mediaTypes: readonly string[]): boolean {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  for (const media of mediaTypes) {
    const m = media.toLowerCase();
    if (m === type || m === '*/*') return true;
    if (m.endsWith('/*') && type.startsWith(m.slice(0, -1))) return true;
  }
  return false;
}
