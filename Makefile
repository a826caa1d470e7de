# Sohoa — one entry point. `make demo` shows the pipeline on Samples/, `make test` runs the suite.
# Both install what is missing (Debian packages; Python tools into a venv under .build/).

SWIFT        ?= swift
PYTHON       ?= python3
VENV         := .build/venv
VENV_STAMP   := $(VENV)/.installed
DEPS_STAMP   := .build/.deps-checked
DEBUG_BIN    := .build/debug/sohoa
RELEASE_BIN  := .build/release/sohoa

.PHONY: all deps venv build release test demo bench certs samples clean help

all: build

help:
	@echo "make demo    install what is missing, build, and run the pipeline on Samples/"
	@echo "make test    install what is missing, build, and run the test suite"
	@echo "make bench   compare Sohoa with its peers on the same inputs"
	@echo "make certs   regenerate the TEST-ONLY PKI in Certs/"
	@echo "make samples regenerate the synthetic scans in Samples/"

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

clean:
	@rm -rf .build
