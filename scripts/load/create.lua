-- POST /api/documents: a new ~1 KB note per request.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "?.lua"
local report = require("report")
local words = { "store", "page", "cache", "index", "query", "write", "read", "note", "text", "search", "version", "commit" }
local counter = 0
math.randomseed(os.time())
request = function()
  counter = counter + 1
  local parts = {}
  for i = 1, 150 do parts[i] = words[math.random(1, #words)] end
  local body = '{"title":"load note ' .. counter .. '","type":"note","content":"' .. table.concat(parts, " ") .. '"}'
  return wrk.format("POST", "/api/documents", { ["Content-Type"] = "application/json" }, body)
end
done = report.done(os.getenv("NAME") or "create")
