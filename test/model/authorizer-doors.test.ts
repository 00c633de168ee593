// One authorizer configuration, three doors: the OpenAPI importer (and sallyport.yaml, which imports
// its APIs through it), the admin API's CreateAuthorizer over real HTTP with the AWS SDK, and the
// data plane's compile. Each door must give the same verdict, and a refusal the same message.
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'undici';
import {
  CreateAuthorizerCommand,
  CreateRestApiCommand,
  UpdateAuthorizerCommand,
} from '@aws-sdk/client-api-gateway';
import { compileStage } from '../../src/gateway/compile.js';
import { DeploymentError } from '../../src/gateway/errors.js';
import type { Invoker } from '../../src/functions/invoker.js';
import { DEFAULT_SETTINGS, type Authorizer, type ApiSnapshot } from '../../src/model/types.js';
import { OpenApiImportError } from '../../src/openapi/index.js';
import { startAdmin, type Admin } from '../control/apigateway/harness.js';
import { importDoc, lambdaProxy, lambdaUri, oas3 } from '../openapi/helpers.js';

type Config = Omit<Authorizer, 'id' | 'name' | 'authorizerResultTtlInSeconds'> & {
  authorizerResultTtlInSeconds?: number;
};

/** undefined: every door accepts it; otherwise the rule's message and the member it is about. */
type Verdict = undefined | { field: string; message: string };

const URI = lambdaUri('api-authorizer');
const POOL = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123';
const TOKEN_RULE =
  "The source must be a method request header, matching 'method.request.header.[a-zA-Z0-9._-]+'";
const REQUEST_RULE =
  'Each source must be method.request.header.{name}, method.request.querystring.{name}, stageVariables.{name} or context.{name}, the name matching [a-zA-Z0-9._-]+';
const badRequestSource = (expression: string): Verdict => ({
  field: 'identitySource',
  message: `Invalid identity source expression: ${expression}. ${REQUEST_RULE}`,
});
const badTokenSource = (source: string): Verdict => ({
  field: 'identitySource',
  message: `Invalid token source expression: ${source}. ${TOKEN_RULE}`,
});
const badTtl = (ttl: number): Verdict => ({
  field: 'authorizerResultTtlInSeconds',
  message: `Authorizer result TTL must be a whole number of seconds between 0 and 3600 (got ${ttl})`,
});

