// Random bytes for the ids every request carries (request, trace, CloudFront ids), taken from a
// pool filled 4 KiB at a time, as node:crypto's own randomUUID buffers its entropy: a
// randomBytes(n) per id is a getrandom system call each, and three per request measured ≈ 5 % of
// the gateway thread's time on the function path (docs/performance.md, third pass). Same CSPRNG,
// same bytes, fetched in bulk.
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

/**
 * `size` (≤ 4096) fresh random bytes. A view into the pool: read it at once (the pool is refilled
 * in place), and never hand it on.
 */
export function pooledRandomBytes(size: number): Buffer {
  if (offset + size > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + size);
  offset += size;
  return bytes;
}
