// The headers API Gateway puts on its answers and on the requests it sends on: request ids,
// trace ids, and the backend headers it remaps to `x-amzn-Remapped-*`. Through the real CLI.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../e2e/harness.js';
import { ABSENT, VARIES, assertRecordedAnswer } from '../support/recorded-answer.js';
import { startFidelityProject, type FidelityProject } from './fidelity-project.js';

const HTTP_SNAPSHOT =
  'localstack/localstack tests/aws/services/apigateway/test_apigateway_http.snapshot.json :: test_http_integration_with_lambda[HTTP_PROXY]';
const REMAP_DOC =
  'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis';

let p: FidelityProject;
before(async () => {
  p = await startFidelityProject();
});
after(() => p.stop());

describe('request ids and trace ids', () => {
  it('a Lambda proxy answer carries x-amzn-RequestId, x-amz-apigw-id and X-Amzn-Trace-Id', async () => {
    const r = await call(p.url('/answer'));
    assertRecordedAnswer(r, {
      source: HTTP_SNAPSHOT,
      status: 200,
      headers: {
        'x-amzn-requestid': VARIES.uuid,
        'x-amz-apigw-id': VARIES.apigwId,
        'x-amzn-trace-id': VARIES.traceId,
        'content-type': 'application/json',
      },
    });
    const body = r.json() as {
      event: { requestContext: { extendedRequestId: string; requestId: string } };
      traceEnv: string;
    };
    // extendedRequestId is the x-amz-apigw-id of the same request.
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference
    assert.equal(body.event.requestContext.extendedRequestId, r.headers['x-amz-apigw-id']);
    assert.equal(body.event.requestContext.requestId, r.headers['x-amzn-requestid']);
    // The function runs under the request's trace: same root, its own parent segment.
    // https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
    assert.match(body.traceEnv, VARIES.traceId);
    assert.ok(body.traceEnv.startsWith(`${r.headers['x-amzn-trace-id'] as string};Parent=`));
  });

  it('every request gets its own ids', async () => {
    const [a, b] = await Promise.all([call(p.url('/answer')), call(p.url('/answer'))]);
    assert.notEqual(a.headers['x-amz-apigw-id'], b.headers['x-amz-apigw-id']);
    assert.notEqual(a.headers['x-amzn-trace-id'], b.headers['x-amzn-trace-id']);
  });

  it('a MOCK answer has no trace id (no backend was called)', async () => {
    const r = await call(p.url('/mock'));
    assertRecordedAnswer(r, {
      source:
        'https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html',
      status: 200,
      headers: { 'x-amz-apigw-id': VARIES.apigwId, 'x-amzn-trace-id': ABSENT },
      body: '{"mock": true}',
    });
  });

  it('a gateway response carries x-amz-apigw-id too', async () => {
    const r = await call(p.url('/nowhere'));
    assertRecordedAnswer(r, {
      source:
        'localstack/localstack tests/aws/services/apigateway/test_apigateway_basic.snapshot.json',
      status: 403,
      headers: {
        'x-amz-apigw-id': VARIES.apigwId,
        'x-amzn-errortype': 'MissingAuthenticationTokenException',
      },
      body: { message: 'Missing Authentication Token' },
    });
  });
});

describe('HTTP_PROXY', () => {
  it('the backend gets x-amzn-apigateway-api-id, X-Amzn-Trace-Id and X-Forwarded-For', async () => {
    p.backendSeen.length = 0;
    const r = await call(p.url('/backend/a/b'), { headers: { 'User-Agent': 'fidelity-test' } });
    assert.equal(r.status, 200, r.body);
    const seen = p.backendSeen[0]!;
    assert.equal(seen.url, '/up/a/b');
    assert.equal(seen.headers['x-amzn-apigateway-api-id'], 'fidelity01', HTTP_SNAPSHOT);
    assert.equal(seen.headers['x-amzn-trace-id'], r.headers['x-amzn-trace-id'], HTTP_SNAPSHOT);
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1', HTTP_SNAPSHOT);
    // HTTP_PROXY passes the client's User-Agent on (the same snapshot: python-requests/2.31.0).
    assert.equal(seen.headers['user-agent'], 'fidelity-test', HTTP_SNAPSHOT);
  });

  it("the backend's Date, Content-Length, Connection, WWW-Authenticate and x-amzn-RequestId come back remapped", async () => {
    const r = await call(p.url('/backend/x'));
    assertRecordedAnswer(r, {
      source: `${HTTP_SNAPSHOT}; ${REMAP_DOC}`,
      status: 200,
      headers: {
        'x-amzn-remapped-date': VARIES.httpDate,
        'x-amzn-remapped-content-length': '12',
        'x-amzn-remapped-connection': 'keep-alive',
        'x-amzn-remapped-www-authenticate': 'Basic realm="up"',
        'www-authenticate': ABSENT,
        'x-amzn-remapped-x-amzn-requestid': 'backend-request-id',
        'x-amzn-requestid': VARIES.uuid,
        'x-amz-apigw-id': VARIES.apigwId,
        'x-amzn-trace-id': VARIES.traceId,
        'content-length': '12',
        'x-up': 'yes',
      },
      body: 'from backend',
    });
  });
});

describe('Lambda proxy', () => {
  it("a function's WWW-Authenticate, Date and Server come back remapped", async () => {
    const r = await call(p.url('/answer?mode=reserved-headers'));
    assertRecordedAnswer(r, {
      source: REMAP_DOC,
      status: 401,
      headers: {
        'x-amzn-remapped-www-authenticate': 'Bearer realm="fidelity"',
        'www-authenticate': ABSENT,
        'x-amzn-remapped-date': 'Thu, 01 Jan 2026 00:00:00 GMT',
        'x-amzn-remapped-server': 'answer-fn',
        'x-kept': 'yes',
      },
      body: 'no',
    });
  });
});

describe('isBase64Encoded', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/lambda-proxy-binary-media.html:
  // a base64 body becomes binary only for a client whose Accept names a binary media type.
  const BINARY_DOC =
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/lambda-proxy-binary-media.html';

  it('a body that is not base64, for a client that accepts binary: 502 Internal server error', async () => {
    const r = await call(p.url('/answer?mode=not-base64'), { headers: { Accept: 'image/png' } });
    assertRecordedAnswer(r, {
      source: `${BINARY_DOC}; AWS is silent on a body that is not base64: answered as a malformed proxy response, https://repost.aws/knowledge-center/malformed-502-api-gateway`,
      status: 502,
      headers: { 'x-amzn-errortype': 'InternalServerErrorException' },
      // Through this API's DEFAULT_5XX template (test/fixtures/fidelity/openapi.yaml).
      body: { principal: '', message: 'Internal server error', type: 'DEFAULT_5XX' },
    });
  });

  it('the same answer for a client that accepts no binary type: the text as the function wrote it', async () => {
    const r = await call(p.url('/answer?mode=not-base64'), { headers: { Accept: 'text/plain' } });
    assertRecordedAnswer(r, {
      source: BINARY_DOC,
      status: 200,
      headers: { 'content-type': 'image/png' },
      body: 'this is not base64!',
    });
  });
});
