// AWS_IAM methods: only requests signed with Signature Version 4 (service execute-api, the
// stage's region) with the gateway's access keys reach the function, which sees the signer in
// requestContext.identity; everything else gets AWS's 403 answers. On main such a method
// answered 200 to anyone.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html
// https://repost.aws/knowledge-center/api-gateway-iam-sigv4-mismatch
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, serve, type Served } from '../e2e/harness.js';
import { ECHO_INTEGRATION, echoProject, keysEnv, refusal } from './echo-project.js';
import { signedCall } from './signed-call.js';

const KEYS = { accessKeyId: 'AKIASALLYPORTIAM0001', secretAccessKey: 's'.repeat(40) };
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

interface Echoed {
  event: {
    body: string | null;
    requestContext: { identity: Record<string, unknown> };
  };
}

let s: Served;
const url = (path: string) => `${s.base}/dev${path}`;

before(async () => {
  const dir = echoProject(
    'iamapi0001',
    `paths:
  /iam:
    get:
      security: [{ sigv4: [] }]
      x-amazon-apigateway-integration: ${ECHO_INTEGRATION}
    post:
      security: [{ sigv4: [] }]
      x-amazon-apigateway-integration: ${ECHO_INTEGRATION}
  /open:
    get:
      x-amazon-apigateway-integration: ${ECHO_INTEGRATION}
components:
  securitySchemes:
    sigv4:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: awsSigv4
`,
  );
  s = await serve(['--config', dir], keysEnv(KEYS));
});

after(async () => {
  await s?.stop();
});

/** The same X-Amz-Date one second digit off: still within the clock window, no longer signed. */
const otherSecond = (amzDate: string) =>
  `${amzDate.slice(0, -2)}${amzDate.at(-2) === '0' ? '1' : '0'}Z`;

describe('AWS_IAM authorization', () => {
  it('a request signed with the gateway keys reaches the function with identity filled as AWS fills it for IAM callers', async () => {
    const r = await signedCall({ url: url('/iam?x=1'), credentials: KEYS });
    assert.equal(r.status, 200, r.body);
    const identity = (r.json() as Echoed).event.requestContext.identity;
    assert.equal(identity.accessKey, KEYS.accessKeyId);
    assert.equal(identity.accountId, '123456789012');
    assert.equal(identity.caller, '123456789012');
    assert.equal(identity.user, '123456789012');
    assert.equal(identity.userArn, 'arn:aws:iam::123456789012:root');
    assert.equal(identity.cognitoIdentityId, null);
  });

  it('a signed POST with a body is accepted; its body is signed too', async () => {
    const r = await signedCall({
      url: url('/iam'),
      method: 'POST',
      body: '{"a":1}',
      credentials: KEYS,
    });
    assert.equal(r.status, 200, r.body);
    assert.equal((r.json() as Echoed).event.body, '{"a":1}');
  });

  it('an unsigned request: 403 {"message":"Missing Authentication Token"}', async () => {
    assert.deepEqual(refusal(await call(url('/iam'))), {
      status: 403,
      body: '{"message":"Missing Authentication Token"}',
      errorType: 'MissingAuthenticationTokenException',
    });
  });

  it('a tampered request (query, header or body changed after signing): 403 InvalidSignatureException', async () => {
    const BODY_HASH =
      "The provided 'x-amz-content-sha256' header does not match what was computed.";
    const tampers: [
      (r: { url: string; headers: Record<string, string>; body: string }) => void,
      string,
    ][] = [
      [(r) => (r.url = r.url.replace('x=1', 'x=2')), MISMATCH],
      [(r) => (r.headers['x-amz-date'] = otherSecond(r.headers['x-amz-date']!)), MISMATCH],
      // The SDK signs the body's SHA-256 (x-amz-content-sha256): a changed body no longer has it.
      [(r) => (r.body = '{"a":2}'), BODY_HASH],
    ];
    for (const [tamper, message] of tampers) {
      const r = await signedCall({
        url: url('/iam?x=1'),
        method: 'POST',
        body: '{"a":1}',
        credentials: KEYS,
        tamper,
      });
      assert.deepEqual(refusal(r), {
        status: 403,
        body: JSON.stringify({ message }),
        errorType: 'InvalidSignatureException',
      });
    }
  });

  it('a wrong secret: 403 signature mismatch; an unknown access key: UnrecognizedClientException', async () => {
    const wrongSecret = await signedCall({
      url: url('/iam'),
      credentials: { ...KEYS, secretAccessKey: 'x'.repeat(40) },
    });
    assert.equal(wrongSecret.status, 403);
    assert.equal(wrongSecret.body, JSON.stringify({ message: MISMATCH }));
    const unknown = await signedCall({
      url: url('/iam'),
      credentials: { ...KEYS, accessKeyId: 'AKIAUNKNOWNKEY000000' },
    });
    assert.deepEqual(refusal(unknown), {
      status: 403,
      body: '{"message":"The security token included in the request is invalid."}',
      errorType: 'UnrecognizedClientException',
    });
  });

  it('a signature for another service or region, or an expired one, is refused with AWS text', async () => {
    const service = await signedCall({ url: url('/iam'), credentials: KEYS, service: 'lambda' });
    assert.deepEqual(refusal(service), {
      status: 403,
      body: JSON.stringify({
        message: "Credential should be scoped to correct service: 'execute-api'. ",
      }),
      errorType: 'InvalidSignatureException',
    });
    const region = await signedCall({ url: url('/iam'), credentials: KEYS, region: 'eu-west-1' });
    assert.equal(region.status, 403);
    assert.equal(
      region.body,
      JSON.stringify({
        message: "Credential should be scoped to a valid region, not 'eu-west-1'. ",
      }),
    );
    const expired = await signedCall({
      url: url('/iam'),
      credentials: KEYS,
      signingDate: new Date(Date.now() - 20 * 60 * 1000),
    });
    assert.equal(expired.status, 403);
    assert.match(
      (expired.json() as { message: string }).message,
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
    assert.equal(expired.headers['x-amzn-errortype'], 'InvalidSignatureException');
  });

  it('a method without AWS_IAM ignores signatures: identity stays null', async () => {
    const r = await call(url('/open'));
    assert.equal(r.status, 200);
    assert.equal((r.json() as Echoed).event.requestContext.identity.accessKey, null);
  });
});
