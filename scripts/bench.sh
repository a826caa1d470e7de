#!/usr/bin/env bash
# Side-by-side benchmarks: Sohoa and its peers on the same inputs, in one run, with ratios.
#   scripts/bench.sh SOHOA_BINARY VENV_PYTHON
set -euo pipefail
cd "$(dirname "$0")/.."
sohoa=${1:-.build/release/sohoa}
python=${2:-.build/venv/bin/python}
results=.build/bench
mkdir -p "$results"

ratio() {  # ratio JSON_FILE: prints each command's mean and the peer/Sohoa ratio
    "$python" - "$1" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["results"]
sohoa, peer = runs[0], runs[1]
print(f"  sohoa: {sohoa['mean'] * 1000:8.1f} ms ± {sohoa['stddev'] * 1000:.1f}")
print(f"  peer:  {peer['mean'] * 1000:8.1f} ms ± {peer['stddev'] * 1000:.1f}")
print(f"  ratio: peer / sohoa = {peer['mean'] / sohoa['mean']:.2f}×")
PY
}

pages=$("$sohoa" inbox --json --headers-only Samples | "$python" -c \
    'import json,sys; print(sum(len(d["pages"]) for d in json.load(sys.stdin)["documents"]))')
echo "== Decode every page of Samples/ ($pages A4 pages at 200–300 dpi): sohoa inbox vs Pillow"
hyperfine --style basic --warmup 2 --min-runs 10 --export-json "$results/decode.json" \
    --command-name "sohoa inbox" "$sohoa inbox Samples" \
    --command-name "Pillow" "$python scripts/bench_decode_pillow.py Samples" >/dev/null
ratio "$results/decode.json"
