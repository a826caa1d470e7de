#!/usr/bin/env bash
# Builds and runs the libFuzzer targets of the package in Fuzz/ (see Fuzz/Package.swift).
#
#   scripts/fuzz.sh check                      is the fuzzer runtime there? (exit 0 yes, 2 no)
#   scripts/fuzz.sh build                      build every target into .build/fuzz
#   scripts/fuzz.sh run [--seconds N] [TARGET[=SECONDS]]...
#                                              run each target (all when none is named) for
#                                              N seconds (or its own SECONDS), one after another
#   scripts/fuzz.sh list                       the targets, one a line
#
# A run starts from a scratch copy of the committed seeds (.build/fuzz/corpus/TARGET, which
# keeps what earlier runs found; Fuzz/Corpus is only read), writes what crashes a target to
# .build/fuzz/crashes/TARGET/ and the fuzzer's output to .build/fuzz/logs/TARGET.log, and
# prints one summary line per target. It exits 1 when a target crashed (a crash, a Swift
# trap, an ASan report, a leak, a timeout or running out of memory), 0 otherwise.
#
# Environment: FUZZ_SECONDS (default 60), FUZZ_RSS_MB (2048), FUZZ_TIMEOUT (10 s per input),
# FUZZ_CONFIG (debug, the default, keeps Swift's bounds checks of unsafe buffers, which ASan
# cannot replace for a memory-mapped file; release runs about three times as many inputs a
# second), FUZZ_ARGS (more libFuzzer options, e.g. "-seed=1").
set -euo pipefail
cd "$(dirname "$0")/.."

root=$PWD
scratch=$root/.build/fuzz
config=${FUZZ_CONFIG:-debug}
rss_mb=${FUZZ_RSS_MB:-2048}
timeout_s=${FUZZ_TIMEOUT:-10}

# Each target and the seed folders under Fuzz/Corpus it starts from (its own first).
declare -A seeds=(
    [fuzz-verify]="fuzz-verify"
    [fuzz-pdf]="fuzz-pdf fuzz-verify"
    [fuzz-ber]="fuzz-ber fuzz-cms"
    [fuzz-cms]="fuzz-cms"
    [fuzz-timestamp]="fuzz-timestamp"
    [fuzz-revocation]="fuzz-revocation"
    [fuzz-tsa]="fuzz-tsa"
    [fuzz-tiff]="fuzz-tiff"
    [fuzz-png]="fuzz-png"
    [fuzz-jpeg]="fuzz-jpeg"
)
# Dictionaries (Fuzz/Dictionaries/NAME.dict) of tokens mutations should use.
declare -A dictionaries=(
    [fuzz-verify]=pdf
    [fuzz-pdf]=pdf
)
targets=(fuzz-verify fuzz-pdf fuzz-ber fuzz-cms fuzz-timestamp fuzz-revocation fuzz-tsa fuzz-tiff fuzz-png fuzz-jpeg)

# The compiler flags: libFuzzer's coverage and runtime, and AddressSanitizer, for the Swift
# code and the C shims alike.
build_flags=(
    -c "$config"
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
    -Xcc -fsanitize=fuzzer-no-link,address
)

die() { echo "fuzz: $*" >&2; exit 2; }

# Whether this toolchain can build a libFuzzer binary: the runtime library is where swiftc
# looks for it, and a one-line target links.
check_runtime() {
    local swiftc toolchain probe
    swiftc=$(command -v swiftc) || { echo "swiftc is not on PATH"; return 1; }
    toolchain=$(dirname "$(dirname "$(readlink -f "$swiftc")")")
    if ! compgen -G "$toolchain/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a" >/dev/null \
        && ! compgen -G "$toolchain/lib/clang/*/lib/*/libclang_rt.fuzzer.a" >/dev/null \
        && ! compgen -G "$toolchain/lib/swift/clang/lib/linux/libclang_rt.fuzzer-*.a" >/dev/null; then
        echo "the toolchain at $toolchain has no libFuzzer runtime (libclang_rt.fuzzer)"
        return 1
    fi
    probe=$(mktemp -d)
    printf '@_cdecl("LLVMFuzzerTestOneInput") public func f(_ p: UnsafeRawPointer, _ n: Int) -> CInt { 0 }\n' \
        >"$probe/probe.swift"
    if ! swiftc -sanitize=fuzzer,address -parse-as-library "$probe/probe.swift" -o "$probe/probe" \
        >"$probe/log" 2>&1; then
        echo "swiftc -sanitize=fuzzer,address cannot link a fuzz target: $(grep -m1 -i error "$probe/log" || true)"
        rm -rf "$probe"
        return 1
    fi
    rm -rf "$probe"
}

