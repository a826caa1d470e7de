-- wrk's requests for the `sohoa serve` benchmark: each a random citizen's listing, or a random
-- document's public check (the codes read from the file named by SOHOA_BENCH_CODES).
--   wrk -s scripts/bench_serve.lua URL   with SOHOA_BENCH_MODE=list|check, SOHOA_BENCH_TOKEN, SOHOA_BENCH_CITIZENS
local mode = os.getenv("SOHOA_BENCH_MODE")
local citizens = tonumber(os.getenv("SOHOA_BENCH_CITIZENS") or "1")
local codes = {}

function init(args)
    math.randomseed(os.time() + math.floor(os.clock() * 1000000))
    if mode == "check" then
        for line in io.lines(os.getenv("SOHOA_BENCH_CODES")) do codes[#codes + 1] = line end
    else
        wrk.headers["Authorization"] = "Bearer " .. os.getenv("SOHOA_BENCH_TOKEN")
    end
end

function request()
    if mode == "check" then
        return wrk.format("GET", "/v/" .. codes[math.random(#codes)] .. ".json")
    end
    return wrk.format("GET", string.format("/api/v1/documents?citizen=0010%08d", math.random(0, citizens - 1)))
end
