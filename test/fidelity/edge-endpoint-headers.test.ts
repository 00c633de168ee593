// An EDGE API (AWS's default endpoint type) is reached through CloudFront: the Lambda proxy event
// and the REQUEST authorizer event carry CloudFront's headers, some names in CloudFront's case,
// sorted by name. A REGIONAL API's events carry the client's headers as sent. Through
// @aws-sdk/client-api-gateway and a real `sallyport serve`.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-endpoint-types.html
// Sources for the expected values: AWS's sample event in "Input format of a Lambda function for
// proxy integration",
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
// and events recorded from EDGE APIs: webiny/webiny-js examples/apps/site/event.js (Chrome over
// HTTP/2: `Accept`, `Host`, `User-Agent` title-cased, `upgrade-insecure-requests` as sent),
// ShepherdOrg/npm-packages examples/images/sample-myip-api/src/sample-events/regular-call.js
// (curl: `Via: 2.0 {32 hex}.cloudfront.net (CloudFront)`, `X-Amz-Cf-Id` of 56 characters,
// `X-Forwarded-For: {client}, {edge}`).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import {
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import { serve, type Served } from '../e2e/harness.js';
import { VARIES, assertJsonLike } from '../support/recorded-answer.js';
import { FIXTURE } from './fidelity-project.js';
import {
  ADMIN_ENV,
  allowApiGateway,
  createFunctionFrom,
  lambdaUri,
  sdkClients,
  untilStatus,
} from './sdk-client.js';

const SAMPLE_EVENT =
  '(AWS: set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format, recorded EDGE events)';

/** What the client sends: names in lowercase as HTTP/2 clients send them, one of our own. */
const SENT: [string, string][] = [
  ['user-agent', 'curl/8.5.0'],
  ['accept', '*/*'],
  ['authorization', 'Bearer abc'],
  ['x-custom', 'kept'],
  ['X-Forwarded-For', '203.0.113.9'],
];

let s: Served;
let edgeUrl: string;
let regionalUrl: string;
before(async () => {
  s = await serve([], ADMIN_ENV);
  const { apigw, lambda } = sdkClients(s);
  for (const name of ['answer', 'inspect-auth']) {
    await createFunctionFrom(lambda, name, join(FIXTURE, 'functions', name));
    await allowApiGateway(lambda, name, 'arn:aws:execute-api:us-east-1:123456789012:*');
  }
  edgeUrl = await inspectedApi(apigw, 'edge-api', undefined);
  regionalUrl = await inspectedApi(apigw, 'regional-api', 'REGIONAL');
});
after(() => s.stop());

/** GET /inspect behind a REQUEST authorizer that hands its event on; the URL of stage `dev`. */
async function inspectedApi(
  apigw: APIGatewayClient,
  name: string,
  type: 'REGIONAL' | undefined,
): Promise<string> {
  const api = await apigw.send(
    new CreateRestApiCommand({
      name,
      ...(type ? { endpointConfiguration: { types: [type] } } : {}),
    }),
  );
  const authorizer = await apigw.send(
    new CreateAuthorizerCommand({
      restApiId: api.id,
      name: 'inspect',
      type: 'REQUEST',
      authorizerUri: lambdaUri('inspect-auth'),
      identitySource: 'method.request.header.x-custom',
      authorizerResultTtlInSeconds: 0,
    }),
  );
  const res = await apigw.send(
    new CreateResourceCommand({
      restApiId: api.id,
      parentId: api.rootResourceId,
      pathPart: 'inspect',
    }),
  );
  const m = { restApiId: api.id, resourceId: res.id, httpMethod: 'GET' };
  await apigw.send(
    new PutMethodCommand({ ...m, authorizationType: 'CUSTOM', authorizerId: authorizer.id }),
  );
  await apigw.send(
    new PutIntegrationCommand({
      ...m,
      type: 'AWS_PROXY',
      integrationHttpMethod: 'POST',
      uri: lambdaUri('answer'),
    }),
  );
  await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
  return `${s.base}/restapis/${api.id}/dev/_user_request_/inspect`;
}

interface Seen {
  event: {
    headers: Record<string, string>;
    multiValueHeaders: Record<string, string[]>;
    requestContext: { authorizer: { event: string } };
  };
}

async function eventsAt(url: string) {
  const r = await untilStatus(url, 200, Object.fromEntries(SENT));
  assert.equal(r.status, 200, r.body);
  const { event } = r.json() as Seen;
  const authorizerEvent = JSON.parse(event.requestContext.authorizer.event) as Seen['event'];
  return { event, authorizerEvent, port: new URL(url).port };
}

it('EDGE: the proxy event carries CloudFront headers, sorted, some names in its case', async () => {
  const { event, authorizerEvent, port } = await eventsAt(edgeUrl);
  const expected = {
    Accept: '*/*',
    Authorization: 'Bearer abc',
    'CloudFront-Forwarded-Proto': 'http',
    'CloudFront-Is-Desktop-Viewer': 'true',
    'CloudFront-Is-Mobile-Viewer': 'false',
    'CloudFront-Is-SmartTV-Viewer': 'false',
    'CloudFront-Is-Tablet-Viewer': 'false',
    Host: `127.0.0.1:${port}`,
    'User-Agent': 'curl/8.5.0',
    Via: /^1\.1 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)$/,
    'X-Amz-Cf-Id': /^[A-Za-z0-9_-]{54}==$/,
    'X-Amzn-Trace-Id': VARIES.traceId,
    'x-custom': 'kept',
    'X-Forwarded-For': '203.0.113.9, 127.0.0.1',
    'X-Forwarded-Port': port,
    'X-Forwarded-Proto': 'http',
  };
  assertJsonLike(event.headers, expected, '$.headers', SAMPLE_EVENT);
  assert.deepEqual(Object.keys(event.headers), Object.keys(expected), 'sorted regardless of case');
  assert.deepEqual(Object.keys(event.multiValueHeaders), Object.keys(expected));
  for (const [name, value] of Object.entries(event.headers))
    assert.deepEqual(event.multiValueHeaders[name], [value], name);

  // The authorizer saw the same hop: the same headers, the same CloudFront request id.
  assert.deepEqual(authorizerEvent.headers, event.headers);
  assert.deepEqual(authorizerEvent.multiValueHeaders, event.multiValueHeaders);
});

it('EDGE: each request has its own X-Amz-Cf-Id, the deployment one Via', async () => {
  const first = (await eventsAt(edgeUrl)).event.headers;
  const second = (await eventsAt(edgeUrl)).event.headers;
  assert.notEqual(first['X-Amz-Cf-Id'], second['X-Amz-Cf-Id']);
  assert.equal(first.Via, second.Via);
});

it('REGIONAL: the events carry the client headers as sent, no CloudFront headers', async () => {
  const { event, authorizerEvent, port } = await eventsAt(regionalUrl);
  // As node:http sent them: ours, then its Host and Connection.
  const expected = {
    ...Object.fromEntries(SENT),
    Host: `127.0.0.1:${port}`,
    Connection: 'keep-alive',
  };
  assert.deepEqual(event.headers, expected, '(AWS: no CloudFront hop for REGIONAL endpoints)');
  assert.deepEqual(authorizerEvent.headers, expected);
});
