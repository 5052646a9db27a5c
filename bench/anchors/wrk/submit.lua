-- wrk: POST /orchestrate/start with the body in args[1], where "{{RUN_ID}}" becomes a run id no other request of
-- this run (args[2] names the run) shares: a repeated run_id would be refused (409) and measure nothing.
-- Headers (Content-Type, X-API-Key) come from wrk's -H.
local counter, threads = 0, 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  local body = file:read("*a")
  file:close()
  local at = assert(string.find(body, "{{RUN_ID}}", 1, true), "the body has no {{RUN_ID}}")
  before, after = string.sub(body, 1, at - 1), string.sub(body, at + #"{{RUN_ID}}")
  prefix = args[2] .. "-" .. thread_number .. "-"
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/orchestrate/start", nil, before .. prefix .. counter .. after)
end

done = dofile(os.getenv("WRK_DONE"))
