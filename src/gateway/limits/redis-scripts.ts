// The Lua scripts Redis runs atomically, so that processes sharing a bucket or a quota can never
// both take the last token or spend the last unit. Times come from the caller (an injectable
// clock), in epoch ms.

/**
 * KEYS[1] bucket hash {t, at}; ARGV rate (per second), burst, now, ttl ms.
 * The arithmetic of token-bucket.ts `takeToken`. Returns 1 (admitted) or 0.
 */
export const TAKE_TOKEN = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 't', 'at')
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
local admitted = 0
if tokens >= 1 then
  tokens = tokens - 1
  admitted = 1
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return admitted
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
