#!/usr/bin/env bash
# Side-by-side benchmarks: Sohoa and its peers on the same inputs, in one run, with ratios.
#   scripts/bench.sh SOHOA_BINARY VENV_PYTHON
set -euo pipefail
cd "$(dirname "$0")/.."
sohoa=${1:-.build/release/sohoa}
python=${2:-.build/venv/bin/python}
results=.build/bench
mkdir -p "$results"

ratio() {  # ratio JSON_FILE [SOHOA_OUTPUT PEER_OUTPUT]: means, the peer/Sohoa ratio, output sizes
    "$python" - "$@" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["results"]
sohoa, peer = runs[0], runs[1]
print(f"  sohoa: {sohoa['mean'] * 1000:8.1f} ms ± {sohoa['stddev'] * 1000:.1f}")
print(f"  peer:  {peer['mean'] * 1000:8.1f} ms ± {peer['stddev'] * 1000:.1f}")
print(f"  ratio: peer / sohoa = {peer['mean'] / sohoa['mean']:.2f}×")
if len(sys.argv) > 3:
    import os
    a, b = os.path.getsize(sys.argv[2]), os.path.getsize(sys.argv[3])
    print(f"  output: sohoa {a / 1e6:.2f} MB, peer {b / 1e6:.2f} MB (sohoa / peer = {a / b:.3f})")
PY
}

pages=$("$sohoa" inbox --json --headers-only Samples | "$python" -c \
    'import json,sys; print(sum(len(d["pages"]) for d in json.load(sys.stdin)["documents"]))')
echo "== Decode every page of Samples/ ($pages A4 pages at 200–300 dpi): sohoa inbox vs Pillow"
hyperfine --style basic --warmup 2 --min-runs 10 --export-json "$results/decode.json" \
    --command-name "sohoa inbox" "$sohoa inbox Samples" \
    --command-name "Pillow" "$python scripts/bench_decode_pillow.py Samples" >/dev/null
ratio "$results/decode.json"

inputs=$results/inputs
if [[ ! -f $inputs/.complete ]]; then
    echo "== Generating the benchmark scans (once): 100 A4 pages at 300 dpi"
    rm -rf "$inputs"
    "$python" scripts/make-bench-inputs.py "$inputs"
    touch "$inputs/.complete"
fi
img2pdf=$(dirname "$python")/img2pdf
out=$results/out
mkdir -p "$out"

assemble_pair() {  # assemble_pair LABEL SOHOA_INPUT PEER_INPUTS...
    local label=$1 sohoa_input=$2
    shift 2
    echo "== assemble: $label — sohoa assemble vs img2pdf"
    hyperfine --style basic --warmup 1 --min-runs 5 --export-json "$results/assemble-$label.json" \
        --command-name "sohoa assemble" "$sohoa assemble -o $out/sohoa-$label.pdf $sohoa_input" \
        --command-name "img2pdf" "$img2pdf -o $out/img2pdf-$label.pdf $*" >/dev/null
    ratio "$results/assemble-$label.json" "$out/sohoa-$label.pdf" "$out/img2pdf-$label.pdf"
}

