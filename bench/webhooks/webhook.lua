-- wrk script for bench/webhooks/run.sh: POSTs one Twilio webhook per request, as Twilio would send it
-- (application/x-www-form-urlencoded), each from a call never seen before: a unique CallSid per request.
--   wrk -t2 -c64 -d10s --latency -s webhook.lua http://127.0.0.1:PORT/voice/incoming -- incoming 1a2b3c4d
-- The second argument (8 hex digits, new for every wrk run) is the CallSid's prefix, so the rows a run
-- landed can be counted afterwards. done() prints one RESULT line that run.sh reads.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local endpoint, run
local counter = 0
local common = "AccountSid=AC0123456789abcdef0123456789abcdef&To=%2B81312345678&ApiVersion=2010-04-01&Direction=inbound"
local queue = "&QueueSid=QU0123456789abcdef0123456789abcdef"

-- What each endpoint carries besides the call's own parameters (n: this thread's request number).
local extra = {
  ["incoming"] = function(n) return "&CallStatus=ringing" end,
  ["menu"] = function(n) return "&CallStatus=in-progress&Digits=1" end,
  ["wait"] = function(n)
    return "&CallStatus=in-progress" .. queue .. "&QueuePosition=" .. (n % 20 + 1) .. "&QueueTime=" .. (n % 300)
      .. "&AvgQueueTime=40&CurrentQueueSize=20"
  end,
  ["whisper"] = function(n)
    return "&CallStatus=in-progress" .. queue .. "&QueueTime=" .. (n % 300)
      .. string.format("&DequeingCallSid=CA%032d", n % 50)
  end,
  -- Half the callers were answered (the request comes after the talk), half hung up while waiting.
  ["queue-exit"] = function(n)
    local result = (n % 2 == 0) and "bridged" or "hangup"
    return "&CallStatus=in-progress" .. queue .. "&QueueTime=" .. (n % 300) .. "&QueueResult=" .. result
  end,
  ["status"] = function(n) return "&CallStatus=completed&CallDuration=" .. (n % 900 + 30) end,
}

function init(args)
  endpoint, run = args[1], args[2]
  assert(extra[endpoint], "unknown endpoint " .. tostring(endpoint))
  assert(run and #run == 8, "the run prefix must be 8 hex digits")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  counter = counter + 1
  -- CA + run (8) + thread (2) + counter (22): 32 hex digits, unique across threads and runs.
  local sid = string.format("CA%s%02d%022d", run, id, counter)
  local from = string.format("&From=%%2B8190%08d", counter % 100000000)
  return wrk.format(nil, nil, nil, "CallSid=" .. sid .. from .. "&" .. common .. extra[endpoint](counter))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n",
    summary.requests, e.status, e.connect + e.read + e.write, e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max, latency.mean))
end
