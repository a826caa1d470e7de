#!/usr/bin/env bash
# Makes the fuzz targets' seed corpus, Fuzz/Corpus/<target>/, from the TEST-ONLY PKI in Certs/.
# Run from the repository root after `make build venv` (`make fuzz-corpus` does all three):
#
#   Fuzz/make-corpus.sh [SOHOA]        SOHOA: the sohoa binary (default .build/debug/sohoa)
#
# Seeds are kept few and small (a signed PDF is 23 KB or more, mostly its /Contents slot):
#   fuzz-verify      a one-page PDF assembled by sohoa: unsigned; signed B-B, B-LT (CRL and OCSP
#                    in the DSS), with ECDSA, certified, and B-T counter-signed by the approver;
#                    two CMS variants (Tests/Fixtures/cms_variants.py); four forgeries
#                    (Tests/Fixtures/make_forgeries.py), pyHanko-signed with classic xref tables
#   fuzz-pdf         a PDF with a classic xref table and one with an object stream (fuzz-pdf also
#                    starts from fuzz-verify's seeds)
#   fuzz-cms         the CMS of those signatures, and one with an Adobe revocation archive
#   fuzz-ber         small BER elements (fuzz-ber also starts from fuzz-cms's seeds)
#   fuzz-timestamp   tokens and responses from the local TSA over the value fuzz-timestamp checks
#   fuzz-tsa         time-stamp requests made by `openssl ts -query`
#   fuzz-revocation  the test CA's CRLs and OCSP responses from its responder's database
#   fuzz-tiff, fuzz-png, fuzz-jpeg   tiny images in each format variant Sohoa reads
# Crash inputs kept as regression seeds (crash-*, leak-*, ...) are left in place.
set -euo pipefail
cd "$(dirname "$0")/.."

sohoa=${1:-.build/debug/sohoa}
python=.build/venv/bin/python
corpus=Fuzz/Corpus
[[ -x $sohoa ]] || { echo "make-corpus: $sohoa is missing (make build)" >&2; exit 1; }
[[ -x $python ]] || { echo "make-corpus: $python is missing (make venv)" >&2; exit 1; }

