#!/usr/bin/env bash
# The demo: the whole pipeline on Samples/, on the embedded default (SQLite, a local folder, the
# built-in time-stamp authority), as the people who use Sohoa see it. Stops everything it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
sohoa=${1:-.build/debug/sohoa}

if [[ -t 1 ]]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }

out=demo-output
rm -rf "$out"
mkdir -p "$out"
inbox=$out/inbox rejected=$out/rejected repository=$out/repository approved=$out/approved
scratch=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait "${pids[@]}" 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT

# status_field PYTHON_EXPRESSION: a value from `sohoa status --json` (the object is `s`).
status_field() {
    "$sohoa" status --json 2>/dev/null | python3 -c "import json, sys; s = json.load(sys.stdin); print($1)"
}

step "Sohoa $("$sohoa" --version): the commands of the contract"
"$sohoa" --help | sed -n '/SUBCOMMANDS:/,$p'

step "Time-stamp authority: sohoa tsa serve with the TEST-ONLY TSA certificate; the test CA's CRLs over HTTP"
source scripts/local-tsa.sh
start_local_tsa "$scratch/tsa.log" "$scratch/tsa-serial"
pids+=("$tsa_pid")
start_local_crl_server "$scratch/crls"
[[ -n $crl_pid ]] && pids+=("$crl_pid")
grep "listening on" "$scratch/tsa.log"
echo "CRLs served at http://127.0.0.1:18089/ (the addresses the test certificates name)"

step "Settings: one configuration file instead of --data, --trust and --tsa on every command"
config=$out/sohoa.toml
cat >"$config" <<TOML
# The demo's settings (sohoa config --help lists them all; packaging/sohoa.toml.example explains
# each). Relative paths are relative to this file's folder.
data = "repository"
lang = "vi"

[sign]
tsa = "$tsa_url"

[verify]
trust = ["$PWD/Certs/root-ca.pem"]

[watch]
inbox = "inbox"
rejected = "rejected"
stable-seconds = 1
TOML
export SOHOA_CONFIG=$PWD/$config TZ=Asia/Ho_Chi_Minh   # the same as --config on every command
sed 's/^/  /' "$config" | grep -v '^  #'
echo
"$sohoa" config show | grep -v "not set\|chưa đặt"

step "Intake: sohoa watch on an empty inbox ($inbox), filing into $repository"
mkdir -p "$inbox"
"$sohoa" watch 2>"$out/watch.log" &
watch_pid=$!
pids+=("$watch_pid")
for _ in $(seq 100); do grep -q "watching" "$out/watch.log" && break; sleep 0.1; done
grep "watching" "$out/watch.log" | sed 's/^[^ ]* //'

step "The scanning area drops Samples/ into the inbox, with a damaged scan and a misplaced file"
documents=$("$sohoa" inbox --json --headers-only Samples | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["documents"]))')
cp -r Samples/. "$inbox/"
first_jpeg=$(find Samples -name '*.jpg' | sort | head -n 1)
head -c 40000 "$first_jpeg" > "$inbox/001085012345/000.00.01.H26-251124-0001/ban-sao-hong.jpg"   # cut off mid-copy
mkdir -p "$inbox/12345"
cp "$first_jpeg" "$inbox/12345/scan.jpg"                                                          # no such citizen id
echo "copied $documents sample documents and 2 bad files; waiting until everything is filed or rejected..."
started=$(date +%s%N)
for _ in $(seq 600); do
    settled=$(status_field "s['intake']['filed'] == $documents and s['intake']['received'] == 0 and s['intake']['rejected'] >= 1" || echo False)
    [[ $settled == True && -f $rejected/12345.reason.txt ]] && break
    sleep 0.2
done
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
printf 'filed %s documents in %d.%01d s (a 1-second stability window included)\n' \
    "$(status_field "s['intake']['filed']")" $((elapsed_ms / 1000)) $((elapsed_ms % 1000 / 100))
echo
echo "The inbox now holds: $(find "$inbox" -type f | wc -l) files. Rejected, each with its reason:"
(cd "$rejected" && find . -type f -not -name '*.reason.txt' | sed 's|^\./|  |')
echo
echo "$rejected/001085012345/000.00.01.H26-251124-0001/ban-sao-hong.jpg.reason.txt:"
sed 's/^/  /' "$rejected/001085012345/000.00.01.H26-251124-0001/ban-sao-hong.jpg.reason.txt"

step "sohoa status"
"$sohoa" status

