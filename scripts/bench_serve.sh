#!/usr/bin/env bash
# The `sohoa serve` rows of `make bench`, run by scripts/bench.sh under `scripts/test-postgres.sh
# run` (a throw-away PostgreSQL server of its own): wrk against a repository of 100 000
# documents, on SQLite and on PostgreSQL, 16 connections, requests/s and latency percentiles.
#   scripts/test-postgres.sh run scripts/bench_serve.sh SOHOA_BINARY VENV_PYTHON RESULTS
set -euo pipefail
cd "$(dirname "$0")/.."
sohoa=$1
python=$2
results=$3/serve
documents=${SOHOA_BENCH_SERVE_DOCUMENTS:-100000}
seconds=${SOHOA_BENCH_SERVE_SECONDS:-10}
: "${SOHOA_TEST_POSTGRES_URL:?run under scripts/test-postgres.sh run}"
export PGPASSWORD=$SOHOA_TEST_POSTGRES_PASSWORD SOHOA_BENCH_PASSWORD=sohoa-test
rm -rf "$results" && mkdir -p "$results"
server_pid=
trap '[[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null || true' EXIT

# One real signed PDF: every benchmark document's version is it (so the public check verifies a
# real signature; its verification is kept for a minute, as in service).
"$sohoa" assemble -o "$results/page.pdf" Samples/001085012345/000.00.01.H26-251124-0001/don-de-nghi.tif >/dev/null
"$sohoa" sign --p12 Certs/officer.p12 --password-env SOHOA_BENCH_PASSWORD --allow-unknown-revocation \
    --out "$results/signed" "$results/page.pdf" >/dev/null
signed=$results/signed/page.pdf
hash=$(sha256sum "$signed" | cut -c1-64)

measure() {  # measure ENGINE DATA TARGET: load, serve, and wrk both requests
    local engine=$1 data=$2 target=$3
    "$sohoa" repo import --data "$data" --citizen 001085012345 --case 000.00.99.H26-261205-0001 "$signed" >/dev/null
    local began=$(date +%s.%N)
    "$python" scripts/bench_serve_load.py "$engine" "$target" "$documents" "$hash" "$results/codes-$engine"
    local loaded=$(date +%s.%N)
    local token=$("$sohoa" access add --data "$data" --name bench --role auditor 2>/dev/null)
    "$sohoa" serve --data "$data" --listen 127.0.0.1:0 --rate-limit 0 --offline --trust Certs/root-ca.pem \
        >"$results/serve-$engine.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 100); do grep -q "listening on" "$results/serve-$engine.log" 2>/dev/null && break; sleep 0.1; done
    local url=$(grep -o 'http://[0-9.]*:[0-9]*' "$results/serve-$engine.log")
    "$python" -c 'import sys; print(f"  {sys.argv[1]}: {int(sys.argv[2]):,} documents loaded in {float(sys.argv[4]) - float(sys.argv[3]):.1f} s")' \
        "$engine" "$documents" "$began" "$loaded"
    for mode in list check; do
        SOHOA_BENCH_MODE=$mode SOHOA_BENCH_TOKEN=$token SOHOA_BENCH_CITIZENS=$((documents / 5)) \
            SOHOA_BENCH_CODES=$results/codes-$engine \
            wrk -t 2 -c 16 -d "${seconds}s" --latency -s scripts/bench_serve.lua "$url" >/dev/null 2>&1 || true  # warm-up
        SOHOA_BENCH_MODE=$mode SOHOA_BENCH_TOKEN=$token SOHOA_BENCH_CITIZENS=$((documents / 5)) \
            SOHOA_BENCH_CODES=$results/codes-$engine \
            wrk -t 2 -c 16 -d "${seconds}s" --latency -s scripts/bench_serve.lua "$url" >"$results/wrk-$engine-$mode.txt" 2>&1
        "$python" - "$results/wrk-$engine-$mode.txt" "$engine" "$mode" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def latency(p):
    m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not m: return float("nan")
    return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
rate = re.search(r"Requests/sec:\s+([\d.]+)", text)
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
what = {"list": "GET /api/v1/documents?citizen=… (a random citizen's 5 documents)",
        "check": "GET /v/{code}.json (a random document's public check)"}[sys.argv[3]]
print(f"    {what}: {float(rate.group(1)) if rate else float('nan'):,.0f} requests/s, p50 {latency(50):.2f} ms, "
      f"p99 {latency(99):.2f} ms" + (f", {errors.group(1)} answers not 200" if errors else ""))
PY
    done
    kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
    server_pid=
}

echo "== sohoa serve: $documents documents, wrk with 16 connections on 2 threads for ${seconds} s (wrk on the same 2 cores)"
data=$results/sqlite-repository
"$sohoa" repo init --data "$data" >/dev/null
measure sqlite "$data" "$data/sohoa.sqlite"
url=${SOHOA_TEST_POSTGRES_URL%/*}/sohoa_bench_serve
psql -X -q -v ON_ERROR_STOP=1 "$SOHOA_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS sohoa_bench_serve" -c "CREATE DATABASE sohoa_bench_serve"
data=$results/postgres-repository
"$sohoa" repo init --data "$data" --database "$url" >/dev/null
measure postgres "$data" "$url"
