-- GET /api/documents/{id} over a hot set of ids 1..HOT (the page's typical reads: recently used notes).
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "?.lua"
local report = require("report")
local hot = tonumber(os.getenv("HOT") or "1000")
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/documents/" .. math.random(1, hot))
end
done = report.done(os.getenv("NAME") or "get-hot")