assemble_pair "g4-100-pages" "$inputs/g4.tif" "$inputs/g4.tif"
assemble_pair "jpeg-100-pages" "$inputs/jpeg" "$inputs"/jpeg/*.jpg
assemble_pair "png-20-pages" "$inputs/png" "$inputs"/png/*.png
scripts/bench_ocr.sh "$sohoa" "$python" "$results"

echo "== sign: 200 PDFs (one A4 300-dpi JPEG page each, ~0.8 MB) as invisible PAdES B-T with the local TSA — sohoa sign vs pyHanko"
unsigned=$results/unsigned-200
if [[ ! -f $unsigned/.complete ]]; then
    rm -rf "$unsigned" && mkdir -p "$unsigned"
    for page in "$inputs"/jpeg/*.jpg; do
        name=$(basename "$page" .jpg)
        "$sohoa" assemble -o "$unsigned/$name-a.pdf" "$page" >/dev/null
        cp "$unsigned/$name-a.pdf" "$unsigned/$name-b.pdf"
    done
    touch "$unsigned/.complete"
fi
source scripts/local-tsa.sh
start_local_tsa "$results/tsa.log" "$results/tsa-serial"
# sohoa sign checks the signer's revocation before a batch: the test CA's CRLs are served first.
start_local_crl_server "$results/crls"
trap 'kill "$tsa_pid" ${crl_pid:-} 2>/dev/null || true' EXIT
export SOHOA_BENCH_PASSWORD=sohoa-test
hyperfine --style basic --warmup 1 --min-runs 3 --export-json "$results/sign.json" \
    --prepare "rm -rf $out/signed-sohoa $out/signed-pyhanko" \
    --command-name "sohoa sign" \
    "$sohoa sign --p12 Certs/officer.p12 --password-env SOHOA_BENCH_PASSWORD --tsa $tsa_url --invisible --out $out/signed-sohoa $unsigned" \
    --command-name "pyHanko" \
    "$python scripts/bench_sign_pyhanko.py $unsigned $out/signed-pyhanko Certs/officer.p12 sohoa-test $tsa_url" >/dev/null
ratio "$results/sign.json"
scripts/bench_visible.sh "$sohoa" "$python" "$results" "$tsa_url"
kill "$tsa_pid" 2>/dev/null || true

echo "== verify: the 200 PDFs pyHanko signed (B-T), CRLs fetched from the test CA — sohoa verify vs pyHanko validation"
trap 'kill ${crl_pid:-} 2>/dev/null || true' EXIT
hyperfine --style basic --warmup 1 --min-runs 3 --export-json "$results/verify.json" \
    --command-name "sohoa verify" "$sohoa verify --trust Certs/root-ca.pem $out/signed-pyhanko" \
    --command-name "pyHanko" "$python scripts/bench_verify_pyhanko.py $out/signed-pyhanko Certs/root-ca.pem" >/dev/null
ratio "$results/verify.json"

echo "== verify: the same 200 PDFs approved by Sohoa (two signatures: the change analysis runs for the first) — sohoa verify vs pyHanko validation"
rm -rf "$out/approved-pyhanko"
"$sohoa" sign --p12 Certs/approver.p12 --password-env SOHOA_BENCH_PASSWORD --role approver \
    --out "$out/approved-pyhanko" "$out/signed-pyhanko" >/dev/null
hyperfine --style basic --warmup 1 --min-runs 3 --export-json "$results/verify-approved.json" \
    --command-name "sohoa verify" "$sohoa verify --trust Certs/root-ca.pem $out/approved-pyhanko" \
    --command-name "pyHanko" "$python scripts/bench_verify_pyhanko.py $out/approved-pyhanko Certs/root-ca.pem" >/dev/null
ratio "$results/verify-approved.json"
kill ${crl_pid:-} 2>/dev/null || true

echo "== repository: file the metadata of 100 000 documents, then list one citizen's documents"
"$(dirname "$sohoa")/sohoa-repository-bench" "$results/repository" 100000
hyperfine --style basic --warmup 2 --min-runs 10 --export-json "$results/repo-list.json" \
    --command-name "sohoa repo list" "$sohoa repo list --data $results/repository --citizen 001000012345 --json" >/dev/null
"$python" - "$results/repo-list.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["results"][0]
print(f"  sohoa repo list, the whole command: {run['mean'] * 1000:.1f} ms ± {run['stddev'] * 1000:.1f}")
PY

echo "== sohoa watch: drop to filed for a 10-page A4 TIFF, and a 500-document drop"
"$python" scripts/bench_watch.py "$sohoa" "$results/watch" --latency-runs 20 --drop 500 --stable 1

# repo refresh of 1,000 signed documents against pyHanko's renewal of the same PDFs.
scripts/bench_refresh.sh "$sohoa" "$python" "$results"

# The PostgreSQL rows: a throw-away server started for them and stopped at the end (even on failure).
scripts/test-postgres.sh run scripts/bench_postgres.sh "$sohoa" "$python" "$results"

# sohoa serve under wrk, on SQLite and PostgreSQL (a throw-away server again).
scripts/test-postgres.sh run scripts/bench_serve.sh "$sohoa" "$python" "$results"
