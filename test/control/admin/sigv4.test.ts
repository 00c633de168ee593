// SigV4 verification against requests signed by the SDKs' own signer (@smithy/signature-v4),
// then tampered by hand. Each failure is answered as AWS answers it.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from './sha256.js';
import { SignatureError } from '../../../src/control/errors.js';
import { verifySigV4, type SignedRequest } from '../../../src/control/admin/sigv4.js';

const KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret/KEY+example' };
const NOW = Date.UTC(2024, 0, 31, 12, 0, 0);
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

interface Input {
  method?: string;
  path: string;
  query?: Record<string, string>;
  body?: string;
  service?: string;
  headers?: Record<string, string>;
  at?: number;
  secret?: string;
}

/** Signs as the SDK does, and returns the request as it would arrive on the wire. */
async function signed(input: Input): Promise<SignedRequest> {
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: KEY.accessKeyId,
      secretAccessKey: input.secret ?? KEY.secretAccessKey,
    },
    region: 'eu-west-1',
    service: input.service ?? 'apigateway',
    sha256: Sha256,
  });
  const body = input.body ?? '';
  const request = await signer.sign(
    {
      method: input.method ?? 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 9001,
      path: input.path,
      query: input.query ?? {},
      headers: { host: '127.0.0.1:9001', 'content-type': 'application/json', ...input.headers },
      body,
    },
    { signingDate: new Date(input.at ?? NOW) },
  );
  const query = new URLSearchParams(input.query ?? {}).toString().replace(/\+/g, '%20');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
  return {
    method: request.method,
    url: query ? `${input.path}?${query}` : input.path,
    headers,
    body: Buffer.from(body),
  };
}

const context = (now = NOW) => ({
  secrets: new Map([[KEY.accessKeyId, KEY.secretAccessKey]]),
  services: ['apigateway', 'lambda'],
  now,
});

function refused(request: SignedRequest, errorType: string, message: string | RegExp, now = NOW) {
  assert.throws(
    () => verifySigV4(request, context(now)),
    (error: unknown) => {
      assert.ok(error instanceof SignatureError);
      assert.equal(error.status, 403);
      assert.equal(error.errorType, errorType);
      if (typeof message === 'string') assert.equal(error.message, message);
      else assert.match(error.message, message);
      return true;
    },
  );
}

test('a request signed by the SDK signer verifies (apigateway, body, query)', async () => {
  const request = await signed({
    path: '/restapis',
    query: { mode: 'import', failonwarnings: 'true' },
    body: '{"name":"x"}',
  });
  verifySigV4(request, context());
});

test('Lambda paths with an ARN are double-encoded in the canonical URI, as the SDK signs them', async () => {
  const path = `/2015-03-31/functions/${encodeURIComponent('arn:aws:lambda:eu-west-1:123456789012:function:f')}/invocations`;
  const request = await signed({ path, service: 'lambda', body: '{}' });
  verifySigV4(request, context());
});

test('a tampered body, path, query or signed header: InvalidSignatureException, AWS message', async () => {
  const base = await signed({ path: '/restapis', query: { limit: '5' }, body: '{"name":"a"}' });
  // The SDK signer declares the payload hash in x-amz-content-sha256, so a changed body is caught there.
  refused(
    { ...base, body: Buffer.from('{"name":"b"}') },
    'InvalidSignatureException',
    "The provided 'x-amz-content-sha256' header does not match what was computed.",
  );
  refused({ ...base, url: '/restapis/abc?limit=5' }, 'InvalidSignatureException', MISMATCH);
  refused({ ...base, url: '/restapis?limit=6' }, 'InvalidSignatureException', MISMATCH);
  refused(
    { ...base, headers: { ...base.headers, 'content-type': 'text/plain' } },
    'InvalidSignatureException',
    MISMATCH,
  );
  refused({ ...base, method: 'PUT' }, 'InvalidSignatureException', MISMATCH);
});

test('a wrong secret: InvalidSignatureException', async () => {
  refused(
    await signed({ path: '/restapis', secret: 'not-the-secret' }),
    'InvalidSignatureException',
    MISMATCH,
  );
});

test('an unknown access key: UnrecognizedClientException', async () => {
  const request = await signed({ path: '/restapis' });
  const header = request.headers.authorization as string;
  refused(
    {
      ...request,
      headers: {
        ...request.headers,
        authorization: header.replace(KEY.accessKeyId, 'AKIAUNKNOWN000000000'),
      },
    },
    'UnrecognizedClientException',
    'The security token included in the request is invalid.',
  );
});

test('no Authorization header: MissingAuthenticationTokenException', async () => {
  const request = await signed({ path: '/restapis' });
  const headers = { ...request.headers };
  delete headers.authorization;
  refused(
    { ...request, headers },
    'MissingAuthenticationTokenException',
    'Missing Authentication Token',
  );
});

test('an Authorization header without Signature: IncompleteSignatureException', async () => {
  const request = await signed({ path: '/restapis' });
  const header = (request.headers.authorization as string).replace(/, Signature=[0-9a-f]+/, '');
  refused(
    { ...request, headers: { ...request.headers, authorization: header } },
    'IncompleteSignatureException',
    "Authorization header requires 'Signature' parameter.",
  );
});

test('no X-Amz-Date: IncompleteSignatureException', async () => {
  const request = await signed({ path: '/restapis' });
  const headers = { ...request.headers };
  delete headers['x-amz-date'];
  refused(
    { ...request, headers },
    'IncompleteSignatureException',
    "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
  );
});

test('signed more than 15 minutes ago: Signature expired', async () => {
  const request = await signed({ path: '/restapis', at: NOW - 16 * 60 * 1000 });
  refused(
    request,
    'InvalidSignatureException',
    'Signature expired: 20240131T114400Z is now earlier than 20240131T114500Z (20240131T120000Z - 15 min.)',
  );
  // 14 minutes is within the allowed skew.
  verifySigV4(await signed({ path: '/restapis', at: NOW - 14 * 60 * 1000 }), context());
});

test('signed more than 15 minutes ahead: Signature not yet current', async () => {
  refused(
    await signed({ path: '/restapis', at: NOW + 16 * 60 * 1000 }),
    'InvalidSignatureException',
    'Signature not yet current: 20240131T121600Z is still later than 20240131T121500Z (20240131T120000Z + 15 min.)',
  );
});

test('a credential scope for another service is refused', async () => {
  refused(
    await signed({ path: '/restapis', service: 's3' }),
    'InvalidSignatureException',
    /^Credential should be scoped to correct service/,
  );
});

test('a declared x-amz-content-sha256 that is not the body hash is refused', async () => {
  const request = await signed({
    path: '/restapis',
    body: '{}',
    headers: { 'x-amz-content-sha256': createHash('sha256').update('{}').digest('hex') },
  });
  verifySigV4(request, context());
  refused(
    { ...request, body: Buffer.from('{"x":1}') },
    'InvalidSignatureException',
    "The provided 'x-amz-content-sha256' header does not match what was computed.",
  );
});
