// What a REQUEST authorizer is sent: its maps are `{}` when empty, never null, and the stage's
// variables are there. Through the real CLI.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { call } from '../e2e/harness.js';
import { VARIES, assertJsonLike } from '../support/recorded-answer.js';
import { API, startFidelityProject, type FidelityProject } from './fidelity-project.js';

const INPUT_DOC =
  'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html';

let p: FidelityProject;
before(async () => {
  p = await startFidelityProject();
});
after(() => p.stop());

it('empty query and path maps are {}, stage variables are sent', async () => {
  const r = await call(p.url('/inspect'));
  assert.equal(r.status, 200, r.body);
  const { event } = r.json() as { event: { requestContext: { authorizer: { event: string } } } };
  const sent = JSON.parse(event.requestContext.authorizer.event) as Record<string, unknown>;
  assertJsonLike(
    {
      type: sent.type,
      methodArn: sent.methodArn,
      resource: sent.resource,
      path: sent.path,
      httpMethod: sent.httpMethod,
      queryStringParameters: sent.queryStringParameters,
      multiValueQueryStringParameters: sent.multiValueQueryStringParameters,
      pathParameters: sent.pathParameters,
      stageVariables: sent.stageVariables,
      extendedRequestId: (sent.requestContext as Record<string, unknown>).extendedRequestId,
    },
    {
      type: 'REQUEST',
      methodArn: `arn:aws:execute-api:us-east-1:123456789012:${API}/live/GET/inspect`,
      resource: '/inspect',
      path: '/inspect',
      httpMethod: 'GET',
      queryStringParameters: {},
      multiValueQueryStringParameters: {},
      pathParameters: {},
      stageVariables: { backendPort: /^\d+$/ },
      extendedRequestId: VARIES.apigwId,
    },
    '$',
    `(AWS: ${INPUT_DOC})`,
  );
  assert.ok(!('body' in sent), 'a REQUEST authorizer is sent no body');
});
