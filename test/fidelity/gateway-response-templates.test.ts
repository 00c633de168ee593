// Customised gateway responses render `$context.authorizer.*`, `$context.error.*` and the
// request's `$context` variables, through the real CLI.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../e2e/harness.js';
import { VARIES, assertRecordedAnswer } from '../support/recorded-answer.js';
import { startFidelityProject, type FidelityProject } from './fidelity-project.js';

const TEMPLATE_DOC =
  'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html';
const CONTEXT_DOC =
  'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference';

let p: FidelityProject;
before(async () => {
  p = await startFidelityProject();
});
after(() => p.stop());

describe('gateway response templates', () => {
  it('ACCESS_DENIED renders the denied caller’s principalId and context, and the error', async () => {
    const r = await call(p.url('/guarded'), { headers: { Authorization: 'deny' } });
    assertRecordedAnswer(r, {
      source: `${TEMPLATE_DOC}; ${CONTEXT_DOC}`,
      status: 403,
      headers: { 'x-amzn-errortype': 'AccessDeniedException', 'x-amz-apigw-id': VARIES.apigwId },
      body: {
        principal: 'user-7',
        tier: 'gold',
        message: 'User is not authorized to access this resource with an explicit deny',
        raw: 'User is not authorized to access this resource with an explicit deny',
        type: 'ACCESS_DENIED',
        method: 'GET',
        path: '/live/guarded',
        apigwId: r.headers['x-amz-apigw-id'] as string,
      },
    });
  });

  it('a 5xx after the authorizer allowed still knows $context.authorizer', async () => {
    const r = await call(p.url('/guarded?mode=broken'), { headers: { Authorization: 'allow' } });
    assertRecordedAnswer(r, {
      source: `${TEMPLATE_DOC}; Lambda proxy malformed answer: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format`,
      status: 502,
      headers: { 'x-amzn-errortype': 'InternalServerErrorException' },
      body: { principal: 'user-7', message: 'Internal server error', type: 'DEFAULT_5XX' },
    });
  });

  it('an allowed caller reaches the function', async () => {
    const r = await call(p.url('/guarded'), { headers: { Authorization: 'allow' } });
    assert.equal(r.status, 200, r.body);
    const body = r.json() as { event: { requestContext: { authorizer: Record<string, unknown> } } };
    assert.equal(body.event.requestContext.authorizer.principalId, 'user-7');
    assert.equal(body.event.requestContext.authorizer.level, '3');
  });
});