const CASES: [string, Config, Verdict][] = [
  [
    'TOKEN reading the Authorization header',
    { type: 'TOKEN', authorizerUri: URI, identitySource: 'method.request.header.Authorization' },
    undefined,
  ],
  [
    'TOKEN with a validation expression, caching off',
    {
      type: 'TOKEN',
      authorizerUri: URI,
      identitySource: 'method.request.header.X-Api_Token.v1',
      identityValidationExpression: 'Bearer .*',
      authorizerResultTtlInSeconds: 0,
    },
    undefined,
  ],
  [
    'REQUEST with a header and a query string ("method.request.header.Auth, method.request.querystring.Name")',
    {
      type: 'REQUEST',
      authorizerUri: URI,
      identitySource: 'method.request.header.Auth, method.request.querystring.Name',
      authorizerResultTtlInSeconds: 3600,
    },
    undefined,
  ],
  [
    'REQUEST with a stage variable and a context variable',
    {
      type: 'REQUEST',
      authorizerUri: URI,
      identitySource: 'stageVariables.stage,context.identity.sourceIp',
    },
    undefined,
  ],
  [
    'REQUEST without identity source, caching off ("optional when caching is not enabled")',
    { type: 'REQUEST', authorizerUri: URI, authorizerResultTtlInSeconds: 0 },
    undefined,
  ],
  [
    'COGNITO_USER_POOLS with a user pool',
    {
      type: 'COGNITO_USER_POOLS',
      providerARNs: [POOL],
      identitySource: 'method.request.header.Authorization',
    },
    undefined,
  ],
  [
    'REQUEST reading a path parameter (not an identity source of REST API authorizers)',
    { type: 'REQUEST', authorizerUri: URI, identitySource: 'method.request.path.id' },
    badRequestSource('method.request.path.id'),
  ],
  [
    'REQUEST reading a multi-value header',
    {
      type: 'REQUEST',
      authorizerUri: URI,
      identitySource: 'method.request.header.A, method.request.multivalueheader.B',
    },
    badRequestSource('method.request.multivalueheader.B'),
  ],
  [
    'REQUEST reading a multi-value query string',
    {
      type: 'REQUEST',
      authorizerUri: URI,
      identitySource: 'method.request.multivaluequerystring.q',
    },
    badRequestSource('method.request.multivaluequerystring.q'),
  ],
  [
    'REQUEST with an empty entry in the list',
    {
      type: 'REQUEST',
      authorizerUri: URI,
      identitySource: 'method.request.header.A,,method.request.header.B',
    },
    badRequestSource(''),
  ],
  [
    'REQUEST whose header name has a character outside [a-zA-Z0-9._-]',
    { type: 'REQUEST', authorizerUri: URI, identitySource: 'method.request.header.A:B' },
    badRequestSource('method.request.header.A:B'),
  ],
  [
    'TOKEN reading a query string',
    { type: 'TOKEN', authorizerUri: URI, identitySource: 'method.request.querystring.token' },
    badTokenSource('method.request.querystring.token'),
  ],
  [
    'TOKEN reading two headers',
    {
      type: 'TOKEN',
      authorizerUri: URI,
      identitySource: 'method.request.header.A, method.request.header.B',
    },
    badTokenSource('method.request.header.A, method.request.header.B'),
  ],
  [
    'COGNITO_USER_POOLS reading a stage variable',
    { type: 'COGNITO_USER_POOLS', providerARNs: [POOL], identitySource: 'stageVariables.t' },
    badTokenSource('stageVariables.t'),
  ],
  [
    'REQUEST caching (default TTL 300) without identity source',
    { type: 'REQUEST', authorizerUri: URI },
    {
      field: 'identitySource',
      message:
        'Identity source must be set if authorizer caching is enabled (TTL is greater than 0)',
    },
  ],
  [
    'a TTL above 3600',
    {
      type: 'TOKEN',
      authorizerUri: URI,
      identitySource: 'method.request.header.Authorization',
      authorizerResultTtlInSeconds: 3601,
    },
    badTtl(3601),
  ],
  [
    'a negative TTL',
    {
      type: 'TOKEN',
      authorizerUri: URI,
      identitySource: 'method.request.header.Authorization',
      authorizerResultTtlInSeconds: -1,
    },
    badTtl(-1),
  ],
  [
    'an identityValidationExpression RE2 cannot run (a backreference)',
    {
      type: 'TOKEN',
      authorizerUri: URI,
      identitySource: 'method.request.header.Authorization',
      identityValidationExpression: '(a)\\1',
    },
    {
      field: 'identityValidationExpression',
      message:
        "Invalid identityValidationExpression '(a)\\1': error parsing regexp: invalid escape sequence: `\\1`. Sallyport matches with a linear-time engine (RE2 syntax), which does not support backreferences, lookahead/lookbehind, atomic groups or possessive quantifiers",
    },
  ],
  [
    'an authorizerUri that is not a Lambda invocation URI',
    {
      type: 'TOKEN',
      authorizerUri: 'https://auth.example.com',
      identitySource: 'method.request.header.Authorization',
    },
    {
      field: 'authorizerUri',
      message:
        'Invalid Authorizer URI: https://auth.example.com. Expected a Lambda invocation URI, arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations',
    },
  ],
  [
    'a REQUEST authorizer without authorizerUri',
    { type: 'REQUEST', identitySource: 'method.request.header.A' },
    { field: 'authorizerUri', message: 'Authorizer URI must be specified for REQUEST authorizers' },
  ],
  [
    'COGNITO_USER_POOLS without providerARNs',
    { type: 'COGNITO_USER_POOLS', identitySource: 'method.request.header.Authorization' },
    {
      field: 'providerARNs',
      message: 'ProviderARNs need to be specified for COGNITO_USER_POOLS authorizers',
    },
  ],
];

const AUTH_AT = 'components.securitySchemes.auth.x-amazon-apigateway-authorizer';

