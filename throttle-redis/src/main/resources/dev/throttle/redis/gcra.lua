-- GCRA for several quotas of one key, decided atomically inside Redis (throttle-redis, docs/redis.md).
-- KEYS[i]: the TAT of quota i (all keys of one decision share a hash tag).
-- ARGV[1] cost (>= 0), ARGV[2] "1" = partial grant (tryAcquireAtMost), ARGV[3] "" = use Redis TIME, else a
-- test-only clock reading in microseconds (then keys get no expiry), then per quota i three integers:
-- T (emission interval in units), C (capacity), U (the quota's unit in microseconds, a power of two).
-- Numbers are Lua doubles: every value below is an integer < 2^53 (the Java side guarantees T*C <= 2^52 units
-- and Redis TIME in microseconds is < 2^52 until 2112), so every + - * is exact; divisions are corrected.
-- Reply: {status 0 allowed / 1 limited / 2 exceeds capacity, granted, quota index (0-based), remaining,
--         retry (units, -1 for never), reset (units), elapsed fraction of the current unit in microseconds}.
local cost = tonumber(ARGV[1])
local partial = ARGV[2] == '1'
local now
local test_clock = ARGV[3] ~= ''
if test_clock then
  now = tonumber(ARGV[3])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end

-- floor(a / b) for integers 0 <= a < 2^53, b >= 1, exact
local function idiv(a, b)
  local q = math.floor(a / b)
  if q * b > a then q = q - 1 elseif (q + 1) * b <= a then q = q + 1 end
  return q
end

local n = #KEYS
local T, C, U, D, nowu, frac, e = {}, {}, {}, {}, {}, {}, {}
for i = 1, n do
  local b = 3 + (i - 1) * 3
  T[i] = tonumber(ARGV[b + 1])
  C[i] = tonumber(ARGV[b + 2])
  U[i] = tonumber(ARGV[b + 3])
  D[i] = C[i] * T[i]
  nowu[i] = idiv(now, U[i])
  frac[i] = now - nowu[i] * U[i]
  local tat = redis.call('GET', KEYS[i])
  local ei = 0
  if tat then
    ei = tonumber(tat) - nowu[i]
    if ei < 0 then ei = 0 end
  end
  e[i] = ei
end

local function fit(i, ei)
  if ei > D[i] then return 0 end
  return idiv(D[i] - ei, T[i])
end

-- the quota with the fewest remaining units after excesses x, ties to the longest reset, then the first
local function most_restrictive(x)
  local best, best_rem, best_reset = 0, 0, 0
  for i = 1, n do
    local rem = fit(i, x[i])
    local reset = x[i] * U[i] - (x[i] > 0 and frac[i] or 0)
    if best == 0 or rem < best_rem or (rem == best_rem and reset > best_reset) then
      best, best_rem, best_reset = i, rem, reset
    end
  end
  return best
end

if not partial then
  local ex = 0
  for i = 1, n do
    if cost > C[i] and (ex == 0 or C[i] < C[ex]) then ex = i end
  end
  if ex > 0 then
    return {2, 0, ex - 1, fit(ex, e[ex]), -1, e[ex], frac[ex]}
  end
end

local min_fit = nil
for i = 1, n do
  local f = fit(i, e[i])
  if min_fit == nil or f < min_fit then min_fit = f end
end
local grant = cost
if partial and min_fit < cost then grant = min_fit end
if grant > min_fit or (grant == 0 and cost > 0) then
  local need = partial and 1 or cost
  local best, best_u, best_retry = 0, 0, -1
  for i = 1, n do
    local ru = e[i] - (D[i] - need * T[i])
    if ru > 0 then
      local r = ru * U[i] - frac[i]
      if r > best_retry then best, best_u, best_retry = i, ru, r end
    end
  end
  return {1, 0, best - 1, fit(best, e[best]), best_u, e[best], frac[best]}
end

if grant == 0 then
  local i = most_restrictive(e)
  return {0, 0, i - 1, fit(i, e[i]), 0, e[i], frac[i]}
end

local x = {}
for i = 1, n do
  x[i] = e[i] + grant * T[i]
  local tat = nowu[i] + x[i]
  -- %.0f prints every integer < 2^53 exactly (tostring would use %.14g and round)
  redis.call('SET', KEYS[i], string.format('%.0f', tat))
  if not test_clock then
    -- the key holds information until TAT; Redis drops it once its clock passes this millisecond
    local at_ms
    if U[i] == 1 then at_ms = idiv(tat + 999, 1000) else at_ms = math.ceil(tat * U[i] / 1000) + 1 end
    redis.call('PEXPIREAT', KEYS[i], string.format('%.0f', at_ms))
  end
end
local i = most_restrictive(x)
return {0, grant, i - 1, fit(i, x[i]), 0, x[i], frac[i]}
