// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  compilePolicy,
  InvalidPolicyError,
  MAX_RESOURCE_LENGTH,
  wildcardMatch,
} from '../../../src/gateway/authorizers/policy.js';

const API = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5';
const GET_PETS = `${API}/prod/GET/pets`;

function statement(Effect: string, Resource: unknown, Action: unknown = 'execute-api:Invoke') {
  return { Effect, Action, Resource };
}
function policy(...Statement: unknown[]) {
  return compilePolicy({ Version: '2012-10-17', Statement });
}

describe('policy: Resource wildcards', () => {
  it('allows the exact method ARN', () => {
    assert.equal(policy(statement('Allow', GET_PETS)).evaluate(GET_PETS), 'Allow');
    assert.equal(policy(statement('Allow', GET_PETS)).evaluate(`${API}/prod/GET/pet`), 'NoMatch');
  });

  it('"*" matches any method ARN', () => {
    assert.equal(policy(statement('Allow', '*')).evaluate(GET_PETS), 'Allow');
  });

  it('arn:aws:execute-api:*:*:* "is equivalent to *" (any region, account, API, stage, path)', () => {
    const p = policy(statement('Allow', 'arn:aws:execute-api:*:*:*'));
    assert.equal(p.evaluate(GET_PETS), 'Allow');
    assert.equal(
      p.evaluate('arn:aws:execute-api:eu-west-1:999999999999:zz/dev/POST/a/b/c'),
      'Allow',
    );
  });

  it('arn:aws:execute-api:*:*:*/*/GET/* matches GET in any stage, any path, and nothing else', () => {
    const p = policy(statement('Allow', 'arn:aws:execute-api:*:*:*/*/GET/*'));
    assert.equal(p.evaluate(GET_PETS), 'Allow');
    assert.equal(p.evaluate(`${API}/prod/GET/pets/42/toys`), 'Allow');
    assert.equal(p.evaluate(`${API}/prod/GET/`), 'Allow');
    assert.equal(p.evaluate(`${API}/prod/POST/pets`), 'NoMatch');
  });

  it('"*" matches across "/": any resource path along mydemoresource', () => {
    const p = policy(statement('Allow', `${API}/test/*/mydemoresource/*`));
    assert.equal(p.evaluate(`${API}/test/GET/mydemoresource/a/b/c`), 'Allow');
    assert.equal(p.evaluate(`${API}/test/DELETE/mydemoresource/x`), 'Allow');
    assert.equal(p.evaluate(`${API}/test/GET/other/x`), 'NoMatch');
  });

  it('a stage wildcard covers every stage of the API', () => {
    const p = policy(statement('Allow', `${API}/*/GET/pets`));
    assert.equal(p.evaluate(`${API}/prod/GET/pets`), 'Allow');
    assert.equal(p.evaluate(`${API}/dev/GET/pets`), 'Allow');
    assert.equal(p.evaluate(`${API}/dev/GET/pets/1`), 'NoMatch');
  });

  it('a method wildcard covers every HTTP verb', () => {
    const p = policy(statement('Allow', `${API}/prod/*/pets`));
    assert.equal(p.evaluate(`${API}/prod/PUT/pets`), 'Allow');
    assert.equal(p.evaluate(`${API}/prod/PATCH/pets`), 'Allow');
  });

  it('the root resource is METHOD/ with an empty path (…/GET/)', () => {
    const p = policy(statement('Deny', `${API}/*/GET/`));
    assert.equal(p.evaluate(`${API}/prod/GET/`), 'Deny');
    assert.equal(p.evaluate(`${API}/prod/GET/pets`), 'NoMatch');
  });

  it('"?" matches exactly one character', () => {
    const p = policy(statement('Allow', `${API}/prod/GET/pets/?`));
    assert.equal(p.evaluate(`${API}/prod/GET/pets/7`), 'Allow');
    assert.equal(p.evaluate(`${API}/prod/GET/pets/42`), 'NoMatch');
    assert.equal(p.evaluate(`${API}/prod/GET/pets/`), 'NoMatch');
  });

  it('Resource matching is case-sensitive (ARNs are)', () => {
    const p = policy(statement('Allow', `${API}/prod/GET/Pets`));
    assert.equal(p.evaluate(GET_PETS), 'NoMatch');
    assert.equal(policy(statement('Allow', `${API}/prod/get/pets`)).evaluate(GET_PETS), 'NoMatch');
  });

  it('wildcardMatch: stars anywhere, several stars, no catastrophic backtracking', () => {
    assert.equal(wildcardMatch('a*b*c', 'aXXbYYc'), true);
    assert.equal(wildcardMatch('a*b*c', 'aXXbYY'), false);
    assert.equal(wildcardMatch('**', ''), true);
    assert.equal(wildcardMatch('?', ''), false);
    // A backtracking matcher would not finish this within the test timeout; ours answers at once.
    const long = 'a'.repeat(5000);
    assert.equal(wildcardMatch('*a*a*a*a*a*a*a*b', long), false);
  });
});