work=$(mktemp -d)
tsa_pid= crl_pid= ocsp_pid=
cleanup() {
    local pid
    for pid in $tsa_pid $crl_pid $ocsp_pid; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=../scripts/local-tsa.sh
source scripts/local-tsa.sh

# Fresh generated seeds; regression inputs (crash-*, leak-*, timeout-*, oom-*) stay.
targets=(fuzz-verify fuzz-pdf fuzz-cms fuzz-ber fuzz-timestamp fuzz-tsa fuzz-revocation fuzz-tiff fuzz-png fuzz-jpeg)
for target in "${targets[@]}"; do
    mkdir -p "$corpus/$target"
    find "$corpus/$target" -type f ! -name 'crash-*' ! -name 'leak-*' ! -name 'timeout-*' ! -name 'oom-*' -delete
done

echo "make-corpus: images"
"$python" Fuzz/make_corpus.py images "$corpus" "$work/page.png"
"$python" Fuzz/make_corpus.py ber "$corpus/fuzz-ber"

echo "make-corpus: the services the signer needs (time-stamps, CRLs, OCSP)"
start_local_tsa "$work/tsa.log" "$work/tsa.serial"
start_local_crl_server "$work/crls"
ocsp_url=http://127.0.0.1:18090/
ocsp_answers() {
    openssl ocsp -issuer Certs/issuing-ca.pem -cert Certs/officer-ocsp.pem -url "$ocsp_url" \
        -CAfile Certs/root-ca.pem -timeout 2 2>/dev/null | grep -q ': good'
}
if ! ocsp_answers; then
    openssl ocsp -index Certs/issuing-ca-index.txt -port 18090 -rsigner Certs/ocsp-responder.pem \
        -rkey Certs/ocsp-responder.key.pem -CA Certs/issuing-ca.pem -ndays 1 -ignore_err \
        >"$work/ocsp.log" 2>&1 &
    ocsp_pid=$!
    for _ in $(seq 50); do ocsp_answers && break; sleep 0.1; done
    ocsp_answers || { echo "make-corpus: the OCSP responder did not start on 18090" >&2; exit 1; }
fi

echo "make-corpus: signed PDFs"
"$sohoa" assemble -o "$work/doc.pdf" --title "Fuzz seed" --type "test" "$work/page.png" >/dev/null
export SOHOA_SEED_PASSWORD=sohoa-test
signed=$work/signed
mkdir -p "$signed"
# sign NAME INPUT P12 [OPTION...]: signs INPUT into $signed/NAME.pdf.
sign() {
    local name=$1 input=$2 p12=$3
    shift 3
    rm -rf "$work/out" && mkdir "$work/out"
    "$sohoa" sign --p12 "Certs/$p12" --password-env SOHOA_SEED_PASSWORD --out "$work/out" "$@" "$input" >/dev/null
    cp "$work/out/$(basename "$input")" "$signed/$name.pdf"
}
sign b-b "$work/doc.pdf" officer.p12
sign b-t "$work/doc.pdf" officer.p12 --tsa "$tsa_url"
sign b-lt "$work/doc.pdf" officer.p12 --tsa "$tsa_url" --ltv
sign b-lt-ocsp "$work/doc.pdf" officer-ocsp.p12 --tsa "$tsa_url" --ltv
sign ecdsa "$work/doc.pdf" officer-ecdsa.p12
sign certified "$work/doc.pdf" officer.p12 --certify
sign approved "$signed/b-t.pdf" approver.p12 --role approver --tsa "$tsa_url"
# b-t.pdf is the first revision of approved.pdf; it is left out to keep the corpus small.
cp "$work/doc.pdf" "$corpus/fuzz-verify/unsigned.pdf"
for name in b-b b-lt b-lt-ocsp ecdsa certified approved; do cp "$signed/$name.pdf" "$corpus/fuzz-verify/"; done

echo "make-corpus: CMS variants and forgeries"
"$python" Tests/Fixtures/cms_variants.py "$signed/b-b.pdf" Certs/officer.key.pem "$work/variants" >/dev/null
"$python" Tests/Fixtures/cms_variants.py "$signed/ecdsa.pdf" Certs/officer-ecdsa.key.pem "$work/variants-ec" >/dev/null
for variant in ber no-attributes two-signers; do cp "$work/variants/$variant.pdf" "$signed/cms-$variant.pdf"; done
cp "$work/variants-ec/ecdsa-plain.pdf" "$signed/cms-ecdsa-plain.pdf"
# In the PDFs, the two variants that change the signature dictionary too (the BER encoding
# and adbe.pkcs7.detached without attributes); fuzz-cms has all four.
cp "$signed/cms-ber.pdf" "$signed/cms-no-attributes.pdf" "$corpus/fuzz-verify/"
"$python" Tests/Fixtures/make_forgeries.py --out "$work/forgeries" --certs Certs >/dev/null
# pyHanko-signed files with classic xref tables, each with one structure the forgeries add: a
# /Prev loop, an xref entry re-pointed, a locked form field changed, a wrapped signature.
for case in isa-prev-loop isa-xref-repoint shadow-replace-form-field-locked swa-classic; do
    cp "$work/forgeries/$case.pdf" "$corpus/fuzz-verify/forgery-$case.pdf"
done

echo "make-corpus: PDF structures"
qpdf --object-streams=generate "$work/doc.pdf" "$corpus/fuzz-pdf/object-streams.pdf"
qpdf --object-streams=disable --compress-streams=n "$work/doc.pdf" "$corpus/fuzz-pdf/classic-xref.pdf"

echo "make-corpus: CMS"
for name in b-b b-t ecdsa cms-ber cms-no-attributes cms-two-signers cms-ecdsa-plain b-lt-ocsp; do
    "$python" Fuzz/make_corpus.py contents "$signed/$name.pdf" "$work/$name"
    cp "$work/$name-1.der" "$corpus/fuzz-cms/$name.der"
done

echo "make-corpus: time-stamps"
value=$work/value
printf 'sohoa fuzz: the value the seed time-stamps are over\n' >"$value"
# query NAME OPTION...: a request for the value, kept as a fuzz-tsa seed.
query() {
    local name=$1
    shift
    openssl ts -query -data "$value" "$@" -out "$corpus/fuzz-tsa/$name.tsq" 2>/dev/null
}
# stamp NAME: the TSA's response to request NAME, and its token, kept as fuzz-timestamp seeds.
stamp() {
    local name=$1
    curl -s --fail -H 'Content-Type: application/timestamp-query' --data-binary "@$corpus/fuzz-tsa/$name.tsq" \
        -o "$corpus/fuzz-timestamp/response-$name.tsr" "$tsa_url"
    openssl ts -reply -in "$corpus/fuzz-timestamp/response-$name.tsr" -token_out \
        -out "$corpus/fuzz-timestamp/token-$name.der" 2>/dev/null || rm -f "$corpus/fuzz-timestamp/token-$name.der"
}
query sha256-cert -sha256 -cert
query sha256-no-nonce -sha256 -no_nonce
query sha384 -sha384 -cert
query sha512-policy -sha512 -tspolicy 2.999.3161.1
query sha1 -sha1
query unknown-policy -sha256 -tspolicy 1.2.3.4
for name in sha256-cert sha256-no-nonce sha384 sha1; do stamp "$name"; done

echo "make-corpus: revocation"
cp Certs/issuing-ca.crl.der "$corpus/fuzz-revocation/issuing-ca.crl.der"
cp Certs/root-ca.crl.der "$corpus/fuzz-revocation/root-ca.crl.der"
cp Certs/issuing-ca.crl "$corpus/fuzz-revocation/issuing-ca.crl.pem"
# answer NAME CERTIFICATE: the responder's answer about CERTIFICATE.
answer() {
    openssl ocsp -issuer Certs/issuing-ca.pem -cert "Certs/$2" -reqout "$work/$1.req" -no_nonce 2>/dev/null
    openssl ocsp -index Certs/issuing-ca-index.txt -rsigner Certs/ocsp-responder.pem -rkey Certs/ocsp-responder.key.pem \
        -CA Certs/issuing-ca.pem -reqin "$work/$1.req" -respout "$corpus/fuzz-revocation/ocsp-$1.der" -ndays 1 2>/dev/null
}
answer good officer-ocsp.pem
answer revoked revoked-ocsp-signer.pem
answer unknown rogue-signer.pem
printf '\x30\x03\x0a\x01\x06' >"$corpus/fuzz-revocation/ocsp-unauthorized.der"
"$python" Fuzz/make_corpus.py archive "$corpus/fuzz-cms/b-b.der" Certs/officer.key.pem \
    Certs/issuing-ca.crl.der "$corpus/fuzz-revocation/ocsp-good.der" "$corpus/fuzz-cms/revocation-archive.der"

du -sh --apparent-size "$corpus"
for target in "${targets[@]}"; do
    printf 'make-corpus: %-16s %3d files %6s\n' "$target" "$(find "$corpus/$target" -type f | wc -l)" \
        "$(du -sh --apparent-size "$corpus/$target" | cut -f1)"
done
