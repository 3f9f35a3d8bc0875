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
//	KEYS[2] coupang:{v}:pause    hash until, kind ("throttled" or "blocked"), from (when it began)
//	KEYS[3] coupang:{v}:probe    holder of the probe lease after a pause
//	KEYS[4] coupang:{v}:slow     hash frac (share of the rate warnings left), storm (spacing doubled storm times), cut
//	KEYS[5] coupang:{v}:strikes  hash throttled, blocked: pauses in a row, for the exponential cool-down
//	KEYS[6] coupang:{v}:errors   non-2xx answers in the current second
const luaPrelude = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000

-- slowState returns the share of the configured rate that warnings left
-- (1 when none) and the error-storm level (the spacing is doubled that many
-- times).
local function slowState()
  local s = redis.call('HMGET', KEYS[4], 'frac', 'storm')
  return tonumber(s[1] or '1'), tonumber(s[2] or '0')
end
`

// waitScript decides one attempt to send. ARGV: base interval in ms, this
// process's token (names the probe's holder), probe lease in ms, catch-up
// tolerance in ms, how far ahead in ms a slot may be reserved, the pause or
// block this process knows of ("throttled", "blocked" or "" for none) and
// the ms it has left, and how long in ms a pause is remembered after its
// end. It uses KEYS[1] to KEYS[4] only.
//
// Replies "code|kind|ms|factor|delay|slot", one string (see waitReply),
// factor being the share of the configured rate in use:
//
//	0: granted ("probe" in kind when this start is the probe after a pause);
//	   the start is delay ms away (a reserved slot, 0 for now) and the next
//	   slot ms away; slot is the start's time on Redis's clock
//	1: paused or blocked (kind) for ms more
//	2: a probe is out after a pause of kind; its lease ends in ms, and its
//	   answer is due in delay ms (as long after the probe as the pause
//	   lasted; 0 or less once that has passed)
//	3: the pacer's next slot is ms away
var waitScript = redis.NewScript(waitSource)

const waitSource = luaPrelude + `
local function answer(code, kind, ms, factor, delay, slot)
  return table.concat({code, kind, ms, factor, delay or 0, slot or 0}, '|')
end
local base = tonumber(ARGV[1])
local probing = false
local frac, storm = slowState()
local factor = frac / 2 ^ storm
local p = redis.call('HMGET', KEYS[2], 'until', 'kind', 'from')
local left = tonumber(ARGV[7])
if ARGV[6] ~= '' and left > 0 then
  -- The process knows of a pause that Redis does not: Redis restarted empty
  -- or lost it, or the process learned it while Redis was away. Publish it,
  -- so that every process honours it and one probe goes first when it ends.
  -- A pause Redis knows of, give or take a round trip, is left alone: a
  -- copy never lengthens the original, nor brings back one that a probe
  -- ended a moment ago (a copy outlasts the original by the trip back from
  -- Redis). So a copy counts only when it outlasts what Redis knows by more
  -- than a second.
  local u = now + left
  if math.max(tonumber(p[1] or '0'), now) + 1000 < u then
    local kind = ARGV[6]
    if p[1] and p[2] == 'blocked' and now < tonumber(p[1]) then kind = 'blocked' end
    redis.call('HSET', KEYS[2], 'until', tostring(u), 'kind', kind, 'from', tostring(now))
    redis.call('PEXPIRE', KEYS[2], math.ceil(left + tonumber(ARGV[8])))
    redis.call('DEL', KEYS[3])
    p = {tostring(u), kind, tostring(now)}
  end
end
if p[1] then
  local untilMs = tonumber(p[1])
  local kind = p[2] or ''
  if now < untilMs then
    return answer(1, kind, untilMs - now, factor)
  end
  local lease = redis.call('PTTL', KEYS[3])
  if lease > 0 then
    -- The probe's answer is due as long after the probe as the pause
    -- lasted (a probe that draws a 429 brings a pause at least as long).
    local probeSince = now - (tonumber(ARGV[3]) - lease)
    local due = probeSince + (untilMs - tonumber(p[3] or p[1])) - now
    return answer(2, kind, lease, factor, math.min(due, lease))
  end
  probing = true
end
local interval = base / frac * 2 ^ storm
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat > now + tonumber(ARGV[5]) then
  return answer(3, '', tat - now, factor)
end
-- A slot a little ahead is reserved (the caller starts when it comes), and a
-- start granted a little late (a poller woken late) keeps its slot's place:
-- neither a round trip to Redis nor lateness accumulates into a lower rate.
local start = now
if tat > now or now - tat <= tonumber(ARGV[4]) then start = tat end
redis.call('SET', KEYS[1], tostring(start + interval), 'PX', math.ceil(math.max(0, start + interval - now)) + 1000)
local kind = ''
if probing then
  redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[3])
  kind = 'probe'
