// The Lambda proxy event (payload 1.0) and the REQUEST authorizer event, defined once: the values
// that vary per request as one flat tuple, and the literals that make AWS's event of them (key
// order, constant nulls, where `authorizer` goes). The gateway fills the tuple
// (gateway/events/proxy-event.ts); a worker thread is posted the tuple itself and rebuilds the
// event with these same literals (node/worker-entry.ts). A structured clone would write every key
// name and constant null of every nested object again per invocation, on the hot path's largest
// message (docs/performance.md); and with one definition no field can exist for one hand-off and
// not the other.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
import type {
  APIGatewayEventRequestContext,
  APIGatewayProxyEvent,
  APIGatewayRequestAuthorizerEvent,
} from 'aws-lambda';

type Map1 = Record<string, string>;
type MapN = Record<string, string[]>;

/**
 * Every value of one event that is not a constant, in the order they appear in it. The request
 * context's `resourcePath` and `httpMethod` are the event's `resource` and `httpMethod`.
 */
export type ProxyEventValues = [
  resource: string,
  path: string,
  httpMethod: string,
  headers: Map1 | null,
  multiValueHeaders: MapN | null,
  queryStringParameters: Map1 | null,
  multiValueQueryStringParameters: MapN | null,
  pathParameters: Map1 | null,
  stageVariables: Map1 | null,
  resourceId: string,
  extendedRequestId: string,
  requestTime: string,
  /** requestContext.path: the stage, then the path. */
  stagePath: string,
  accountId: string,
  protocol: string,
  stage: string,
  domainPrefix: string,
  requestTimeEpoch: number,
  requestId: string,
  /** identity: filled for an AWS_IAM caller, else null (as the five below). */
  callerAccountId: string | null,
  caller: string | null,
  sourceIp: string,
  accessKey: string | null,
  userArn: string | null,
  userAgent: string | null,
  user: string | null,
  domainName: string,
  deploymentId: string,
  apiId: string,
  /** Absent from the event when undefined (no authorizer ran). */
  authorizer: Record<string, unknown> | undefined,
  /** The REQUEST authorizer event has no body: null and false there, unused. */
  body: string | null,
  isBase64Encoded: boolean,
  /** identity.apiKey / apiKeyId: the key a method with apiKeyRequired was called with, else null. */
  apiKey: string | null,
  apiKeyId: string | null,
];

/** `requestContext`: one literal in AWS's key order; `authorizer` is added last, when set. */
export function requestContextOf(v: ProxyEventValues): APIGatewayEventRequestContext {
  const ctx = {
    resourceId: v[9],
    resourcePath: v[0],
    httpMethod: v[2],
    extendedRequestId: v[10],
    requestTime: v[11],
    path: v[12],
    accountId: v[13],
    protocol: v[14],
    stage: v[15],
    domainPrefix: v[16],
    requestTimeEpoch: v[17],
    requestId: v[18],
    identity: {
      cognitoIdentityPoolId: null,
      accountId: v[19],
      cognitoIdentityId: null,
      caller: v[20],
      sourceIp: v[21],
      principalOrgId: null,
      accessKey: v[22],
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: v[23],
      userAgent: v[24],
      user: v[25],
      apiKey: v[32],
      apiKeyId: v[33],
      clientCert: null,
    },
    domainName: v[26],
    deploymentId: v[27],
    apiId: v[28],
  } as unknown as APIGatewayEventRequestContext;
  if (v[29] !== undefined) ctx.authorizer = v[29];
  return ctx;
}

export function proxyEventOf(v: ProxyEventValues): APIGatewayProxyEvent {
  return {
    resource: v[0],
    path: v[1],
    httpMethod: v[2],
    headers: v[3],
    multiValueHeaders: v[4],
    queryStringParameters: v[5],
    multiValueQueryStringParameters: v[6],
    pathParameters: v[7],
    stageVariables: v[8],
    requestContext: requestContextOf(v),
    body: v[30],
    isBase64Encoded: v[31],
  } as APIGatewayProxyEvent;
}

/**
 * The REQUEST authorizer event: the proxy event's request fields without the body. Unlike the
 * proxy event, its maps are never null: an empty one is `{}`, as AWS's documented example shows
 * (`"pathParameters": {}`) and authorizers written for AWS read them unguarded
 * (`event.queryStringParameters.auth`).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
 */
export function requestAuthorizerEventOf(
  methodArn: string,
  v: ProxyEventValues,
): APIGatewayRequestAuthorizerEvent {
  // Off the hot path (an authorizer cache miss invokes a function): the rest keeps the key order.
  const { body: _body, isBase64Encoded: _binary, ...fields } = proxyEventOf(v);
  fields.headers ??= {};
  fields.multiValueHeaders ??= {};
  fields.queryStringParameters ??= {};
  fields.multiValueQueryStringParameters ??= {};
  fields.pathParameters ??= {};
  fields.stageVariables ??= {};
  return { type: 'REQUEST', methodArn, ...fields } as APIGatewayRequestAuthorizerEvent;
}
