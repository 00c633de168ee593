// Random bytes for the ids every request carries (request, trace, CloudFront ids), taken from a
// pool filled 4 KiB at a time, as node:crypto's own randomUUID buffers its entropy. A
// `randomBytes(n)` per id is a synchronous trip into OpenSSL and a getrandom system call each:
// three per request profiled at ≈ 13 % of the gateway thread for MOCK + cached authorizer
// (docs/performance.md, third pass). Same CSPRNG, fetched in bulk.
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
let pool = Buffer.allocUnsafe(0);
let offset = 0;

/**
 * `size` (≤ 4096) fresh random bytes. A view into the pool: a refill allocates a new pool rather
 * than overwriting this one, so a view stays valid for as long as it is held.
 */
export function pooledRandomBytes(size: number): Buffer {
  if (offset + size > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + size);
  offset += size;
  return bytes;
}
