#!/usr/bin/env bash
# make-manual.sh SOHOA_BINARY OUTPUT_FOLDER: the man pages, generated from the command-line parser
# (scripts/make-manual.py; the Python standard library only).
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 scripts/make-manual.py "${1:-.build/release/sohoa}" "${2:-.build/man}"