end
return answer(0, kind, start + interval - now, factor, math.max(0, start - now), start)
`

// reportScript records one outcome. ARGV: kind, Retry-After in ms (0 for
// none), warning ("1" or "0"), throttle cool-down first and max in ms, block
// cool-down first and max in ms, warning decrease factor, warning floor,
// recovery per good answer, storm errors, storm window in ms, maximum storm
// level, memory of strikes and of a pause in ms, memory of a slow-down in ms.
//
// Replies {event, ms, factor}: event is "" when nothing changed, or
// "throttled", "blocked" (a new pause of ms), "extended" (a running pause
// now lasts ms more), "resumed" (the probe succeeded), "released" (the probe
// failed without a 429: another may go), "storm" (the spacing doubled),
// "calm" (a good answer ended the storm) or "slowed" (a warning cut the
// pace); factor is the share of the configured rate now in use.
var reportScript = redis.NewScript(luaPrelude + `
local kind = ARGV[1]
local retryAfter = tonumber(ARGV[2])
local memory = tonumber(ARGV[14])
local event = ''
local ms = 0
local frac, storm = slowState()
local slowChanged = false

if kind == 'throttled' or kind == 'blocked' then
  local p = redis.call('HMGET', KEYS[2], 'until', 'kind')
  local cur = tonumber(p[1] or '0')
  if now < cur and (p[2] == kind or p[2] == 'blocked') then
    -- Another answer of the burst that caused the running pause: it does
    -- not count as a new strike, but a longer Retry-After is honoured.
    if kind == 'throttled' and retryAfter > 0 and now + retryAfter > cur then
      redis.call('HSET', KEYS[2], 'until', tostring(now + retryAfter))
      redis.call('PEXPIRE', KEYS[2], math.ceil(retryAfter + memory))
      event = 'extended'
      ms = retryAfter
    end
  else
    local strikes = redis.call('HINCRBY', KEYS[5], kind, 1)
    redis.call('PEXPIRE', KEYS[5], math.ceil(memory))
    local lo, hi = tonumber(ARGV[4]), tonumber(ARGV[5])
    if kind == 'blocked' then lo, hi = tonumber(ARGV[6]), tonumber(ARGV[7]) end
    local d = math.min(hi, lo * 2 ^ math.min(strikes - 1, 30))
    if kind == 'throttled' and retryAfter > 0 then d = retryAfter end
    local u = math.max(now + d, cur)
    redis.call('HSET', KEYS[2], 'until', tostring(u), 'kind', kind, 'from', tostring(now))
    redis.call('PEXPIRE', KEYS[2], math.ceil(u - now + memory))
    redis.call('DEL', KEYS[3])
    event = kind
    ms = u - now
  end
else
  local p = redis.call('HMGET', KEYS[2], 'until')
  if p[1] and now >= tonumber(p[1]) then
    if kind == 'success' then
      -- The probe got a good answer: the lockout is over, and the next 429
      -- starts from the first cool-down again.
      redis.call('DEL', KEYS[2], KEYS[3], KEYS[5])
      event = 'resumed'
    elseif redis.call('DEL', KEYS[3]) == 1 then
      event = 'released'
    end
  end
  if kind == 'error' then
    local n = redis.call('INCR', KEYS[6])
    if n == 1 then redis.call('PEXPIRE', KEYS[6], ARGV[12]) end
    if n >= tonumber(ARGV[11]) then
      redis.call('DEL', KEYS[6])
      if storm < tonumber(ARGV[13]) then
        storm = storm + 1
        slowChanged = true
        if event == '' then event = 'storm' end
      end
    end
  elseif kind == 'success' then
    if storm > 0 then
      storm = 0
      slowChanged = true
      if event == '' then event = 'calm' end
    end
    if ARGV[3] ~= '1' and frac < 1 then
      frac = math.min(1, frac + tonumber(ARGV[10]))
      slowChanged = true
    end
  end
end
if ARGV[3] == '1' then
  -- Answers already in flight all carry the same warning: cut once a second.
  local cut = redis.call('HGET', KEYS[4], 'cut')
  if not cut or now - tonumber(cut) >= 1000 then
    frac = math.max(tonumber(ARGV[9]), frac * tonumber(ARGV[8]))
    redis.call('HSET', KEYS[4], 'cut', tostring(now))
    slowChanged = true
    if event == '' then event = 'slowed' end
  end
end
if slowChanged then
  if frac >= 1 and storm == 0 then
    redis.call('DEL', KEYS[4])
  else
    redis.call('HSET', KEYS[4], 'frac', tostring(frac), 'storm', storm)
    redis.call('PEXPIRE', KEYS[4], ARGV[15])
  end
end
return {event, tostring(ms), tostring(frac / 2 ^ storm)}
`)

// stateScript reads the protection state.
// Replies {kind, until in ms from now (0 when none), probe lease ms, factor}.
var stateScript = redis.NewScript(luaPrelude + `
local p = redis.call('HMGET', KEYS[2], 'until', 'kind')
local left = 0
if p[1] then left = math.max(0, tonumber(p[1]) - now) end
local frac, storm = slowState()
return {p[2] or '', tostring(left), redis.call('PTTL', KEYS[3]), tostring(frac / 2 ^ storm)}
`)
