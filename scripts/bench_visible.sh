#!/usr/bin/env bash
# Visible signatures: 200 PDFs signed as B-T with the officer's block (Liberation Serif subset,
# placed on blank paper) and without it, and pyHanko with its text stamp, in one run; prints
# the block's cost per document (CPU and wall time) and the bytes it adds.
#
# Two paths of Sohoa's: `sign --pending` (what officers run: the 200 documents the watcher filed,
# signed with the block and the QR code at the page's foot, placed by the ink page 1 records),
# and `sign` on loose files (the same scans assembled, the block only: a loose file has no
# dossier for a QR code, and its scan is decoded to find blank paper).
#   scripts/bench_visible.sh SOHOA PYTHON RESULTS_DIR TSA_URL   (the CRL server already running)
set -euo pipefail
sohoa=$1 python=$2 results=$3 tsa=$4
unsigned=$results/unsigned-200
out=$results/out
count=$(ls "$unsigned"/*.pdf | wc -l)
export SOHOA_BENCH_PASSWORD=sohoa-test

# The watcher's repository of 200 pending documents (made once): the bench scans, each twice,
# told apart by a JPEG comment (the watcher files the same scan once).
pending=$results/pending-200
if [[ ! -f $pending/.complete ]]; then
    rm -rf "$pending" && mkdir -p "$pending/inbox"
    "$python" - "$results/inputs/jpeg" "$pending/drop/001085012345/000.00.01.H26-251124-0001" <<'PY'
import os, sys
source, target = sys.argv[1], sys.argv[2]
os.makedirs(target)
for name in sorted(n for n in os.listdir(source) if n.endswith(".jpg")):
    data = open(os.path.join(source, name), "rb").read()
    for tag in (b"a", b"b"):
        comment = b"\xff\xfe" + (2 + len(tag)).to_bytes(2, "big") + tag
        open(os.path.join(target, f"{name[:-4]}-{tag.decode()}.jpg"), "wb").write(data[:2] + comment + data[2:])
PY
    "$sohoa" watch --inbox "$pending/inbox" --data "$pending/template" --no-ocr --stable-seconds 1 2>"$pending/watch.log" &
    watcher=$!
    sleep 1
    mv "$pending/drop/"* "$pending/inbox/"
    for _ in $(seq 600); do
        [[ $(grep -c " filed" "$pending/watch.log" || true) -ge 200 ]] && break
        sleep 0.5
    done
    kill -TERM "$watcher" && wait "$watcher"
    [[ $(grep -c " filed" "$pending/watch.log") -ge 200 ]] || { echo "the watcher did not file the 200 documents" >&2; exit 1; }
    touch "$pending/.complete"
fi
reset_pending="rm -rf $pending/visible $pending/invisible && cp -a $pending/template $pending/visible && cp -a $pending/template $pending/invisible"

sign() { echo "$sohoa sign --p12 Certs/officer.p12 --password-env SOHOA_BENCH_PASSWORD --tsa $tsa --out $1 $2 $unsigned"; }
sign_pending() {
    echo "$sohoa sign --pending --all --data $pending/$1 --p12 Certs/officer.p12 --password-env SOHOA_BENCH_PASSWORD ${3---tsa $tsa} $2"
}
# The appearance's own CPU cost, without the time-stamp round trips' scheduling noise: B-B, the
# two commands run in turn 20 times, each first in every other pair (this machine's other load
# weighs on both alike).
echo "== sign --pending as B-B, $count documents: the block and QR code's CPU per document"
signer="$sohoa sign --pending --all --p12 Certs/officer.p12 --password-env SOHOA_BENCH_PASSWORD --data {data}"
# shellcheck disable=SC2086
"$python" scripts/bench_visible_cost.py 20 "$pending/template" \
    -- $signer --check-url-base https://tracuu.sohoa.example.vn -- $signer --invisible
echo "== sign, visible: $count PDFs as B-T with the officer's block (and QR code) vs without, and pyHanko's stamped signature"
hyperfine --style basic --warmup 1 --min-runs 3 --export-json "$results/sign-visible.json" \
    --prepare "rm -rf $out/visible-sohoa $out/invisible-sohoa $out/visible-pyhanko && $reset_pending" \
    --command-name "sohoa sign --pending (block, QR code)" \
    "$(sign_pending visible "--check-url-base https://tracuu.sohoa.example.vn")" \
    --command-name "sohoa sign --pending --invisible" "$(sign_pending invisible --invisible)" \
    --command-name "sohoa sign (block)" "$(sign "$out/visible-sohoa" "")" \
    --command-name "sohoa sign --invisible" "$(sign "$out/invisible-sohoa" --invisible)" \
    --command-name "pyHanko (stamp)" \
    "$python scripts/bench_sign_pyhanko.py $unsigned $out/visible-pyhanko Certs/officer.p12 sohoa-test $tsa --visible 20,770,250,820" \
    >/dev/null
# The outputs once more (each hyperfine run starts from empty folders), for their sizes.
rm -rf "$out/visible-sohoa" "$out/invisible-sohoa"
$(sign "$out/visible-sohoa" "") >/dev/null
$(sign "$out/invisible-sohoa" --invisible) >/dev/null
eval "$reset_pending"
$(sign_pending visible "--check-url-base https://tracuu.sohoa.example.vn") >/dev/null
$(sign_pending invisible --invisible) >/dev/null
"$python" - "$results/sign-visible.json" "$out" "$pending" "$count" <<'PY'
import json, os, sys
runs = {run["command"]: run for run in json.load(open(sys.argv[1]))["results"]}
out, pending, count = sys.argv[2], sys.argv[3], int(sys.argv[4])
def cpu(run): return run["user"] + run["system"]
def size(folder):
    return sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(folder) for name in names)
peer = runs["pyHanko (stamp)"]
print(f"  pyHanko with a stamp:  {peer['mean']:.2f} s ± {peer['stddev']:.2f}")
for label, visible, invisible, added in [
        ("sign --pending, block and QR code", runs["sohoa sign --pending (block, QR code)"],
         runs["sohoa sign --pending --invisible"],
         size(os.path.join(pending, "visible", "blobs")) - size(os.path.join(pending, "invisible", "blobs"))),
        ("sign on loose files, block", runs["sohoa sign (block)"], runs["sohoa sign --invisible"],
         size(os.path.join(out, "visible-sohoa")) - size(os.path.join(out, "invisible-sohoa")))]:
    print(f"  {label}:")
    print(f"    with it:    {visible['mean']:.2f} s ± {visible['stddev']:.2f} (CPU {cpu(visible):.2f} s)")
    print(f"    invisible:  {invisible['mean']:.2f} s ± {invisible['stddev']:.2f} (CPU {cpu(invisible):.2f} s)")
    print(f"    per document: {(cpu(visible) - cpu(invisible)) / count * 1000:.2f} ms CPU, "
          f"{(visible['mean'] - invisible['mean']) / count * 1000:.2f} ms wall, {added / count / 1000:.1f} KB added")
    print(f"    ratio: pyHanko (stamp) / sohoa = {peer['mean'] / visible['mean']:.1f}×")
PY
