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
# `make install`: where things go (DESTDIR is prepended to each, for packaging). SOHOA_BIN is the
# binary installed: the release build by default (built first).
PREFIX       ?= /usr/local
BINDIR       ?= $(PREFIX)/bin
DATADIR      ?= $(PREFIX)/share
MANDIR       ?= $(DATADIR)/man
DOCDIR       ?= $(DATADIR)/doc/sohoa
SYSTEMDDIR   ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR  ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR  ?= $(PREFIX)/lib/tmpfiles.d
BASHCOMPDIR  ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR   ?= $(DATADIR)/zsh/site-functions
FISHCOMPDIR  ?= $(DATADIR)/fish/vendor_completions.d
SOHOA_BIN    ?= $(RELEASE_BIN)
MAN_OUT      := .build/man

.PHONY: all deps venv build release test demo bench certs samples clean help \
        fuzz fuzz-build fuzz-smoke fuzz-corpus install uninstall manual check-install

all: build

help:
	@echo "make demo    install what is missing, build, and run the pipeline on Samples/"
	@echo "make test    install what is missing, build, and run the test suite"
	@echo "make bench   compare Sohoa with its peers on the same inputs"
	@echo "make certs   regenerate the TEST-ONLY PKI in Certs/"
	@echo "make samples regenerate the synthetic scans in Samples/"
	@echo "make fuzz    build the libFuzzer targets (Fuzz/) and run each for FUZZ_SECONDS (60)"
	@echo "make fuzz-smoke  the same, 10 seconds each (CI); skipped without the fuzzer runtime"
	@echo "make install the release binary, man pages, completions, example settings and systemd"
	@echo "             units under PREFIX (/usr/local); DESTDIR for packaging; runs no systemctl"
	@echo "make check-install  make install into a scratch DESTDIR and check what it wrote"

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
	@scripts/test-postgres.sh run $(SWIFT) test --skip-build --disable-xctest

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

# Man pages, generated from the command-line parser (scripts/make-manual.sh).
manual: $(if $(filter $(RELEASE_BIN),$(SOHOA_BIN)),release)
	@scripts/make-manual.sh $(SOHOA_BIN) $(MAN_OUT)

# Installs only under $(DESTDIR)$(PREFIX) (and nothing else): no user is made, no service is
# enabled or started; README.md "Running as a service" says what to do next.
install: manual
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DOCDIR) $(DESTDIR)$(SYSTEMDDIR) \
	    $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
	    $(DESTDIR)$(FISHCOMPDIR)
	install -m 0755 $(SOHOA_BIN) $(DESTDIR)$(BINDIR)/sohoa
	install -m 0644 $(MAN_OUT)/*.1 $(DESTDIR)$(MANDIR)/man1/
	$(SOHOA_BIN) --generate-completion-script bash > $(DESTDIR)$(BASHCOMPDIR)/sohoa
	$(SOHOA_BIN) --generate-completion-script zsh > $(DESTDIR)$(ZSHCOMPDIR)/_sohoa
	$(SOHOA_BIN) --generate-completion-script fish > $(DESTDIR)$(FISHCOMPDIR)/sohoa.fish
	install -m 0644 packaging/sohoa.toml.example $(DESTDIR)$(DOCDIR)/sohoa.toml.example
	for unit in packaging/systemd/*.service; do \
	    sed 's|/usr/local/bin/sohoa|$(BINDIR)/sohoa|g' $$unit > $(DESTDIR)$(SYSTEMDDIR)/$$(basename $$unit) && \
	    chmod 0644 $(DESTDIR)$(SYSTEMDDIR)/$$(basename $$unit) || exit 1; \
	done
	install -m 0644 packaging/sohoa.sysusers $(DESTDIR)$(SYSUSERSDIR)/sohoa.conf
	install -m 0644 packaging/sohoa.tmpfiles $(DESTDIR)$(TMPFILESDIR)/sohoa.conf

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sohoa $(DESTDIR)$(MANDIR)/man1/sohoa.1 $(DESTDIR)$(MANDIR)/man1/sohoa-*.1 \
	    $(DESTDIR)$(BASHCOMPDIR)/sohoa $(DESTDIR)$(ZSHCOMPDIR)/_sohoa $(DESTDIR)$(FISHCOMPDIR)/sohoa.fish \
	    $(DESTDIR)$(DOCDIR)/sohoa.toml.example $(DESTDIR)$(SYSTEMDDIR)/sohoa-watch.service \
	    $(DESTDIR)$(SYSTEMDDIR)/sohoa-tsa.service $(DESTDIR)$(SYSUSERSDIR)/sohoa.conf $(DESTDIR)$(TMPFILESDIR)/sohoa.conf

check-install:
	@packaging/check-install.sh $(SOHOA_BIN)

clean:
	@rm -rf .build
