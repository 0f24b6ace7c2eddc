-- GCRA for several quotas of one key, decided atomically inside Redis (throttle-redis, docs/redis.md).
-- RedisGcraLimiter prepends the quotas as constants (one script, and one SHA, per quota configuration):
--   local N, T1, C1, U1 = <number of quotas>, <quota 1's T, C, U>
--   local function quotas() return {T...}, {C...}, {U...} end
-- T: emission interval in units, C: capacity, U: the quota's unit in microseconds (a power of two).
-- This file defines decide(); RedisGcraLimiter appends one of two tails that call it (RedisGcraLimiter.SINGLE,
-- RedisGcraLimiter.BATCH), each its own script:
-- * one decision: KEYS[i] the TAT of quota i (all keys of one decision share a hash tag); ARGV[1] cost (>= 0),
--   ARGV[2] "1" = partial grant (tryAcquireAtMost), ARGV[3] absent = use Redis TIME, else a test-only clock
--   reading in microseconds (then keys get no expiry); the reply is decide()'s;
-- * a batch of m decisions of concurrent callers: KEYS[(j - 1) * N + i] the TAT of quota i of decision j;
--   ARGV[1] "" = use Redis TIME (read once for the batch) or a test-only clock; ARGV[2j], ARGV[2j + 1] cost and
--   partial flag of decision j; the reply is a table of the m replies of decide(), decided one after the other
--   in order (so two decisions on one key see each other, exactly as two scripts in a row would).
-- Numbers are Lua doubles: every value below is an integer < 2^53 (the Java side guarantees T*C <= 2^52 units
-- and Redis TIME in microseconds is < 2^52 until 2112), so every + - * is exact; divisions are corrected.
-- Reply: {status 0 allowed / 1 limited / 2 exceeds capacity, granted, quota index (0-based), remaining,
--         retry (units, -1 for never), reset (units), elapsed fraction of the current unit in microseconds};
-- for one quota with a unit of 1 us and no partial grant, a single integer instead: the excess after the
-- decision if allowed (granted = cost), -(excess + 1) if limited; Java derives the other figures from it.
-- Lean on purpose, since Redis runs every script on its one thread: one TIME, one GET per quota, one SET with
-- PXAT per charged quota (Redis >= 6.2), no per-call quota arguments, numbers passed to redis.call as numbers
-- (Redis formats them with %.17g, exact for integers < 2^53; tostring would use %.14g and round), and no
-- table for one quota.

-- floor(a / b) for integers 0 <= a < 2^53, b >= 1, exact
local function idiv(a, b)
  local q = math.floor(a / b)
  if q * b > a then q = q - 1 elseif (q + 1) * b <= a then q = q + 1 end
  return q
end

-- the millisecond after which a key whose TAT is tat units of u microseconds holds no information (Redis
-- drops it once its clock passes it); capped at 2^53 so that Redis prints it as an integer
local function expiry_ms(tat, u)
  local at_ms
  if u == 1 then at_ms = idiv(tat + 999, 1000) else at_ms = math.ceil(tat * u / 1000) + 1 end
  if at_ms > 9007199254740992 then at_ms = 9007199254740992 end
  return at_ms
end

-- Redis's clock in microseconds
local function redis_now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end

-- One decision at now (microseconds) on the keys KEYS[b + 1 .. b + N]; clock is true for a test-only clock
-- (then keys get no expiry). Returns the reply described above.
local function decide(b, cost, partial, now, clock)
  if N == 1 then
    -- one quota: the rules of the general path below with n = 1 (and of Gcra.acquireSingle in core)
    local T, C, U = T1, C1, U1
    local D = C * T
    local nowu, frac = now, 0
    if U ~= 1 then
      nowu = idiv(now, U)
      frac = now - nowu * U
    end
    local key = KEYS[b + 1]
    local e = 0
    local tat = redis.call('GET', key)
    if tat then
      e = tonumber(tat) - nowu
      if e < 0 then e = 0 end
    end
    local fit = 0
    if e <= D then fit = idiv(D - e, T) end
    local grant = cost
    if partial then
      if fit < cost then
        grant = fit
        if grant == 0 and cost > 0 then return {1, 0, 0, fit, e - D + T, e, frac} end
      end
    elseif cost > C then
      return {2, 0, 0, fit, -1, e, frac}
    elseif cost > fit then
      if U == 1 then return -(e + 1) end
      return {1, 0, 0, fit, e - D + cost * T, e, frac}
    end
    local x = e + grant * T
    if grant > 0 then
      local next_tat = nowu + x
      if clock then
        redis.call('SET', key, next_tat)
      else
        redis.call('SET', key, next_tat, 'PXAT', expiry_ms(next_tat, U))
      end
    end
    if U == 1 and not partial then return x end
    local rem = 0
    if x <= D then rem = idiv(D - x, T) end
    return {0, grant, 0, rem, 0, x, frac}
  end

  local n = N
  local T, C, U = quotas()
  local D, nowu, frac, e = {}, {}, {}, {}
  for i = 1, n do
    D[i] = C[i] * T[i]
    nowu[i] = idiv(now, U[i])
    frac[i] = now - nowu[i] * U[i]
    local tat = redis.call('GET', KEYS[b + i])
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
    if clock then
      redis.call('SET', KEYS[b + i], tat)
    else
      redis.call('SET', KEYS[b + i], tat, 'PXAT', expiry_ms(tat, U[i]))
    end
  end
  local i = most_restrictive(x)
  return {0, grant, i - 1, fit(i, x[i]), 0, x[i], frac[i]}
end