describe('policy: statements and effects', () => {
  it('explicit Deny wins over Allow, whatever the statement order', () => {
    const allowAll = statement('Allow', '*');
    const denyPets = statement('Deny', `${API}/*/GET/pets`);
    assert.equal(policy(allowAll, denyPets).evaluate(GET_PETS), 'Deny');
    assert.equal(policy(denyPets, allowAll).evaluate(GET_PETS), 'Deny');
    assert.equal(policy(allowAll, denyPets).evaluate(`${API}/prod/POST/pets`), 'Allow');
  });

  it('multiple statements: GET /pets allowed, POST /pets denied (AWS doc example)', () => {
    const p = policy(
      { Effect: 'Allow', Action: ['execute-api:Invoke'], Resource: [`${API}/*/GET/pets`] },
      { Effect: 'Deny', Action: ['execute-api:Invoke'], Resource: [`${API}/*/POST/pets`] },
    );
    assert.equal(p.evaluate(`${API}/prod/GET/pets`), 'Allow');
    assert.equal(p.evaluate(`${API}/prod/POST/pets`), 'Deny');
    assert.equal(p.evaluate(`${API}/prod/PUT/pets`), 'NoMatch');
  });

  it('nothing matching is NoMatch (an implicit deny, not an explicit one)', () => {
    assert.equal(policy(statement('Allow', `${API}/prod/GET/cats`)).evaluate(GET_PETS), 'NoMatch');
    assert.equal(policy().evaluate(GET_PETS), 'NoMatch');
  });

  it('Statement may be a single object instead of an array', () => {
    const p = compilePolicy({ Version: '2012-10-17', Statement: statement('Allow', GET_PETS) });
    assert.equal(p.evaluate(GET_PETS), 'Allow');
  });

  it('Resource may be an array: any entry matches', () => {
    const p = policy(statement('Allow', [`${API}/prod/GET/cats`, `${API}/prod/GET/pets`]));
    assert.equal(p.evaluate(GET_PETS), 'Allow');
  });

  it('one cached policy is evaluated against every later method ARN', () => {
    const p = policy(statement('Allow', `${API}/prod/GET/*`));
    for (const path of ['pets', 'pets/1', 'orders/9/items']) {
      assert.equal(p.evaluate(`${API}/prod/GET/${path}`), 'Allow');
    }
    assert.equal(p.evaluate(`${API}/prod/DELETE/pets/1`), 'NoMatch');
  });
});

describe('policy: Action', () => {
  for (const action of [
    'execute-api:Invoke',
    'execute-api:*',
    '*',
    ['s3:GetObject', 'execute-api:Invoke'],
  ]) {
    it(`Action ${JSON.stringify(action)} covers execute-api:Invoke`, () => {
      assert.equal(policy(statement('Allow', '*', action)).evaluate(GET_PETS), 'Allow');
    });
  }

  it('action names are case-insensitive (execute-api:invoke, EXECUTE-API:INVOKE)', () => {
    assert.equal(policy(statement('Allow', '*', 'execute-api:invoke')).evaluate(GET_PETS), 'Allow');
    assert.equal(policy(statement('Deny', '*', 'EXECUTE-API:INVOKE')).evaluate(GET_PETS), 'Deny');
  });

  it('action wildcards: execute-api:In* and execute-api:Invok? cover Invoke', () => {
    assert.equal(policy(statement('Allow', '*', 'execute-api:In*')).evaluate(GET_PETS), 'Allow');
    assert.equal(policy(statement('Allow', '*', 'execute-api:Invok?')).evaluate(GET_PETS), 'Allow');
  });

  it('a statement for another action (execute-api:InvalidateCache) does not apply', () => {
    const p = policy(statement('Allow', '*', 'execute-api:InvalidateCache'));
    assert.equal(p.evaluate(GET_PETS), 'NoMatch');
    const d = policy(
      statement('Allow', '*'),
      statement('Deny', '*', 'execute-api:InvalidateCache'),
    );
    assert.equal(d.evaluate(GET_PETS), 'Allow');
  });

  it('NotAction: applies to every action it does not list', () => {
    const p = policy({ Effect: 'Allow', NotAction: 'execute-api:InvalidateCache', Resource: '*' });
    assert.equal(p.evaluate(GET_PETS), 'Allow');
    const q = policy({ Effect: 'Allow', NotAction: 'execute-api:*', Resource: '*' });
    assert.equal(q.evaluate(GET_PETS), 'NoMatch');
  });

  it('NotResource: applies to every ARN it does not list', () => {
    const p = policy({
      Effect: 'Deny',
      Action: 'execute-api:Invoke',
      NotResource: `${API}/*/GET/pets`,
    });
    assert.equal(p.evaluate(GET_PETS), 'NoMatch');
    assert.equal(p.evaluate(`${API}/prod/POST/pets`), 'Deny');
  });

  it('a statement with a Condition never applies; an empty Condition is no condition', () => {
    const cond = {
      ...statement('Allow', '*'),
      Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    };
    assert.equal(policy(cond).evaluate(GET_PETS), 'NoMatch');
    assert.equal(policy({ ...statement('Allow', '*'), Condition: {} }).evaluate(GET_PETS), 'Allow');
  });
});

