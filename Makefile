# Sohoa — one entry point. `make demo` shows the pipeline on Samples/, `make test` runs the suite.
# Both install what is missing (Debian packages; Python tools into a venv under .build/).

SWIFT        ?= swift
PYTHON       ?= python3
VENV         := .build/venv
VENV_STAMP   := $(VENV)/.installed
DEPS_STAMP   := .build/.deps-checked
DEBUG_BIN    := .build/debug/sohoa
RELEASE_BIN  := .build/release/sohoa
# Fuzzing: seconds per target for `make fuzz`; the targets to run (all when empty), each
# optionally with its own seconds, e.g. FUZZ_TARGETS="fuzz-verify=300 fuzz-ber".
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=

.PHONY: all deps venv build release test demo bench certs samples clean help \
        fuzz fuzz-build fuzz-smoke fuzz-corpus

all: build

help:
	@echo "make demo    install what is missing, build, and run the pipeline on Samples/"
	@echo "make test    install what is missing, build, and run the test suite"
	@echo "make bench   compare Sohoa with its peers on the same inputs"
	@echo "make certs   regenerate the TEST-ONLY PKI in Certs/"
	@echo "make samples regenerate the synthetic scans in Samples/"
	@echo "make fuzz    build the libFuzzer targets (Fuzz/) and run each for FUZZ_SECONDS (60)"
	@echo "make fuzz-smoke  the same, 10 seconds each (CI); skipped without the fuzzer runtime"

deps:
	@scripts/install-deps.sh

# Python tools used only by tests, benchmarks and the sample generator.
venv: $(VENV_STAMP)
$(VENV_STAMP): scripts/requirements.txt
	@echo "venv: creating $(VENV) (Python tools for tests and benchmarks)"
	@$(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check -r scripts/requirements.txt
	@touch $@

build: deps
	@$(SWIFT) build

release: deps
	@$(SWIFT) build -c release

test: deps venv
	@$(SWIFT) build --build-tests
	@$(SWIFT) test --skip-build --disable-xctest

demo: build
	@scripts/demo.sh $(DEBUG_BIN)

bench: release venv
	@scripts/bench.sh $(RELEASE_BIN) $(VENV)/bin/python

certs:
	@bash Certs/make-test-pki.sh

samples: venv
	@$(VENV)/bin/python scripts/make-samples.py --out Samples

# Coverage-guided fuzzing (Fuzz/Package.swift, scripts/fuzz.sh): libFuzzer targets built with
# AddressSanitizer into .build/fuzz, apart from the normal build. Each run starts from a
# scratch copy of Fuzz/Corpus; crashes go to .build/fuzz/crashes/TARGET/; exit 1 on a crash.
fuzz-build: deps
	@scripts/fuzz.sh check
	@scripts/fuzz.sh build

fuzz: fuzz-build
	@scripts/fuzz.sh run --seconds $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-smoke:
	@scripts/fuzz-smoke.sh

# Regenerates the seed corpus Fuzz/Corpus from the test PKI (signs with the debug build).
fuzz-corpus: build venv
	@Fuzz/make-corpus.sh $(DEBUG_BIN)

clean:
	@rm -rf .build
