// The AWS SDK clients the fidelity tests drive a real `sallyport serve` with.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { makeZip } from '../control/lambda/make-zip.js';
import { ROOT, call, type Served } from '../e2e/harness.js';

const CREDENTIALS = { accessKeyId: 'AKIASALLYPORTFIDEL01', secretAccessKey: 'f'.repeat(40) };
export const ADMIN_ENV = {
  SALLYPORT_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  SALLYPORT_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
};

export function sdkClients(s: Served) {
  const config = { endpoint: s.admin!, region: 'us-east-1', credentials: CREDENTIALS };
  return { apigw: new APIGatewayClient(config), lambda: new LambdaClient(config) };
}

export const lambdaUri = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`;

/** A zip of a CommonJS function folder's index.js. */
export const zipOf = (folder: string) =>
  makeZip([
    { path: 'index.js', content: readFileSync(join(folder, 'index.js')) },
    { path: 'package.json', content: '{ "type": "commonjs" }' },
  ]);

/** Polls until `url` answers `status` (a deployment reaches the data plane asynchronously). */
export async function untilStatus(
  url: string,
  status: number,
  headers: Record<string, string> = {},
) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await call(url, { headers });
    if (r.status === status || Date.now() > deadline) return r;
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

/** CreateFunction (nodejs20.x, `index.handler`) for a CommonJS function folder. */
export function createFunctionFrom(lambda: LambdaClient, name: string, folder: string) {
  return lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: 'arn:aws:iam::123456789012:role/lambda',
      Handler: 'index.handler',
      Code: { ZipFile: zipOf(folder) },
    }),
  );
}

/** CreateFunction for one of examples/sayhello's functions (`authorizer`, `hello`). */
export function createExampleFunction(lambda: LambdaClient, name: string, example: string) {
  return createFunctionFrom(lambda, name, join(ROOT, 'examples/sayhello/functions', example));
}

/** The resource policy that lets API Gateway invoke a function from `sourceArn`. */
export function allowApiGateway(lambda: LambdaClient, name: string, sourceArn: string) {
  return lambda.send(
    new AddPermissionCommand({
      FunctionName: name,
      StatementId: 'apigateway',
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: sourceArn,
    }),
  );
}

/** CreateFunction, then the resource policy that lets API Gateway invoke it from `sourceArn`. */
export async function createInvokableFunction(
  lambda: LambdaClient,
  name: string,
  example: string,
  sourceArn: string,
) {
  await createExampleFunction(lambda, name, example);
  await allowApiGateway(lambda, name, sourceArn);
}
