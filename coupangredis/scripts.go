package coupangredis

import "github.com/redis/go-redis/v9"

// The scripts run atomically inside Redis and read the clock with TIME, so
// that every process agrees on one clock whatever its own says, and so that a
// permission to send and the vendor's protection state are decided in one
// round trip: a process can never be let through by the pacer in the instant
// another process records a 429.
//
// Times are milliseconds (with a fraction) on Redis's clock. Floats go back
// to Go as strings, because Redis truncates Lua numbers to integers.
//
// Keys, all in one Redis Cluster hash slot thanks to the {vendorID} hash tag:
//
//	KEYS[1] coupang:{v}:gcra     theoretical arrival time of the next start (GCRA, burst 1)
//	KEYS[2] coupang:{v}:pause    hash until, kind ("throttled" or "blocked")
//	KEYS[3] coupang:{v}:probe    holder of the probe lease after a pause
//	KEYS[4] coupang:{v}:slow     hash frac (share of the rate in use), at, cut
//	KEYS[5] coupang:{v}:strikes  hash throttled, blocked: pauses in a row, for the exponential cool-down
//	KEYS[6] coupang:{v}:errors   non-2xx answers in the current second
const luaPrelude = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000

-- currentFrac returns the share of the configured rate in use: lowered by
-- warnings and error storms, recovering additively with time.
local function currentFrac(rec)
  local s = redis.call('HMGET', KEYS[4], 'frac', 'at')
  if not s[1] then return 1 end
  return math.min(1, tonumber(s[1]) + rec * (now - tonumber(s[2])))
end
`

// waitScript decides one attempt to send. ARGV: base interval in ms, this
// grant's token, probe lease in ms, recovery per ms, catch-up tolerance in ms.
//
// Replies {code, kind, ms, frac}:
//
//	0: granted ("probe" in kind when this start is the probe after a pause);
//	   the next slot is ms away
//	1: paused or blocked (kind) for ms more
//	2: a probe is out; try again in ms
//	3: the pacer's next slot is ms away
var waitScript = redis.NewScript(luaPrelude + `
local base = tonumber(ARGV[1])
local probing = false
local p = redis.call('HMGET', KEYS[2], 'until', 'kind')
if p[1] then
  local untilMs = tonumber(p[1])
  if now < untilMs then
    return {1, p[2], tostring(untilMs - now), '1'}
  end
  local lease = redis.call('PTTL', KEYS[3])
  if lease > 0 then
    return {2, p[2], tostring(math.min(lease, base)), '1'}
  end
  probing = true
end
local frac = currentFrac(tonumber(ARGV[4]))
local interval = base / frac
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat > now then
  return {3, '', tostring(tat - now), tostring(frac)}
end
-- A start granted a little late (a poller woken late) keeps its slot's
-- place, so that lateness does not accumulate into a lower rate.
local start = now
if now - tat <= tonumber(ARGV[5]) then start = tat end
redis.call('SET', KEYS[1], tostring(start + interval), 'PX', math.ceil(interval) + 1000)
local nextIn = tostring(start + interval - now)
if probing then
  redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[3])
  return {0, 'probe', nextIn, tostring(frac)}
end
return {0, '', nextIn, tostring(frac)}
`)

// reportScript records one outcome. ARGV: kind, Retry-After in ms (0 for
// none), warning ("1" or "0"), throttle cool-down min and max in ms, block
// cool-down min and max in ms, decrease factor, minimum share, recovery per
// ms, storm threshold, strikes memory in ms, pause memory in ms.
//
// Replies {event, ms, frac}: event is "" when nothing changed, or
// "throttled", "blocked" (a new pause of ms), "extended" (a running pause
// now lasts ms more), "resumed" (the probe succeeded), "released" (the probe
// failed without a 429: another may go), "storm" or "slowed" (the share of the
// rate in use is now frac).
var reportScript = redis.NewScript(luaPrelude + `
local kind = ARGV[1]
local retryAfter = tonumber(ARGV[2])
local rec = tonumber(ARGV[10])
local event = ''
local ms = 0

local function slow()
  local s = redis.call('HMGET', KEYS[4], 'cut')
  local frac = currentFrac(rec)
  -- Answers already in flight all carry the same warning: cut once a second.
  if s[1] and now - tonumber(s[1]) < 1000 then return false end
  frac = math.max(tonumber(ARGV[9]), frac * tonumber(ARGV[8]))
  redis.call('HSET', KEYS[4], 'frac', tostring(frac), 'at', tostring(now), 'cut', tostring(now))
  redis.call('PEXPIRE', KEYS[4], math.ceil((1 - frac) / rec) + 1000)
  return true
end

if kind == 'throttled' or kind == 'blocked' then
  local p = redis.call('HMGET', KEYS[2], 'until', 'kind')
  local cur = tonumber(p[1] or '0')
  if now < cur and (p[2] == kind or p[2] == 'blocked') then
    -- Another answer of the burst that caused the running pause: it does
    -- not count as a new strike, but a longer Retry-After is honoured.
    if kind == 'throttled' and retryAfter > 0 and now + retryAfter > cur then
      redis.call('HSET', KEYS[2], 'until', tostring(now + retryAfter))
      redis.call('PEXPIRE', KEYS[2], math.ceil(retryAfter + tonumber(ARGV[13])))
      event = 'extended'
      ms = retryAfter
    end
  else
    local strikes = redis.call('HINCRBY', KEYS[5], kind, 1)
    redis.call('PEXPIRE', KEYS[5], ARGV[12])
    local lo, hi = tonumber(ARGV[4]), tonumber(ARGV[5])
    if kind == 'blocked' then lo, hi = tonumber(ARGV[6]), tonumber(ARGV[7]) end
    local d = math.min(hi, lo * 2 ^ math.min(strikes - 1, 30))
    if kind == 'throttled' and retryAfter > 0 then d = retryAfter end
    local u = math.max(now + d, cur)
    redis.call('HSET', KEYS[2], 'until', tostring(u), 'kind', kind)
    redis.call('PEXPIRE', KEYS[2], math.ceil(u - now + tonumber(ARGV[13])))
    redis.call('DEL', KEYS[3])
    event = kind
    ms = u - now
  end
else
  local p = redis.call('HMGET', KEYS[2], 'until')
  if p[1] and now >= tonumber(p[1]) then
    if kind == 'success' then
      redis.call('DEL', KEYS[2], KEYS[3])
      event = 'resumed'
    elseif redis.call('DEL', KEYS[3]) == 1 then
      event = 'released'
    end
  end
  if kind == 'error' then
    local n = redis.call('INCR', KEYS[6])
    if n == 1 then redis.call('PEXPIRE', KEYS[6], 1000) end
    if n >= tonumber(ARGV[11]) and slow() then event = 'storm' end
  end
end
if ARGV[3] == '1' and slow() and event == '' then event = 'slowed' end
return {event, tostring(ms), tostring(currentFrac(rec))}
`)

// stateScript reads the protection state. ARGV: recovery per ms.
// Replies {kind, until in ms from now (0 when none), probe lease ms, frac}.
var stateScript = redis.NewScript(luaPrelude + `
local p = redis.call('HMGET', KEYS[2], 'until', 'kind')
local left = 0
if p[1] then left = math.max(0, tonumber(p[1]) - now) end
return {p[2] or '', tostring(left), redis.call('PTTL', KEYS[3]), tostring(currentFrac(tonumber(ARGV[1])))}
`)
