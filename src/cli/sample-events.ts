// The API Gateway events `sallyport generate-event` prints: the shapes Lambda receives from a REST
// API's Lambda proxy integration and its Lambda authorizers, with the same sample values and
// defaults as `sam local generate-event apigateway aws-proxy | authorizer | request-authorizer`.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html

export interface EventOptions {
  path?: string;
  method?: string;
  body?: string;
  stage?: string;
  resource?: string;
  token?: string;
  methodArn?: string;
  region: string;
  accountId: string;
  apiId: string;
  header: string[];
  query: string[];
}

export const EVENT_KINDS = ['aws-proxy', 'authorizer-token', 'authorizer-request'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

const SAMPLE_HEADERS: Record<string, string> = {
  Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8',
  'Accept-Encoding': 'gzip, deflate, sdch',
  'Accept-Language': 'en-US,en;q=0.8',
  'Cache-Control': 'max-age=0',
  'CloudFront-Forwarded-Proto': 'https',
  'CloudFront-Is-Desktop-Viewer': 'true',
  'CloudFront-Is-Mobile-Viewer': 'false',
  'CloudFront-Is-SmartTV-Viewer': 'false',
  'CloudFront-Is-Tablet-Viewer': 'false',
  'CloudFront-Viewer-Country': 'US',
  'Upgrade-Insecure-Requests': '1',
  'User-Agent': 'Custom User Agent String',
  Via: '1.1 08f323deadbeefa7af34d5feb414ce27.cloudfront.net (CloudFront)',
  'X-Amz-Cf-Id': 'cDehVQoZnx43VYQb9j2-nvCh-9z396Uhbp027Y2JvkCPNLmGJHqlaA==',
  'X-Forwarded-For': '127.0.0.1, 127.0.0.2',
  'X-Forwarded-Port': '443',
  'X-Forwarded-Proto': 'https',
};

/** `name:value` pairs (repeatable options) into a map; one clear error for a malformed one. */
function pairs(option: string, values: string[], separator: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf(separator);
    if (at < 1) throw new Error(`${option}: expected name${separator}value, got ${value}`);
    out[value.slice(0, at).trim()] = value.slice(at + 1).trim();
  }
  return out;
}

const leadingSlash = (path: string) => (path.startsWith('/') ? path : `/${path}`);

export function sampleEvent(kind: EventKind, o: EventOptions): Record<string, unknown> {
  if (kind === 'authorizer-token') return tokenEvent(o);
  if (kind === 'authorizer-request') return requestAuthorizerEvent(o);
  return proxyEvent(o);
}

function methodArn(o: EventOptions, stage: string, method: string, path: string): string {
  return (
    o.methodArn ??
    `arn:aws:execute-api:${o.region}:${o.accountId}:${o.apiId}/${stage}/${method}${leadingSlash(path)}`
  );
}

/** A TOKEN authorizer's input: type, authorizationToken, methodArn. */
function tokenEvent(o: EventOptions): Record<string, unknown> {
  const stage = o.stage ?? 'test';
  const method = (o.method ?? 'GET').toUpperCase();
  return {
    type: 'TOKEN',
    authorizationToken: o.token ?? 'incoming-client-token',
    methodArn: methodArn(o, stage, method, o.path ?? '/request'),
  };
}

/** A REQUEST authorizer's input: the request's parts and its context, no body. */
function requestAuthorizerEvent(o: EventOptions): Record<string, unknown> {
  const stage = o.stage ?? 'test';
  const method = (o.method ?? 'GET').toUpperCase();
  const path = leadingSlash(o.path ?? '/request');
  const resource = o.resource ?? path;
  const headers = {
    'X-AMZ-Date': '20170718T062915Z',
    Accept: '*/*',
    HeaderAuth1: 'headerValue1',
    'CloudFront-Viewer-Country': 'US',
    'CloudFront-Forwarded-Proto': 'https',
    'CloudFront-Is-Tablet-Viewer': 'false',
    'CloudFront-Is-Mobile-Viewer': 'false',
    'User-Agent': '...',
    ...(o.token === undefined ? {} : { Authorization: o.token }),
    ...pairs('--header', o.header, ':'),
  };
  const query = o.query.length ? pairs('--query', o.query, '=') : { QueryString1: 'queryValue1' };
  return {
    type: 'REQUEST',
    methodArn: methodArn(o, stage, method, path),
    resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: multi(headers),
    queryStringParameters: query,
    multiValueQueryStringParameters: multi(query),
    pathParameters: {},
    stageVariables: { StageVar1: 'stageValue1' },
    requestContext: {
      path: `/${stage}${path}`,
      accountId: o.accountId,
      resourceId: '05c7jb',
      stage,
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      identity: { apiKey: null, sourceIp: '127.0.0.1', clientCert: null },
      resourcePath: resource,
      httpMethod: method,
      apiId: o.apiId,
    },
  };
}

function multi(map: Record<string, string>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, [v]]));
}

/** The Lambda proxy integration's event (payload format 1.0); the body base64, as SAM's. */
function proxyEvent(o: EventOptions): Record<string, unknown> {
  const stage = o.stage ?? 'prod';
  const method = (o.method ?? 'POST').toUpperCase();
  const path = leadingSlash(o.path ?? '/path/to/resource');
  const resource = o.resource ?? '/{proxy+}';
  const body = o.body ?? '{"test":"body"}';
  const headers = {
    ...SAMPLE_HEADERS,
    Host: `${o.apiId}.execute-api.${o.region}.amazonaws.com`,
    ...pairs('--header', o.header, ':'),
  };
  const query = o.query.length ? pairs('--query', o.query, '=') : { foo: 'bar' };
  return {
    body: Buffer.from(body).toString('base64'),
    resource,
    path,
    httpMethod: method,
    isBase64Encoded: true,
    queryStringParameters: query,
    multiValueQueryStringParameters: multi(query),
    pathParameters: resource.includes('{proxy+}') ? { proxy: path.slice(1) } : {},
    stageVariables: { baz: 'qux' },
    headers,
    multiValueHeaders: multi(headers),
    requestContext: {
      accountId: o.accountId,
      resourceId: '123456',
      stage,
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTime: '09/Apr/2015:12:34:56 +0000',
      requestTimeEpoch: 1428582896000,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        accessKey: null,
        sourceIp: '127.0.0.1',
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: 'Custom User Agent String',
        user: null,
      },
      path: `/${stage}${path}`,
      resourcePath: resource,
      httpMethod: method,
      apiId: o.apiId,
      protocol: 'HTTP/1.1',
    },
  };
}
