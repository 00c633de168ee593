import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { pooledRandomBytes } from '../../src/support/random-pool.js';

describe('pooledRandomBytes: ids from a pool of random bytes', () => {
  it('gives the size asked for, and no two takes share bytes, across refills of the pool', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4096 }), { maxLength: 40 }), (sizes) => {
        const seen = new Set<string>();
        for (const size of sizes) {
          const bytes = pooledRandomBytes(size);
          assert.equal(bytes.length, size);
          // 8 random bytes repeat with odds of 2^-64: a repeat means the pool handed them out twice.
          if (size >= 8) {
            const text = bytes.toString('hex');
            assert.ok(!seen.has(text));
            seen.add(text);
          }
        }
      }),
    );
  });

  it('is not constant', () => {
    const a = pooledRandomBytes(16).toString('hex');
    const b = pooledRandomBytes(16).toString('hex');
    assert.notEqual(a, b);
    assert.notEqual(a, '0'.repeat(32));
  });
});
