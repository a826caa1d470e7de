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

# start_local_crl_server FOLDER serves the TEST-ONLY CRLs (DER) at the addresses the test
# certificates name, http://127.0.0.1:18089/{issuing-ca,root-ca}.crl, and sets crl_pid (empty
# when something already serves them there).
start_local_crl_server() {
    local folder=$1
    crl_pid=
    if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
        http://127.0.0.1:18089/issuing-ca.crl 2>/dev/null; then
        return 0
    fi
    mkdir -p "$folder"
    cp Certs/issuing-ca.crl.der "$folder/issuing-ca.crl"
    cp Certs/root-ca.crl.der "$folder/root-ca.crl"
    python3 -m http.server 18089 --bind 127.0.0.1 --directory "$folder" >/dev/null 2>&1 &
    crl_pid=$!
    for _ in $(seq 50); do
        python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
            http://127.0.0.1:18089/issuing-ca.crl 2>/dev/null && return 0
        sleep 0.1
    done
    echo "the local CRL server did not start on 127.0.0.1:18089" >&2
    return 1
}
