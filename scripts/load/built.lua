-- Each request asks for the page at an address of its own (an unused query parameter), so the
-- page cache (src/server/http/pages.rs) never holds it: what building the page costs, as for a
-- first view after a change (scripts/bench-load.sh). Summary line: report.lua's.
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, wrk.path .. "?vue=" .. id .. "-" .. n)
end

dofile("scripts/load/report.lua")
