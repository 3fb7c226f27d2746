-- Each request creates a contribution on the consultation and version given in the environment
-- (scripts/bench-load.sh), as the browser sends it: JSON, same origin, the company's session.
local id = os.getenv("JSF_LOAD_ID")
local version = os.getenv("JSF_LOAD_VERSION")
local clause = os.getenv("JSF_LOAD_CLAUSE")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = os.getenv("JSF_LOAD_COOKIE")
wrk.headers["Origin"] = os.getenv("JSF_LOAD_ORIGIN")
wrk.headers["Sec-Fetch-Site"] = "same-origin"
wrk.body = '{"contribution":{"consultation_id":' .. id .. ',"version":' .. version ..
  ',"target":{"kind":"clause","id":"' .. clause .. '"},"selector":null,' ..
  '"input":{"kind":"clarification","justification":"Charge : une question de plus.",' ..
  '"cost_impact":"","cost_amount":"","proposed_text":""}}}'
dofile("scripts/load/report.lua")
