// mapping/json-path.ts: the direct walk of dotted paths reads exactly what jsonpath-plus reads
// (the one reading the module keeps for everything else), over arbitrary JSON documents.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#input-variable-reference
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { JSONPath } from 'jsonpath-plus';
import { evaluateJsonPath } from '../../../src/gateway/mapping/json-path.js';

/** jsonpath-plus alone, as evaluateJsonPath reads a definite path. */
const reference = (document: unknown, path: string): unknown =>
  (JSONPath<unknown[] | undefined>({
    path,
    json: document as object,
    wrap: true,
    eval: false,
  }) ?? [])[0];

const key = fc.constantFrom('a', 'b', 'c_1', 'Name', 'length', 'x');
const documents = fc
  .dictionary(key, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 })
  .chain((top) =>
    fc.constant(JSON.parse(JSON.stringify({ ...top, a: { b: top, c_1: [top] } })) as unknown),
  );

describe('evaluateJsonPath on dotted paths', () => {
  it('equals jsonpath-plus for $ and $.k1.k2… over any document', () => {
    fc.assert(
      fc.property(
        fc.oneof(documents, fc.jsonValue({ maxDepth: 3 })),
        fc.array(key, { maxLength: 4 }),
        (document, keys) => {
          const path = ['$', ...keys].join('.');
          assert.deepEqual(evaluateJsonPath(document, path), reference(document, path), path);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads $ as the document and a missing name as nothing', () => {
    assert.deepEqual(evaluateJsonPath({ a: { b: 1 } }, '$'), { a: { b: 1 } });
    assert.equal(evaluateJsonPath({ a: { b: 1 } }, '$.a.b'), 1);
    assert.equal(evaluateJsonPath({ a: { b: 1 } }, '$.a.c'), undefined);
    assert.deepEqual(evaluateJsonPath({ a: [1, 2] }, '$.a[*]'), [1, 2]);
  });
});