build() {
    echo "fuzz: building the targets ($config, -sanitize=fuzzer,address) into .build/fuzz"
    # The linker's notes about ASan's local symbols are noise; errors still show.
    swift build --package-path Fuzz --scratch-path "$scratch" "${build_flags[@]}" 2>&1 \
        | grep -v -e "Cannot export local symbol '__asan" -e '^\[[0-9]*/[0-9]*\] ' || true
    local missing=0 target
    for target in "${targets[@]}"; do
        [[ -x $scratch/$config/$target ]] || { echo "fuzz: $target was not built" >&2; missing=1; }
    done
    ((missing == 0)) || die "the build failed"
}

# run_target NAME SECONDS: one libFuzzer run; prints its summary line; returns 1 on a crash.
run_target() {
    local target=$1 seconds=$2
    local binary=$scratch/$config/$target corpus=$scratch/corpus/$target crashes=$scratch/crashes/$target
    local log=$scratch/logs/$target.log work=$scratch/work/$target
    [[ -x $binary ]] || die "$target is not built (scripts/fuzz.sh build)"
    mkdir -p "$corpus" "$crashes" "$(dirname "$log")" "$work"
    local folder
    for folder in ${seeds[$target]}; do
        [[ -d Fuzz/Corpus/$folder ]] && cp -n Fuzz/Corpus/"$folder"/* "$corpus"/ 2>/dev/null || true
    done
    local options=(
        -max_total_time="$seconds" -rss_limit_mb="$rss_mb" -timeout="$timeout_s"
        -artifact_prefix="$crashes/" -print_final_stats=1
    )
    [[ -n ${dictionaries[$target]:-} ]] && options+=(-dict="Fuzz/Dictionaries/${dictionaries[$target]}.dict")
    # shellcheck disable=SC2206
    options+=(${FUZZ_ARGS:-})
    local before after status=0
    before=$(find "$crashes" -type f | wc -l)
    # libFuzzer and ASan print the stack themselves; the Swift runtime's backtracer, which
    # attaches to a crashed process, is turned off so that it cannot hold up a crashing run.
    # Leaks are reported, except those Fuzz/lsan.supp explains.
    SWIFT_BACKTRACE=enable=no SOHOA_FUZZ_CERTS="$root/Certs" SOHOA_FUZZ_SCRATCH="$work" \
        LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/Fuzz/lsan.supp:print_suppressions=0} \
        "$binary" "${options[@]}" "$corpus" >"$log" 2>&1 || status=$?
    rm -rf "$work"
    after=$(find "$crashes" -type f | wc -l)
    local found=$((after - before))
    # A non-zero exit without an artifact (the fuzzer itself failed) counts as a crash too.
    ((status != 0 && found == 0)) && found=1

    local executions rate cov corpus_size peak
    # stat_of NAME: the value of libFuzzer's final statistic stat::NAME.
    stat_of() { grep -o "stat::$1:[[:space:]]*[0-9]*" "$log" | grep -o '[0-9]*$' || true; }
    executions=$(stat_of number_of_executed_units)
    rate=$(stat_of average_exec_per_sec)
    peak=$(stat_of peak_rss_mb)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
    corpus_size=$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -1 | cut -d' ' -f2 || true)
    printf 'fuzz: %-16s %6ss  executions %-9s exec/s %-6s cov %-6s corpus %-12s rss %sMB  crashes %s%s\n' \
        "$target" "$seconds" "${executions:-?}" "${rate:-?}" "${cov:-?}" "${corpus_size:-?}" "${peak:-?}" "$found" \
        "$( ((found > 0)) && echo "  -> $crashes/ and $log")"
    ((found == 0))
}

run() {
    local seconds=${FUZZ_SECONDS:-60}
    local chosen=()
    while (($#)); do
        case $1 in
            --seconds) seconds=$2; shift 2 ;;
            --seconds=*) seconds=${1#*=}; shift ;;
            *) chosen+=("$1"); shift ;;
        esac
    done
    ((${#chosen[@]})) || chosen=("${targets[@]}")
    local item target time failed=()
    for item in "${chosen[@]}"; do
        target=${item%%=*}
        [[ -n ${seeds[$target]:-} ]] || die "no such target: $target (scripts/fuzz.sh list)"
        [[ $item == *=* ]] && time=${item#*=} || time=$seconds
        run_target "$target" "$time" || failed+=("$target")
    done
    if ((${#failed[@]})); then
        echo "fuzz: crashes in ${failed[*]}; the inputs are in .build/fuzz/crashes/ (reproduce: .build/fuzz/$config/TARGET FILE)"
        return 1
    fi
    echo "fuzz: no crash"
}

command=${1:-}
shift || true
case $command in
    check)
        if reason=$(check_runtime); then echo "fuzz: the libFuzzer runtime is available"; else
            echo "fuzz: $reason" >&2; exit 2; fi ;;
    build) build ;;
    run) run "$@" ;;
    list) printf '%s\n' "${targets[@]}" ;;
    *) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 3 ;;
esac
