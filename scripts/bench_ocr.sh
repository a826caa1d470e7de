#!/usr/bin/env bash
# Assembly speed against its floor, and OCR against OCRmyPDF, on the same pages in one run.
#   scripts/bench_ocr.sh SOHOA PYTHON RESULTS_DIR
#
# 1. The floor of assembly without OCR: entropy-decoding every page once on all cores
#    (libjpeg-turbo's djpeg -scale 1/8, one process per core) over the 100 A4 JPEG pages of the
#    assemble benchmark, beside `sohoa assemble` of the same pages.
# 2. OCR: the 30 generated Vietnamese pages (Tests/Fixtures/make_ocr_pages.py: 200 and 300 dpi;
#    clean, noisy, skewed 2°, turned 90° and 180°; G4, gray PNG, colour JPEG) read into one PDF
#    by `sohoa assemble --ocr` and by img2pdf + OCRmyPDF (--output-type pdfa --rotate-pages:
#    both detect turned pages), on 2 cores and on 1; pages per second, and the character error
#    rate of each page's text as pdftotext gives it back against the page's known text.
set -euo pipefail
sohoa=$1 python=$2 results=$3
bin=$(dirname "$python")
cores=$(nproc)
jpegs=$results/inputs/jpeg

echo "== assemble without OCR: 100 A4 300-dpi JPEG pages — sohoa assemble vs the floor (djpeg -scale 1/8 on every page, $cores processes)"
hyperfine --style basic --warmup 1 --min-runs 5 --export-json "$results/assemble-floor.json" \
    --command-name "sohoa assemble" "$sohoa assemble -o $results/out/floor-sohoa.pdf $jpegs" \
    --command-name "floor" "ls $jpegs/*.jpg | xargs -P $cores -n 1 sh -c 'djpeg -scale 1/8 \"\$0\" >/dev/null'" >/dev/null
"$python" - "$results/assemble-floor.json" <<'PY'
import json, sys
runs = {run["command"]: run for run in json.load(open(sys.argv[1]))["results"]}
sohoa, floor = runs["sohoa assemble"], runs["floor"]
print(f"  sohoa assemble: {sohoa['mean']:.3f} s ± {sohoa['stddev']:.3f} (CPU {sohoa['user'] + sohoa['system']:.2f} s)")
print(f"  floor:          {floor['mean']:.3f} s ± {floor['stddev']:.3f} (CPU {floor['user'] + floor['system']:.2f} s)")
print(f"  sohoa / floor = {sohoa['mean'] / floor['mean']:.2f}×")
PY

pages=$results/ocr-pages
if [[ ! -f $pages/.complete ]]; then
    rm -rf "$pages"
    "$python" Tests/Fixtures/make_ocr_pages.py "$pages" >/dev/null
    touch "$pages/.complete"
fi
list=$(ls "$pages"/*.tif "$pages"/*.png "$pages"/*.jpg | sort | tr '\n' ' ')
count=$(echo $list | wc -w)
out=$results/out/ocr
mkdir -p "$out"
ocrmypdf() {  # ocrmypdf JOBS OUTPUT: img2pdf then OCRmyPDF, as one command
    echo "$bin/img2pdf -o $out/img2pdf.pdf $list && $bin/ocrmypdf -q -l vie+eng --output-type pdfa --rotate-pages -j $1 $out/img2pdf.pdf $2"
}
echo "== OCR: $count Vietnamese pages into one PDF — sohoa assemble --ocr vs img2pdf + OCRmyPDF (vie+eng, PDF/A), 2 cores and 1"
hyperfine --style basic --warmup 0 --min-runs 2 --export-json "$results/ocr.json" \
    --command-name "sohoa, $cores cores" "$sohoa assemble --ocr -o $out/sohoa.pdf $list" \
    --command-name "OCRmyPDF, $cores cores" "$(ocrmypdf "$cores" "$out/ocrmypdf.pdf")" \
    --command-name "sohoa, 1 core" "taskset -c 0 $sohoa assemble --ocr -o $out/sohoa-1.pdf $list" \
    --command-name "OCRmyPDF, 1 core" "taskset -c 0 $(ocrmypdf 1 "$out/ocrmypdf-1.pdf")" \
    --command-name "sohoa, no OCR" "$sohoa assemble -o $out/plain.pdf $list" >/dev/null
"$python" - "$results/ocr.json" "$out" "$count" $list <<'PY'
import json, os, subprocess, sys
sys.path.insert(0, "scripts")
from ocr_cer import cer
runs = {run["command"]: run for run in json.load(open(sys.argv[1]))["results"]}
out, count, files = sys.argv[2], int(sys.argv[3]), sys.argv[4:]
def rates(pdf):
    result = []
    for number, image in enumerate(files, 1):
        text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), pdf, "-"],
                              capture_output=True, text=True).stdout
        truth = open(os.path.splitext(image)[0] + ".txt", encoding="utf-8").read()
        result.append(cer(truth, text))
    return result
for name, run in runs.items():
    print(f"  {name:22s} {run['mean']:7.2f} s ± {run['stddev']:.2f}  {count / run['mean']:5.2f} pages/s")
cores = [name.split(", ")[1] for name in runs if name.startswith("OCRmyPDF")]
for label in cores:
    print(f"  ratio, {label}: OCRmyPDF / sohoa = {runs['OCRmyPDF, ' + label]['mean'] / runs['sohoa, ' + label]['mean']:.2f}×")
ours, theirs = rates(os.path.join(out, "sohoa.pdf")), rates(os.path.join(out, "ocrmypdf.pdf"))
print(f"  character error rate, mean over {count} pages: sohoa {sum(ours) / count * 100:.2f} %, "
      f"OCRmyPDF {sum(theirs) / count * 100:.2f} % (worst page: sohoa {max(ours) * 100:.2f} %, OCRmyPDF {max(theirs) * 100:.2f} %)")
for variant in ["clean", "noisy", "skew2", "rot90", "rot180"]:
    picked = [index for index, image in enumerate(files) if f"-{variant}." in os.path.basename(image)]
    if picked:
        a = sum(ours[i] for i in picked) / len(picked) * 100
        b = sum(theirs[i] for i in picked) / len(picked) * 100
        print(f"    {variant:7s} sohoa {a:5.2f} %  OCRmyPDF {b:6.2f} %")
PY
