-- wrk script of the page benchmark (bench/pages.py).
--   wrk ... -s bench/pages.lua URL -- PATHS_FILE BUST SALT
-- Each thread walks the paths of PATHS_FILE (one a line) round-robin, from its own offset.
-- BUST=1 appends a query parameter unique to each request (a cache key never seen before).
-- done() prints one line "PAGEBENCH {json}": requests, errors, latency percentiles (µs).

local counter = 1
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local paths = {}
local i = 0
local bust = false
local salt = ""

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      table.insert(paths, line)
    end
  end
  bust = args[2] == "1"
  salt = args[3] or ""
  -- threads start apart, so that they do not ask for the same page at the same moment
  i = ((id or 1) - 1) * math.floor(#paths / 2)
  wrk.headers["Accept-Encoding"] = "gzip"
end

function request()
  i = i + 1
  local path = paths[(i - 1) % #paths + 1]
  if bust then
    local sep = path:find("?", 1, true) and "&" or "?"
    path = path .. sep .. "nocache=" .. salt .. "-" .. (id or 1) .. "-" .. i
  end
  return wrk.format(nil, path)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'PAGEBENCH {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p95":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
