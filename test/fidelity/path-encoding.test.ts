// Path parameters and `path` reach a Lambda function percent-encoded, as REST APIs send them; an
// HTTP backend gets the value decoded and encoded once again. Through the real CLI.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { call } from '../e2e/harness.js';
import { startFidelityProject, type FidelityProject } from './fidelity-project.js';

// serverless/serverless#5037 (on AWS, `/posts/%40` gives `event.pathParameters.id` = `%40`);
// middleapi/standard-server#93, from live captures in hotsock/voker#8 (REST APIs keep the path
// percent-encoded, HTTP APIs decode it).
const ENCODED_SOURCE =
  'https://github.com/serverless/serverless/issues/5037; https://github.com/middleapi/standard-server/pull/93';
// "REST APIs decode URL-encoded request parameters before passing them to backend integrations."
const BACKEND_SOURCE =
  'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis';

interface Seen {
  event: { path: string; pathParameters: Record<string, string>; requestContext: { path: string } };
}

let p: FidelityProject;
before(async () => {
  p = await startFidelityProject();
});
after(() => p.stop());

it('{id} and path keep their percent-encoding', async () => {
  const r = await call(p.url('/items/a%20b%40c'));
  assert.equal(r.status, 200, r.body);
  const { event } = r.json() as Seen;
  assert.deepEqual(event.pathParameters, { id: 'a%20b%40c' }, ENCODED_SOURCE);
  assert.equal(event.path, '/items/a%20b%40c', ENCODED_SOURCE);
  assert.equal(event.requestContext.path, '/live/items/a%20b%40c', ENCODED_SOURCE);
});

it('{proxy+} keeps its percent-encoding across segments', async () => {
  const r = await call(p.url('/files/x%20y/%C3%A9t%C3%A9.txt'));
  assert.equal(r.status, 200, r.body);
  const { event } = r.json() as Seen;
  assert.deepEqual(event.pathParameters, { proxy: 'x%20y/%C3%A9t%C3%A9.txt' }, ENCODED_SOURCE);
});

it('an HTTP_PROXY backend gets the value decoded, then encoded once for its URL', async () => {
  p.backendSeen.length = 0;
  const r = await call(p.url('/backend/a%20b/c%40d'));
  assert.equal(r.status, 200, r.body);
  assert.equal(p.backendSeen[0]!.url, '/up/a%20b/c%40d', BACKEND_SOURCE);
});
