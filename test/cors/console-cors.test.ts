// The console's Access-Control-Allow-Methods value and the preflight operation's shape.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors-console.html
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { allowedMethods, preflightOperation } from '../../src/cors/console-cors.js';

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY'];

describe('console CORS values', () => {
  it('Allow-Methods: the methods plus OPTIONS, once each, sorted; ANY stands for every method', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...METHODS)), (methods) => {
        const out = allowedMethods(methods);
        assert.ok(out.includes('OPTIONS'));
        assert.deepEqual(out, [...new Set(out)].sort());
        assert.ok(!out.includes('ANY'));
        const expected = methods.includes('ANY')
          ? ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']
          : [...new Set([...methods, 'OPTIONS'])].sort();
        assert.deepEqual(out, expected);
      }),
    );
  });

  it('a preflight declares exactly the headers it maps, in the document flavour asked for', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            origin: fc.constant("'*'"),
            methods: fc.constant("'GET,OPTIONS'"),
            headers: fc.constant("'X-Token'"),
            maxAge: fc.constant("'600'"),
            credentials: fc.boolean(),
          },
          { requiredKeys: ['origin'] },
        ),
        fc.boolean(),
        (literals, oas3) => {
          const op = preflightOperation(literals, oas3) as {
            responses: { '200': { headers: Record<string, unknown> } };
            'x-amazon-apigateway-integration': {
              responses: { default: { responseParameters: Record<string, string> } };
            };
          };
          const declared = Object.keys(op.responses['200'].headers).map(
            (h) => `method.response.header.${h}`,
          );
          const mapped = Object.keys(
            op['x-amazon-apigateway-integration'].responses.default.responseParameters,
          );
          assert.deepEqual(declared, mapped);
          assert.equal(
            declared.length,
            1 +
              ['methods', 'headers', 'maxAge'].filter((k) => k in literals).length +
              (literals.credentials ? 1 : 0),
          );
          for (const h of Object.values(op.responses['200'].headers))
            assert.deepEqual(h, oas3 ? { schema: { type: 'string' } } : { type: 'string' });
        },
      ),
    );
  });
});
