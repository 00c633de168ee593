// Random bytes for the ids every request gets, drawn from a pooled buffer. `crypto.randomBytes`
// has no pool: each call is a synchronous trip into OpenSSL (a job object and a RAND_bytes call),
// which profiled at ≈ 13 % of the main thread for MOCK + cached authorizer. `randomUUID` pools
// the same way internally. Same generator (CSPRNG), one fill per ≈ 170 requests.
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
let pool = Buffer.allocUnsafe(0);
let offset = 0;

/**
 * `n` random bytes (n ≤ 4096). A view into the pool: a refill allocates a new pool rather than
 * overwriting this one, so a view stays valid for as long as it is held.
 */
export function randomBytesPooled(n: number): Buffer {
  if (offset + n > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + n);
  offset += n;
  return bytes;
}
