import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { closest, editDistance } from '../../src/support/closest.js';

describe('closest: "did you mean"', () => {
  it('finds the key a typo was meant to be', () => {
    const keys = ['Runtime', 'Handler', 'Code', 'Timeout', 'MemorySize', 'Environment'];
    assert.equal(closest('Runtme', keys), 'Runtime');
    assert.equal(closest('Runtmie', keys), 'Runtime');
    assert.equal(closest('timeout', keys), 'Timeout');
    assert.equal(closest('Memory', keys), undefined);
    assert.equal(closest('Colour', keys), undefined);
  });

  it('edit distance is a metric: zero only for equal words, symmetric, within the longer length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        assert.equal(d === 0, a === b);
        assert.equal(d, editDistance(b, a));
        assert.ok(d <= Math.max(a.length, b.length));
        assert.ok(d >= Math.abs(a.length - b.length));
      }),
    );
  });
});