step "The text layer (sohoa assemble --ocr): a scan read in Vietnamese, its words set under the image"
"$sohoa" assemble --ocr -o "$out/don-de-nghi-ocr.pdf" Samples/001085012345/000.00.01.H26-251124-0001/don-de-nghi.tif
echo "What pdftotext reads in it:"
pdftotext -l 1 "$out/don-de-nghi-ocr.pdf" - | grep -v '^[[:space:]]*$' | head -n 8 | sed 's/^/  /'

step "Sign: the officer signs every pending document (PAdES B-LT), then the branch leader approves"
export SOHOA_DEMO_PASSWORD=sohoa-test   # the TEST-ONLY PKCS#12 password from Certs/README.md
# The officer's block goes top left of page 1, with a QR code at the page's foot; the approver's top right.
"$sohoa" sign --pending --all --p12 Certs/officer.p12 --password-env SOHOA_DEMO_PASSWORD --ltv \
    --check-url-base https://tracuu.sohoa.example.vn
"$sohoa" sign --pending --all --role approver --p12 Certs/approver.p12 --password-env SOHOA_DEMO_PASSWORD --ltv \
    --agency "Ủy ban nhân dân phường Ba Đình" \
    || echo "(exit 1: a page whose top quarter has no blank paper on the right gets no block: it would cover the document)"
echo "Those the leader approves with an invisible signature:"
"$sohoa" sign --pending --all --role approver --p12 Certs/approver.p12 --password-env SOHOA_DEMO_PASSWORD --ltv --invisible
echo
echo "Running the officer's batch again signs nothing twice:"
"$sohoa" sign --pending --all --p12 Certs/officer.p12 --password-env SOHOA_DEMO_PASSWORD --ltv

step "The repository: one citizen's documents, and one document's provenance from scan to approval"
"$sohoa" repo list --citizen 001085012345
application=$("$sohoa" repo list --citizen 001085012345 --type application-form --json \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["documents"][0]["id"])')
"$sohoa" repo show "$application"

step "Verify: every approved document, as an auditor does (sohoa verify, trust and language from the settings)"
mkdir -p "$approved"
for citizen in $(ls Samples); do
    for id in $("$sohoa" repo list --citizen "$citizen" --json \
        | python3 -c 'import json, sys; print(" ".join(d["id"] for d in json.load(sys.stdin)["documents"]))'); do
        "$sohoa" repo get "$id" -o "$approved/$id.pdf" >/dev/null
    done
done
"$sohoa" verify "$approved/$application.pdf"
echo
"$sohoa" verify "$approved" | tail -n 1
echo "exit status: $("$sohoa" verify "$approved" >/dev/null; echo $?) (0: every signature of every document valid)"
echo
page1="$out/approved-page-1.png"
pdftoppm -r 100 -png -f 1 -l 1 -singlefile "$approved/$application.pdf" "${page1%.png}"
echo "Page 1 of the approved application, with both blocks and the QR code: $page1"
echo "Its QR code, read back from the rendering (zbarimg):"
zbarimg --raw -q "$page1" 2>/dev/null | sed 's/^/  /' || echo "  (zbarimg found no QR code)"
echo "Its blocks' text (pdftotext):"
pdftotext -l 1 "$approved/$application.pdf" - | head -n 7 | sed 's/^/  /'
echo
echo "pdfsig (poppler) on the same document:"
pdfsig "$approved/$application.pdf" 2>/dev/null \
    | grep -E "^Signature|Signer Certificate Common Name|Signing Time|Signature Validation" || true
altered="$scratch/altered.pdf"
python3 - "$approved/$application.pdf" "$altered" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
data[400] ^= 0x01  # one bit of the scanned page, inside what the officer signed
open(sys.argv[2], "wb").write(data)
PY
echo
echo "A copy altered after signing (one bit of the scanned page):"
"$sohoa" verify "$altered" | sed -n '1,4p' || true
echo "exit status: $("$sohoa" verify "$altered" >/dev/null; echo $?) (1: a signature is invalid)"

step "Submit once: the citizen's approved application is reused in a new case, verified first"
"$sohoa" repo reuse "$application" --case 000.00.01.H26-251125-0031
"$sohoa" repo list --citizen 001085012345 --case 000.00.01.H26-251125-0031

step "Decades: every signed document gets validation data and a document time-stamp (B-LTA) with sohoa repo refresh; run again, nothing is due"
"$sohoa" repo refresh | tail -n 1
"$sohoa" repo refresh | tail -n 1
"$sohoa" repo show "$application" | tail -n 3

