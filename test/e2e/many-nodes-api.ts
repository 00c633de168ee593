// What the many-nodes tests share: an API built through one node's admin API with the AWS SDKs,
// a store URL of its own, and polling for a change to reach another node.
import {
  APIGatewayClient,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  FlushStageAuthorizersCacheCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { dropSchema } from '../store/drop-schema.js';
import { makeZip } from '../control/lambda/make-zip.js';
import { call, type Answer, type Served } from './harness.js';

const CREDENTIALS = { accessKeyId: 'AKIASALLYPORTTEST014', secretAccessKey: 'n'.repeat(40) };
export const NODE_ENV = {
  SALLYPORT_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  SALLYPORT_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
};
export const PG = process.env.SALLYPORT_TEST_PG;
export const REDIS = process.env.SALLYPORT_TEST_REDIS;

const lambdaUri = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`;

/** A one-file CommonJS Node.js function. */
export const code = (source: string) =>
  makeZip([
    { path: 'index.js', content: source },
    { path: 'package.json', content: '{ "type": "commonjs" }' },
  ]);

// Every answer carries a fresh nonce, so a cached answer is told from a new one.
const AUTHORIZER = `const { randomUUID } = require('node:crypto');
exports.handler = async (event) => ({
  principalId: 'user',
  policyDocument: { Version: '2012-10-17', Statement: [
    { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn } ] },
  context: { nonce: randomUUID() },
});`;
export const echo = (version: string) => `exports.handler = async (event) => ({
  statusCode: 200,
  body: JSON.stringify({ version: '${version}', nonce: event.requestContext.authorizer.nonce }),
});`;
const SLOW = `exports.handler = () =>
  new Promise((done) => setTimeout(() => done({ statusCode: 200, body: 'done' }), 10000));`;

export function adminClients(s: Served) {
  const config = { endpoint: s.admin!, region: 'us-east-1', credentials: CREDENTIALS };
  return { apigw: new APIGatewayClient(config), lambda: new LambdaClient(config) };
}

/** A store URL on its own schema, so runs never see each other's state; `drop` removes it. */
export function pgStore(tag: string): { url: string; drop: () => Promise<void> } {
  const schema = `e2e_${tag}_${process.pid}_${Date.now()}`;
  return {
    url: `${PG}${PG!.includes('?') ? '&' : '?'}schema=${schema}`,
    drop: () => dropSchema(PG!, schema),
  };
}

/** Asks `url` until `accept` holds (changes reach a node asynchronously), wide deadline. */
export async function until(
  url: string,
  headers: Record<string, string>,
  accept: (a: Answer) => boolean,
): Promise<Answer> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await call(url, { headers });
    if (accept(answer) || Date.now() > deadline) return answer;
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

/**
 * Builds through node `a`: GET /echo behind a TOKEN authorizer (TTL 300 s) answering the
 * authorizer's nonce, and GET /slow, a function outliving its 1 s Timeout behind a 1.5 s
 * integration timeout. Returns the stage's base path.
 */
export async function buildApi(a: Served): Promise<string> {
  const { apigw, lambda } = adminClients(a);
  const fns: [string, string, number][] = [
    ['nodes-authorizer', AUTHORIZER, 3],
    ['nodes-echo', echo('v1'), 3],
    ['nodes-slow', SLOW, 1],
  ];
  for (const [name, source, timeout] of fns) {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Role: 'arn:aws:iam::123456789012:role/lambda',
        Handler: 'index.handler',
        Code: { ZipFile: code(source) },
        Timeout: timeout,
      }),
    );
  }
  const api = await apigw.send(new CreateRestApiCommand({ name: 'many-nodes' }));
  const authorizer = await apigw.send(
    new CreateAuthorizerCommand({
      restApiId: api.id,
      name: 'nodes-authorizer',
      type: 'TOKEN',
      authorizerUri: lambdaUri('nodes-authorizer'),
      identitySource: 'method.request.header.Authorization',
      authorizerResultTtlInSeconds: 300,
    }),
  );
  const routes: [string, string, number | undefined, boolean][] = [
    ['echo', 'nodes-echo', undefined, true],
    ['slow', 'nodes-slow', 1500, false],
  ];
  for (const [path, fn, timeoutInMillis, authorized] of routes) {
    const res = await apigw.send(
      new CreateResourceCommand({
        restApiId: api.id,
        parentId: api.rootResourceId,
        pathPart: path,
      }),
    );
    await apigw.send(
      new PutMethodCommand({
        restApiId: api.id,
        resourceId: res.id,
        httpMethod: 'GET',
        authorizationType: authorized ? 'CUSTOM' : 'NONE',
        ...(authorized ? { authorizerId: authorizer.id } : {}),
      }),
    );
    await apigw.send(
      new PutIntegrationCommand({
        restApiId: api.id,
        resourceId: res.id,
        httpMethod: 'GET',
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: lambdaUri(fn),
        ...(timeoutInMillis ? { timeoutInMillis } : {}),
      }),
    );
  }
  // The console's "Grant & Create": API Gateway may invoke each function for this API.
  for (const [name] of fns) {
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: name,
        StatementId: 'apigateway',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: `arn:aws:execute-api:us-east-1:123456789012:${api.id}/*`,
      }),
    );
  }
  await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
  return `/restapis/${api.id}/dev/_user_request_`;
}

export async function flush(a: Served, path: string): Promise<void> {
  const restApiId = /restapis\/([^/]+)/.exec(path)![1]!;
  await adminClients(a).apigw.send(
    new FlushStageAuthorizersCacheCommand({ restApiId, stageName: 'dev' }),
  );
}

export const TOKEN = { Authorization: 'token-1' };
export const nonceOf = (a: Answer) => (a.json() as { nonce: string }).nonce;
