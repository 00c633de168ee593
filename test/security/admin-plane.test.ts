// The admin API refuses on the headers alone — no signature, an unknown key, a scope for another
// service, or a wrong signature over a declared payload hash — before it reads a byte of the body,
// streams what it does read with a per-endpoint cap, and holds every stored field to AWS's
// limits. On main, 20 unsigned 72 MB POSTs took the server from 360 MB to 1 GB, and a Lambda
// path signed for `apigateway` was accepted.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { makeZip } from '../control/lambda/make-zip.js';
import { serve, type Served } from '../e2e/harness.js';
import { keysEnv } from './echo-project.js';
import { signedCall } from './signed-call.js';

const KEYS = { accessKeyId: 'AKIASALLYPORTADMIN01', secretAccessKey: 'a'.repeat(40) };
const MB = 1024 * 1024;
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

let s: Served;
let apigw: APIGatewayClient;
let lambda: LambdaClient;

before(async () => {
  s = await serve([], keysEnv(KEYS));
  const config = { endpoint: s.admin!, region: 'us-east-1', credentials: KEYS, maxAttempts: 1 };
  apigw = new APIGatewayClient(config);
  lambda = new LambdaClient(config);
});

after(async () => {
  apigw?.destroy();
  lambda?.destroy();
  await s?.stop();
});

/** kB of a /proc/<pid>/status line (VmRSS: resident now, VmHWM: the peak so far). */
function memoryKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
    readFileSync(`/proc/${pid}/status`, 'utf8'),
  );
  return Number(m![1]);
}

interface Outcome {
  status?: number;
  body?: string;
  errorType?: string;
  /** The server closed the connection while the body was still being sent. */
  reset?: boolean;
}

/**
 * Sends headers announcing `length` bytes, then (when `body` is given) the body; resolves on the
 * answer or when the server drops the connection. Without a body the answer can only come from
 * the headers: a server that waits for the body never answers (the test's timeout fails it).
 */
