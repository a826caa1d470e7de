#!/usr/bin/env bash
# Installs the Debian packages Sohoa builds, tests and demonstrates with, when any is missing.
# Idempotent and quiet when there is nothing to do. Needs root (or password-less sudo) only
# when something has to be installed.
set -euo pipefail

packages=(
    pkg-config
    # C libraries Sohoa links
    libtiff-dev libpng-dev libjpeg62-turbo-dev libturbojpeg0-dev libssl-dev libqpdf-dev
    libp11-kit-dev p11-kit libsqlite3-dev zlib1g-dev libdeflate-dev
    # what visible signatures draw with: font shaping and subsetting, QR codes
    libharfbuzz-dev libqrencode-dev
    # text recognition for the PDF's text layer: Tesseract, Vietnamese and English, page orientation
    libtesseract-dev tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd
    # tools the tests and the demo use as independent checks and as the PKCS#11 token
    openssl softhsm2 opensc qpdf poppler-utils libtiff-tools zbar-tools
    # the PostgreSQL server the tests and benchmarks start a throw-away instance of (its psql too)
    postgresql postgresql-client
    # the headless browser the web pages of sohoa serve are tested in
    chromium
    # fonts for the sample generator and the pages; hyperfine and wrk for the benchmarks; djpeg
    # (the assembly floor), and Ghostscript and the tesseract program (what OCRmyPDF runs) for
    # the OCR benchmark
    fonts-dejavu-core fonts-liberation2 hyperfine wrk libjpeg-turbo-progs ghostscript tesseract-ocr
    # the Python the test-only virtual environment is made from
    python3 python3-venv
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if ! command -v swift >/dev/null 2>&1; then
    echo "install-deps: the Swift toolchain (swift) is not on PATH; install Swift 6 first." >&2
    exit 1
fi

((${#missing[@]} == 0)) && exit 0

echo "install-deps: installing ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    echo "install-deps: these Debian packages are missing and this user cannot install them:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
