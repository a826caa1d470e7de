#!/usr/bin/env bash
# The PostgreSQL rows of `make bench` (and the SQLite job-queue row beside them), run by
# scripts/bench.sh under `scripts/test-postgres.sh run`: a throw-away server of its own, stopped
# at the end however this ends.
#   scripts/test-postgres.sh run scripts/bench_postgres.sh SOHOA_BINARY VENV_PYTHON RESULTS
set -euo pipefail
cd "$(dirname "$0")/.."
sohoa=$1
python=$2
results=$3
bench=$(dirname "$sohoa")/sohoa-repository-bench
: "${SOHOA_TEST_POSTGRES_URL:?run under scripts/test-postgres.sh run}"
export PGPASSWORD=$SOHOA_TEST_POSTGRES_PASSWORD
admin=$SOHOA_TEST_POSTGRES_URL
server=${admin%/*}
documents=${SOHOA_BENCH_POSTGRES_DOCUMENTS:-1000000}  # fewer only to try the script out
citizens=$((documents / 5))

new_database() {  # new_database NAME: makes it, prints its URL
    psql -X -q -v ON_ERROR_STOP=1 "$admin" -c "CREATE DATABASE $1" >/dev/null
    echo "$server/$1"
}

echo "== PostgreSQL: the records of $documents documents (metadata only), list one citizen's documents"
url=$(new_database sohoa_bench_list)
data=$results/postgres-repository
rm -rf "$data"
"$sohoa" repo init --data "$data" --database "$url" >/dev/null
began=$(date +%s.%N)
psql -X -q -v documents=$documents -v citizens=$citizens -f scripts/bench_postgres_load.sql "$url"
loaded=$(date +%s.%N)
size=$(psql -X -A -t "$url" -c "SELECT pg_database_size(current_database())")
"$python" -c 'import sys; b, l, s, n = map(float, sys.argv[1:]); print(
    f"  loaded set by set (INSERT … SELECT generate_series through psql into the tables sohoa repo init made, indexes and "
    f"foreign keys on; not filed one by one through the store, no audit entries): {int(n):,} documents, "
    f"{int(n) // 5:,} citizens, {int(n) * 2 // 5:,} cases, one version each, in {l - b:.0f} s; database {s / 1e6:.0f} MB")' \
    "$began" "$loaded" "$size" "$documents"
"$bench" list-postgres "$url" "$citizens" 1000
"$python" - "$sohoa" "$data" "$citizens" <<'PY'
import math, random, subprocess, sys, time
sohoa, data, citizens = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = []
for run in range(103):
    citizen = f"0010{random.randrange(citizens):08d}"
    began = time.perf_counter()
    out = subprocess.run([sohoa, "repo", "list", "--data", data, "--citizen", citizen, "--json"], check=True,
                         capture_output=True, text=True).stdout
    if run >= 3:  # 3 runs to warm up
        times.append((time.perf_counter() - began) * 1000)
    assert out.count('"id"') == 5, out
times.sort()
rank = lambda q: times[min(len(times), math.ceil(q * len(times))) - 1]  # nearest rank
print(f"  the whole command (sohoa repo list --citizen ID --json, a process each, {len(times)} random citizens): "
      f"p50 {rank(0.5):.1f} ms, p99 {rank(0.99):.1f} ms")
PY
# The store's query (PostgresRecords.documentColumns, documents(matching:)) explained twice in one
# session: the second shows planning and execution with the session's caches warm.
query="SELECT d.id, d.owner, d.type, d.title, d.issued, d.valid_until, d.state, d.created,
    ARRAY(SELECT c.case_code FROM document_cases c WHERE c.document_id = d.id ORDER BY c.position) AS cases,
    (SELECT v.sha256 FROM versions v WHERE v.document_id = d.id ORDER BY v.number DESC LIMIT 1) AS latest
    FROM documents d WHERE d.owner = '0010$(printf %08d $((citizens / 3)))' ORDER BY d.created, d.id"
plan=$(psql -X -A -t "$url" -c "EXPLAIN (ANALYZE, COSTS OFF) $query" -c "EXPLAIN (ANALYZE, COSTS OFF) $query")
planning=($(grep -o 'Planning Time: [0-9.]*' <<<"$plan" | grep -o '[0-9.]*$'))
execution=($(grep -o 'Execution Time: [0-9.]*' <<<"$plan" | grep -o '[0-9.]*$'))
echo "  EXPLAIN ANALYZE of the store's query for one citizen: $(grep -m1 -o 'Index Scan using [a-z_]* on documents' <<<"$plan" \
    || echo 'NO index scan on documents'); planning ${planning[0]} ms in a new session, ${planning[1]} ms again; execution \
${execution[1]} ms"

echo "== job queue: claim + complete throughput (claims/s), each worker with a store (connection) of its own"
rm -rf "$results/claims-sqlite"
"$bench" claims sqlite "$results/claims-sqlite" 3000 1 2 4
"$bench" claims postgresql "$(new_database sohoa_bench_claims)" 3000 1 2 4

echo "== repo search: 20 000 documents with 2 pages of text each, then a rare name, a common phrase, one citizen's (SQLite and PostgreSQL, the same texts)"
"$bench" search sqlite "$results/search-sqlite" 20000
"$bench" search postgresql "$(new_database sohoa_bench_search)" 20000

echo "== sohoa watch on PostgreSQL: 500 documents dropped, 1 node vs 2 nodes on one repository"
"$python" scripts/bench_watch.py "$sohoa" "$results/watch" --postgres "$admin" --drop 500 --nodes 1 2 --stable 1
