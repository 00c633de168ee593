// https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileIdentitySource,
  compileValidationExpression,
  type IdentityInput,
} from '../../../src/gateway/authorizers/identity-source.js';
import { InvalidAuthorizerError } from '../../../src/model/authorizer-rules.js';

function input(partial: Partial<IdentityInput> = {}): IdentityInput {
  return {
    headersLower: partial.headersLower ?? new Map<string, string>(),
    query: partial.query ?? {},
    stageVariables: partial.stageVariables ?? {},
    context: partial.context ?? {},
  };
}

describe('identity source: TOKEN', () => {
  it('defaults to method.request.header.Authorization', () => {
    const source = compileIdentitySource(undefined, 'TOKEN');
    assert.deepEqual(source.expressions, ['method.request.header.Authorization']);
    const headersLower = new Map([['authorization', 'Bearer abc']]);
    assert.deepEqual(source.extract(input({ headersLower })), ['Bearer abc']);
  });

  it('header names match case-insensitively (method.request.header.X-Auth-Token)', () => {
    const source = compileIdentitySource('method.request.header.X-Auth-Token', 'TOKEN');
    const headersLower = new Map([['x-auth-token', 't0k3n']]);
    assert.deepEqual(source.extract(input({ headersLower })), ['t0k3n']);
  });

  it('a missing or empty token header answers 401 without invoking (undefined)', () => {
    const source = compileIdentitySource('method.request.header.Authorization', 'TOKEN');
    assert.equal(source.extract(input()), undefined);
    assert.equal(
      source.extract(input({ headersLower: new Map([['authorization', '']]) })),
      undefined,
    );
  });

  it('rejects more than one source and non-header sources', () => {
    for (const bad of [
      'method.request.header.A, method.request.header.B',
      'method.request.querystring.token',
      'stageVariables.token',
      'context.requestId',
    ]) {
      assert.throws(() => compileIdentitySource(bad, 'TOKEN'), InvalidAuthorizerError, bad);
    }
  });
});

describe('identity source: REQUEST', () => {
  it('extracts header, query string, stage variable and context values, in order', () => {
    const source = compileIdentitySource(
      'method.request.header.HeaderAuth1, method.request.querystring.QueryString1,stageVariables.stage ,  context.identity.sourceIp',
      'REQUEST',
    );
    assert.deepEqual(source.expressions, [
      'method.request.header.HeaderAuth1',
      'method.request.querystring.QueryString1',
      'stageVariables.stage',
      'context.identity.sourceIp',
    ]);
    const values = source.extract(
      input({
        headersLower: new Map([['headerauth1', 'headerValue1']]),
        query: { QueryString1: 'queryValue1' },
        stageVariables: { stage: 'prod' },
        context: { 'identity.sourceIp': '203.0.113.7' },
      }),
    );
    assert.deepEqual(values, ['headerValue1', 'queryValue1', 'prod', '203.0.113.7']);
  });

  it('any one missing or empty source answers 401 ("present, not null and non-empty")', () => {
    const source = compileIdentitySource(
      'method.request.header.A, method.request.querystring.q',
      'REQUEST',
    );
    const headersLower = new Map([['a', 'x']]);
    assert.equal(source.extract(input({ headersLower })), undefined);
    assert.equal(source.extract(input({ headersLower, query: { q: '' } })), undefined);
    assert.deepEqual(source.extract(input({ headersLower, query: { q: 'y' } })), ['x', 'y']);
  });

  it('query string names are case-sensitive', () => {
    const source = compileIdentitySource('method.request.querystring.Token', 'REQUEST');
    assert.equal(source.extract(input({ query: { token: 'x' } })), undefined);
  });

  it('a missing stage variable or context variable answers 401', () => {
    assert.equal(compileIdentitySource('stageVariables.v', 'REQUEST').extract(input()), undefined);
    assert.equal(compileIdentitySource('context.x', 'REQUEST').extract(input()), undefined);
  });

  it('does not read inherited properties (toString is not a query parameter)', () => {
    const source = compileIdentitySource('method.request.querystring.toString', 'REQUEST');
    assert.equal(source.extract(input()), undefined);
  });

  it('"When the authorization caching is not enabled, this property is optional": none → always invoke', () => {
    const source = compileIdentitySource(undefined, 'REQUEST');
    assert.deepEqual(source.expressions, []);
    assert.deepEqual(source.extract(input()), []);
  });

  it('rejects unknown expressions, naming the bad one', () => {
    for (const bad of [
      'method.request.path.id',
      'method.request.body',
      '$request.header.Authorization',
      'Method.Request.Header.A',
      'method.request.header.',
      'method.request.header.A B',
      'method.request.header.A,,method.request.header.B',
    ]) {
      assert.throws(
        () => compileIdentitySource(bad, 'REQUEST'),
        (err: unknown) => {
          assert.ok(err instanceof InvalidAuthorizerError);
          assert.equal(err.code, 'ERR_INVALID_IDENTITY_SOURCE');
          assert.match(err.message, /^Invalid identity source expression: /);
          return true;
        },
        bad,
      );
    }
    assert.throws(
      () => compileIdentitySource('method.request.header.A, method.request.path.id', 'REQUEST'),
      { message: /^Invalid identity source expression: method\.request\.path\.id\. / },
    );
  });
});

describe('identityValidationExpression (TOKEN)', () => {
  it('the whole token must match (Bearer.* as in AWS SAM docs)', () => {
    const valid = compileValidationExpression('Bearer .*');
    assert.equal(valid('Bearer abc.def'), true);
    assert.equal(valid('Basic abc'), false);
    assert.equal(valid('xBearer abc'), false);
  });

  it('is anchored at both ends: ^x-[a-z]+ does not accept a trailing digit', () => {
    const valid = compileValidationExpression('^x-[a-z]+');
    assert.equal(valid('x-abc'), true);
    assert.equal(valid('x-abc1'), false);
  });

  it('alternatives stay inside the anchors', () => {
    const valid = compileValidationExpression('a|b');
    assert.equal(valid('a'), true);
    assert.equal(valid('ab'), false);
  });

  it('matches in linear time: (\\w+\\s?)+ against a long non-matching token answers false', () => {
    assert.equal(compileValidationExpression('(\\w+\\s?)+')(`${'a'.repeat(5000)}!`), false);
    assert.equal(compileValidationExpression('(\\w+\\s?)+')('some words'), true);
  });

  it('absent or empty: every token is valid', () => {
    assert.equal(compileValidationExpression(undefined)('anything'), true);
    assert.equal(compileValidationExpression('')('anything'), true);
  });

  it('an invalid regular expression, or one RE2 cannot run in linear time, is refused at load time', () => {
    for (const bad of ['[', 'a)(b', '(a)\\1', '(?=a)a', '(?<!a)b', 'a*+']) {
      assert.throws(
        () => compileValidationExpression(bad),
        (err: unknown) => {
          assert.ok(err instanceof InvalidAuthorizerError);
          assert.equal(err.code, 'ERR_INVALID_VALIDATION_EXPRESSION');
          return true;
        },
      );
    }
  });
});
