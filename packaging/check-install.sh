#!/usr/bin/env bash
# check-install.sh [SOHOA_BINARY]: runs `make install` into a scratch DESTDIR with that binary
# (default: the release build) and checks what it wrote: every file in place and nothing outside
# DESTDIR, the installed program runs, the example settings are valid once uncommented, the man
# pages render without warnings (groff, else man -l), the shell completions load, and the systemd
# units pass `systemd-analyze verify` (each check skipped, with a note, when its tool is absent).
# Exit 0 when every check passes.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/release/sohoa}
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
prefix=/usr/local
failures=0
ok() { printf 'ok    %s\n' "$*"; }
fail() { printf 'FAIL  %s\n' "$*"; failures=$((failures + 1)); }
skip() { printf 'skip  %s\n' "$*"; }

make --no-print-directory install DESTDIR="$dest/root" PREFIX="$prefix" SOHOA_BIN="$bin" >"$dest/install.log" 2>&1 \
    || { cat "$dest/install.log"; echo "FAIL  make install"; exit 1; }
root=$dest/root
ok "make install DESTDIR=... PREFIX=$prefix"

for file in bin/sohoa share/man/man1/sohoa.1 share/man/man1/sohoa-watch.1 share/man/man1/sohoa-config-show.1 \
    share/man/man1/sohoa-repo-list.1 share/bash-completion/completions/sohoa share/zsh/site-functions/_sohoa \
    share/fish/vendor_completions.d/sohoa.fish share/doc/sohoa/sohoa.toml.example \
    lib/systemd/system/sohoa-watch.service lib/systemd/system/sohoa-tsa.service \
    lib/sysusers.d/sohoa.conf lib/tmpfiles.d/sohoa.conf; do
    [[ -s $root$prefix/$file ]] && ok "$prefix/$file" || fail "$prefix/$file is missing or empty"
done
[[ -x $root$prefix/bin/sohoa ]] || fail "$prefix/bin/sohoa is not executable"
outside=$(cd "$root" && find . -mindepth 1 \( -type f -o -type l \) -not -path ".$prefix/*")
[[ -z $outside ]] && ok "nothing outside DESTDIR$prefix" || fail "installed outside $prefix: $outside"

clean_env=(env -i PATH="$PATH" HOME=/nonexistent SOHOA_SYSTEM_CONFIG=/nonexistent/sohoa.toml LANG=C.UTF-8)
"${clean_env[@]}" "$root$prefix/bin/sohoa" --version >/dev/null && ok "the installed sohoa runs" || fail "the installed sohoa does not run"

example=$root$prefix/share/doc/sohoa/sohoa.toml.example
sed -E 's/^# ([a-z][a-z-]* = )/\1/' "$example" >"$dest/uncommented.toml"
if "${clean_env[@]}" "$root$prefix/bin/sohoa" --config "$dest/uncommented.toml" config show >"$dest/show.txt" 2>&1; then
    ok "the example settings, uncommented, are valid ($(grep -c '^# [a-z][a-z-]* = ' "$example") keys)"
else
    fail "the example settings, uncommented, are refused: $(cat "$dest/show.txt")"
fi

for unit in sohoa-watch sohoa-tsa; do
    grep -q "^ExecStart=$prefix/bin/sohoa " "$root$prefix/lib/systemd/system/$unit.service" \
        && ok "$unit.service starts $prefix/bin/sohoa" || fail "$unit.service does not start $prefix/bin/sohoa"
done

pages=("$root$prefix"/share/man/man1/*.1)
if command -v groff >/dev/null; then
    warnings=$(for page in "${pages[@]}"; do groff -man -Tutf8 -ww -z "$page" 2>&1 | sed "s|^|$(basename "$page"): |"; done)
    [[ -z $warnings ]] && ok "${#pages[@]} man pages render without warnings (groff)" || fail "groff warnings: $warnings"
elif command -v man >/dev/null; then
    for page in "${pages[@]}"; do MANWIDTH=80 man -l "$page" >/dev/null 2>&1 || fail "man -l $(basename "$page")"; done
    ok "${#pages[@]} man pages render (man -l)"
else
    skip "man pages: neither groff nor man is installed"
fi
if command -v groff >/dev/null; then
    rendered=$(groff -man -Tutf8 "$root$prefix/share/man/man1/sohoa.1" 2>/dev/null | sed 's/.\x08//g')
    for section in SYNOPSIS OPTIONS COMMANDS SETTINGS FILES ENVIRONMENT "EXIT STATUS" "SEE ALSO"; do
        grep -q "^$section" <<<"$rendered" || fail "sohoa(1) has no $section section"
    done
    grep -q "SOHOA_DATA" <<<"$rendered" && ok "sohoa(1) lists the settings and their variables" || fail "sohoa(1) lacks SOHOA_DATA"
fi

if command -v bash >/dev/null; then
    bash -c "source '$root$prefix/share/bash-completion/completions/sohoa' && complete -p sohoa" >/dev/null 2>&1 \
        && ok "the bash completion loads" || fail "the bash completion does not load"
fi
command -v zsh >/dev/null || skip "zsh completion: zsh is not installed"
command -v fish >/dev/null || skip "fish completion: fish is not installed"

if command -v systemd-analyze >/dev/null; then
    # The installed units, with ExecStart pointing at the binary under DESTDIR (verify checks that
    # it exists and is executable); any message about them (an unknown key, a bad value) fails.
    mkdir -p "$dest/units"
    for unit in "$root$prefix"/lib/systemd/system/sohoa-*.service; do
        sed "s|$prefix/bin/sohoa|$root$prefix/bin/sohoa|" "$unit" >"$dest/units/$(basename "$unit")"
    done
    if output=$(systemd-analyze verify --man=no "$dest"/units/*.service 2>&1) && ! grep -q "sohoa-" <<<"$output"; then
        ok "systemd-analyze verify: both units"
    else
        fail "systemd-analyze verify: $output"
    fi
else
    skip "systemd units: systemd-analyze is not installed (the units are not verified)"
fi

((failures == 0)) && echo "check-install: every check passed" || { echo "check-install: $failures failed"; exit 1; }
