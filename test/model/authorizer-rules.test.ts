// The authorizer rules themselves: the identity-source parser (property tests over generated
// strings), the TTL range and the whole-configuration check.
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html
// https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  checkAuthorizer,
  checkAuthorizerTtl,
  DEFAULT_TOKEN_IDENTITY_SOURCE,
  InvalidAuthorizerError,
  MAX_AUTHORIZER_TTL_SECONDS,
  parseIdentitySource,
  type IdentitySourceKind,
} from '../../src/model/authorizer-rules.js';
import type { AuthorizerType } from '../../src/model/types.js';

const PREFIX: Record<IdentitySourceKind, string> = {
  header: 'method.request.header.',
  querystring: 'method.request.querystring.',
  stageVariables: 'stageVariables.',
  context: 'context.',
};
const NAME_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-';
const name = fc.stringOf(fc.constantFrom(...NAME_CHARS), { minLength: 1, maxLength: 24 });
const kind = fc.constantFrom<IdentitySourceKind>(
  'header',
  'querystring',
  'stageVariables',
  'context',
);
const source = fc.record({ kind, name });
const space = fc.stringOf(fc.constantFrom(' ', '\t'), { maxLength: 3 });
/** Forms API Gateway has for request parameters, but not as REST API identity sources. */
const notASource = fc.constantFrom(
  'method.request.path.',
  'method.request.multivalueheader.',
  'method.request.multivaluequerystring.',
  'method.request.body.',
  '$request.header.',
  'Method.Request.Header.',
);

function refused(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof InvalidAuthorizerError, String(error));
    assert.match(error.message, message);
    return true;
  });
}

describe('parseIdentitySource (REQUEST)', () => {
  it('reads any comma-separated list of the four forms, in order, whatever the spaces around commas', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(source, space, space), { minLength: 1, maxLength: 6 }),
        (parts) => {
          const text = parts.map(([s, l, r]) => `${l}${PREFIX[s.kind]}${s.name}${r}`).join(',');
          const parsed = parseIdentitySource(text, 'REQUEST');
          assert.deepEqual(
            parsed,
            parts.map(([s]) => ({
              expression: PREFIX[s.kind] + s.name,
              kind: s.kind,
              name: s.name,
            })),
          );
        },
      ),
    );
  });

  it('round-trips: the expressions it returns, joined again, parse to the same expressions', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        let parsed;
        try {
          parsed = parseIdentitySource(text, 'REQUEST');
        } catch (error) {
          // Any string is answered: a list, or the rule's own error — never another exception.
          assert.ok(error instanceof InvalidAuthorizerError, String(error));
          assert.equal(error.code, 'ERR_INVALID_IDENTITY_SOURCE');
          return;
        }
        const again = parseIdentitySource(parsed.map((p) => p.expression).join(', '), 'REQUEST');
        assert.deepEqual(again, parsed);
        for (const p of parsed) assert.match(p.name, /^[a-zA-Z0-9._-]+$/);
      }),
    );
  });

  it('one path, multi-value, body or HTTP-API-style expression anywhere refuses the list, naming it', () => {
    fc.assert(
      fc.property(
        fc.array(source, { maxLength: 4 }),
        notASource,
        name,
        fc.nat(),
        (good, badPrefix, badName, at) => {
          const expressions = good.map((s) => PREFIX[s.kind] + s.name);
          const bad = badPrefix + badName;
          expressions.splice(at % (expressions.length + 1), 0, bad);
          refused(
            () => parseIdentitySource(expressions.join(', '), 'REQUEST'),
            new RegExp(`^Invalid identity source expression: ${bad.replace(/[.$]/g, '\\$&')}\\. `),
          );
        },
      ),
    );
  });

  it('a name with a character outside [a-zA-Z0-9._-] is refused', () => {
    fc.assert(
      fc.property(kind, name, fc.constantFrom(' x', ':', '/', '*', 'é', '{id}'), (k, n, bad) => {
        refused(
          () => parseIdentitySource(PREFIX[k] + n.slice(0, 3) + bad, 'REQUEST'),
          /^Invalid identity source expression: /,
        );
      }),
    );
    for (const prefix of Object.values(PREFIX))
      refused(
        () => parseIdentitySource(prefix, 'REQUEST'),
        /^Invalid identity source expression: /,
      );
  });

  it('nothing (absent, empty or blank) is no identity source', () => {
    for (const none of [undefined, '', '  '])
      assert.deepEqual(parseIdentitySource(none, 'REQUEST'), []);
  });
});

