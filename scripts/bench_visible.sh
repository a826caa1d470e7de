#!/usr/bin/env bash
# Visible signatures: 200 PDFs signed as B-T with the officer's block (Liberation Serif subset,
# placed on blank paper) and without it, and pyHanko with its text stamp, in one run; prints
# the block's cost per document (CPU and wall time) and the bytes it adds.
#   scripts/bench_visible.sh SOHOA PYTHON RESULTS_DIR TSA_URL   (the CRL server already running)
set -euo pipefail
sohoa=$1 python=$2 results=$3 tsa=$4
unsigned=$results/unsigned-200
out=$results/out
count=$(ls "$unsigned"/*.pdf | wc -l)
export SOHOA_BENCH_PASSWORD=sohoa-test
sign() { echo "$sohoa sign --p12 Certs/officer.p12 --password-env SOHOA_BENCH_PASSWORD --tsa $tsa --out $1 $2 $unsigned"; }
echo "== sign, visible: $count PDFs as B-T with the officer's block vs without it, and pyHanko's stamped signature"
hyperfine --style basic --warmup 1 --min-runs 3 --export-json "$results/sign-visible.json" \
    --prepare "rm -rf $out/visible-sohoa $out/invisible-sohoa $out/visible-pyhanko" \
    --command-name "sohoa sign (block)" "$(sign "$out/visible-sohoa" "")" \
    --command-name "sohoa sign --invisible" "$(sign "$out/invisible-sohoa" --invisible)" \
    --command-name "pyHanko (stamp)" \
    "$python scripts/bench_sign_pyhanko.py $unsigned $out/visible-pyhanko Certs/officer.p12 sohoa-test $tsa --visible 20,770,250,820" \
    >/dev/null
# The outputs once more (each hyperfine run starts from empty folders), for their sizes.
rm -rf "$out/visible-sohoa" "$out/invisible-sohoa"
$(sign "$out/visible-sohoa" "") >/dev/null
$(sign "$out/invisible-sohoa" --invisible) >/dev/null
"$python" - "$results/sign-visible.json" "$out" "$count" <<'PY'
import json, os, sys
runs = {run["command"]: run for run in json.load(open(sys.argv[1]))["results"]}
out, count = sys.argv[2], int(sys.argv[3])
visible, invisible, peer = runs["sohoa sign (block)"], runs["sohoa sign --invisible"], runs["pyHanko (stamp)"]
def cpu(run): return run["user"] + run["system"]
def size(folder): return sum(os.path.getsize(os.path.join(folder, name)) for name in os.listdir(folder))
print(f"  sohoa with the block:  {visible['mean']:.2f} s ± {visible['stddev']:.2f} (CPU {cpu(visible):.2f} s)")
print(f"  sohoa --invisible:     {invisible['mean']:.2f} s ± {invisible['stddev']:.2f} (CPU {cpu(invisible):.2f} s)")
print(f"  pyHanko with a stamp:  {peer['mean']:.2f} s ± {peer['stddev']:.2f}")
print(f"  the block per document: {(cpu(visible) - cpu(invisible)) / count * 1000:.2f} ms CPU, "
      f"{(visible['mean'] - invisible['mean']) / count * 1000:.2f} ms wall, "
      f"{(size(os.path.join(out, 'visible-sohoa')) - size(os.path.join(out, 'invisible-sohoa'))) / count / 1000:.1f} KB added")
print(f"  ratio: pyHanko (stamp) / sohoa (block) = {peer['mean'] / visible['mean']:.1f}×")
PY
