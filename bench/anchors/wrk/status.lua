-- wrk: GET /orchestrate/status/{job_id}, going round the job ids in args[1] (one a line). Each thread starts at its
-- own place so the threads do not read the same record at the same moment.
local ids, next_index, threads = {}, 1, 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  assert(#ids > 0, "no job ids in " .. args[1])
  next_index = (thread_number * 7919) % #ids + 1
end

function request()
  local id = ids[next_index]
  next_index = next_index % #ids + 1
  return wrk.format("GET", "/orchestrate/status/" .. id)
end

done = dofile(os.getenv("WRK_DONE"))
