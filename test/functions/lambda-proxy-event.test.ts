// The Lambda proxy event is defined once (src/functions/lambda-proxy-event.ts): the event the
// gateway builds and the one a worker thread rebuilds from the posted values are the same, key for
// key and in the same order, for every shape a request can take.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { proxyEventOf, type ProxyEventValues } from '../../src/functions/lambda-proxy-event.js';
import type { InvokeMessage } from '../../src/functions/node/worker-protocol.js';
import type { CompiledMethod, CompiledStage } from '../../src/gateway/compiled-api.js';
import { proxyEvent, proxyEventValues } from '../../src/gateway/events/proxy-event.js';
import { headerMaps, queryMaps } from '../../src/gateway/http/incoming.js';
import type { AuthorizerOutcome, GatewayRequest, IamCaller } from '../../src/gateway/request.js';
import { capturingLogger, fn, settings, threadsInvoker } from './node/helpers.js';

interface Shape {
  headers: [string, string][];
  query: [string, string][];
  pathParameters: [string, string][] | null;
  variables: [string, string][];
  authorizer: 'none' | 'lambda' | 'claims';
  context: [string, string | number | boolean][];
  caller: boolean;
  body: 'none' | 'text' | 'binary';
  text: string;
  userAgent: string | null;
}

/** Keys a plain object would treat specially: AWS passes them through as any other. */
const trickyKey = fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '0');
const key = fc.oneof(trickyKey, fc.string({ minLength: 1, maxLength: 8 }));
const pairs = (max: number) =>
  fc.array(fc.tuple(key, fc.string({ maxLength: 8 })), { maxLength: max });

const shapes: fc.Arbitrary<Shape> = fc.record({
  headers: pairs(6),
  query: pairs(6),
  pathParameters: fc.option(pairs(3), { nil: null }),
  variables: pairs(3),
  authorizer: fc.constantFrom('none' as const, 'lambda' as const, 'claims' as const),
  context: fc.array(
    fc.tuple(key, fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean())),
    { maxLength: 4 },
  ),
  caller: fc.boolean(),
  body: fc.constantFrom('none' as const, 'text' as const, 'binary' as const),
  text: fc.string({ minLength: 1, maxLength: 20 }),
  userAgent: fc.option(fc.string({ maxLength: 10 }), { nil: null }),
});

function anyKeyRecord<T>(entries: [string, T][]): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  for (const [k, v] of entries) out[k] = v;
  return out;
}

const caller: IamCaller = {
  accessKey: 'AKIAEXAMPLE',
  accountId: '123456789012',
  caller: 'AIDAEXAMPLE',
  user: 'AIDAEXAMPLE',
  userArn: 'arn:aws:iam::123456789012:user/alice',
};

/** The arguments proxyEvent() takes, for one shape, built as the gateway builds them. */
function exchangeOf(shape: Shape) {
  const raw: string[] = [];
  for (const [name, value] of shape.headers) raw.push(name, value);
  if (shape.userAgent !== null) raw.push('User-Agent', shape.userAgent);
  if (shape.body === 'binary') raw.push('Content-Type', 'image/png');
  const { headers, lower } = headerMaps(raw);
  const rawQuery = shape.query
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const body =
    shape.body === 'none'
      ? Buffer.alloc(0)
      : shape.body === 'text'
        ? Buffer.from(shape.text)
        : Buffer.from([0, 255, 1, 254]);
  const request = {
    requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    extendedRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    requestTimeEpoch: 1764635350123,
    httpMethod: 'POST',
    path: '/pets/7',
    rawQuery,
    sourceIp: '203.0.113.9',
    domainName: 'a1b2c3d4e5.execute-api.localhost',
    protocol: 'HTTP/1.1',
    headers,
    headersLower: lower,
    query: queryMaps(rawQuery),
    body,
  } as unknown as GatewayRequest;
  const stage = {
    apiId: 'a1b2c3d4e5',
    apiName: 'pets',
    stageName: 'prod',
    deploymentId: 'dep123',
    variables: anyKeyRecord(shape.variables),
    settings,
    binaryMediaTypes: ['image/*'],
  } as unknown as CompiledStage;
  const method = {
    httpMethod: 'POST',
    resourceId: 'res123',
    resourcePath: '/pets/{id}',
  } as unknown as CompiledMethod;
  const authorizer: AuthorizerOutcome | undefined =
    shape.authorizer === 'none'
      ? undefined
      : {
          principalId: 'user-1',
          context: anyKeyRecord(shape.context),
          integrationLatency: 12,
          ...(shape.authorizer === 'claims'
            ? {
                claims: anyKeyRecord([
                  ['sub', 'abc'],
                  ...shape.context.map(([k]) => [k, 'v'] as [string, string]),
                ]),
              }
            : {}),
        };
  const pathParameters = shape.pathParameters && anyKeyRecord(shape.pathParameters);
  return [
    request,
    stage,
    method,
    pathParameters,
    authorizer,
    shape.caller ? caller : undefined,
  ] as const;
}