function post(
  path: string,
  headers: Record<string, string>,
  length: number,
  body?: Buffer,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(`${s.admin!}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(length), ...headers },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        resolve({
          status: res.statusCode!,
          body: text,
          errorType: res.headers['x-amzn-errortype'] as string,
        });
        req.destroy();
      });
      res.on('error', () => resolve({ reset: true }));
    });
    req.on('error', () => resolve({ reset: true }));
    req.flushHeaders();
    if (body) req.end(body);
    // A server that waits for a body that never comes would never answer: give up, and fail.
    else setTimeout(() => resolve({ reset: true }), 20_000).unref();
  });
}

describe('the signature is checked before the body is read', () => {
  it('an unsigned POST announcing 72 MB is answered 403 Missing Authentication Token without its body', async () => {
    const r = await post('/2015-03-31/functions', {}, 72 * MB);
    assert.deepEqual(r, {
      status: 403,
      body: '{"message":"Missing Authentication Token"}',
      errorType: 'MissingAuthenticationTokenException',
    });
  });

  it('a wrong signature over a declared x-amz-content-sha256 is refused before the body', async () => {
    const signed = await signedCall({
      url: `${s.admin!}/restapis`,
      method: 'POST',
      body: '{"name":"x"}',
      credentials: { ...KEYS, secretAccessKey: 'b'.repeat(40) },
      service: 'apigateway',
      send: false,
    });
    assert.ok(signed.headers['x-amz-content-sha256']);
    const r = await post('/restapis', signed.headers, 9 * MB);
    assert.deepEqual(r, {
      status: 403,
      body: JSON.stringify({ message: MISMATCH }),
      errorType: 'InvalidSignatureException',
    });
  });

  it('an unknown access key is refused before the body', async () => {
    const signed = await signedCall({
      url: `${s.admin!}/restapis`,
      method: 'POST',
      body: '{}',
      credentials: { ...KEYS, accessKeyId: 'AKIANOTAKEY000000000' },
      service: 'apigateway',
      send: false,
    });
    const r = await post('/restapis', signed.headers, 9 * MB);
    assert.equal(r.status, 403);
    assert.equal(r.errorType, 'UnrecognizedClientException');
  });

  it('a body over the endpoint cap is refused from Content-Length: 413 RequestEntityTooLargeException', async () => {
    const signed = await signedCall({
      url: `${s.admin!}/restapis`,
      method: 'POST',
      body: '{}',
      credentials: KEYS,
      service: 'apigateway',
      send: false,
    });
    const r = await post('/restapis', signed.headers, 11 * MB);
    assert.deepEqual(r, {
      status: 413,
      body: JSON.stringify({ message: `Request must be smaller than ${10 * MB} bytes` }),
      errorType: 'RequestEntityTooLargeException',
    });
  });

  it('20 unsigned 72 MB POSTs at once leave the server well under +200 MB (VmHWM)', async () => {
    const pid = s.child.pid!;
    const before = memoryKb(pid, 'VmRSS');
    const body = Buffer.alloc(72 * MB, 0x61);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => post('/2015-03-31/functions', {}, body.length, body)),
    );
    // Each is answered 403 or cut off once answered; none is processed.
    for (const o of outcomes) assert.ok(o.reset || o.status === 403, JSON.stringify(o));
    const peak = memoryKb(pid, 'VmHWM');
    assert.ok(
      peak - before < 200 * 1024,
      `server peak ${Math.round(peak / 1024)} MB from ${Math.round(before / 1024)} MB`,
    );
  });
});

describe("the credential scope's service must be the endpoint's", () => {
  it('a Lambda path signed for apigateway: 403 "Credential should be scoped to correct service: \'lambda\'. "', async () => {
    const r = await signedCall({
      url: `${s.admin!}/2015-03-31/functions`,
      credentials: KEYS,
      service: 'apigateway',
    });
    assert.equal(r.status, 403);
    assert.equal(
      r.body,
      JSON.stringify({ message: "Credential should be scoped to correct service: 'lambda'. " }),
    );
    assert.equal(r.headers['x-amzn-errortype'], 'InvalidSignatureException');
  });

  it('an API Gateway path signed for lambda is refused the same way', async () => {
    const r = await signedCall({
      url: `${s.admin!}/restapis`,
      credentials: KEYS,
      service: 'lambda',
    });
    assert.equal(r.status, 403);
    assert.equal(
      r.body,
      JSON.stringify({ message: "Credential should be scoped to correct service: 'apigateway'. " }),
    );
  });
});

describe("AWS's field limits", () => {
  const rejects = (
    promise: Promise<unknown>,
    name: string,
    message: string | RegExp,
  ): Promise<void> =>
    assert.rejects(promise, (e: Error & { $metadata: { httpStatusCode?: number } }) => {
      assert.equal(e.name, name);
      assert.equal(e.$metadata.httpStatusCode, 400);
      if (typeof message === 'string') assert.equal(e.message, message);
      else assert.match(e.message, message);
      return true;
    });

  it('API Gateway: an over-long name or description is a ValidationException', async () => {
    await rejects(
      apigw.send(new CreateRestApiCommand({ name: 'n'.repeat(1025) })),
      'ValidationException',
      "1 validation error detected: Value at 'createRestApiInput.name' failed to satisfy constraint: Member must have length less than or equal to 1024",
    );
    await rejects(
      apigw.send(new CreateRestApiCommand({ name: 'ok', description: 'd'.repeat(1025) })),
      'ValidationException',
      /Member must have length less than or equal to 1024$/,
    );
  });

  it('API Gateway: stage variable keys over 64 and values over 512 characters are refused', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'limits' }));
    const method = { restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET' };
    await apigw.send(new PutMethodCommand({ ...method, authorizationType: 'NONE' }));
    await apigw.send(new PutIntegrationCommand({ ...method, type: 'MOCK' }));
    const deploy = (variables: Record<string, string>) =>
      apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev', variables }));
    await rejects(
      deploy({ ['k'.repeat(65)]: 'v' }),
      'BadRequestException',
      `Stage variable name ${'k'.repeat(65)} is longer than 64 characters`,
    );
    await rejects(
      deploy({ k: 'v'.repeat(513) }),
      'BadRequestException',
      'Stage variable value for k is longer than 512 characters',
    );
    await deploy({ ['k'.repeat(64)]: 'v'.repeat(512) });
  });

  it('Lambda: environment variables over 4 KB are InvalidParameterValueException, in its words', async () => {
    const Variables = { BIG: 'x'.repeat(4100) };
    await rejects(
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'too-much-env',
          Runtime: 'nodejs20.x',
          Role: 'arn:aws:iam::123456789012:role/lambda',
          Handler: 'index.handler',
          Code: { ZipFile: makeZip([{ path: 'index.js', content: 'exports.handler=()=>1' }]) },
          Environment: { Variables },
        }),
      ),
      'InvalidParameterValueException',
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${JSON.stringify(Variables)}`,
    );
  });
});
