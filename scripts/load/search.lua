-- GET /api/search?q=TERM with one of a fixed list of words found in the PostgreSQL manual.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "?.lua"
local report = require("report")
local terms = { "vacuum", "index", "replication", "trigger", "transaction", "checkpoint", "partition", "collation",
  "sequence", "tablespace", "extension", "planner", "lock", "wal", "json", "cursor", "role", "schema", "backup", "analyze" }
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/search?q=" .. terms[math.random(1, #terms)])
end
done = report.done(os.getenv("NAME") or "search")
