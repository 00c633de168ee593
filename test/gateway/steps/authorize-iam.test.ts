// steps/authorize-iam.ts: AWS_IAM methods accept SigV4 with the gateway's keys for execute-api.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IamAuthenticationError } from '../../../src/gateway/errors.js';
import { createAuthorizeIamStep } from '../../../src/gateway/steps/authorize-iam.js';
import { signedCall } from '../../security/signed-call.js';
import { exchangeFor, method, snapshot, stageOf } from '../fixtures.js';

const KEY = { accessKeyId: 'AKIDUNITTEST0000', secretAccessKey: 'unit-secret' };
const step = createAuthorizeIamStep({
  secrets: new Map([[KEY.accessKeyId, KEY.secretAccessKey]]),
  now: Date.now,
});
const stage = stageOf(snapshot({ '/x': [method({ authorizationType: 'AWS_IAM' })] }));

async function signed(extra: { tamper?: (h: Record<string, string>) => void } = {}) {
  const sent = await signedCall({
    url: 'http://localhost:4000/prod/x?b=2&a=1',
    credentials: KEY,
    send: false,
  });
  extra.tamper?.(sent.headers);
  return exchangeFor(stage, { url: '/x?b=2&a=1', headers: Object.entries(sent.headers) });
}

const refusal = (fn: () => void) => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof IamAuthenticationError);
    return { type: error.responseType, errorType: error.errorTypeOverride, message: error.message };
  }
  assert.fail('expected a refusal');
};

test('a request signed with a gateway key is the account root caller', async () => {
  const exchange = await signed();
  step(exchange);
  assert.deepEqual(exchange.caller, {
    accessKey: KEY.accessKeyId,
    accountId: '123456789012',
    caller: '123456789012',
    user: '123456789012',
    userArn: 'arn:aws:iam::123456789012:root',
  });
});

test('an unsigned request is MISSING_AUTHENTICATION_TOKEN', () => {
  const got = refusal(() => step(exchangeFor(stage, { url: '/x' })));
  assert.equal(got.type, 'MISSING_AUTHENTICATION_TOKEN');
});

test('a changed signed header is INVALID_SIGNATURE', async () => {
  const exchange = await signed({ tamper: (h) => (h.host = 'evil:4000') });
  assert.equal(refusal(() => step(exchange)).type, 'INVALID_SIGNATURE');
});

test('an unknown access key is 403 UnrecognizedClientException', async () => {
  const other = createAuthorizeIamStep({ secrets: new Map(), now: Date.now });
  const got = refusal(() => other(exchangeFor(stage, { url: '/x' })));
  assert.equal(got.type, 'MISSING_AUTHENTICATION_TOKEN');
  const exchange = await signed();
  const unknown = refusal(() => other(exchange));
  assert.deepEqual(
    [unknown.type, unknown.errorType],
    ['DEFAULT_4XX', 'UnrecognizedClientException'],
  );
});

test('a signed header named __proto__ is a missing header, never an inherited member', async () => {
  const exchange = await signed({
    tamper: (h) => {
      h.authorization = h.authorization!.replace('SignedHeaders=', 'SignedHeaders=__proto__;');
    },
  });
  assert.equal(refusal(() => step(exchange)).type, 'INVALID_SIGNATURE');
});
