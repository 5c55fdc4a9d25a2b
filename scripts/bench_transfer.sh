#!/usr/bin/env bash
# Bulk transfer through connect vs OpenSSL's record layer: one `openssl s_server -WWW` on
# loopback serves a file of $SIZE_MIB MiB (sparse zeros; the cipher does not care), and each
# round downloads it once with curl, once with Python's ssl module and once through
# `tlsprobe connect -q` (request on stdin, body on stdout). All three write the response to a
# pipe into `wc -c` (so each pays the same for its output and the byte count is checked), on
# the same TLS 1.3 suite. Prints each client's median wall time, MB/s (10^6 bytes/s) and the
# ratio tlsprobe / other (above 1: tlsprobe is faster).
#
# Usage: scripts/bench_transfer.sh                      (from the repository root; 1 GiB, 5 rounds)
#        SIZE_MIB=256 ROUNDS=3 SUITE=TLS_CHACHA20_POLY1305_SHA256 scripts/bench_transfer.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_MIB=${SIZE_MIB:-1024}
ROUNDS=${ROUNDS:-5}
SUITE=${SUITE:-TLS_AES_128_GCM_SHA256}
PORT=${PORT:-14471}
DATA=tests/data/tlsfuzzer
BIN=target/release/tlsprobe

for tool in openssl curl python3; do
    command -v "$tool" >/dev/null || { echo "$tool not found" >&2; exit 1; }
done
cargo build --release --quiet

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
truncate -s "${SIZE_MIB}M" "$WORK/big.bin"
EXPECT=$((SIZE_MIB * 1024 * 1024))

(cd "$WORK" && exec openssl s_server -accept "127.0.0.1:$PORT" -WWW -quiet \
    -cert "$OLDPWD/$DATA/server-rsa.crt" -key "$OLDPWD/$DATA/server-rsa.key" \
    -ciphersuites "$SUITE" -tls1_3 >/dev/null 2>&1) &
SERVER_PID=$!
for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.1
done

REQUEST=$'GET /big.bin HTTP/1.0\r\n\r\n'
URL="https://127.0.0.1:$PORT/big.bin"

# One download; prints "<milliseconds> <bytes received>". The byte count includes the HTTP
# header for the clients that get raw TLS payload (python, tlsprobe).
run_curl() {
    curl -sk --tlsv1.3 --tls13-ciphers "$SUITE" "$URL" | wc -c
}
run_python() {
    python3 - "$PORT" <<'PY' | wc -c
import socket, ssl, sys
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ctx.minimum_version = ssl.TLSVersion.TLSv1_3
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))))
s.sendall(b"GET /big.bin HTTP/1.0\r\n\r\n")
out = sys.stdout.buffer
buf = bytearray(1 << 20)
view = memoryview(buf)
while True:
    n = s.recv_into(buf)
    if not n:
        break
    out.write(view[:n])
out.flush()
PY
}
run_tlsprobe() {
    # stdin stays open (bounded sleep) so the pipe ends when the server closes, not at EOF.
    "$BIN" connect "127.0.0.1:$PORT" -k -q --tls 1.3 --suites "$SUITE" \
        < <(printf '%s' "$REQUEST"; sleep 120) 2>/dev/null | wc -c
}
timed() {
    local start end bytes
    start=$(date +%s%N)
    bytes=$("$1")
    end=$(date +%s%N)
    if [ "$bytes" -lt "$EXPECT" ]; then
        echo "$1: received $bytes bytes, expected at least $EXPECT" >&2
        exit 1
    fi
    echo $(((end - start) / 1000000))
}

declare -A TIMES
for round in $(seq "$ROUNDS"); do
    line="round $round (ms):"
    for client in curl python tlsprobe; do
        ms=$(timed "run_$client")
        TIMES[$client]+="$ms "
        line+=" $client $ms"
    done
    echo "$line" >&2
done
pkill -P $$ sleep 2>/dev/null || true

python3 - "$SIZE_MIB" "$SUITE" "$(openssl version)" "${TIMES[curl]}" "${TIMES[python]}" \
    "${TIMES[tlsprobe]}" <<'PY'
import statistics, sys
size_mib, suite, version = int(sys.argv[1]), sys.argv[2], sys.argv[3]
names = ["curl", "python ssl", "tlsprobe"]
medians = {n: statistics.median(int(t) for t in a.split()) for n, a in zip(names, sys.argv[4:7])}
size = size_mib * 1024 * 1024
print(f"\n{size_mib} MiB over TLS 1.3 {suite} from openssl s_server -WWW ({version}), median of rounds")
print(f"{'client':<12} {'ms':>8} {'MB/s':>8}")
for n in names:
    print(f"{n:<12} {medians[n]:>8.0f} {size / medians[n] / 1e3:>8.0f}")
for other in names[:2]:
    print(f"ratio tlsprobe/{other} (speed): {medians[other] / medians['tlsprobe']:.2f}")
PY
