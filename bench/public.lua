-- wrk script: rotate over the paths listed (one per line) in the file named by env BENCH_PATHS.
local paths = {}
local counter = 0
init = function(args)
  for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
  counter = math.random(#paths)
end
request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
