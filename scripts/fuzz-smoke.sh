#!/usr/bin/env bash
# A brief fuzzing pass for continuous integration: builds the fuzz targets (Fuzz/, into
# .build/fuzz) and runs each for FUZZ_SMOKE_SECONDS (default 10) from the committed seed
# corpus, which replays every seed first, so a crash input kept in Fuzz/Corpus fails it again
# until it is fixed. Exit 0 when nothing crashed, 1 when a target crashed, 2 when the targets
# cannot be built.
#
# Skipped, with exit 0 and a line saying why, when SOHOA_SKIP_FUZZ=1 or when the toolchain has
# no libFuzzer runtime (libclang_rt.fuzzer, part of the swift.org Linux toolchains); set
# FUZZ_REQUIRE=1 to make a missing runtime an error (exit 2) instead.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ${SOHOA_SKIP_FUZZ:-0} == 1 ]]; then
    echo "fuzz-smoke: skipped (SOHOA_SKIP_FUZZ=1)"
    exit 0
fi
scripts/install-deps.sh
if ! reason=$(scripts/fuzz.sh check 2>&1); then
    echo "fuzz-smoke: SKIPPED: ${reason#fuzz: }"
    [[ ${FUZZ_REQUIRE:-0} == 1 ]] && exit 2
    exit 0
fi
scripts/fuzz.sh build
scripts/fuzz.sh run --seconds "${FUZZ_SMOKE_SECONDS:-10}"
