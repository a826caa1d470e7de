#!/usr/bin/env bash
# The demo: runs every stage this version of Sohoa has on Samples/, and shows what an operator sees.
set -euo pipefail
cd "$(dirname "$0")/.."
sohoa=${1:-.build/debug/sohoa}

if [[ -t 1 ]]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }

step "Sohoa $("$sohoa" --version): the commands of the contract"
"$sohoa" --help | sed -n '/SUBCOMMANDS:/,$p'

step "Intake: what the sample inbox holds, every page decoded (libtiff, libpng, libjpeg-turbo)"
"$sohoa" inbox Samples

step "Intake: a damaged scan and a misplaced file are refused with a reason, nothing is moved"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
case_dir="$scratch/inbox/001085012345/000.00.01.H26-251124-0009"
mkdir -p "$case_dir" "$scratch/inbox/12345/000.00.01.H26-251124-0001"
first_jpeg=$(find Samples -name '*.jpg' | sort | head -n 1)
cp "$first_jpeg" "$case_dir/ban-sao-tot.jpg"
head -c 40000 "$first_jpeg" > "$case_dir/ban-sao-hong.jpg"   # cut off, as a failed copy would be
echo "not a scan" > "$case_dir/ghi-chu.docx"
cp "$first_jpeg" "$scratch/inbox/12345/000.00.01.H26-251124-0001/scan.jpg"
set +e
"$sohoa" inbox "$scratch/inbox"
status=$?
set -e
echo "(exit status $status: 1 means something was refused)"

step "Assemble: each sample document becomes one archival PDF (PDF/A-2b), checked by qpdf and poppler"
out=demo-output/assembled
rm -rf "$out"
"$sohoa" inbox --json --headers-only Samples | python3 -c '
import json, sys
for d in json.load(sys.stdin)["documents"]:
    meta = d.get("metadata", {})
    files = sorted({p["source"] for p in d["pages"]})
    print("\t".join([d["owner"], d["case"], d["name"].rsplit(".", 1)[0], meta.get("title", ""),
                     meta.get("documentType", "")] + files))
' | while IFS=$'\t' read -r owner case_id name title type files; do
    mkdir -p "$out/$owner/$case_id"
    pdf="$out/$owner/$case_id/$name.pdf"
    IFS=$'\t' read -r -a sources <<< "$files"
    "$sohoa" assemble -o "$pdf" --citizen "$owner" --case "$case_id" --title "$title" --type "$type" "${sources[@]}" \
        | head -n 1
    qpdf --check "$pdf" >/dev/null && echo "   qpdf --check: no errors"
done
echo
echo "pdfimages -list on one of them (ccitt and jpeg are the scanner's own bytes):"
pdfimages -list "$out/001085012345/000.00.01.H26-251124-0001/don-de-nghi.pdf"

step "Time-stamp authority: sohoa tsa serve with the TEST-ONLY TSA certificate; the test CA's CRLs over HTTP"
source scripts/local-tsa.sh
start_local_tsa "$scratch/tsa.log" "$scratch/tsa-serial"
start_local_crl_server "$scratch/crls"
trap 'kill "$tsa_pid" ${crl_pid:-} 2>/dev/null || true; rm -rf "$scratch"' EXIT
grep "listening on" "$scratch/tsa.log"
echo "CRLs served at http://127.0.0.1:18089/ (the addresses the test certificates name)"

step "Sign: the officer signs every assembled PDF (PAdES B-LT), then the branch leader approves"
signed=demo-output/signed
approved=demo-output/approved
rm -rf "$signed" "$approved"
export SOHOA_DEMO_PASSWORD=sohoa-test   # the TEST-ONLY PKCS#12 password from Certs/README.md
for folder in "$out"/*/*; do
    "$sohoa" sign --p12 Certs/officer.p12 --password-env SOHOA_DEMO_PASSWORD --tsa "$tsa_url" --ltv \
        --out "$signed/${folder#"$out"/}" "$folder" | tail -n 1
done
for folder in "$signed"/*/*; do
    "$sohoa" sign --p12 Certs/approver.p12 --password-env SOHOA_DEMO_PASSWORD --role approver --tsa "$tsa_url" --ltv \
        --out "$approved/${folder#"$signed"/}" "$folder" | tail -n 1
done
example="$approved/001085012345/000.00.01.H26-251124-0001/don-de-nghi.pdf"
echo
echo "pdfsig (poppler) on $example:"
pdfsig "$example" 2>/dev/null | grep -E "^Signature|Signer Certificate Common Name|Signing Time|Signature Type|Signature Validation" || true

step "File: every approved document into the repository, then one citizen's list and a check"
repository=demo-output/repository
rm -rf "$repository"
for document in "$approved"/*/*/*.pdf; do
    case_folder=$(dirname "$document")
    "$sohoa" repo import --data "$repository" --citizen "$(basename "$(dirname "$case_folder")")" \
        --case "$(basename "$case_folder")" --title "$(basename "$document" .pdf)" "$document" >/dev/null
done
"$sohoa" repo list --data "$repository" --citizen 001085012345
"$sohoa" repo fsck --data "$repository" | tail -n 1

step "Verify: the auditor's report (sohoa verify --lang vi), then a copy altered after signing"
"$sohoa" verify --lang vi --trust Certs/root-ca.pem "$example"
echo
"$sohoa" verify --trust Certs/root-ca.pem "$approved" | tail -n 1
echo "exit status: 0 (every signature of every document valid)"
altered="$scratch/altered.pdf"
python3 - "$example" "$altered" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
data[400] ^= 0x01  # one bit of the scanned page, inside what the officer signed
open(sys.argv[2], "wb").write(data)
PY
"$sohoa" verify --lang en --trust Certs/root-ca.pem "$altered" | sed -n '1,4p;/The content was changed/{p;q}' || true
echo "exit status: $("$sohoa" verify --trust Certs/root-ca.pem "$altered" >/dev/null; echo $?) (1: a signature is invalid)"
kill "$tsa_pid" ${crl_pid:-}; wait "$tsa_pid" ${crl_pid:-} 2>/dev/null || true

step "Done"
echo "Assembled PDFs: $out; signed by the officer: $signed; approved by the branch leader: $approved."
echo "Filed in: $repository. The watched inbox (sohoa watch, sohoa status) is not available in this version yet."