/** Door 1: an OpenAPI document whose security scheme carries the configuration. */
function throughImporter(config: Config): string | undefined {
  const { type, ...fields } = config;
  const doc = oas3(
    { '/x': { get: { security: [{ auth: [] }], ...lambdaProxy() } } },
    {
      components: {
        securitySchemes: {
          auth: {
            type: 'apiKey',
            name: 'Unused',
            in: 'header',
            'x-amazon-apigateway-authtype':
              type === 'COGNITO_USER_POOLS' ? 'cognito_user_pools' : 'custom',
            'x-amazon-apigateway-authorizer': { type: type.toLowerCase(), ...fields },
          },
        },
      },
    },
  );
  try {
    importDoc(doc);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof OpenApiImportError, String(error));
    return error.message;
  }
}

/** Door 3: the data plane compiles a deployment holding the authorizer. */
function throughCompile(config: Config): string | undefined {
  const authorizer: Authorizer = {
    id: 'auth01',
    name: 'auth',
    authorizerResultTtlInSeconds: 300,
    ...config,
  };
  const snapshot: ApiSnapshot = {
    api: {
      id: 'a1b2c3d4e5',
      name: 'doors',
      createdDate: 0,
      binaryMediaTypes: [],
      apiKeySource: 'HEADER',
    },
    resources: [],
    authorizers: [authorizer],
    gatewayResponses: {},
  };
  const invoker: Invoker = {
    invoke: () => Promise.reject(new Error('not invoked at compile time')),
    has: () => true,
    close: () => Promise.resolve(),
  };
  const dispatcher = new Agent();
  try {
    compileStage(
      snapshot,
      { stageName: 'prod', deploymentId: 'd1', variables: {} },
      { invoker, dispatcher, settings: DEFAULT_SETTINGS, functionTimeout: () => 3 },
    );
    return undefined;
  } catch (error) {
    assert.ok(error instanceof DeploymentError, String(error));
    return error.message;
  } finally {
    void dispatcher.close();
  }
}

describe('one authorizer configuration, three doors, one verdict', () => {
  let admin: Admin;
  let apiId: string;
  let count = 0;
  before(async () => {
    admin = await startAdmin();
    apiId = (await admin.client.send(new CreateRestApiCommand({ name: 'doors' }))).id!;
  });
  after(() => admin.close());

  /** Door 2: CreateAuthorizer through the AWS SDK. */
  async function throughAdmin(config: Config): Promise<string | undefined> {
    try {
      await admin.client.send(
        new CreateAuthorizerCommand({ restApiId: apiId, name: `auth${count++}`, ...config }),
      );
      return undefined;
    } catch (error) {
      const e = error as Error & { $metadata?: { httpStatusCode?: number } };
      assert.equal(e.name, 'BadRequestException', e.message);
      assert.equal(e.$metadata?.httpStatusCode, 400);
      return e.message;
    }
  }

  for (const [name, config, verdict] of CASES) {
    it(`${verdict ? 'refused' : 'accepted'} everywhere: ${name}`, async () => {
      const imported = throughImporter(config);
      const created = await throughAdmin(config);
      const compiled = throughCompile(config);
      if (verdict === undefined) {
        assert.deepEqual([imported, created, compiled], [undefined, undefined, undefined]);
        return;
      }
      assert.equal(imported, `openapi.yaml: ${AUTH_AT}.${verdict.field}: ${verdict.message}`);
      assert.equal(created, verdict.message);
      assert.equal(compiled, `authorizer auth: ${verdict.message}`);
    });
  }

  it('UpdateAuthorizer refuses a patch that breaks a rule, with the same message', async () => {
    const created = await admin.client.send(
      new CreateAuthorizerCommand({
        restApiId: apiId,
        name: 'patched',
        type: 'REQUEST',
        authorizerUri: URI,
        identitySource: 'method.request.header.A',
      }),
    );
    const patch = (path: string, value: string) =>
      admin.client.send(
        new UpdateAuthorizerCommand({
          restApiId: apiId,
          authorizerId: created.id!,
          patchOperations: [{ op: 'replace', path, value }],
        }),
      );
    await assert.rejects(patch('/identitySource', 'method.request.path.id'), {
      name: 'BadRequestException',
      message: badRequestSource('method.request.path.id')!.message,
    });
    await assert.rejects(patch('/authorizerResultTtlInSeconds', '7200'), {
      name: 'BadRequestException',
      message: badTtl(7200)!.message,
    });
    await assert.rejects(patch('/identitySource', ''), {
      name: 'BadRequestException',
      message:
        'Identity source must be set if authorizer caching is enabled (TTL is greater than 0)',
    });
  });
});
