// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuthorizerOutput } from '../../../src/gateway/authorizers/output.js';
import { AuthorizerConfigurationError } from '../../../src/gateway/errors.js';

const ARN = 'arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/prod/GET/';
const POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Action: 'execute-api:Invoke',
      Effect: 'Deny',
      Resource: 'arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/*/GET/',
    },
  ],
};

function out(fields: Record<string, unknown>): string {
  return JSON.stringify({ principalId: 'user', policyDocument: POLICY, ...fields });
}

function rejects(payload: string, reason: string): void {
  assert.throws(
    () => parseAuthorizerOutput(payload),
    (err: unknown) => {
      assert.ok(err instanceof AuthorizerConfigurationError);
      assert.equal(err.responseType, 'AUTHORIZER_CONFIGURATION_ERROR');
      assert.equal(err.messageString, null);
      assert.equal(err.reason, reason);
      return true;
    },
  );
}

describe('authorizer output: valid', () => {
  it('the documented example output: principalId, policy that denies GET / in any stage', () => {
    const result = parseAuthorizerOutput(out({}));
    assert.equal(result.principalId, 'user');
    assert.deepEqual({ ...result.context }, {});
    assert.equal(result.usageIdentifierKey, undefined);
    assert.equal(result.policy.evaluate(ARN), 'Deny');
  });

  it('context keeps string, number and boolean values as given', () => {
    const result = parseAuthorizerOutput(
      out({ context: { stringKey: 'value', numberKey: 1, booleanKey: true, zero: 0, no: false } }),
    );
    assert.deepEqual(
      { ...result.context },
      {
        stringKey: 'value',
        numberKey: 1,
        booleanKey: true,
        zero: 0,
        no: false,
      },
    );
  });

  it('a null context value is dropped; a null context is an empty context', () => {
    assert.deepEqual(
      { ...parseAuthorizerOutput(out({ context: { a: null, b: 'x' } })).context },
      {
        b: 'x',
      },
    );
    assert.deepEqual({ ...parseAuthorizerOutput(out({ context: null })).context }, {});
  });

  it('context keys named __proto__ or constructor are kept as plain keys', () => {
    const context = parseAuthorizerOutput(
      out({}).replace(
        '"principalId"',
        '"context": {"__proto__": "p", "constructor": "c"}, "principalId"',
      ),
    ).context;
    assert.deepEqual(Object.entries(context), [
      ['__proto__', 'p'],
      ['constructor', 'c'],
    ]);
  });

  it('usageIdentifierKey is carried for API keys from the AUTHORIZER source', () => {
    assert.equal(
      parseAuthorizerOutput(out({ usageIdentifierKey: 'k3y' })).usageIdentifierKey,
      'k3y',
    );
    assert.equal(
      parseAuthorizerOutput(out({ usageIdentifierKey: null })).usageIdentifierKey,
      undefined,
    );
  });

  it('a numeric or boolean principalId is read as its text', () => {
    assert.equal(parseAuthorizerOutput(out({ principalId: 42 })).principalId, '42');
    assert.equal(parseAuthorizerOutput(out({ principalId: true })).principalId, 'true');
  });

  it('an empty principalId string is accepted', () => {
    assert.equal(parseAuthorizerOutput(out({ principalId: '' })).principalId, '');
  });

  it('unknown top-level keys are ignored', () => {
    assert.equal(
      parseAuthorizerOutput(out({ statusCode: 200, extra: { a: 1 } })).principalId,
      'user',
    );
  });
});

describe('authorizer output: AWS answers 500 AuthorizerConfigurationException', () => {
  it('output that is not JSON', () => rejects('not json', 'authorizer output is not valid JSON'));
  it('output null ("Could not parse policy")', () =>
    rejects('null', 'authorizer output is not a JSON object'));
  it('output that is an array', () => rejects('[]', 'authorizer output is not a JSON object'));
  it('output that is a JSON string of an object', () =>
    rejects(JSON.stringify(out({})), 'authorizer output is not a JSON object'));
  it('principalId missing', () =>
    rejects(JSON.stringify({ policyDocument: POLICY }), 'authorizer output has no principalId'));
  it('principalId null', () =>
    rejects(out({ principalId: null }), 'authorizer output has no principalId'));
  it('principalId an object', () =>
    rejects(out({ principalId: { id: 1 } }), 'principalId must be a string'));
  it('principalId an array', () =>
    rejects(out({ principalId: ['a'] }), 'principalId must be a string'));
  it('policyDocument missing', () =>
    rejects(JSON.stringify({ principalId: 'user' }), 'authorizer output has no policyDocument'));
  it('policyDocument a string', () =>
    rejects(out({ policyDocument: 'Allow' }), 'policyDocument must be an object'));
  it('policyDocument without Statement', () =>
    rejects(out({ policyDocument: { Version: '2012-10-17' } }), 'policyDocument has no Statement'));
  it('a statement with Effect "allow"', () =>
    rejects(
      out({
        policyDocument: {
          Statement: [{ Effect: 'allow', Action: 'execute-api:Invoke', Resource: '*' }],
        },
      }),
      'Statement[0].Effect must be "Allow" or "Deny"',
    ));
  it('"you cannot set a JSON object … as a valid value of any key in the context map"', () =>
    rejects(
      out({ context: { user: { id: 1 } } }),
      'context.user must be a string, number or boolean, not an object',
    ));
  it('"… or array" in the context map', () =>
    rejects(
      out({ context: { roles: ['a', 'b'] } }),
      'context.roles must be a string, number or boolean, not an array',
    ));
  it('context that is not an object', () =>
    rejects(out({ context: 'x' }), 'context must be an object'));
  it('usageIdentifierKey an object', () =>
    rejects(out({ usageIdentifierKey: { k: 1 } }), 'usageIdentifierKey must be a string'));
});
