// CreateAuthorizer's body is read with the model's authorizer schema: members of the wrong type
// are answered in Smithy's "validation error detected" words, over-long strings by limits.ts, and
// the authorizer rules with their own messages.
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateRestApiCommand } from '@aws-sdk/client-api-gateway';
import { createAuthorizer } from '../../../src/control/apigateway/authorizers.js';
import { BadRequestError, ValidationError } from '../../../src/control/errors.js';
import { startAdmin, uriOf, type Admin } from './harness.js';

const GOOD = {
  name: 'auth',
  type: 'TOKEN',
  authorizerUri: uriOf('token-auth'),
  identitySource: 'method.request.header.Authorization',
};
const at = (field: string, value: string, constraint: string) =>
  `1 validation error detected: Value ${value} at 'createAuthorizerInput.${field}' failed to satisfy constraint: ${constraint}`;

describe('CreateAuthorizer input', () => {
  let admin: Admin;
  let apiId: string;
  before(async () => {
    admin = await startAdmin();
    apiId = (await admin.client.send(new CreateRestApiCommand({ name: 'input' }))).id!;
  });
  after(() => admin.close());

  const cases: [string, Record<string, unknown>, string][] = [
    ['no name', { ...GOOD, name: undefined }, at('name', 'null', 'Member must not be null')],
    [
      'an empty name',
      { ...GOOD, name: '' },
      at('name', "''", 'Member must have length greater than or equal to 1'),
    ],
    ['no type', { ...GOOD, type: null }, at('type', 'null', 'Member must not be null')],
    [
      'a type REST APIs do not have',
      { ...GOOD, type: 'JWT' },
      at(
        'type',
        "'JWT'",
        'Member must satisfy enum value set: [TOKEN, REQUEST, COGNITO_USER_POOLS]',
      ),
    ],
    [
      'a TTL that is not a whole number',
      { ...GOOD, authorizerResultTtlInSeconds: 1.5 },
      at('authorizerResultTtlInSeconds', "'1.5'", 'Member must be an integer'),
    ],
    [
      'a TTL sent as a string',
      { ...GOOD, authorizerResultTtlInSeconds: '300' },
      at('authorizerResultTtlInSeconds', "'300'", 'Member must be an integer'),
    ],
    [
      'an identity source that is not a string',
      { ...GOOD, identitySource: 7 },
      at('identitySource', "'7'", 'Member must be a string'),
    ],
    [
      'providerARNs that are not a list of strings',
      { ...GOOD, type: 'COGNITO_USER_POOLS', providerARNs: [1] },
      at('providerARNs', "'…'", 'Member must be a list of strings'),
    ],
    [
      'an identity source longer than limits.ts allows (1024)',
      { ...GOOD, identitySource: `method.request.header.${'a'.repeat(1100)}` },
      "1 validation error detected: Value at 'createAuthorizerInput.identitySource' failed to satisfy constraint: Member must have length less than or equal to 1024",
    ],
    [
      'a rule of the model (a path parameter as identity source)',
      { ...GOOD, type: 'REQUEST', identitySource: 'method.request.path.id' },
      'Invalid identity source expression: method.request.path.id. Each source must be method.request.header.{name}, method.request.querystring.{name}, stageVariables.{name} or context.{name}, the name matching [a-zA-Z0-9._-]+',
    ],
  ];
  for (const [name, body, message] of cases) {
    it(`refuses ${name}`, async () => {
      await assert.rejects(createAuthorizer(admin.deps, apiId, body), (error: unknown) => {
        // Smithy's constraints are ValidationException, the model's own rules BadRequestException.
        const expected = message.startsWith('1 validation error')
          ? ValidationError
          : BadRequestError;
        assert.ok(error instanceof expected, String(error));
        assert.equal(error.message, message);
        return true;
      });
    });
  }

  it('JSON nulls are absent members; the TTL defaults to 300', async () => {
    const created = await createAuthorizer(admin.deps, apiId, {
      ...GOOD,
      identityValidationExpression: null,
      providerARNs: null,
    });
    assert.equal(created.authorizerResultTtlInSeconds, 300);
    assert.equal(created.identityValidationExpression, undefined);
  });
});