describe('parseIdentitySource (TOKEN and COGNITO_USER_POOLS)', () => {
  it('exactly one request header', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<AuthorizerType>('TOKEN', 'COGNITO_USER_POOLS'),
        name,
        (type, n) => {
          assert.deepEqual(parseIdentitySource(`method.request.header.${n}`, type), [
            { expression: `method.request.header.${n}`, kind: 'header', name: n },
          ]);
        },
      ),
    );
  });

  it('anything else, or more than one, is refused in AWS\'s words ("Invalid token source expression")', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<AuthorizerType>('TOKEN', 'COGNITO_USER_POOLS'),
        fc.array(source, { minLength: 1, maxLength: 3 }),
        (type, sources) => {
          fc.pre(sources.length > 1 || sources[0]!.kind !== 'header');
          const text = sources.map((s) => PREFIX[s.kind] + s.name).join(', ');
          refused(
            () => parseIdentitySource(text, type),
            /^Invalid token source expression: .*\. The source must be a method request header, matching 'method\.request\.header\.\[a-zA-Z0-9\._-\]\+'$/,
          );
        },
      ),
    );
  });

  it('none given: the Authorization header', () => {
    assert.equal(
      parseIdentitySource(undefined, 'TOKEN')[0]!.expression,
      DEFAULT_TOKEN_IDENTITY_SOURCE,
    );
  });
});

describe('authorizerResultTtlInSeconds', () => {
  it('"The maximum value is 3600": 0…3600 whole seconds, nothing else', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_AUTHORIZER_TTL_SECONDS }), (ttl) => {
        assert.doesNotThrow(() => checkAuthorizerTtl(ttl));
      }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ max: -1 }),
          fc.integer({ min: MAX_AUTHORIZER_TTL_SECONDS + 1 }),
          fc.double({ noInteger: true }),
        ),
        (ttl) => refused(() => checkAuthorizerTtl(ttl), /^Authorizer result TTL must be/),
      ),
    );
  });
});

describe('checkAuthorizer', () => {
  const uri =
    'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations';

  it('a REQUEST authorizer needs an identity source exactly when caching is on', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_AUTHORIZER_TTL_SECONDS }), (ttl) => {
        const check = () =>
          checkAuthorizer({
            type: 'REQUEST',
            authorizerUri: uri,
            authorizerResultTtlInSeconds: ttl,
          });
        if (ttl === 0) assert.doesNotThrow(check);
        else refused(check, /^Identity source must be set if authorizer caching is enabled/);
      }),
    );
  });

  it('a Sallyport JWT authorizer with its own issuer needs no user pool', () => {
    assert.doesNotThrow(() =>
      checkAuthorizer({
        type: 'COGNITO_USER_POOLS',
        authorizerResultTtlInSeconds: 300,
        jwtConfiguration: { issuer: 'https://id.example.com' },
      }),
    );
  });

  it('stage variables in the authorizer URI are refused when configured, not at deploy', () => {
    refused(
      () =>
        checkAuthorizer({
          type: 'TOKEN',
          authorizerUri: uri.replace('function:auth', 'function:${stageVariables.fn}'),
          authorizerResultTtlInSeconds: 300,
        }),
      /^Invalid Authorizer URI: /,
    );
  });
});
