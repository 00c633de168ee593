// compile.ts: a snapshot becomes a CompiledStage, or a DeploymentError and nothing else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileStage } from '../../src/gateway/compile.js';
import { DeploymentError } from '../../src/gateway/errors.js';
import {
  compileDeps,
  method,
  proxyTo,
  ScriptedInvoker,
  snapshot,
  stageOf,
  tokenAuthorizer,
} from './fixtures.js';

const STAGE = { stageName: 'prod', deploymentId: 'dep001', variables: {} };

function authorizationOf(m: ReturnType<typeof method>, authorizers = [tokenAuthorizer()]) {
  const stage = stageOf(snapshot({ '/x': [m] }, authorizers));
  return stage.router.match('/x')!.target.methods.get('GET')!.authorization;
}

test('each authorizationType compiles to exactly one authorization kind', () => {
  // https://docs.aws.amazon.com/apigateway/latest/api/API_Method.html (authorizationType)
  assert.deepEqual(authorizationOf(method()), { kind: 'none' });
  assert.deepEqual(authorizationOf(method({ authorizationType: 'AWS_IAM' })), { kind: 'iam' });
  const lambda = authorizationOf(method({ authorizationType: 'CUSTOM', authorizerId: 'auth01' }));
  assert.equal(lambda.kind, 'lambda');
  assert.equal(lambda.kind === 'lambda' && lambda.authorizer.functionName, 'auth');
  assert.equal(lambda.kind === 'lambda' && lambda.authorizer.ttlSeconds, 300);
  const jwt = authorizationOf(
    method({
      authorizationType: 'COGNITO_USER_POOLS',
      authorizerId: 'pool01',
      authorizationScopes: ['read'],
    }),
    [
      {
        id: 'pool01',
        name: 'pool',
        type: 'COGNITO_USER_POOLS',
        identitySource: 'method.request.header.Authorization',
        providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc'],
        authorizerResultTtlInSeconds: 300,
      },
    ],
  );
  assert.equal(jwt.kind, 'jwt');
  assert.deepEqual(jwt.kind === 'jwt' && jwt.scopes, ['read']);
});

test('the stage keeps its names, variables and routes', () => {
  const stage = stageOf(snapshot({ '/pets/{id}': [method(), method({ httpMethod: 'POST' })] }));
  assert.equal(stage.apiId, 'abcdef1234');
  assert.equal(stage.stageName, 'prod');
  assert.deepEqual(stage.variables, { v: '1' });
  const match = stage.router.match('/pets/7')!;
  assert.deepEqual([...match.target.methods.keys()], ['GET', 'POST']);
  assert.equal(match.pathParameters?.id, '7');
});

const refusals: [string, Parameters<typeof snapshot>][] = [
  [
    'a CUSTOM method whose authorizer is missing',
    [{ '/x': [method({ authorizationType: 'CUSTOM', authorizerId: 'nope' })] }],
  ],
  ['a method without integration', [{ '/x': [method({ methodIntegration: undefined })] }]],
  [
    'an AWS integration of a service other than Lambda',
    [
      {
        '/x': [
          method({
            methodIntegration: {
              type: 'AWS',
              uri: 'arn:aws:apigateway:us-east-1:s3:path/b/k',
              timeoutInMillis: 1000,
            },
          }),
        ],
      },
    ],
  ],
  [
    'an invalid selectionPattern (the error names the method)',
    [
      {
        '/x': [
          method({
            methodIntegration: {
              type: 'MOCK',
              timeoutInMillis: 1000,
              integrationResponses: { '400': { statusCode: '400', selectionPattern: '(4' } },
            },
          }),
        ],
      },
    ],
  ],
  [
    'an identity source the authorizer reader refuses',
    [
      { '/x': [method({ authorizationType: 'CUSTOM', authorizerId: 'auth01' })] },
      [tokenAuthorizer({ identitySource: 'nonsense' })],
    ],
  ],
  [
    'a mapping expression the parameter reader refuses',
    [
      {
        '/x': [
          method({
            methodIntegration: {
              type: 'HTTP_PROXY',
              httpMethod: 'GET',
              uri: 'http://127.0.0.1:1/',
              requestParameters: { 'integration.request.header.x': 'method.request.body.nope' },
              timeoutInMillis: 1000,
            },
          }),
        ],
      },
    ],
  ],
  ['a greedy path variable that is not last', [{ '/{a+}/b': [method()] }]],
];

for (const [what, args] of refusals) {
  test(`compile refuses ${what} with a DeploymentError`, () => {
    assert.throws(
      () => compileStage(snapshot(...args), STAGE, compileDeps(new ScriptedInvoker())),
      (error: unknown) => error instanceof DeploymentError && error.code === 'ERR_DEPLOYMENT',
    );
  });
}

test('a Lambda integration naming a function that does not exist compiles (AWS deploys it)', () => {
  // The method answers 500 at request time instead: test/fidelity/integration-missing-function.
  const stage = stageOf(snapshot({ '/x': [method({ methodIntegration: proxyTo('ghost') })] }));
  assert.ok(stage.router.match('/x')!.target.methods.get('GET'));
});

test('an invalid selectionPattern is a deploy-time error that names the method', () => {
  const bad = method({
    methodIntegration: {
      type: 'MOCK',
      timeoutInMillis: 1000,
      integrationResponses: { '400': { statusCode: '400', selectionPattern: '(4' } },
    },
  });
  assert.throws(
    () => compileStage(snapshot({ '/x': [bad] }), STAGE, compileDeps(new ScriptedInvoker())),
    /^DeploymentError: GET \/x: integration response 400 has an invalid selectionPattern '\(4'/,
  );
});