/** What a worker thread's handler receives: the values, posted, made into the event there. */
function asTheWorkerGetsIt(values: ProxyEventValues): unknown {
  const message: InvokeMessage = {
    requestId: 'r',
    event: undefined,
    proxyEvent: values,
    eventJson: undefined,
    traceId: undefined,
    timeoutMs: 3000,
  };
  const posted = structuredClone(message);
  return proxyEventOf(posted.proxyEvent!);
}

describe('one Lambda proxy event for every hand-off', () => {
  test('the event a worker rebuilds is the gateway event, key for key, in order, for every shape', () => {
    fc.assert(
      fc.property(shapes, (shape) => {
        const args = exchangeOf(shape);
        const plain = proxyEvent(...args);
        const worker = asTheWorkerGetsIt(proxyEventValues(...args, 'event'));
        assert.equal(JSON.stringify(worker), JSON.stringify(plain));
        assert.deepStrictEqual(worker, JSON.parse(JSON.stringify(plain)));
      }),
      { numRuns: 300 },
    );
  });

  test('the event has AWS keys in AWS order; identity is filled for an AWS_IAM caller', () => {
    const shape: Shape = {
      headers: [
        ['__proto__', 'x'],
        ['Accept', 'a'],
        ['Accept', 'b'],
      ],
      query: [['constructor', '1']],
      pathParameters: [['id', '7']],
      variables: [],
      authorizer: 'lambda',
      context: [
        ['tier', 'gold'],
        ['n', 3],
        ['ok', true],
      ],
      caller: true,
      body: 'binary',
      text: '',
      userAgent: 'curl/8',
    };
    const event = proxyEvent(...exchangeOf(shape)) as unknown as Record<string, unknown>;
    assert.deepEqual(Object.keys(event), [
      'resource',
      'path',
      'httpMethod',
      'headers',
      'multiValueHeaders',
      'queryStringParameters',
      'multiValueQueryStringParameters',
      'pathParameters',
      'stageVariables',
      'requestContext',
      'body',
      'isBase64Encoded',
    ]);
    const ctx = event.requestContext as Record<string, unknown>;
    assert.deepEqual(Object.keys(ctx), [
      'resourceId',
      'resourcePath',
      'httpMethod',
      'extendedRequestId',
      'requestTime',
      'path',
      'accountId',
      'protocol',
      'stage',
      'domainPrefix',
      'requestTimeEpoch',
      'requestId',
      'identity',
      'domainName',
      'deploymentId',
      'apiId',
      'authorizer',
    ]);
    assert.equal(
      JSON.stringify(ctx.identity),
      JSON.stringify({
        cognitoIdentityPoolId: null,
        accountId: '123456789012',
        cognitoIdentityId: null,
        caller: 'AIDAEXAMPLE',
        sourceIp: '203.0.113.9',
        principalOrgId: null,
        accessKey: 'AKIAEXAMPLE',
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: 'arn:aws:iam::123456789012:user/alice',
        userAgent: 'curl/8',
        user: 'AIDAEXAMPLE',
        apiKey: null,
        apiKeyId: null,
        clientCert: null,
      }),
    );
    assert.equal(
      JSON.stringify(ctx.authorizer),
      '{"tier":"gold","n":"3","ok":"true","principalId":"user-1","integrationLatency":12}',
    );
    assert.equal(event.stageVariables, null);
    assert.equal(event.body, Buffer.from([0, 255, 1, 254]).toString('base64'));
    assert.equal(event.isBase64Encoded, true);
    assert.equal(
      JSON.stringify(event.multiValueHeaders),
      '{"__proto__":["x"],"Accept":["a","b"],"User-Agent":["curl/8"],"Content-Type":["image/png"]}',
    );
  });

  describe('through real functions', () => {
    const { logger } = capturingLogger();
    const invoker = threadsInvoker(
      [
        fn('thread', 'introspect', 'index.event', { Isolation: 'thread' }),
        fn('process', 'introspect', 'index.event', { Isolation: 'process' }),
      ],
      logger,
    );
    after(() => invoker.close());

    test('a handler in a worker thread or a process receives the gateway event unchanged', async () => {
      await fc.assert(
        fc.asyncProperty(shapes, async (shape) => {
          const args = exchangeOf(shape);
          const expected = JSON.stringify(proxyEvent(...args));
          for (const functionName of ['thread', 'process']) {
            const result = await invoker.invoke({
              functionName,
              proxyEvent: proxyEventValues(...args, 'event'),
            });
            assert.equal(result.payload, expected, functionName);
          }
        }),
        { numRuns: 25 },
      );
    });
  });
});
