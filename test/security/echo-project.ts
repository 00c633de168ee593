// Shared by the security tests: the gateway's keys as `serve` takes them, a project with the
// e2e `echo` function and an OpenAPI document, and polling for asynchronous changes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, call, tempProject, type Answer } from '../e2e/harness.js';

export const keysEnv = (keys: { accessKeyId: string; secretAccessKey: string }) => ({
  SALLYPORT_ACCESS_KEY_ID: keys.accessKeyId,
  SALLYPORT_SECRET_ACCESS_KEY: keys.secretAccessKey,
});

export const lambdaUri = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`;

/** `x-amazon-apigateway-integration` of a Lambda proxy to the echo function, as flow YAML. */
export const ECHO_INTEGRATION = `{ type: aws_proxy, httpMethod: POST, uri: ${lambdaUri('echo')} }`;

/** A project folder: the echo function and one API (stage `dev`) with these OpenAPI `paths`. */
export function echoProject(id: string, openapiBody: string): string {
  const dir = tempProject(`
functions:
  echo: { Runtime: nodejs20.x, Handler: index.handler, Code: ${join(ROOT, 'test/fixtures/e2e/functions/echo')} }
apis:
  - name: ${id}
    id: ${id}
    openapi: openapi.yaml
    stages: { dev: {} }
`);
  writeFileSync(
    join(dir, 'openapi.yaml'),
    `openapi: 3.0.1\ninfo: { title: ${id}, version: '1' }\n${openapiBody}`,
  );
  return dir;
}

/** Polls until the answer's status is `status` (changes reach the data plane asynchronously). */
export async function until(
  url: string,
  status: number,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await call(url, { headers });
    if (r.status === status || Date.now() > deadline) return r;
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

/** What a refusal is made of: status, body and x-amzn-ErrorType. */
export const refusal = (r: Answer) => ({
  status: r.status,
  body: r.body,
  errorType: r.headers['x-amzn-errortype'],
});
