// The Lambda proxy integration event (payload version 1.0) and the REQUEST authorizer event,
// which shares its request fields. Built here and nowhere else.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
import type {
  APIGatewayEventRequestContext,
  APIGatewayProxyEvent,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';
import { PROXY_EVENT } from '../../functions/node/packed-event.js';
import { anyKeyMap } from '../any-key-map.js';
import type { CompiledMethod, CompiledStage } from '../compiled-api.js';
import type { AuthorizerOutcome, GatewayRequest, IamCaller } from '../request.js';

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

export function requestContext(
  request: GatewayRequest,
  stage: CompiledStage,
  method: CompiledMethod,
  authorizer: AuthorizerOutcome | undefined,
  /** AWS_IAM: the signer, filled into `identity` as AWS fills it for IAM callers. */
  caller?: IamCaller,
): APIGatewayEventRequestContext {
  const dot = request.domainName.indexOf('.');
  // One literal in AWS's key order; `authorizer` is added last, only when there is one.
  const ctx = {
    resourceId: method.resourceId,
    resourcePath: method.resourcePath,
    httpMethod: request.httpMethod,
    extendedRequestId: request.requestId,
    requestTime: clfTime(request.requestTimeEpoch),
    path: `/${stage.stageName}${request.path}`,
    accountId: stage.settings.accountId,
    protocol: request.protocol,
    stage: stage.stageName,
    domainPrefix: dot === -1 ? request.domainName : request.domainName.slice(0, dot),
    requestTimeEpoch: request.requestTimeEpoch,
    requestId: request.requestId,
    identity: {
      cognitoIdentityPoolId: null,
      accountId: caller ? caller.accountId : null,
      cognitoIdentityId: null,
      caller: caller ? caller.caller : null,
      sourceIp: request.sourceIp,
      principalOrgId: null,
      accessKey: caller ? caller.accessKey : null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: caller ? caller.userArn : null,
      userAgent: request.headersLower.get('user-agent') ?? null,
      user: caller ? caller.user : null,
      apiKey: null,
      apiKeyId: null,
      clientCert: null,
    },
    domainName: request.domainName,
    deploymentId: stage.deploymentId,
    apiId: stage.apiId,
  } as unknown as APIGatewayEventRequestContext;
  if (authorizer?.claims) {
    // A COGNITO_USER_POOLS authorizer gives the function its token's claims and nothing else.
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
    ctx.authorizer = { claims: authorizer.claims };
  } else if (authorizer) {
    // AWS passes the authorizer's context values to the function as strings.
    const out = anyKeyMap<unknown>();
    for (const key in authorizer.context) out[key] = String(authorizer.context[key]);
    out.principalId = authorizer.principalId;
    out.integrationLatency = authorizer.integrationLatency;
    ctx.authorizer = out;
  }
  return ctx;
}

const orNull = <T extends object>(o: T): T | null => {
  for (const _ in o) return o;
  return null;
};

function requestFields(
  request: GatewayRequest,
  stage: CompiledStage,
  method: CompiledMethod,
  pathParameters: Record<string, string> | null,
) {
  return {
    resource: method.resourcePath,
    path: request.path,
    httpMethod: request.httpMethod,
    headers: orNull(request.headers.single),
    multiValueHeaders: orNull(request.headers.multi),
    queryStringParameters: orNull(request.query.single),
    multiValueQueryStringParameters: orNull(request.query.multi),
    pathParameters,
    stageVariables: orNull(stage.variables),
  };
}

export function proxyEvent(
  request: GatewayRequest,
  stage: CompiledStage,
  method: CompiledMethod,
  pathParameters: Record<string, string> | null,
  authorizer: AuthorizerOutcome | undefined,
  caller?: IamCaller,
): APIGatewayProxyEvent {
  const binary = request.body.length > 0 && isBinary(request, stage.binaryMediaTypes);
  // The fields of requestFields(), written out: no intermediate object to spread.
  const event = {
    resource: method.resourcePath,
    path: request.path,
    httpMethod: request.httpMethod,
    headers: orNull(request.headers.single),
    multiValueHeaders: orNull(request.headers.multi),
    queryStringParameters: orNull(request.query.single),
    multiValueQueryStringParameters: orNull(request.query.multi),
    pathParameters,
    stageVariables: orNull(stage.variables),
    requestContext: requestContext(request, stage, method, authorizer, caller),
    body: request.body.length === 0 ? null : request.body.toString(binary ? 'base64' : 'utf8'),
    isBase64Encoded: binary,
    // Lets a worker pool post it as a flat array of values (packed-event.ts); never cloned.
    [PROXY_EVENT]: true,
  } as APIGatewayProxyEvent;
  if (caller === undefined) return event;
  // The flat hand-off carries no signer; an AWS_IAM event travels as a plain object instead.
  const { [PROXY_EVENT]: _packed, ...plain } = event as APIGatewayProxyEvent & {
    [PROXY_EVENT]: true;
  };
  return plain;
}

export function requestAuthorizerEvent(
  request: GatewayRequest,
  stage: CompiledStage,
  method: CompiledMethod,
  pathParameters: Record<string, string> | null,
  methodArn: string,
): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn,
    ...requestFields(request, stage, method, pathParameters),
    requestContext: requestContext(request, stage, method, undefined),
  } as APIGatewayRequestAuthorizerEvent;
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
