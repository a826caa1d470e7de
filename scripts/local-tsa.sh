# Sourced by demo.sh and bench.sh: start_local_tsa LOG SERIAL_FILE starts `sohoa tsa serve` with
# the TEST-ONLY TSA certificate on a free loopback port, and sets tsa_pid and tsa_url.
start_local_tsa() {
    local log=$1 serial=$2
    "$sohoa" tsa serve --cert Certs/tsa.pem --key Certs/tsa.key.pem --chain Certs/tsa-chain.pem \
        --listen 127.0.0.1:0 --serial-file "$serial" >"$log" 2>/dev/null &
    tsa_pid=$!
    for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
    tsa_url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$log")
    [[ -n $tsa_url ]] || { echo "the local time-stamp authority did not start" >&2; return 1; }
}
