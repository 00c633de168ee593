import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { flattenMaps, unflattenMaps } from '../../../src/functions/node/flat-maps.js';
import { anyKeyMap } from '../../../src/gateway/any-key-map.js';

type Pair = [Record<string, string>, Record<string, string[]>];

/** The maps as the gateway builds them from a request's headers or query (http/incoming.ts). */
function gatewayMaps(entries: [string, string][]): Pair {
  const single = anyKeyMap<string>();
  const multi = anyKeyMap<string[]>();
  for (const [name, value] of entries) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return [single, multi];
}

/** What the worker received before: the two maps through a structured clone. */
const cloned = (maps: Pair): Pair => structuredClone(maps);
const viaFlat = (maps: Pair): Pair => unflattenMaps(structuredClone(flattenMaps(...maps)!));

/** Equal, prototype and key order included (deepStrictEqual ignores the order). */
function assertSame(actual: Pair, expected: Pair): void {
  assert.deepStrictEqual(actual, expected);
  for (let i = 0; i < 2; i++) {
    assert.deepStrictEqual(Object.keys(actual[i]!), Object.keys(expected[i]!));
    assert.equal(Object.getPrototypeOf(actual[i]), Object.getPrototypeOf(expected[i]));
  }
}

const name = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'toString', 'Host', 'host', '0', '12', 'a b'),
  fc.string({ maxLength: 8 }),
);

describe('flat header and query maps (the worker hand-off)', () => {
  it('rebuild to exactly what a structured clone of the two maps gives', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.string({ maxLength: 6 })), { maxLength: 20 }), (e) => {
        const maps = gatewayMaps(e);
        assertSame(viaFlat(maps), cloned(maps));
      }),
      { numRuns: 2000 },
    );
  });

  it('keep a single value that is not among the multi values', () => {
    const maps: Pair = [
      { a: 'x', b: 'y' },
      { a: ['p', 'q'], b: [] },
    ];
    assertSame(viaFlat(maps), cloned(maps));
  });

  it('refuse maps that are not a pair (the caller sends them as they are)', () => {
    assert.equal(flattenMaps(null, null), undefined);
    assert.equal(flattenMaps({ a: 'x' }, null), undefined);
    assert.equal(flattenMaps({ a: 'x' }, { b: ['x'] }), undefined);
    assert.equal(flattenMaps({ a: 'x', b: 'y' }, { a: ['x'] }), undefined);
    assert.equal(flattenMaps({ b: 'y', a: 'x' }, { a: ['x'], b: ['y'] }), undefined);
    assert.equal(flattenMaps({ a: 1 } as never, { a: [1] } as never), undefined);
  });
});