step "sohoa status, the repository check, and stopping"
"$sohoa" status
echo
"$sohoa" repo fsck | tail -n 1
kill -TERM "$watch_pid"
wait "$watch_pid" && echo "sohoa watch stopped cleanly (SIGTERM): $(tail -n 1 "$out/watch.log" | sed 's/^[^ ]* //')"

step "The repository as a service (sohoa serve): a token for another agency, its reading for a case, the public check"
agency_token=$("$sohoa" access add --name so-tu-phap.ho-tich --role agency 2>/dev/null)
"$sohoa" access list
"$sohoa" serve --listen 127.0.0.1:0 >"$scratch/serve.log" 2>&1 &
serve_pid=$!
pids+=("$serve_pid")
for _ in $(seq 100); do grep -q "listening on" "$scratch/serve.log" 2>/dev/null && break; sleep 0.1; done
service=$(grep -o 'http://[0-9.]*:[0-9]*' "$scratch/serve.log")
echo "$(cat "$scratch/serve.log")"
# get PATH [TOKEN]: the status and the body of a GET, as a client sees them.
get() {
    python3 - "$service$1" "${2:-}" <<'PY'
import sys, urllib.request, urllib.error
request = urllib.request.Request(sys.argv[1])
if sys.argv[2]:
    request.add_header("Authorization", "Bearer " + sys.argv[2])
try:
    with urllib.request.urlopen(request) as answer:
        print(answer.status, answer.read().decode())
except urllib.error.HTTPError as answer:
    print(answer.code, answer.read().decode())
PY
}
echo
echo "Without a token:"
get "/api/v1/documents?citizen=001085012345" | cut -c1-160
echo "The agency, reading for the citizen's case 000.00.01.H26-251124-0001 (what may be reused):"
get "/api/v1/documents?citizen=001085012345&case=000.00.01.H26-251124-0001" "$agency_token" | python3 -c '
import json, sys
status, body = sys.stdin.read().split(" ", 1)
print("  HTTP", status)
for d in json.loads(body)["documents"]:
    print("  ", d["id"], d["state"], d["type"], "|", d["title"])'
echo "The agency, naming another citizen's case: $(get "/api/v1/documents?citizen=001085012345&case=000.00.02.H29-251123-0015" "$agency_token" | cut -c1-120)"
code=$("$sohoa" repo show "$application" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["publicCode"])')
echo
echo "The public check behind the QR code of the approved application (no login; nothing of the citizen):"
get "/v/$code.json" | python3 -c '
import json, sys
status, body = sys.stdin.read().split(" ", 1)
check = json.loads(body)
print("  HTTP", status, "|", check["title"], "|", check["agency"], "|", check["dossier"], "| state", check["state"],
      "| verdict", check["verdict"], "| reliable", check["reliable"])
for s in check["signatures"]:
    print("   ", s["type"], "|", s["signer"], "|", s["time"], "|", s["verdict"])
print("  sha256", check["sha256"])'
echo "The page itself, as text:"
get "/v/$code" | python3 -c '
import html.parser, sys
class Text(html.parser.HTMLParser):
    skip, lines = False, []
    def handle_starttag(self, tag, attrs): self.skip = tag in ("style", "head", "form")
    def handle_endtag(self, tag): self.skip = False if tag in ("style", "head", "form") else self.skip
    def handle_data(self, data):
        if not self.skip and data.strip(): self.lines.append(data.strip())
page = Text()
page.feed(sys.stdin.read().split(" ", 1)[1])
for line in page.lines[1:40]: print("   ", line)' 

step "Search: the repository read by its words, typed without diacritics (sohoa repo search)"
# Every scan was read by sohoa watch (OCR is on by default) and its text filed with the document.
"$sohoa" repo search "giay khai sinh nguyen minh khang" --limit 3
found=$("$sohoa" repo search "giay khai sinh nguyen minh khang" --json \
    | python3 -c 'import json, sys; r = json.load(sys.stdin)["results"]; print(r[0]["document"]["type"] if r else "nothing")')
[[ $found == birth-certificate ]] || { echo "the search did not find the birth certificate first (found: $found)" >&2; exit 1; }

step "Done"
echo "Filed, signed and approved: $(status_field "s['documents']['approved']") documents in $repository;"
echo "their approved PDFs in $approved; refused files with their reasons in $rejected; the watcher's log in $out/watch.log."
echo "The public check page of the approved application (while sohoa serve runs; \`sohoa --config $config serve\` serves it again):"
echo "  $service/v/$code"
