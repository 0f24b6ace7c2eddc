-- Fleet-wide client throttle state (throttle-redis RedisSharedThrottleState, docs/redis.md).
-- KEYS[1]: a hash {last = last reserved slot, nb = not-before, iv = interval}, microseconds of Redis TIME
-- (integers < 2^53, exact in Lua's doubles).
-- ARGV[1] 'slot': ARGV[2] = the caller's minimum delay (us); reply {slot - now, interval}.
-- ARGV[1] 'learn': ARGV[2] = hold-off (us, 0 = none), ARGV[3] = interval (us, -1 = unchanged); reply {0, interval}.
-- ARGV[4]: idle lifetime of the key in ms (the learned interval is kept that long after the last use).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local v = redis.call('HMGET', KEYS[1], 'last', 'nb', 'iv')
local last, nb, iv = tonumber(v[1]), tonumber(v[2]), tonumber(v[3]) or 0
local reply
if ARGV[1] == 'slot' then
  local slot = now
  if nb and nb > slot then slot = nb end
  if last and last + iv > slot then slot = last + iv end
  -- the fleet's own spacing is recorded; the caller's longer own wait does not hold the others back
  redis.call('HSET', KEYS[1], 'last', string.format('%.0f', slot))
  local own = tonumber(ARGV[2])
  if own > slot - now then slot = now + own end
  reply = {slot - now, iv}
else
  local h = tonumber(ARGV[2])
  if h > 0 and (not nb or now + h > nb) then
    redis.call('HSET', KEYS[1], 'nb', string.format('%.0f', now + h))
  end
  local i = tonumber(ARGV[3])
  if i >= 0 then
    redis.call('HSET', KEYS[1], 'iv', string.format('%.0f', i))
    iv = i
  end
  reply = {0, iv}
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return reply
