#!/usr/bin/env bash
# The `sohoa repo refresh` row of `make bench`: N signed (B-LT) documents in a repository get a
# refreshed version each (validation data and a document time-stamp from the local TSA), against
# pyHanko's renewal of the same PDF once per document. Documents per second and the bytes each
# refresh adds.
#   scripts/bench_refresh.sh SOHOA_BINARY VENV_PYTHON RESULTS
set -euo pipefail
cd "$(dirname "$0")/.."
sohoa=$1
python=$2
results=$3/refresh
count=${SOHOA_BENCH_REFRESH_DOCUMENTS:-1000}
rm -rf "$results" && mkdir -p "$results"
source scripts/local-tsa.sh
start_local_tsa "$results/tsa.log" "$results/tsa-serial"
start_local_crl_server "$results/crls"
trap 'kill "$tsa_pid" ${crl_pid:-} 2>/dev/null || true' EXIT
export SOHOA_BENCH_PASSWORD=sohoa-test

# One real B-LT signed PDF; every document's version is it (its blob filed once).
"$sohoa" assemble -o "$results/page.pdf" Samples/001085012345/000.00.01.H26-251124-0001/don-de-nghi.tif >/dev/null
"$sohoa" sign --p12 Certs/officer.p12 --password-env SOHOA_BENCH_PASSWORD --tsa "$tsa_url" --level B-LT \
    --out "$results/signed" "$results/page.pdf" >/dev/null
signed=$results/signed/page.pdf
hash=$(sha256sum "$signed" | cut -c1-64)
data=$results/repository
"$sohoa" repo init --data "$data" >/dev/null
"$sohoa" repo import --data "$data" --citizen 001085012345 --case 000.00.99.H26-261205-0001 "$signed" >/dev/null
"$python" scripts/bench_serve_load.py sqlite "$data/sohoa.sqlite" $((count - 1)) "$hash" "$results/codes"
mkdir -p "$results/pyhanko-in"
for i in $(seq -w 1 "$count"); do cp "$signed" "$results/pyhanko-in/document-$i.pdf"; done

echo "== repo refresh: $count signed (B-LT) documents, each given validation data and a document time-stamp (local TSA)"
began=$(date +%s.%N)
"$sohoa" repo refresh --data "$data" --tsa "$tsa_url" --trust Certs/root-ca.pem --json >"$results/refresh.json"
ended=$(date +%s.%N)
read -r pyhanko_seconds pyhanko_added pyhanko_count < <("$python" scripts/bench_refresh_pyhanko.py "$results/pyhanko-in" \
    "$results/pyhanko-out" "$tsa_url" Certs/root-ca.pem)
"$python" - "$results/refresh.json" "$began" "$ended" "$pyhanko_seconds" "$pyhanko_added" "$pyhanko_count" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
seconds = float(sys.argv[3]) - float(sys.argv[2])
refreshed = [d for d in report["documents"] if d["outcome"] == "refreshed"]
added = sum(d["bytesAdded"] for d in refreshed) // max(1, len(refreshed))
pyhanko_seconds, pyhanko_added, pyhanko_count = float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
ours, theirs = len(refreshed) / seconds, pyhanko_count / pyhanko_seconds
print(f"  sohoa repo refresh: {len(refreshed):,} of {report['totals']['documents']:,} refreshed in {seconds:.1f} s "
      f"({ours:.1f} documents/s, one worker per core, each verified first, filed with an audit entry), {added:,} bytes added each")
print(f"  pyHanko update_archival_timestamp_chain, file after file in one process: {pyhanko_count:,} in {pyhanko_seconds:.1f} s "
      f"({theirs:.1f} documents/s), {pyhanko_added:,} bytes added each")
print(f"  ratio: Sohoa {ours / theirs:.1f}× pyHanko's documents per second")
PY
