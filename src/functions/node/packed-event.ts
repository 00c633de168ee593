// A leaner hand-off for the Lambda proxy event (payload 1.0), the hot path's largest message
// (docs/performance.md). A structured clone writes every key name and every constant null of
// every nested object again for each invocation; an event built by the gateway's proxyEvent()
// is instead marked, and posted as a flat array of its values, from which the worker rebuilds the
// very same object (same keys, same order, same values). Everything else travels as it is.

/** Set by proxyEvent() on the events it builds. Symbol keys are neither cloned nor serialised. */
export const PROXY_EVENT: unique symbol = Symbol('sallyport.proxyEvent');

interface ProxyEventShape {
  resource: unknown;
  path: unknown;
  httpMethod: unknown;
  headers: unknown;
  multiValueHeaders: unknown;
  queryStringParameters: unknown;
  multiValueQueryStringParameters: unknown;
  pathParameters: unknown;
  stageVariables: unknown;
  requestContext: {
    resourceId: unknown;
    resourcePath: unknown;
    httpMethod: unknown;
    extendedRequestId: unknown;
    requestTime: unknown;
    path: unknown;
    accountId: unknown;
    protocol: unknown;
    stage: unknown;
    domainPrefix: unknown;
    requestTimeEpoch: unknown;
    requestId: unknown;
    identity: { sourceIp: unknown; userAgent: unknown };
    domainName: unknown;
    deploymentId: unknown;
    apiId: unknown;
    authorizer?: unknown;
  };
  body: unknown;
  isBase64Encoded: unknown;
}

/** The flat form of a marked event, or undefined for any other event. */
export function packEvent(event: unknown): unknown[] | undefined {
  if (typeof event !== 'object' || event === null || !(PROXY_EVENT in event)) return undefined;
  const e = event as unknown as ProxyEventShape;
  const c = e.requestContext;
  return [
    e.resource,
    e.path,
    e.httpMethod,
    e.headers,
    e.multiValueHeaders,
    e.queryStringParameters,
    e.multiValueQueryStringParameters,
    e.pathParameters,
    e.stageVariables,
    c.resourceId,
    c.resourcePath,
    c.httpMethod,
    c.extendedRequestId,
    c.requestTime,
    c.path,
    c.accountId,
    c.protocol,
    c.stage,
    c.domainPrefix,
    c.requestTimeEpoch,
    c.requestId,
    c.identity.sourceIp,
    c.identity.userAgent,
    c.domainName,
    c.deploymentId,
    c.apiId,
    // Absent (no authorizer) stays absent: proxyEvent() never sets it to undefined.
    'authorizer' in c ? c.authorizer : undefined,
    e.body,
    e.isBase64Encoded,
  ];
}

/** The event packEvent() flattened, rebuilt key for key in the worker. */
export function unpackEvent(v: unknown[]): unknown {
  const requestContext: Record<string, unknown> = {
    resourceId: v[9],
    resourcePath: v[10],
    httpMethod: v[11],
    extendedRequestId: v[12],
    requestTime: v[13],
    path: v[14],
    accountId: v[15],
    protocol: v[16],
    stage: v[17],
    domainPrefix: v[18],
    requestTimeEpoch: v[19],
    requestId: v[20],
    identity: {
      cognitoIdentityPoolId: null,
      accountId: null,
      cognitoIdentityId: null,
      caller: null,
      sourceIp: v[21],
      principalOrgId: null,
      accessKey: null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: null,
      userAgent: v[22],
      user: null,
      apiKey: null,
      apiKeyId: null,
      clientCert: null,
    },
    domainName: v[23],
    deploymentId: v[24],
    apiId: v[25],
  };
  if (v[26] !== undefined) requestContext.authorizer = v[26];
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
    requestContext,
    body: v[27],
    isBase64Encoded: v[28],
  };
}
