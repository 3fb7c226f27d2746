-- Each request asks for the page at an address of its own (an unused query parameter), so the
-- page cache (src/server/http/pages.rs) never holds it: what building the page costs, as for a
-- first view after a change (scripts/bench-load.sh). Summary line: report.lua's.
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end

-- The run's start in the addresses too: two runs of one benchmark must not ask for the same ones
-- (the second would be served the pages the first kept).
local run = os.time()
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, wrk.path .. "?vue=" .. run .. "-" .. id .. "-" .. n)
end

dofile("scripts/load/report.lua")
