#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests and the benchmarks: its own data folder under
# /tmp, its own port on 127.0.0.1, run as an unprivileged user (PostgreSQL refuses to run as
# root), password authentication only. Debian's postgresql package (scripts/install-deps.sh).
#
#   scripts/test-postgres.sh start [--owner-pid PID]   starts one; prints its folder, then the
#                                                       lines of FOLDER/env (shell assignments)
#   scripts/test-postgres.sh stop FOLDER                stops it and removes its folder
#   scripts/test-postgres.sh run COMMAND...             starts one, runs COMMAND with the
#                                                       variables of FOLDER/env exported, stops it
#
# With --owner-pid, a watchdog stops the server when that process ends (a test run that was
# killed leaves no server behind). FOLDER/env holds SOHOA_TEST_POSTGRES_URL (an administrator's
# URL, without the password) and SOHOA_TEST_POSTGRES_PASSWORD: a password made for this server
# alone, which is gone with it.
set -euo pipefail

bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    if [[ -z $dir || ! -x $dir/initdb ]]; then
        echo "test-postgres: PostgreSQL's server programs are not installed (Debian package postgresql; make deps)" >&2
        exit 1
    fi
    echo "$dir"
}

# Runs a command as the server's user: `postgres` when we are root, ourselves otherwise.
as_server_user() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 - <<'EOF'
import socket
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
EOF
}

start() {
    local owner=""
    if [[ ${1:-} == --owner-pid ]]; then owner=$2; fi
    local bin folder port password
    bin=$(bindir)
    folder=$(mktemp -d /tmp/sohoa-postgres.XXXXXX)
    chmod 0755 "$folder"
    mkdir "$folder/data" "$folder/socket"
    password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
    printf '%s\n' "$password" > "$folder/password"
    if [[ $(id -u) -eq 0 ]]; then chown -R postgres: "$folder"; fi
    chmod 0600 "$folder/password"
    as_server_user "$bin/initdb" --pgdata="$folder/data" --username=sohoa_admin --pwfile="$folder/password" \
        --auth-host=scram-sha-256 --auth-local=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$folder/initdb.log" 2>&1 || {
        cat "$folder/initdb.log" >&2
        exit 1
    }
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        if as_server_user "$bin/pg_ctl" --pgdata="$folder/data" --log="$folder/server.log" --wait --timeout=60 \
            -o "-p $port -k $folder/socket -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null; then
            break
        fi
        if [[ $attempt -eq 5 ]]; then
            cat "$folder/server.log" >&2
            exit 1
        fi
    done
    cat > "$folder/env" <<EOF
SOHOA_TEST_POSTGRES_URL=postgres://sohoa_admin@127.0.0.1:$port/postgres
SOHOA_TEST_POSTGRES_PASSWORD=$password
SOHOA_TEST_POSTGRES_FOLDER=$folder
EOF
    if [[ -n $owner ]]; then
        # The watchdog: stops the server once the owner is gone.
        nohup bash -c "while kill -0 $owner 2>/dev/null; do sleep 1; done; '$0' stop '$folder'" >/dev/null 2>&1 &
    fi
    echo "$folder"
    cat "$folder/env"
}

stop() {
    local folder=$1
    [[ -d $folder/data ]] || return 0
    as_server_user "$(bindir)/pg_ctl" --pgdata="$folder/data" --mode=immediate stop >/dev/null 2>&1 || true
    rm -rf "$folder"
}

case ${1:-} in
    start) shift; start "$@" ;;
    stop) stop "$2" ;;
    run)
        shift
        started=$(start --owner-pid $$)
        folder=${started%%$'\n'*}
        trap 'stop "$folder"' EXIT
        set -a
        # shellcheck disable=SC1091
        source "$folder/env"
        set +a
        "$@"
        ;;
    *) echo "usage: $0 start [--owner-pid PID] | stop FOLDER | run COMMAND..." >&2; exit 3 ;;
esac
