// Per-request ids drawn from the pooled random bytes (src/support/random-pool.ts).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { pooledRandomBytes } from '../../../src/support/random-pool.js';
import { newRequestIds } from '../../../src/gateway/http/request-ids.js';

it('gives the length asked for, and a view kept is never overwritten by later draws', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 300 }),
      (sizes) => {
        const drawn = sizes.map((n) => {
          const bytes = pooledRandomBytes(n);
          assert.equal(bytes.length, n);
          return [bytes, Buffer.from(bytes)] as const;
        });
        for (const [view, copy] of drawn) assert.deepEqual(view, copy);
      },
    ),
  );
});

it('never hands out the same bytes twice across a refill', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const hex = pooledRandomBytes(16).toString('hex');
    assert.ok(!seen.has(hex));
    seen.add(hex);
  }
});

it('request ids keep their shapes', () => {
  for (let i = 0; i < 500; i++) {
    const ids = newRequestIds(Date.UTC(2026, 11, 2));
    assert.match(ids.extendedRequestId, /^[A-Za-z0-9+/]{15}=$/);
    assert.match(ids.traceRoot, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  }
});
