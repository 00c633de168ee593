// The value of `X-Sallyport-Debug`, the request header that makes the gateway answer with the
// request's authorization trace (`X-Sallyport-Trace`). Only the admin can make one: it is an
// HMAC under a key derived from the admin secret, with an expiry the MAC covers, so a data-plane
// caller can neither forge one nor stretch a leaked one's life. Stateless, so every worker and
// every node sharing the admin credentials accepts it. docs/security.md says why.
//
//   sp1.<expiry, epoch seconds>.<base64url HMAC-SHA256(key, "sp1.<expiry>")>
//   key = HMAC-SHA256(admin secret access key, "sallyport debug header v1")
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AccessKey } from './sigv4/verify.js';

export const DEBUG_HEADER = 'x-sallyport-debug';
export const TRACE_HEADER = 'X-Sallyport-Trace';
/** The longest life a token may have: a leaked one stops working within a day at worst. */
export const MAX_DEBUG_TOKEN_SECONDS = 24 * 60 * 60;
export const DEFAULT_DEBUG_TOKEN_SECONDS = 15 * 60;

const VERSION = 'sp1';

/** The keys tokens are made with: one per admin credential. */
export function debugKeysOf(keys: readonly AccessKey[]): Buffer[] {
  return keys.map((k) =>
    createHmac('sha256', k.secretAccessKey).update('sallyport debug header v1').digest(),
  );
}

export function mintDebugToken(
  key: AccessKey,
  ttlSeconds = DEFAULT_DEBUG_TOKEN_SECONDS,
  now = Date.now(),
): { token: string; expiresAt: Date } {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_DEBUG_TOKEN_SECONDS)
    throw new Error(
      `a debug token lives 1 to ${MAX_DEBUG_TOKEN_SECONDS} seconds, not ${ttlSeconds}`,
    );
  const expiry = Math.floor(now / 1000) + ttlSeconds;
  const signed = `${VERSION}.${expiry}`;
  const mac = createHmac('sha256', debugKeysOf([key])[0]!)
    .update(signed)
    .digest('base64url');
  return { token: `${signed}.${mac}`, expiresAt: new Date(expiry * 1000) };
}

/** True only for a token one of `keys` made that has not expired (and is not from too far ahead). */
export function isValidDebugToken(
  value: string,
  keys: readonly Buffer[],
  now = Date.now(),
): boolean {
  const parts = value.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION || !/^\d{1,12}$/.test(parts[1]!)) return false;
  const expiry = Number(parts[1]);
  const nowSeconds = now / 1000;
  if (expiry <= nowSeconds || expiry > nowSeconds + MAX_DEBUG_TOKEN_SECONDS) return false;
  const given = Buffer.from(parts[2]!, 'base64url');
  if (given.length !== 32) return false;
  const signed = `${VERSION}.${parts[1]}`;
  let valid = false;
  for (const key of keys) {
    const expected = createHmac('sha256', key).update(signed).digest();
    if (timingSafeEqual(given, expected)) valid = true;
  }
  return valid;
}