describe('policy: documents API Gateway rejects (InvalidPolicyError)', () => {
  const bad: [string, unknown][] = [
    ['not an object', 'Allow'],
    ['an array', []],
    ['null', null],
    ['no Statement', { Version: '2012-10-17' }],
    ['Statement: null', { Statement: null }],
    ['a lowercase statement key', { statement: [statement('Allow', '*')] }],
    ['a statement that is a string', { Statement: ['Allow'] }],
    ['Effect missing', { Statement: [{ Action: 'execute-api:Invoke', Resource: '*' }] }],
    ['Effect "allow" (Effect is case-sensitive)', { Statement: [statement('allow', '*')] }],
    ['Effect "ALLOW"', { Statement: [statement('ALLOW', '*')] }],
    ['Action missing', { Statement: [{ Effect: 'Allow', Resource: '*' }] }],
    [
      'Action and NotAction both',
      { Statement: [{ ...statement('Allow', '*'), NotAction: 'x:y' }] },
    ],
    ['Resource missing', { Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke' }] }],
    ['Resource a number', { Statement: [statement('Allow', 42)] }],
    ['Resource an empty array', { Statement: [statement('Allow', [])] }],
    ['Resource array with a non-string', { Statement: [statement('Allow', ['*', 1])] }],
    ['Action an object', { Statement: [statement('Allow', '*', { a: 1 })] }],
    ['Condition: null', { Statement: [{ ...statement('Allow', '*'), Condition: null }] }],
    ['Condition an array', { Statement: [{ ...statement('Allow', '*'), Condition: [] }] }],
    [
      `a Resource longer than ${MAX_RESOURCE_LENGTH} characters`,
      { Statement: [statement('Allow', `${API}/prod/GET/${'x'.repeat(MAX_RESOURCE_LENGTH)}`)] },
    ],
  ];
  for (const [name, doc] of bad) {
    it(`rejects ${name}`, () => {
      assert.throws(
        () => compilePolicy(doc),
        (err: unknown) => {
          assert.ok(err instanceof InvalidPolicyError);
          assert.equal(err.code, 'ERR_INVALID_POLICY');
          return true;
        },
      );
    });
  }

  it('names the faulty statement in the message', () => {
    assert.throws(() => policy(statement('Allow', '*'), statement('Permit', '*')), {
      message: 'Statement[1].Effect must be "Allow" or "Deny"',
    });
  });

  it('ignores Version, Sid and unknown keys', () => {
    const p = compilePolicy({
      Version: 'whatever',
      Statement: [{ Sid: 'x', Foo: 1, ...statement('Allow', '*') }],
    });
    assert.equal(p.evaluate(GET_PETS), 'Allow');
  });
});

describe('policy: star-only patterns agree with the reference matcher', () => {
  it('prefix, suffix and middle chunks, including overlaps', () => {
    const patterns = ['a*', '*a', 'ab*ba', 'a*b*a', '*aba*', 'x*', 'aa*aa', '*', '**a**'];
    const texts = ['', 'a', 'aa', 'aba', 'abba', 'ababa', 'aaa', 'aaaa', 'baab', 'xa'];
    for (const pattern of patterns) {
      const p = policy(statement('Allow', pattern));
      for (const text of texts) {
        const expected = wildcardMatch(pattern, text) ? 'Allow' : 'NoMatch';
        assert.equal(p.evaluate(text), expected, `${pattern} vs ${text}`);
      }
    }
  });
});
