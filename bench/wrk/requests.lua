-- wrk script of bench/run: GET requests, each with its own path and bearer token, taken in turn from a file of
-- "path<TAB>token" lines (the script's argument), so every wrk thread and connection rotates through all users.
-- Prints one machine-readable line that Bench parses:
--   WRK_RESULT requests=.. duration_us=.. p50_us=.. p99_us=.. max_us=.. status_errors=.. connect_errors=..
--              read_errors=.. write_errors=.. timeouts=..
-- status_errors is wrk's count of responses with a status >= 400 (wrk does not count 1xx/3xx; bench checks every
-- target answers 200 before loading it).
--   wrk -t2 -c8 -d5s --latency -s bench/wrk/requests.lua http://127.0.0.1:8080 -- targets.tsv

local counter = 0

function setup(thread)
   thread:set("offset", counter)
   counter = counter + 1
end

local requests = {}
local n = 0
local i = 0

function init(args)
   local file = assert(args[1], "usage: wrk ... -s requests.lua <url> -- <file of path<TAB>token lines>")
   for line in io.lines(file) do
      local path, token = line:match("^([^\t]+)\t(.+)$")
      if path then
         local headers = {}
         for k, v in pairs(wrk.headers) do headers[k] = v end
         headers["Authorization"] = "Bearer " .. token
         headers["Accept"] = "application/json"
         n = n + 1
         requests[n] = wrk.format("GET", path, headers)
      end
   end
   assert(n > 0, "no targets in " .. file)
   -- threads start at different users
   i = ((offset or 0) * 7) % n
end

function request()
   i = i % n + 1
   return requests[i]
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("WRK_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d status_errors=%d"
      .. " connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
      e.status, e.connect, e.read, e.write, e.timeout))
end
