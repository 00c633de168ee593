// The Lua scripts Redis runs atomically, so that processes sharing a bucket or a quota can never
// both take the last token or spend the last unit. Times come from the caller (an injectable
// clock), in epoch ms.

/**
 * KEYS: bucket hashes {t, at}; ARGV[1] now, then per bucket: rate (per second), burst, ttl ms.
 * The arithmetic of token-bucket.ts `takeToken`, bucket after bucket, stopping at the first that
 * has no token (as MemoryCounters.takeNow). Returns 1 (admitted) or 0.
 */
export const TAKE_TOKENS = `
local now = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[i * 3 - 1])
  local burst = tonumber(ARGV[i * 3])
  local state = redis.call('HMGET', key, 't', 'at')
  local tokens = tonumber(state[1])
  local at = tonumber(state[2])
  if tokens == nil or at == nil then
    tokens = burst
    at = now
  end
  if now > at then
    tokens = math.min(burst, tokens + (now - at) * rate / 1000)
    at = now
  end
  local admitted = tokens >= 1
  if admitted then
    tokens = tokens - 1
  end
  redis.call('HSET', key, 't', tostring(tokens), 'at', tostring(at))
  redis.call('PEXPIRE', key, ARGV[i * 3 + 1])
  if not admitted then
    return 0
  end
end
return 1
`;

/**
 * KEYS[1] the quota counter of one window, KEYS[2] the day's tally; ARGV limit (-1: no quota),
 * units, the window's end and the day's expiry (epoch ms). Returns -1 (the quota is spent, nothing
 * counted), else the units spent from the quota now (0 without one).
 */
export const SPEND = `
local limit = tonumber(ARGV[1])
local units = tonumber(ARGV[2])
local spent = 0
if limit >= 0 then
  local used = tonumber(redis.call('GET', KEYS[1]) or '0')
  if used + units > limit then
    return -1
  end
  spent = redis.call('INCRBY', KEYS[1], units)
  redis.call('PEXPIREAT', KEYS[1], ARGV[3])
end
redis.call('INCRBY', KEYS[2], units)
redis.call('PEXPIREAT', KEYS[2], ARGV[4])
return spent
`;
