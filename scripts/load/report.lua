-- Shared by the load scripts: prints one JSON line with requests/s and latency percentiles (microseconds).
local M = {}
function M.done(name)
  return function(summary, latency, requests)
    local seconds = summary.duration / 1e6
    io.write(string.format('{"name":"%s","requests":%d,"errors":%d,"rps":%.1f,"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d}\n',
      name, summary.requests,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
      summary.requests / seconds,
      latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
  end
end
return M
